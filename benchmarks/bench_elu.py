"""ELU speed on CPU: keras_elu against tf.nn.elu, keras.layers.ELU, tf.nn.relu and a copy.

    python benchmarks/bench_elu.py                # the README table (several minutes)
    python benchmarks/bench_elu.py --sizes 1e3 1e6 --rounds 5

Forward and forward+backward, float32 over N, other dtypes at fixed N; every
ratio is measured in one run from medians of interleaved repeats. Prints
Markdown tables and writes bench_elu.json and bench_elu.png to --output-dir.
"""

import argparse
import json
import os
import platform
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

import keras_elu  # noqa: E402
from keras_elu import _loader  # noqa: E402
from timing import interleaved_medians  # noqa: E402


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            return next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        return platform.processor() or platform.machine()


def forward_fns(alpha: float, dtype: tf.DType) -> dict:
    keras_layer = keras.layers.ELU(alpha=alpha, dtype=dtype.name)  # no autocast to float32
    fns = {"keras_elu": lambda x: keras_elu.elu(x, alpha),
           "keras.layers.ELU": keras_layer,
           "tf.nn.relu": tf.nn.relu,
           "copy": lambda x: tf.raw_ops.DeepCopy(x=x)}
    if alpha == 1.0:
        fns["tf.nn.elu"] = tf.nn.elu  # has no alpha
    return fns


def backward_of(fn):
    def forward_backward(x, dy):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = fn(x)
        return tape.gradient(y, x, output_gradients=dy)
    return forward_backward


def measure(n: int, dtype: tf.DType, alpha: float, rounds: int) -> dict:
    rng = np.random.default_rng(0)
    x = tf.cast(tf.constant(rng.normal(0, 2, n).astype(np.float32)), dtype)
    dy = tf.cast(tf.constant(rng.normal(0, 1, n).astype(np.float32)), dtype)
    fwd = {k: tf.function(f, autograph=False) for k, f in forward_fns(alpha, dtype).items()}
    bwd = {k: tf.function(backward_of(f), autograph=False)
           for k, f in forward_fns(alpha, dtype).items() if k != "copy"}
    fwd_t = interleaved_medians({k: (lambda f=f: f(x)) for k, f in fwd.items()}, rounds)
    bwd_t = interleaved_medians({k: (lambda f=f: f(x, dy)) for k, f in bwd.items()}, rounds)
    bytes_moved = 2 * n * dtype.size
    return {"n": n, "dtype": dtype.name, "alpha": alpha, "forward_s": fwd_t, "forward_backward_s": bwd_t,
            "forward_gbps": {k: bytes_moved / t / 1e9 for k, t in fwd_t.items()}}


def row(result: dict, kind: str) -> str:
    t = result[kind]
    ours = t["keras_elu"]
    ratio = lambda name: f"{ours / t[name]:.2f}" if name in t else "—"  # noqa: E731
    gbps = f" | {result['forward_gbps']['keras_elu']:.1f}" if kind == "forward_s" else ""
    return (f"| {result['dtype']} | {result['n']:.0e} | {result['alpha']} | {ours * 1e6:.0f} | "
            f"{ratio('tf.nn.elu')} | {ratio('keras.layers.ELU')} | {ratio('tf.nn.relu')} | {ratio('copy')}{gbps} |")


def print_tables(results: list) -> None:
    for kind, title in (("forward_s", "forward"), ("forward_backward_s", "forward + backward")):
        print(f"\n{title}: keras_elu time, and keras_elu time / other time (lower is better)\n")
        extra = " GB/s |" if kind == "forward_s" else ""
        print(f"| dtype | N | alpha | keras_elu µs | ÷ tf.nn.elu | ÷ keras ELU | ÷ relu | ÷ copy |{extra}")
        print("|---" * (9 if kind == "forward_s" else 8) + "|")
        for result in results:
            print(row(result, kind))


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


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sizes", nargs="+", type=float, default=[1e3, 1e4, 1e5, 1e6, 1e7, 1e8])
    p.add_argument("--other-dtype-size", type=float, default=1e6)
    p.add_argument("--rounds", type=int, default=7)
    p.add_argument("--output-dir", default="runs/bench")
    args = p.parse_args(argv)
    results = []
    for alpha in (1.0, 0.1):
        for n in args.sizes:
            results.append(measure(int(n), tf.float32, alpha, args.rounds))
            print(row(results[-1], "forward_s"), flush=True)
        for dtype in (tf.float16, tf.bfloat16, tf.float64):
            results.append(measure(int(args.other_dtype_size), dtype, alpha, args.rounds))
    machine = {"cpu": cpu_model(), "cores": os.cpu_count(), "tensorflow": tf.__version__,
               "keras": keras.__version__, "keras_elu_cpu_path": _loader.cpu_isa()}
    print(f"\nmachine: {machine}")
    print_tables(results)
    os.makedirs(args.output_dir, exist_ok=True)
    with open(os.path.join(args.output_dir, "bench_elu.json"), "w") as f:
        json.dump({"machine": machine, "results": results}, f, indent=1)
    plot(results, os.path.join(args.output_dir, "bench_elu.png"))
    print(f"\nwrote {args.output_dir}/bench_elu.json, bench_elu.png")


if __name__ == "__main__":
    main()
