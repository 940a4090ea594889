"""jit_compile=True: our XLA kernels, the same numbers as eager, and the stock-op fallback."""

import keras
import numpy as np
import pytest
import tensorflow as tf

import keras_elu
from keras_elu import ops
from support import DTYPES, elu_grad_ref, first_and_second_derivatives, needs_xla_kernels, ulp_distance

pytestmark = pytest.mark.core  # see the markers in pyproject.toml

@needs_xla_kernels
@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: d.name)
@pytest.mark.parametrize("alpha", [1.0, 0.1])
def test_jit_forward_matches_eager(dtype, alpha, rng):
    x = tf.cast(tf.constant(rng.normal(0, 4, 5000)), dtype)
    eager = keras_elu.elu(x, alpha)
    jitted = tf.function(lambda v: keras_elu.elu(v, alpha), jit_compile=True)(x)
    # XLA on CPU evaluates float32 (and the halves) in f64 and rounds once; the
    # eager kernel is within 1 ULP of the float64 reference, so the two differ
    # by at most 1 ULP. In float64 the expm1s differ: against an 80-bit
    # reference ours is within 2 ULP and XLA's own within 4 (measured), so
    # they may differ by 4.
    max_ulp = 4 if dtype == tf.float64 else 1
    assert ulp_distance(jitted.numpy(), eager.numpy(), dtype).max() <= max_ulp


@needs_xla_kernels
@pytest.mark.parametrize("alpha", [1.0, 0.1])
def test_jit_first_and_second_derivatives_match_eager(alpha, rng):
    x = tf.constant(rng.normal(0, 2, 300))

    eager = first_and_second_derivatives(x, alpha)
    jitted = tf.function(lambda v: first_and_second_derivatives(v, alpha), jit_compile=True)(x)
    np.testing.assert_allclose(jitted[0].numpy(), elu_grad_ref(x.numpy(), alpha), rtol=1e-13)
    for a, b in zip(eager, jitted):
        np.testing.assert_allclose(b.numpy(), a.numpy(), rtol=1e-14, atol=1e-16)


@needs_xla_kernels
def test_hlo_is_our_lowering_not_a_custom_call(rng):
    f = tf.function(lambda v: keras_elu.elu(v, 0.5), jit_compile=True)
    hlo = f.experimental_get_compiler_ir(tf.zeros([8]))(stage="hlo")
    assert "exponential-minus-one" in hlo and "select" in hlo
    assert "custom-call" not in hlo
    assert 'op_type="KerasElu>Elu"' in hlo


@needs_xla_kernels
def test_constant_bad_alpha_is_refused_under_xla():
    f = tf.function(lambda v: ops.LIBRARY.keras_elu_elu(v, tf.constant(-1.0)), jit_compile=True)
    with pytest.raises(tf.errors.InvalidArgumentError, match="alpha must be finite and >= 0"):
        f(tf.ones([3]))


def test_trainable_alpha_variable_under_xla(rng):
    alpha = tf.Variable(0.3)
    x = tf.constant(rng.normal(0, 2, 100).astype(np.float32))

    @tf.function(jit_compile=True)
    def grad():
        with tf.GradientTape() as tape:
            y = tf.reduce_sum(keras_elu.elu(x, alpha))
        return tape.gradient(y, alpha)

    want = np.sum(np.expm1(np.minimum(x.numpy().astype(np.float64), 0)))
    np.testing.assert_allclose(grad().numpy(), want, rtol=1e-5)


def _train(jit_compile):
    keras.utils.set_random_seed(3)
    model = keras.Sequential([keras.Input((5,)), keras.layers.Dense(16, activation="keras_elu>elu"),
                              keras_elu.ELU(0.1, trainable_alpha=True), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse", jit_compile=jit_compile)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(128, 5)).astype(np.float32)
    history = model.fit(x, x.sum(1, keepdims=True), epochs=3, batch_size=32, verbose=0, shuffle=False)
    return history.history["loss"], model.get_weights()


def test_model_compile_jit_trains_like_eager_graph():
    jit_loss, jit_weights = _train(True)
    plain_loss, plain_weights = _train(False)
    np.testing.assert_allclose(jit_loss, plain_loss, rtol=1e-5)
    for a, b in zip(jit_weights, plain_weights):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-6)


def test_fallback_without_xla_kernels_uses_stock_ops(monkeypatch, rng):
    monkeypatch.setattr(ops, "HAS_XLA_KERNELS", False)
    f = tf.function(lambda v: keras_elu.elu(v, 0.2), jit_compile=True)
    x = tf.constant(rng.normal(0, 3, 1000).astype(np.float32))
    types = {op.type for op in f.get_concrete_function(x).graph.get_operations()}
    assert "Expm1" in types and "KerasElu>Elu" not in types
    np.testing.assert_allclose(f(x).numpy(), keras_elu.elu(x, 0.2).numpy(), rtol=2e-6, atol=1e-30)
