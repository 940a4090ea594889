"""Checks keras_elu's float32 forward on every negative float32 input (2^31 of them).

    python benchmarks/check_all_float32.py --alpha 1.0 0.1 [--cpu-isa avx2]

Each result is compared with alpha * expm1(x) evaluated in float64 and rounded
to float32; the script prints the maximum ULP distance per alpha and exits
non-zero if any exceeds 1. Subnormal inputs and results are excluded:
TensorFlow's CPU kernels run flush-to-zero and denormals-are-zero, as
tf.nn.elu's do. Takes a few minutes.
--cpu-isa checks a slower float32 path than this CPU's best (avx512, avx2,
portable), so one machine can check them all.
"""

import argparse
import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

CHUNK = 1 << 24


def ordered(bits: np.ndarray) -> np.ndarray:
    """float32 bit patterns on one integer line (+0 and -0 meet)."""
    bits = bits.astype(np.int64)
    return np.where(bits < 0, np.int64(-(1 << 31)) - bits, bits)


def check(alpha: float) -> tuple[int, float, int]:
    import keras_elu  # after main() has set the path cap

    a64 = float(np.float32(alpha))
    tiny = np.finfo(np.float32).tiny
    worst, worst_x, checked = 0, 0.0, 0
    for start in range(0x80000000, 0x100000000, CHUNK):
        x = np.arange(start, start + CHUNK, dtype=np.uint32).view(np.float32)
        x = x[~np.isnan(x)]
        got = keras_elu.elu(tf.constant(x), alpha).numpy()
        want = (a64 * np.expm1(x.astype(np.float64))).astype(np.float32)
        normal = (np.abs(want) >= tiny) & (np.abs(x) >= tiny)
        dist = np.abs(ordered(got[normal].view(np.int32)) - ordered(want[normal].view(np.int32)))
        checked += int(normal.sum())
        if dist.size and dist.max() > worst:
            worst, worst_x = int(dist.max()), float(x[normal][dist.argmax()])
    return worst, worst_x, checked


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--alpha", nargs="+", type=float, default=[1.0, 0.1])
    p.add_argument("--cpu-isa", choices=["avx512", "avx2", "portable"],
                   help="cap the float32 CPU path (default: the best this CPU has)")
    args = p.parse_args(argv)
    if args.cpu_isa:
        os.environ["KERAS_ELU_CPU_ISA"] = args.cpu_isa
    from keras_elu import _loader
    print(f"CPU forward path: {_loader.cpu_isa()}")
    failed = False
    for alpha in args.alpha:
        start = time.perf_counter()
        worst, worst_x, checked = check(alpha)
        print(f"alpha={alpha}: {checked:,} negative float32 inputs, max {worst} ULP "
              f"(at x={worst_x:.9g}), {time.perf_counter() - start:.0f} s")
        failed |= worst > 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
