"""Per-call cost in eager mode, and tf.function trace cost: keras_elu against tf.nn.elu and Keras' ELU.

    python benchmarks/bench_eager.py                  # N = 16, 1e3, 1e5, float32, 9 rounds
    python benchmarks/bench_eager.py --rounds 15 --sizes 16 1e3
    python benchmarks/bench_eager.py --clock cpu      # on a machine loaded by other work

Eager loops, reinforcement-learning steps and small models pay Python's
fixed cost on every call. Each row is measured in one run from medians of
interleaved repeats (timing.py), so the ratios hold on a loaded machine even
when the absolute times drift; `--clock cpu` times this process's CPU time
instead of wall time, which leaves out the time other processes hold the
cores (use it on a shared machine, and say so). Goals (issue #18): keras_elu.elu <= 1.2x
tf.nn.elu at N = 16 and 1e3; keras_elu.ELU() <= keras.layers.ELU().

Tracing: the time to trace a fresh tf.function around each op, and how many
traces a loop over Python alphas makes (tf.function keys its cache on Python
values, so a Python alpha retraces per value for any op; a tensor alpha must
not retrace).
"""

import argparse
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

import bench_report  # noqa: E402
import keras_elu  # noqa: E402
from keras_elu import _loader  # noqa: E402
from timing import interleaved_medians  # noqa: E402

GOALS = {"keras_elu.elu": ("tf.nn.elu", 1.2), "keras_elu.ELU()": ("keras.layers.ELU()", 1.0)}


def eager_candidates() -> dict:
    ours, theirs = keras_elu.ELU(), keras.layers.ELU()
    return {"keras_elu.elu": keras_elu.elu, "tf.nn.elu": tf.nn.elu,
            "keras_elu.elu alpha=0.1": lambda x: keras_elu.elu(x, 0.1),
            "keras_elu.ELU()": ours, "keras.layers.ELU()": theirs}


CLOCKS = {"wall": time.perf_counter, "cpu": time.process_time}


def eager_table(sizes, rounds: int, clock) -> list:
    rows = []
    for n in sizes:
        x = tf.constant(np.random.default_rng(0).normal(0, 2, int(n)).astype(np.float32))
        fns = eager_candidates()
        times = interleaved_medians({k: (lambda f=f: f(x)) for k, f in fns.items()}, rounds, clock=clock)
        rows.append((int(n), times))
    return rows


def trace_seconds(ops: dict, rounds: int, clock) -> dict:
    """{name: median time to trace a fresh tf.function(op) on a float32 [None] input}, interleaved."""
    spec = tf.TensorSpec([None], tf.float32)
    samples = {name: [] for name in ops}
    for r in range(rounds):
        names = list(ops)[r % len(ops):] + list(ops)[:r % len(ops)]
        for name in names:
            f = tf.function(lambda x, op=ops[name]: op(x), autograph=False)
            start = clock()
            f.get_concrete_function(spec)
            samples[name].append(clock() - start)
    return {name: statistics.median(values) for name, values in samples.items()}


def retrace_counts() -> dict:
    """Traces made by a loop over 5 alphas, as Python numbers and as float32 tensors."""
    x = tf.constant([-1.0, 1.0])
    alphas = [0.1, 0.2, 0.3, 0.4, 0.5]
    ops = {"keras_elu.elu": keras_elu.elu, "tf.nn.elu * alpha": lambda v, a: tf.nn.elu(v) * a}
    counts = {}
    for name, op in ops.items():
        for kind, wrap in (("Python alpha", float), ("tensor alpha", lambda a: tf.constant(a))):
            f = tf.function(lambda v, a, op=op: op(v, a), autograph=False)
            for a in alphas:
                f(x, wrap(a))
            counts[(name, kind)] = f.experimental_get_tracing_count()
    return counts


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sizes", nargs="+", type=float, default=[16, 1e3, 1e5])
    p.add_argument("--rounds", type=int, default=9)
    p.add_argument("--clock", choices=sorted(CLOCKS), default="wall")
    args = p.parse_args(argv)
    machine = {**bench_report.cpu_description(), "tensorflow": tf.__version__, "keras": keras.__version__,
               "keras_elu_cpu_isa": _loader.cpu_isa(), "load_average": os.getloadavg()}
    print(f"machine: {machine}\n")
    rows = eager_table(args.sizes, args.rounds, CLOCKS[args.clock])
    names = list(rows[0][1])
    print(f"eager, float32: µs per call ({args.clock} clock, median of {args.rounds} interleaved rounds)\n")
    print("| call | " + " | ".join(f"N = {n:,}" for n, _ in rows) + " |")
    print("|---" * (len(rows) + 1) + "|")
    for name in names:
        print(f"| `{name}` | " + " | ".join(f"{t[name] * 1e6:.1f}" for _, t in rows) + " |")
    print("\nratios (goal in brackets)\n")
    for name, (other, goal) in GOALS.items():
        ratios = " | ".join(f"{t[name] / t[other]:.2f}" for _, t in rows)
        print(f"| `{name}` ÷ `{other}` [<= {goal}] | {ratios} |")
    traces = trace_seconds({"keras_elu.elu": keras_elu.elu, "tf.nn.elu": tf.nn.elu}, 3 * args.rounds,
                           CLOCKS[args.clock])
    ours, stock = traces["keras_elu.elu"], traces["tf.nn.elu"]
    print(f"\ntrace a fresh tf.function: keras_elu.elu {ours * 1e3:.2f} ms, tf.nn.elu {stock * 1e3:.2f} ms "
          f"(ratio {ours / stock:.2f})")
    print("\ntraces for a loop over 5 alphas:")
    for (name, kind), count in retrace_counts().items():
        print(f"  {name:20s} {kind:13s} {count}")


if __name__ == "__main__":
    main()
