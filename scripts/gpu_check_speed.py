"""The speed half of scripts/gpu_check.py's device checks: keras_elu's kernels against a
device-to-device copy and PyTorch's F.elu, forward and forward + backward, per dtype and size."""

import statistics

import torch
import torch.nn.functional as F

from gpu_check_device import DEVICE, STREAM, TORCH_DTYPES

SPEED_SIZES = tuple(1 << k for k in (20, 22, 24, 26, 28))


def replayable(fn, calls: int = 10):
    """fn called `calls` times, captured in a CUDA graph when it can be, so replays time the
    GPU alone and not Python's launch overhead; else plain calls. Returns (run, calls)."""
    fn()  # warm-up: PyTorch's allocator, our module load
    torch.cuda.synchronize()
    try:
        graph = torch.cuda.CUDAGraph()
        with torch.cuda.graph(graph):
            for _ in range(calls):
                fn()
        return graph.replay, calls
    except Exception:  # noqa: BLE001  (autograd or the driver may refuse capture)
        torch.cuda.synchronize()
        return fn, 1


def gpu_ms(run, calls: int, rounds: int = 21) -> float:
    """Median over rounds of the milliseconds per call."""
    samples = []
    for _ in range(rounds):
        start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        start.record()
        run()
        end.record()
        end.synchronize()
        samples.append(start.elapsed_time(end) / calls)
    return statistics.median(samples)


def speed(library) -> list:
    rows = []
    for dtype in ("float32", "float16", "bfloat16"):
        for n in SPEED_SIZES:
            x = (torch.randn(n, device=DEVICE) * 3).to(TORCH_DTYPES[dtype])
            dy, y, dx = torch.randn_like(x), torch.empty_like(x), torch.empty_like(x)
            x_grad = x.clone().requires_grad_()

            def ours_forward():
                library.launch("forward", dtype, [x], y, 1.0, STREAM())

            def ours_both():
                library.launch("forward", dtype, [x], y, 1.0, STREAM())
                library.launch("grad", dtype, [dy, x], dx, 1.0, STREAM())

            def torch_both():
                torch.autograd.grad(F.elu(x_grad, 1.0), x_grad, dy)

            candidates = {"ours": ours_forward, "torch": lambda: F.elu(x, 1.0), "copy": lambda: y.copy_(x),
                          "ours_fwd_bwd": ours_both, "torch_fwd_bwd": torch_both}
            runs = {name: replayable(fn) for name, fn in candidates.items()}
            times = {name: [] for name in candidates}
            for _ in range(3):  # interleaved rounds, medians of medians
                for name, (run, calls) in runs.items():
                    times[name].append(gpu_ms(run, calls))
            ms = {name: statistics.median(v) for name, v in times.items()}
            graphed = {name: calls > 1 for name, (run, calls) in runs.items()}
            moved = 2 * n * x.element_size()
            rows.append({"dtype": dtype, "n": n, **{f"{k}_ms": v for k, v in ms.items()}, "graphed": graphed,
                         "ours_gbs": moved / ms["ours"] / 1e6, "copy_gbs": moved / ms["copy"] / 1e6,
                         "torch_gbs": moved / ms["torch"] / 1e6})
            del x, dy, y, dx, x_grad, runs
            torch.cuda.empty_cache()
    return rows


def goals(rows: list) -> dict:
    """Forward >= 90% of copy bandwidth at >= 2^24 elements; never slower than F.elu."""
    big = [r for r in rows if r["n"] >= 1 << 24]
    return {"forward_90pct_of_copy": all(r["ours_gbs"] >= 0.9 * r["copy_gbs"] for r in big),
            "never_slower_than_torch_forward": all(r["ours_ms"] <= r["torch_ms"] for r in rows),
            "never_slower_than_torch_fwd_bwd": all(r["ours_fwd_bwd_ms"] <= r["torch_fwd_bwd_ms"] for r in rows)}


def render(report: dict) -> list:
    """The speed table and the goals, as Markdown lines."""
    lines = ["", "| dtype | N | keras_elu GB/s | copy GB/s | of copy | F.elu GB/s | fwd ÷ F.elu | fwd+bwd ms | "
              "F.elu fwd+bwd ms | ÷ F.elu |", "|---|---|---|---|---|---|---|---|---|---|"]
    for r in report["speed"]:
        lines.append(f"| {r['dtype']} | 2^{r['n'].bit_length() - 1} | {r['ours_gbs']:.0f} | {r['copy_gbs']:.0f} | "
                     f"{r['ours_gbs'] / r['copy_gbs']:.1%} | {r['torch_gbs']:.0f} | {r['ours_ms'] / r['torch_ms']:.2f} | "
                     f"{r['ours_fwd_bwd_ms']:.3f} | {r['torch_fwd_bwd_ms']:.3f} | "
                     f"{r['ours_fwd_bwd_ms'] / r['torch_fwd_bwd_ms']:.2f} |")
    lines += ["", "Goals: " + ", ".join(f"{k} {'met' if v else 'NOT met'}" for k, v in report["goals"].items())]
    return lines
