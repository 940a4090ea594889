"""Jacobians through pfor: keras_elu against tf.nn.elu, and against keras_elu without its converters.

    python benchmarks/bench_jacobian.py                 # 4 cases, float32, 7 rounds
    python benchmarks/bench_jacobian.py --clock cpu     # on a machine loaded by other work

Each case runs inside one tf.function: batch_jacobian of elu(x @ w) for x of
shape [64, 256] (issue #18's case), jacobian with respect to w, the second
order (batch_jacobian of the gradient with respect to x), and per-example
gradients of a Dense-ELU-Dense model by vectorized_map. "keras_elu, while_loop"
is traced with the converters taken out of pfor's registry, as before #18.
Goal: keras_elu <= 1.1x tf.nn.elu. Ratios come from medians of interleaved
repeats in one run (timing.py).
"""

import argparse
import contextlib
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

import bench_report  # noqa: E402
import keras_elu  # noqa: E402
from keras_elu import _loader, _pfor  # noqa: E402
from timing import interleaved_medians  # noqa: E402

GOAL = 1.1
CLOCKS = {"wall": time.perf_counter, "cpu": time.process_time}
ACTIVATIONS = {"keras_elu": keras_elu.elu, "tf.nn.elu": tf.nn.elu, "keras_elu, while_loop": keras_elu.elu}


@contextlib.contextmanager
def without_converters():
    """pfor's registry as it was before keras_elu had converters (for tracing only)."""
    saved = {name: _pfor._REGISTRY.pop(name) for name in _pfor.OPS}
    try:
        yield
    finally:
        _pfor._REGISTRY.update(saved)


def cases(rng) -> dict:
    """{case: (function of (activation, tensors...), tensors)}."""
    x = tf.constant(rng.normal(0, 1, (64, 256)).astype(np.float32))
    w = tf.constant(rng.normal(0, 1 / 16, (256, 256)).astype(np.float32))
    x_small = tf.constant(rng.normal(0, 1, (8, 64)).astype(np.float32))
    w_small = tf.constant(rng.normal(0, 1 / 8, (64, 64)).astype(np.float32))
    w_out = tf.constant(rng.normal(0, 1 / 16, (256, 1)).astype(np.float32))

    def batch_jacobian(act, x, w):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = act(x @ w)
        return tape.batch_jacobian(y, x)

    def jacobian_w(act, x, w):
        with tf.GradientTape() as tape:
            tape.watch(w)
            y = act(x @ w)
        return tape.jacobian(y, w)

    def second_order(act, x, w):
        with tf.GradientTape() as outer:
            outer.watch(x)
            with tf.GradientTape() as inner:
                inner.watch(x)
                y = tf.reduce_sum(act(x @ w))
            dx = inner.gradient(y, x)
        return outer.batch_jacobian(dx, x)

    def per_example_gradients(act, x, w, w_out):
        def one(xi):
            with tf.GradientTape() as tape:
                tape.watch([w, w_out])
                loss = tf.reduce_sum(act(xi[None] @ w) @ w_out) ** 2
            return tape.gradient(loss, [w, w_out])
        return tf.vectorized_map(one, x)

    return {"batch_jacobian [64,256]": (batch_jacobian, (x, w)),
            "jacobian wrt w [8,64]": (jacobian_w, (x_small, w_small)),
            "2nd order batch_jacobian [64,256]": (second_order, (x, w)),
            "per-example gradients [64,256]": (per_example_gradients, (x, w, w_out))}


def traced(case_fn, act_name: str, args) -> tf.types.experimental.ConcreteFunction:
    act = ACTIVATIONS[act_name]
    f = tf.function(lambda *a: case_fn(act, *a), autograph=False)
    with without_converters() if act_name.endswith("while_loop") else contextlib.nullcontext():
        return f.get_concrete_function(*args)


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--rounds", type=int, default=7)
    p.add_argument("--clock", choices=sorted(CLOCKS), default="wall")
    p.add_argument("--skip-while-loop", action="store_true", help="leave out the before-#18 column")
    args = p.parse_args(argv)
    names = [n for n in ACTIVATIONS if not (args.skip_while_loop and n.endswith("while_loop"))]
    machine = {**bench_report.cpu_description(), "tensorflow": tf.__version__,
               "keras_elu_cpu_isa": _loader.cpu_isa(), "load_average": os.getloadavg()}
    print(f"machine: {machine}\n\nms per call ({args.clock} clock, median of {args.rounds} interleaved rounds), "
          f"float32, inside tf.function; goal keras_elu <= {GOAL}x tf.nn.elu\n")
    print("| case | " + " | ".join(names) + " | keras_elu ÷ tf.nn.elu |")
    print("|---" * (len(names) + 2) + "|")
    for case, (fn, tensors) in cases(np.random.default_rng(0)).items():
        functions = {n: traced(fn, n, tensors) for n in names}
        times = interleaved_medians({n: (lambda f=f: f(*tensors)) for n, f in functions.items()},
                                    args.rounds, target_seconds=0.1, clock=CLOCKS[args.clock])
        cells = " | ".join(f"{times[n] * 1e3:.2f}" for n in names)
        print(f"| {case} | {cells} | {times['keras_elu'] / times['tf.nn.elu']:.2f} |", flush=True)


if __name__ == "__main__":
    main()
