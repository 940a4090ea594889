"""What the tests share: the float64 (and 80-bit) oracles, the tolerances, the skips, helpers.

Every test compares against these. pytest puts tests/ on sys.path
(pyproject.toml's `pythonpath`), so a test says `import support` or
`from support import ...`; conftest.py holds only pytest's own setup and fixtures.
"""

import os
import subprocess
import sys

import numpy as np
import pytest
import tensorflow as tf

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DTYPES = [tf.float16, tf.bfloat16, tf.float32, tf.float64]
ALPHAS = [1.0, 0.1, 0.5, 2.0, 0.0]

# tf.nn.elu (behind Keras' own "elu") computes exp(x) - 1, and float32's exp
# rounds to exactly 1 here, so it returns exactly 0; expm1 (the op's, and its
# twin's) keeps the value. A nonzero output says keras_elu ran, not stock ELU.
TELLTALE = np.float32(-1.46e-11)

# Relative tolerance against the float64 oracle rounded to the dtype, for the
# values and the derivatives, by implementation (conftest's `implementation`
# fixture). The op: within 2 ULP of float32 or float64 (what it computes in),
# which rounding to a half then hides (1 ULP of the half's). The twin
# (keras_elu/_twin.py: TensorFlow's expm1, or exp in the gradient, then a
# multiply): within 3 (measured: 2.2 forward, 1.4 for the derivatives).
RTOL = {
    "op": {tf.float16: 1e-3, tf.bfloat16: 8e-3, tf.float32: 2.4e-7, tf.float64: 4.5e-16},
    "twin": {tf.float16: 1e-3, tf.bfloat16: 8e-3, tf.float32: 3.6e-7, tf.float64: 6.7e-16},
}
# Absolute tolerance: a float16 result below its smallest normal (6.1e-5) is a
# subnormal, one step (2^-24) from the rounded reference at most; elsewhere none.
ATOL = {tf.float16: 6e-8, tf.bfloat16: 0.0, tf.float32: 0.0, tf.float64: 0.0}


def alpha_as_used(alpha: float, dtype: tf.DType) -> float:
    """The alpha the op sees: float64 beside float64 inputs, float32 otherwise."""
    return float(alpha) if dtype == tf.float64 else float(np.float32(alpha))


def elu_ref(x, alpha):
    x = np.asarray(x, np.float64)
    return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0)))


def elu_grad_ref(x, alpha):
    """f'(x): 1 for x > 0, alpha * exp(x) (= f(x) + alpha) for x <= 0."""
    x = np.asarray(x, np.float64)
    return np.where(x > 0, 1.0, alpha * np.exp(np.minimum(x, 0)))


def elu_second_ref(x, alpha):
    x = np.asarray(x, np.float64)
    return np.where(x > 0, 0.0, alpha * np.exp(np.minimum(x, 0)))


# The 80-bit oracles (np.longdouble on x86-64): for ULP bounds on float64
# results, which a float64 reference cannot measure to the last bit.
def elu_longdouble(x, alpha: float) -> np.ndarray:
    """f(x) in long double; cast the result to the dtype being checked."""
    xl = np.asarray(x).astype(np.longdouble)
    return np.where(xl > 0, xl, np.longdouble(alpha) * np.expm1(np.minimum(xl, 0)))


def elu_grad_longdouble(x, alpha: float) -> np.ndarray:
    """f'(x) = alpha * exp(x) (1 for x > 0) in long double."""
    xl = np.asarray(x).astype(np.longdouble)
    return np.where(xl > 0, 1, np.longdouble(alpha) * np.exp(np.minimum(xl, 0)))


def first_and_second_derivatives(x, alpha):
    """d/dx and d2/dx2 of keras_elu.elu(x, alpha), by nested tapes (eager or traced)."""
    import keras_elu  # noqa: PLC0415

    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = keras_elu.elu(x, alpha)
        first = inner.gradient(y, x)
    return first, outer.gradient(first, x)


def ulp_distance(a, b, dtype: tf.DType) -> np.ndarray:
    """Distance in units in the last place between same-dtype arrays (+0 == -0)."""
    np_dtype = dtype.as_numpy_dtype
    bits = {2: np.int16, 4: np.int32, 8: np.int64}[np.dtype(np_dtype).itemsize]
    a = np.ascontiguousarray(np.asarray(a).astype(np_dtype)).view(bits).astype(np.int64)
    b = np.ascontiguousarray(np.asarray(b).astype(np_dtype)).view(bits).astype(np.int64)
    lowest = np.iinfo(bits).min
    a = np.where(a < 0, lowest - a, a)  # sign-magnitude to an ordered integer line
    b = np.where(b < 0, lowest - b, b)
    return np.abs(a - b)


def run_python(code: str, env_extra=None, cwd=None, path_first=None) -> subprocess.CompletedProcess:
    """Runs code in a fresh interpreter (the way a user reloads a model)."""
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2", **(env_extra or {}))
    if path_first is not None:
        env["PYTHONPATH"] = path_first
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, cwd=cwd or ROOT, timeout=600)


def __getattr__(name: str):
    """`needs_xla_kernels`, made when asked: it loads the library, which the data tests never do."""
    if name != "needs_xla_kernels":
        raise AttributeError(f"module 'support' has no attribute {name!r}")
    from keras_elu._loader import BUILD_INFO, HAS_XLA_KERNELS  # noqa: PLC0415

    # Built unless the installed TensorFlow's XLA headers do not compile (TF 2.19's
    # wheel lacks LLVM headers its XLA headers include); jit_compile then uses the twin.
    return pytest.mark.skipif(not HAS_XLA_KERNELS,
                              reason=f"built without XLA kernels: {BUILD_INFO.get('xla_unavailable')}")
