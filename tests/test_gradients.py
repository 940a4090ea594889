"""First, second and alpha derivatives: numeric checks away from 0, exact values everywhere."""

import numpy as np
import pytest
import tensorflow as tf

import keras_elu
from support import (ATOL, DTYPES, RTOL, alpha_as_used, elu_grad_ref, elu_ref, elu_second_ref,
                     first_and_second_derivatives)

pytestmark = [pytest.mark.cpu_path, pytest.mark.core]  # see the markers in pyproject.toml


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
def test_first_derivative_is_exact(dtype, alpha, rng):
    x = tf.cast(tf.constant(np.concatenate([rng.normal(0, 3, 512), [0.0, -0.0]])), dtype)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = keras_elu.elu(x, alpha)
    dx = tape.gradient(y, x)
    assert dx.dtype == dtype
    a = alpha_as_used(alpha, dtype)
    # From the input, f' = alpha * exp(x): within 2 ULP of float64's value,
    # rounded to the dtype (whose subnormals bound the absolute error).
    want = tf.cast(tf.cast(elu_grad_ref(tf.cast(x, tf.float64).numpy(), a), dtype), tf.float64).numpy()
    np.testing.assert_allclose(tf.cast(dx, tf.float64).numpy(), want, rtol=RTOL[dtype], atol=ATOL[dtype])


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
def test_second_derivative_is_exact(alpha, rng):
    x = tf.constant(np.concatenate([rng.normal(0, 3, 256), [0.0]]))
    # f'' = alpha * exp(x) from the input: relative accuracy even where
    # y + alpha (the output-based form) would cancel.
    np.testing.assert_allclose(_second_derivative(x, alpha).numpy(),
                               elu_second_ref(x.numpy(), alpha), rtol=RTOL[tf.float64], atol=0)


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
