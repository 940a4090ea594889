"""Tables and plots for bench_elu.py's results (and the per-ISA summary of --all-isas)."""

import os
import platform


def cpu_description() -> dict:
    """The CPU model and the flags that decide keras_elu's CPU ISA."""
    model, flags = platform.processor() or platform.machine(), []
    try:
        with open("/proc/cpuinfo") as f:
            info = f.read()
        model = next(line.split(":", 1)[1].strip() for line in info.splitlines() if line.startswith("model name"))
        present = set(next(line for line in info.splitlines() if line.startswith("flags")).split(":")[1].split())
        flags = [f for f in ("avx", "f16c", "fma", "avx2", "avx512f", "avx512bw", "avx512vl") if f in present]
    except (OSError, StopIteration):
        pass
    return {"cpu": model, "flags": flags, "cores": os.cpu_count()}


def ratio(times: dict, other: str) -> str:
    return f"{times['keras_elu'] / times[other]:.2f}" if other in times else "—"


def row(result: dict, kind: str) -> str:
    t = result[kind]
    gbps = f" | {result['forward_gbps']['keras_elu']:.1f}" if kind == "forward_s" else ""
    return (f"| {result['dtype']} | {result['n']:.0e} | {result['alpha']} | {t['keras_elu'] * 1e6:.0f} | "
            f"{ratio(t, 'tf.nn.elu')} | {ratio(t, 'keras.layers.ELU')} | {ratio(t, 'tf.nn.relu')} | "
            f"{ratio(t, 'copy')}{gbps} |")


def print_tables(results: list) -> None:
    for kind, title in (("forward_s", "forward"), ("forward_backward_s", "forward + backward")):
        print(f"\n{title}: keras_elu time, and keras_elu time / other time (lower is better)\n")
        extra = " GB/s |" if kind == "forward_s" else ""
        print(f"| dtype | N | alpha | keras_elu µs | ÷ tf.nn.elu | ÷ keras ELU | ÷ relu | ÷ copy |{extra}")
        print("|---" * (9 if kind == "forward_s" else 8) + "|")
        for result in results:
            print(row(result, kind))
    print("\ngradient kernel alone (float32): keras_elu EluGradV2 time / TensorFlow's EluGrad time\n")
    print("| N | alpha | keras_elu µs | ÷ EluGrad | ÷ ReluGrad |\n|---|---|---|---|---|")
    for r in results:
        if "gradient_s" in r:
            t = r["gradient_s"]
            print(f"| {r['n']:.0e} | {r['alpha']} | {t['keras_elu'] * 1e6:.0f} | {ratio(t, 'EluGrad')} | "
                  f"{ratio(t, 'ReluGrad')} |")


def goal_summary(isa: str, results: list) -> str:
    """One Markdown row per N >= 1e6 (float32): the issue's goal ratios on this ISA."""
    lines = []
    by_key = {(r["n"], r["alpha"]): r for r in results if r["dtype"] == "float32"}
    for n in sorted({n for n, _ in by_key if n >= 1e6}):
        one, tenth = by_key.get((n, 1.0)), by_key.get((n, 0.1))
        if not (one and tenth):
            continue
        lines.append(
            f"| {isa} | {n:.0e} | {ratio(one['forward_s'], 'tf.nn.relu')} | {ratio(one['forward_s'], 'tf.nn.elu')} | "
            f"{ratio(one['forward_backward_s'], 'tf.nn.relu')} | {ratio(tenth['forward_backward_s'], 'tf.nn.relu')} | "
            f"{ratio(tenth['forward_backward_s'], 'keras.layers.ELU')} | {ratio(one['gradient_s'], 'EluGrad')} |")
    return "\n".join(lines)


GOAL_HEADER = ("| ISA | N | fwd ÷ relu | fwd ÷ tf.nn.elu | fwd+bwd α=1 ÷ relu | fwd+bwd α=0.1 ÷ relu | "
               "fwd+bwd ELU(0.1) ÷ keras ELU(0.1) | grad ÷ EluGrad |\n|---|---|---|---|---|---|---|---|")


def plot(results: list, path: str) -> None:
    import matplotlib  # noqa: PLC0415

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # noqa: PLC0415

    fig, axes = plt.subplots(1, 2, figsize=(12, 4.5))
    for ax, kind in zip(axes, ("forward_s", "forward_backward_s")):
        for alpha in (1.0, 0.1):
            mine = [r for r in results if r["dtype"] == "float32" and r["alpha"] == alpha]
            ns = [r["n"] for r in mine]
            for other in ("tf.nn.elu", "keras.layers.ELU", "tf.nn.relu"):
                if other in mine[0][kind]:
                    ax.plot(ns, [r[kind]["keras_elu"] / r[kind][other] for r in mine], marker="o",
                            label=f"÷ {other} (alpha {alpha})")
        ax.axhline(1.0, color="black", lw=0.5)
        ax.set(xscale="log", xlabel="N (float32)", ylabel="keras_elu time ratio",
               title=kind.replace("_s", "").replace("_", " + "))
        ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
