"""Derivatives from the input: f'(x) = alpha * exp(x) and f'' likewise on x <= 0, to the last bits.

TensorFlow's upstream fix (PR #124902, after 2.21) and PyTorch compute the ELU
gradient from the input; from the output, y + alpha cancels to 0 long before
alpha * exp(x) underflows. `benchmarks/check_all_float32.py --kernel derivative`
checks every negative float32 input; these sweeps sample them densely on every CPU path
(tests/test_cpu_paths.py re-runs this module under each).
"""

import numpy as np
import pytest
import tensorflow as tf

import keras_elu
from keras_elu._loader import FLOAT_FMA_ALPHA_RANGE, HAS_XLA_KERNELS, LIBRARY
from support import (DTYPES, RTOL, alpha_as_used, elu_grad_longdouble, elu_second_ref, first_and_second_derivatives,
                     ulp_distance)

pytestmark = [pytest.mark.cpu_path, pytest.mark.core]  # see the markers in pyproject.toml

TINY32 = np.finfo(np.float32).tiny


def _grad(x, alpha, dy=None):
    x = tf.convert_to_tensor(x)
    dy = tf.ones_like(x) if dy is None else dy
    return LIBRARY.keras_elu_elu_grad_v2(dy, x, tf.constant(alpha, keras_elu.ops.compute_dtype(x.dtype)))


@pytest.mark.parametrize("alpha", [1.0, 0.1, 1.6732632])
def test_float32_derivative_within_two_ulp_and_nonzero_until_underflow(alpha):
    # Every 31st negative float32 bit pattern down to -inf.
    bits = np.arange(np.float32(-0.0).view(np.int32), np.float32(-np.inf).view(np.int32), 31,
                     dtype=np.int64).astype(np.uint32)
    x = bits.view(np.float32)
    x = x[np.abs(x) >= TINY32]  # denormals-are-zero: subnormal inputs read as 0
    _assert_within_two_ulp_and_nonzero_until_underflow(x, alpha)


def _assert_within_two_ulp_and_nonzero_until_underflow(x, alpha):
    got = _grad(x, alpha).numpy()
    exact = elu_grad_longdouble(x, alpha_as_used(alpha, tf.float32))
    want = exact.astype(np.float32)
    normal = np.abs(exact) >= TINY32
    assert normal.any()
    assert ulp_distance(got[normal], want[normal], tf.float32).max() <= 2
    assert (got[normal] != 0).all()
    # Below the smallest normal: flushed to zero, or rounded up to TINY32.
    assert np.isin(got[~normal], [0, TINY32]).all()


# The float32 FMA kernels fold alpha into a table, its exponent added to the
# entries' (cc/cpu/alpha_exp_float_fma.h), for MIN <= alpha < END (the
# library's bounds, besides alpha = 0): alphas on both sides of that range,
# and at each end the last float32 one side takes and the first the other does.
MIN, END = FLOAT_FMA_ALPHA_RANGE


def _below(alpha: float) -> float:
    """The float32 next to alpha towards zero."""
    return np.nextafter(np.float32(alpha), np.float32(0)).item()


@pytest.mark.parametrize("alpha", [2.0**-126, 1e-30, _below(MIN), MIN, 7.5, _below(END), END, 3e38])
def test_float32_derivative_for_extreme_alphas(alpha):
    bits = np.arange(np.float32(-0.0).view(np.int32), np.float32(-np.inf).view(np.int32), 997,
                     dtype=np.int64).astype(np.uint32)
    x = bits.view(np.float32)
    x = x[np.abs(x) >= TINY32]
    _assert_within_two_ulp_and_nonzero_until_underflow(x, alpha)


def test_tensorflow_upstream_regression_values():
    # TF's testEluGradPreservesSmallNegativeValues: the values it pins.
    got32 = _grad(np.float32([-20.0]), 1.0).numpy()[0]
    assert ulp_distance(got32, np.float32(2.0611537e-09), tf.float32) <= 1
    got64 = _grad(np.float64([-40.0]), 1.0).numpy()[0]
    np.testing.assert_allclose(got64, 4.248354255291589e-18, rtol=2e-16)
    # Through the registered gradient of the forward op, too.
    x = tf.constant([-20.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = keras_elu.elu(x)
    assert tape.gradient(y, x).numpy()[0] > 2e-9


@pytest.mark.parametrize("alpha", [1.0, 0.1, 3.0])
def test_float64_derivative_on_a_dense_sweep(alpha, rng):
    x = np.concatenate([-np.geomspace(1e-300, 745.0, 200_000), rng.normal(0, 5, 100_000), [0.0, -0.0]])
    got = _grad(x, alpha).numpy()
    want = elu_grad_longdouble(x, alpha).astype(np.float64)
    normal = np.abs(want) >= np.finfo(np.float64).tiny
    assert ulp_distance(got[normal], want[normal], tf.float64).max() <= 2
    assert (got[~normal] == 0).all()


@pytest.mark.parametrize("dtype", [tf.float16, tf.bfloat16])
@pytest.mark.parametrize("alpha", [1.0, 0.1])
def test_half_type_derivatives_are_the_float32_result_correctly_rounded(dtype, alpha):
    x = tf.bitcast(tf.constant(np.arange(1 << 16, dtype=np.uint16)), dtype)
    got = tf.cast(_grad(x, alpha), tf.float32).numpy()
    via_float32 = tf.cast(tf.cast(_grad(tf.cast(x, tf.float32), alpha), dtype), tf.float32).numpy()
    nan = np.isnan(tf.cast(x, tf.float32).numpy())
    assert np.isnan(got[nan]).all()
    np.testing.assert_array_equal(got[~nan], via_float32[~nan])


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: d.name)
def test_second_derivative_is_alpha_exp_from_the_input(dtype, rng):
    x = tf.cast(tf.constant(np.concatenate([rng.normal(0, 4, 512), [-30.0, -0.0, 0.0]])), dtype)
    _, second = first_and_second_derivatives(x, 0.7)
    x64 = tf.cast(x, tf.float64).numpy()
    want = elu_second_ref(x64, alpha_as_used(0.7, dtype))
    want = tf.cast(tf.cast(want, dtype), tf.float64).numpy()  # what the dtype can hold
    np.testing.assert_allclose(tf.cast(second, tf.float64).numpy(), want, rtol=RTOL[dtype], atol=0)


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: d.name)
def test_minus_zero_gives_minus_zero_on_every_kernel(dtype):
    x = tf.cast(tf.constant([-0.0, 0.0]), dtype)
    results = {"eager": keras_elu.elu(x, 0.5), "tf.nn.elu": tf.nn.elu(x)}
    with keras_elu.portable():
        results["twin"] = keras_elu.elu(x, 0.5)
    # Our XLA kernel. Where it could not be built (TF 2.19's headers), jit_compile
    # runs the twin, and XLA's rewrites of its float16 graph lose the sign.
    if HAS_XLA_KERNELS or dtype != tf.float16:
        results["jit"] = tf.function(lambda v: keras_elu.elu(v, 0.5), jit_compile=True)(x)
    for name, result in results.items():
        np.testing.assert_array_equal(np.signbit(tf.cast(result, tf.float32).numpy()), [True, False], name)
