"""Interleaved timing: every candidate runs once per round, in rotating order,
so drifts in clock speed or background load hit all of them alike; we report
the median over rounds of the per-call time. The clock is wall time; on a
machine loaded by other work, `time.process_time` (this process's CPU time,
all its threads) leaves out the time other processes hold the cores."""

import statistics
import time
from typing import Callable


def per_call_seconds(fn: Callable[[], object], target_seconds: float) -> int:
    """How many calls make one timed sample of about target_seconds."""
    start = time.perf_counter()
    fn()
    once = max(time.perf_counter() - start, 1e-7)
    return max(1, int(target_seconds / once))


def interleaved_medians(candidates: dict, rounds: int = 9, target_seconds: float = 0.02,
                        clock: Callable[[], float] = time.perf_counter) -> dict:
    """{name: median seconds per call}, candidates being {name: zero-arg callable}."""
    for fn in candidates.values():  # warm-up: tracing, allocation, page faults
        fn()
        fn()
    calls = {name: per_call_seconds(fn, target_seconds) for name, fn in candidates.items()}
    samples = {name: [] for name in candidates}
    names = list(candidates)
    for r in range(rounds):
        for name in names[r % len(names):] + names[: r % len(names)]:
            fn, n = candidates[name], calls[name]
            start = clock()
            for _ in range(n):
                fn()
            samples[name].append((clock() - start) / n)
    return {name: statistics.median(values) for name, values in samples.items()}
