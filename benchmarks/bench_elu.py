"""ELU speed on CPU: keras_elu against tf.nn.elu, keras.layers.ELU, tf.nn.relu and a copy.

    python benchmarks/bench_elu.py                # the README table (several minutes)
    python benchmarks/bench_elu.py --sizes 1e3 1e6 --rounds 5
    python benchmarks/bench_elu.py --all-isas --sizes 1e6 1e7   # every CPU ISA this machine runs

Forward, forward+backward, and the gradient kernel alone (against TF's
EluGrad), float32 over N, other dtypes at fixed N; every ratio is measured in
one run from medians of interleaved repeats. Prints Markdown tables and
writes bench_elu.json (with the CPU model, flags and ISA) and bench_elu.png
to --output-dir; --all-isas runs one process per ISA (the ISA is fixed at
load) into --output-dir/ISA and prints the goal ratios per ISA.
"""

import argparse
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

import bench_report  # noqa: E402
import keras_elu  # noqa: E402
from keras_elu import _loader  # noqa: E402
from timing import interleaved_medians  # noqa: E402


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
    result = {"n": n, "dtype": dtype.name, "alpha": alpha, "forward_s": fwd_t, "forward_backward_s": bwd_t,
              "forward_gbps": {k: bytes_moved / t / 1e9 for k, t in fwd_t.items()}}
    if dtype == tf.float32:
        result["gradient_s"] = interleaved_medians(gradient_fns(x, dy, alpha), rounds)
    return result


def gradient_fns(x, dy, alpha: float) -> dict:
    """The gradient kernels alone: ours (from x) against TensorFlow's EluGrad (from y) and ReluGrad."""
    y = tf.nn.elu(x)
    a = tf.constant(alpha, tf.float32)
    fns = {"keras_elu": lambda: _loader.LIBRARY.keras_elu_elu_grad_v2(dy, x, a),
           "EluGrad": lambda: tf.raw_ops.EluGrad(gradients=dy, outputs=y),
           "ReluGrad": lambda: tf.raw_ops.ReluGrad(gradients=dy, features=x)}
    return {k: (lambda f=tf.function(f, autograph=False): f()) for k, f in fns.items()}


def run_all_isas(argv: list, output_dir: str) -> None:
    """One process per CPU ISA this machine runs, then the goal ratios of each."""
    rows = []
    for isa in _loader.RUNNABLE_CPU_ISAS:
        out = os.path.join(output_dir, isa)
        env = dict(os.environ, **{_loader.CPU_ISA_ENV: isa})
        subprocess.run([sys.executable, __file__, *argv, "--output-dir", out], env=env, check=True)
        with open(os.path.join(out, "bench_elu.json")) as f:
            rows.append(bench_report.goal_summary(isa, json.load(f)["results"]))
    print(f"\nper ISA (float32; {bench_report.cpu_description()['cpu']}):\n\n{bench_report.GOAL_HEADER}")
    print("\n".join(rows))


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sizes", nargs="+", type=float, default=[1e3, 1e4, 1e5, 1e6, 1e7, 1e8])
    p.add_argument("--other-dtype-size", type=float, default=1e6)
    p.add_argument("--rounds", type=int, default=7)
    p.add_argument("--output-dir", default="runs/bench")
    p.add_argument("--all-isas", action="store_true", help="measure every CPU ISA this machine runs")
    args = p.parse_args(argv)
    if args.all_isas:
        # run_all_isas appends each ISA's --output-dir, which argparse lets win.
        forwarded = [a for a in (argv if argv is not None else sys.argv[1:]) if a != "--all-isas"]
        return run_all_isas(forwarded, args.output_dir)
    results = []
    for alpha in (1.0, 0.1):
        for n in args.sizes:
            results.append(measure(int(n), tf.float32, alpha, args.rounds))
            print(bench_report.row(results[-1], "forward_s"), flush=True)
        for dtype in (tf.float16, tf.bfloat16, tf.float64):
            results.append(measure(int(args.other_dtype_size), dtype, alpha, args.rounds))
    machine = {**bench_report.cpu_description(), "tensorflow": tf.__version__, "keras": keras.__version__,
               "keras_elu_cpu_isa": _loader.cpu_isa()}
    print(f"\nmachine: {machine}")
    bench_report.print_tables(results)
    print(f"\n{bench_report.GOAL_HEADER}\n{bench_report.goal_summary(_loader.cpu_isa(), results)}")
    os.makedirs(args.output_dir, exist_ok=True)
    with open(os.path.join(args.output_dir, "bench_elu.json"), "w") as f:
        json.dump({"machine": machine, "results": results}, f, indent=1)
    bench_report.plot(results, os.path.join(args.output_dir, "bench_elu.png"))
    print(f"\nwrote {args.output_dir}/bench_elu.json, bench_elu.png")


if __name__ == "__main__":
    main()
