"""Shared float64 references and helpers: every test compares against these."""

import os
import subprocess
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
import tensorflow as tf  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DTYPES = [tf.float16, tf.bfloat16, tf.float32, tf.float64]
ALPHAS = [1.0, 0.1, 0.5, 2.0, 0.0]


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


@pytest.fixture
def rng():
    return np.random.default_rng(1511_07289)
