"""First, second and alpha derivatives, from the input: f'(x) = alpha * exp(x) and f'' likewise on x <= 0.

Through the tapes first (finite differences away from 0, exact values
everywhere, the alpha gradient), then the gradient kernel to the last bits.
TensorFlow's upstream fix (PR #124902, after 2.21) and PyTorch compute the ELU
gradient from the input; from the output, y + alpha cancels to 0 long before
alpha * exp(x) underflows. `benchmarks/check_all_float32.py --kernel derivative`
checks every negative float32 input; these sweeps sample them densely on every CPU path
(tests/test_cpu_isas.py re-runs this module under each).
"""

import numpy as np
import pytest
import tensorflow as tf

import keras_elu
from keras_elu._loader import FLOAT_FMA_ALPHA_RANGE, HAS_XLA_KERNELS, LIBRARY
from support import (ATOL, DTYPES, RTOL, alpha_as_used, elu_grad_longdouble, elu_grad_ref, elu_ref, elu_second_ref,
                     first_and_second_derivatives, ulp_distance)

pytestmark = [pytest.mark.cpu_isa, pytest.mark.core]  # see the markers in pyproject.toml


def _away_from_zero(rng, n=64):
    x = rng.uniform(-4, 3, n)
    return np.where(np.abs(x) < 0.05, 0.5, x)


@pytest.mark.parametrize("alpha", [1.0, 0.3, 0.0])
def test_first_derivative_matches_finite_differences(alpha, rng):
    x = tf.constant(_away_from_zero(rng))
    theoretical, numerical = tf.test.compute_gradient(lambda v: keras_elu.elu(v, alpha), [x])
    np.testing.assert_allclose(theoretical[0], numerical[0], rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: d.name)
@pytest.mark.parametrize("alpha", [1.0, 0.1])
def test_first_derivative_is_exact(implementation, dtype, alpha, rng):
    x = tf.cast(tf.constant(np.concatenate([rng.normal(0, 3, 512), [0.0, -0.0]])), dtype)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = keras_elu.elu(x, alpha)
    dx = tape.gradient(y, x)
    assert dx.dtype == dtype
    a = alpha_as_used(alpha, dtype)
    # From the input, f' = alpha * exp(x): float64's value rounded to the
    # dtype, within the implementation's RTOL (float16's subnormals: ATOL).
    want = tf.cast(tf.cast(elu_grad_ref(tf.cast(x, tf.float64).numpy(), a), dtype), tf.float64).numpy()
    rtol = RTOL[implementation][dtype]
    np.testing.assert_allclose(tf.cast(dx, tf.float64).numpy(), want, rtol=rtol, atol=ATOL[dtype])


@pytest.mark.parametrize("alpha", [1.0, 0.25, 0.0])
def test_derivative_at_zero_is_alpha(alpha):
    x = tf.constant([0.0, -0.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = keras_elu.elu(x, alpha)
    np.testing.assert_array_equal(tape.gradient(y, x).numpy(), [alpha] * 2)


def test_gradients_stay_finite_at_huge_inputs():
    x = tf.constant([-1e30, 1e30, -3e38, 3e38])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = keras_elu.elu(x, 0.5)
    np.testing.assert_array_equal(tape.gradient(y, x).numpy(), [0.0, 1.0, 0.0, 1.0])


def _second_derivative(x, alpha):
    return first_and_second_derivatives(x, alpha)[1]


@pytest.mark.parametrize("alpha", [1.0, 0.4])
def test_second_derivative_is_exact(implementation, alpha, rng):
    x = tf.constant(np.concatenate([rng.normal(0, 3, 256), [0.0]]))
    # f'' = alpha * exp(x) from the input: relative accuracy even where
    # y + alpha (the output-based form) would cancel.
    np.testing.assert_allclose(_second_derivative(x, alpha).numpy(),
                               elu_second_ref(x.numpy(), alpha), rtol=RTOL[implementation][tf.float64], atol=0)


def test_second_derivative_matches_finite_differences(rng):
    x = tf.constant(_away_from_zero(rng))

    def first(v):
        with tf.GradientTape() as tape:
            tape.watch(v)
            y = keras_elu.elu(v, 0.7)
        return tape.gradient(y, v)

    theoretical, numerical = tf.test.compute_gradient(first, [x])
    np.testing.assert_allclose(theoretical[0], numerical[0], rtol=1e-6, atol=1e-7)


def test_third_derivative_is_zero_for_positive_and_alpha_exp_for_negative():
    x = tf.constant([-2.0, -0.5, 0.5, 2.0], tf.float64)
    with tf.GradientTape() as t3:
        t3.watch(x)
        d2 = _second_derivative(x, 0.5)
    np.testing.assert_allclose(t3.gradient(d2, x).numpy(), elu_second_ref(x.numpy(), 0.5),
                               rtol=1e-14, atol=1e-16)


@pytest.mark.parametrize("dtype", [tf.float32, tf.float64, tf.float16])
def test_alpha_gradient_is_sum_of_expm1_over_non_positive_inputs(dtype, rng):
    x_np = rng.normal(0, 2, 1000)
    x = tf.cast(tf.constant(x_np), dtype)
    alpha = tf.Variable(0.3, dtype=tf.float64 if dtype == tf.float64 else tf.float32)
    with tf.GradientTape() as tape:
        y = keras_elu.elu(x, alpha)
    x64 = tf.cast(x, tf.float64).numpy()
    want = np.sum(np.expm1(np.minimum(x64, 0)))
    np.testing.assert_allclose(tape.gradient(y, alpha).numpy(), want, rtol=1e-3 if dtype == tf.float16 else 1e-6)


def test_alpha_gradient_works_at_alpha_zero():
    alpha = tf.Variable(0.0)
    x = tf.constant([-1.0, 2.0])
    with tf.GradientTape() as tape:
        y = keras_elu.elu(x, alpha)
    np.testing.assert_allclose(tape.gradient(y, alpha).numpy(), np.expm1(-1.0), rtol=1e-6)


def test_mixed_second_derivative_in_x_and_alpha():
    x = tf.constant([-1.5, -0.2, 0.7], tf.float64)
    alpha = tf.Variable(0.6, dtype=tf.float64)
    with tf.GradientTape() as outer:
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = keras_elu.elu(x, alpha)
        dx = inner.gradient(y, x)
    # d/dalpha of f'(x) = alpha * exp(x) on x <= 0 is exp(x).
    want = np.sum(np.where(x.numpy() > 0, 0.0, np.exp(x.numpy())))
    np.testing.assert_allclose(outer.gradient(dx, alpha).numpy(), want, rtol=1e-14)


def test_gradient_inside_tf_function_matches_eager(rng):
    x = tf.constant(rng.normal(0, 2, 300).astype(np.float32))

    @tf.function
    def grad(v):
        with tf.GradientTape() as tape:
            tape.watch(v)
            loss = tf.reduce_sum(keras_elu.elu(v, 0.1) ** 2)
        return tape.gradient(loss, v)

    want = 2 * elu_ref(x.numpy(), alpha_as_used(0.1, tf.float32)) * elu_grad_ref(x.numpy(), alpha_as_used(0.1, tf.float32))
    np.testing.assert_allclose(grad(x).numpy(), want, rtol=1e-5, atol=1e-7)


# The gradient kernel itself, to the last bits.
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
def test_second_derivative_is_alpha_exp_from_the_input(implementation, dtype, rng):
    x = tf.cast(tf.constant(np.concatenate([rng.normal(0, 4, 512), [-30.0, -0.0, 0.0]])), dtype)
    _, second = first_and_second_derivatives(x, 0.7)
    x64 = tf.cast(x, tf.float64).numpy()
    want = elu_second_ref(x64, alpha_as_used(0.7, dtype))
    want = tf.cast(tf.cast(want, dtype), tf.float64).numpy()  # what the dtype can hold
    rtol = RTOL[implementation][dtype]
    np.testing.assert_allclose(tf.cast(second, tf.float64).numpy(), want, rtol=rtol, atol=0)


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
