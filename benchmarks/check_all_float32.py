"""Checks keras_elu on every negative float32 input (2^31 of them), forward and derivative.

    python benchmarks/check_all_float32.py                       # this CPU's best ISA
    python benchmarks/check_all_float32.py --all-isas           # every ISA this CPU runs
    python benchmarks/check_all_float32.py --kernel derivative --alpha 1.0 --cpu-isa avx2

forward:    alpha * expm1(x), must be within 1 ULP of the float64 value rounded to float32.
derivative: alpha * exp(x) (the op's gradient for dy = 1), within 2 ULP, and nonzero
            wherever the true value is a normal float.
Subnormal inputs and results are excluded: TensorFlow's CPU kernels run with
flush-to-zero and denormals-are-zero, as tf.nn.elu's do. Exits non-zero on a
failure. About a minute per kernel, alpha and ISA.
"""

import argparse
import os
import subprocess
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402

CHUNK = 1 << 24
BOUND_ULP = {"forward": 1, "derivative": 2}


def ordered(bits: np.ndarray) -> np.ndarray:
    """float32 bit patterns on one integer line (+0 and -0 meet)."""
    bits = bits.astype(np.int64)
    return np.where(bits < 0, np.int64(-(1 << 31)) - bits, bits)


def kernel_and_reference(kind: str, alpha: float):
    import tensorflow as tf  # noqa: PLC0415  (after the ISA cap is set)

    import keras_elu  # noqa: PLC0415
    from keras_elu._loader import LIBRARY  # noqa: PLC0415

    a64 = float(np.float32(alpha))
    if kind == "forward":
        return (lambda x: keras_elu.elu(tf.constant(x), alpha).numpy(),
                lambda x: a64 * np.expm1(x.astype(np.float64)))
    a = tf.constant(alpha, tf.float32)
    return (lambda x: LIBRARY.keras_elu_elu_grad_v2(tf.ones_like(x), tf.constant(x), a).numpy(),
            lambda x: a64 * np.exp(x.astype(np.float64)))


def check(kind: str, alpha: float) -> tuple[int, float, int, int]:
    """(max ULP, where, inputs checked, results wrongly zero)."""
    run, reference = kernel_and_reference(kind, alpha)
    tiny = np.finfo(np.float32).tiny
    worst, worst_x, checked, lost = 0, 0.0, 0, 0
    for start in range(0x80000000, 0x100000000, CHUNK):
        x = np.arange(start, start + CHUNK, dtype=np.uint32).view(np.float32)
        x = x[~np.isnan(x) & (np.abs(x) >= tiny)]
        got = run(x)
        exact = reference(x)
        want = exact.astype(np.float32)
        normal = np.abs(exact) >= tiny  # the true value, not its rounding: below tiny may round up to it
        dist = np.abs(ordered(got[normal].view(np.int32)) - ordered(want[normal].view(np.int32)))
        checked += int(normal.sum())
        lost += int((got[normal] == 0).sum())
        if dist.size and dist.max() > worst:
            worst, worst_x = int(dist.max()), float(x[normal][dist.argmax()])
    return worst, worst_x, checked, lost


def check_here(kernels, alphas) -> bool:
    from keras_elu import _loader  # noqa: PLC0415

    ok = True
    for kind in kernels:
        for alpha in alphas:
            start = time.perf_counter()
            worst, worst_x, checked, lost = check(kind, alpha)
            passed = worst <= BOUND_ULP[kind] and lost == 0
            print(f"{_loader.cpu_isa():>8} {kind:>10} alpha={alpha}: {checked:,} inputs, max {worst} ULP "
                  f"(at x={worst_x:.9g}), {lost} lost to zero, {time.perf_counter() - start:.0f} s: "
                  f"{'ok' if passed else 'FAILED'}", flush=True)
            ok &= passed
    return ok


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--alpha", nargs="+", type=float, default=[1.0, 0.1, 1.6732632])
    p.add_argument("--kernel", nargs="+", choices=sorted(BOUND_ULP), default=sorted(BOUND_ULP, reverse=True))
    p.add_argument("--cpu-isa", help="cap the CPU ISA (the library names the valid ones)")
    p.add_argument("--all-isas", action="store_true", help="check every ISA this CPU runs")
    args = p.parse_args(argv)
    if not args.all_isas:
        if args.cpu_isa:
            os.environ["KERAS_ELU_CPU_ISA"] = args.cpu_isa  # the loader validates it
        return 0 if check_here(args.kernel, args.alpha) else 1
    from keras_elu import _loader  # noqa: PLC0415

    failed = False
    for isa in _loader.RUNNABLE_CPU_ISAS:  # a fresh process each: the ISA is fixed at load
        cmd = [sys.executable, __file__, "--cpu-isa", isa, "--kernel", *args.kernel,
               "--alpha", *map(str, args.alpha)]
        failed |= subprocess.run(cmd).returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
