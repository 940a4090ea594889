"""Progress lines for the long example jobs: which run, time spent, time left."""

import time


def clock(seconds: float) -> str:
    """Seconds as H:MM:SS (hours may pass 24)."""
    seconds = int(max(seconds, 0))
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


class Progress:
    """Counts runs; `begin` prints run k of n with the elapsed time and an estimate of what is left."""

    def __init__(self, total: int, timer=time.perf_counter):
        self.total, self.done, self.timer = total, 0, timer
        self.start = timer()

    def elapsed(self) -> float:
        return self.timer() - self.start

    def begin(self, what: str) -> None:
        left = clock(self.elapsed() / self.done * (self.total - self.done)) if self.done else "?"
        print(f"\n=== run {self.done + 1} of {self.total}: {what} — elapsed {clock(self.elapsed())}, "
              f"time left ~{left} ===", flush=True)

    def end(self) -> None:
        self.done += 1
