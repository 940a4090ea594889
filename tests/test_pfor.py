"""Vectorization (pfor): vectorized_map without a while_loop, jacobians at every order, per-example gradients.

Every op has a converter (keras_elu/_pfor.py), so `fallback_to_while_loop=False`
succeeds; each result is compared with a float64 reference.
"""

import itertools

import keras
import numpy as np
import pytest
import tensorflow as tf

import keras_elu
from keras_elu import _pfor
from keras_elu._loader import LIBRARY
from support import DTYPES, alpha_as_used, elu_grad_ref, elu_ref, elu_second_ref, ulp_distance

BATCH, WIDTH = 5, 7
# op -> (number of data inputs, takes alpha, float64 reference of the data inputs and alpha)
OPS = {
    "keras_elu_elu": (1, True, lambda x, a: elu_ref(x, a)),
    "keras_elu_elu_grad_v2": (2, True, lambda dy, x, a: dy * elu_grad_ref(x, a)),
    "keras_elu_elu_grad_grad_v2": (3, True, lambda g, dy, x, a: g * dy * elu_second_ref(x, a)),
    "keras_elu_elu_grad": (2, True, lambda dy, y, a: np.where(y > 0, dy, dy * (y + a))),
    "keras_elu_elu_grad_grad": (3, False, lambda g, dy, y: np.where(y > 0, 0.0, g * dy)),
}
WHILE_OPS = {"While", "StatelessWhile"}


def test_every_op_has_a_converter():
    assert _pfor.UNAVAILABLE == ""  # a TensorFlow that moved pfor's registry fails here
    registry = _pfor._REGISTRY
    assert {f"KerasElu>{name}" for name in ("Elu", "EluGradV2", "EluGradGradV2", "EluGrad", "EluGradGrad")} \
        <= set(registry)


def _stacking_cases():
    """Each op with each choice of which inputs vary per iteration (at least one does)."""
    for name, (num_data, takes_alpha, _) in OPS.items():
        n = num_data + takes_alpha
        for stacked in itertools.product([False, True], repeat=n):
            if any(stacked):
                yield name, stacked


@pytest.mark.parametrize("name,stacked", list(_stacking_cases()),
                         ids=lambda v: v if isinstance(v, str) else "".join("S" if s else "u" for s in v))
def test_vectorized_map_without_fallback_matches_float64(name, stacked, rng):
    num_data, takes_alpha, ref = OPS[name]
    data = [rng.normal(0, 2, (BATCH, WIDTH)) for _ in range(num_data)]
    alphas = np.array([0.3, 1.0, 0.0, 2.5, 0.1])
    op = getattr(LIBRARY, name)

    def body(i):
        args = [tf.gather(tf.constant(d, tf.float32), i) if s else tf.constant(d[0], tf.float32)
                for d, s in zip(data, stacked)]
        if takes_alpha:
            args.append(tf.gather(tf.constant(alphas, tf.float32), i) if stacked[-1] else tf.constant(0.7))
        return op(*args)

    got = tf.vectorized_map(body, tf.range(BATCH), fallback_to_while_loop=False).numpy()
    for i in range(BATCH):
        inputs = [tf.cast(tf.constant(d[i] if s else d[0], tf.float32), tf.float64).numpy()
                  for d, s in zip(data, stacked)]
        if takes_alpha:
            inputs.append(alpha_as_used(alphas[i] if stacked[-1] else 0.7, tf.float32))
        np.testing.assert_allclose(got[i], ref(*inputs), rtol=3e-7, atol=1e-30)


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: d.name)
def test_per_iteration_alpha_keeps_the_ops_accuracy(dtype, rng):
    # alpha times the op at alpha = 1, formed in float64 and rounded once:
    # <= 1 ULP for float32 and the halves, <= 3 ULP for float64 (_pfor.py).
    x = tf.cast(tf.constant(np.concatenate([rng.normal(0, 3, 500), [-0.0, 0.0, -50.0]])), dtype)
    alphas = [0.1, 1.0, 1.6732632, 0.0]
    alpha_dtype = tf.float64 if dtype == tf.float64 else tf.float32
    got = tf.vectorized_map(lambda a: keras_elu.elu(x, a), tf.constant(alphas, alpha_dtype),
                            fallback_to_while_loop=False)
    x64 = tf.cast(x, tf.float64).numpy()
    for row, alpha in zip(got.numpy(), alphas):
        want = elu_ref(x64, alpha_as_used(alpha, dtype))
        assert ulp_distance(row, want, dtype).max() <= (3 if dtype == tf.float64 else 1)
        np.testing.assert_array_equal(np.signbit(row[-3:-1].astype(np.float64)), [True, False])  # -0.0 stays


def test_per_iteration_alpha_is_checked_like_the_kernels():
    with pytest.raises(tf.errors.InvalidArgumentError, match="alpha must be finite and >= 0"):
        tf.vectorized_map(lambda a: keras_elu.elu(tf.constant([-1.0, 1.0]), a), tf.constant([0.5, -1.0]),
                          fallback_to_while_loop=False)


def _matmul_elu(x, w, alpha):
    return keras_elu.elu(tf.matmul(x, w), alpha)


def _graph_ops(fn, *args):
    return {op.type for op in tf.function(fn).get_concrete_function(*args).graph.get_operations()}


def test_batch_jacobian_is_vectorized_and_matches_float64(rng):
    x = tf.constant(rng.normal(0, 1, (6, 4)))
    w = tf.constant(rng.normal(0, 1, (4, 3)))

    def batch_jacobian(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = _matmul_elu(x, w, 0.4)
        return tape.batch_jacobian(y, x)

    z = x.numpy() @ w.numpy()
    want = elu_grad_ref(z, 0.4)[:, :, None] * w.numpy().T[None]
    np.testing.assert_allclose(tf.function(batch_jacobian)(x).numpy(), want, rtol=1e-14)
    assert not _graph_ops(batch_jacobian, x) & WHILE_OPS


@pytest.mark.parametrize("alpha", [1.0, 0.3])
def test_second_order_jacobian_is_vectorized_and_matches_float64(alpha, rng):
    x = tf.constant(np.concatenate([rng.normal(0, 2, 9), [0.0]]))

    def hessian(x):
        with tf.GradientTape() as outer:
            outer.watch(x)
            with tf.GradientTape() as inner:
                inner.watch(x)
                y = tf.reduce_sum(keras_elu.elu(x, alpha) ** 2)
            first = inner.gradient(y, x)
        return outer.jacobian(first, x)

    # d2/dx2 sum(f^2) = 2 (f'^2 + f f'') on the diagonal.
    xs = x.numpy()
    f, f1, f2 = elu_ref(xs, alpha), elu_grad_ref(xs, alpha), elu_second_ref(xs, alpha)
    np.testing.assert_allclose(tf.function(hessian)(x).numpy(), np.diag(2 * (f1 ** 2 + f * f2)),
                               rtol=1e-13, atol=1e-300)
    assert not _graph_ops(hessian, x) & WHILE_OPS


def test_third_order_jacobian_is_vectorized(rng):
    x = tf.constant(rng.normal(0, 2, 6))

    def third(x):
        with tf.GradientTape() as t3:
            t3.watch(x)
            with tf.GradientTape() as t2:
                t2.watch(x)
                with tf.GradientTape() as t1:
                    t1.watch(x)
                    y = keras_elu.elu(x, 0.6)
                d1 = t1.gradient(y, x)
            d2 = t2.jacobian(d1, x)
        return t3.jacobian(d2, x)

    xs = x.numpy()
    want = np.zeros((6, 6, 6))
    want[np.arange(6), np.arange(6), np.arange(6)] = elu_second_ref(xs, 0.6)  # f''' = f'' on x <= 0
    np.testing.assert_allclose(tf.function(third)(x).numpy(), want, rtol=1e-14, atol=1e-300)
    assert not _graph_ops(third, x) & WHILE_OPS


def _mlp_reference(params, x, t):
    """Per-example gradients of (y - t)^2, y = elu(x k1 + b1, alpha) k2 + b2, in float64 numpy."""
    k1, b1, alpha, k2, b2 = params
    z = x @ k1 + b1
    h = elu_ref(z, alpha)
    dy = 2 * ((h @ k2 + b2) - t)  # [batch, 1]
    dh = dy @ k2.T
    dz = dh * elu_grad_ref(z, alpha)
    return [x[:, :, None] * dz[:, None, :], dz, np.sum(dh * np.minimum(np.expm1(np.minimum(z, 0)), 0), axis=1),
            h[:, :, None] * dy[:, None, :], dy]


def test_per_example_gradients_of_a_keras_model_are_vectorized(rng):
    keras.utils.set_random_seed(7)
    model = keras.Sequential([keras.Input((4,), dtype="float64"), keras.layers.Dense(5, dtype="float64"),
                              keras_elu.ELU(0.5, trainable_alpha=True, dtype="float64"),
                              keras.layers.Dense(1, dtype="float64")])
    x = rng.normal(0, 1.5, (8, 4))
    t = rng.normal(0, 1, (8, 1))

    def per_example(xi_ti):
        xi, ti = xi_ti
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum((model(xi[None]) - ti) ** 2)
        return tape.gradient(loss, model.trainable_variables)

    grads = tf.function(lambda x, t: tf.vectorized_map(per_example, (x, t), fallback_to_while_loop=False))(
        tf.constant(x), tf.constant(t))
    params = [v.numpy() for v in model.trainable_variables]
    assert [v.name for v in model.trainable_variables][2] == "alpha"
    for got, want in zip(grads, _mlp_reference(params, x, t)):
        np.testing.assert_allclose(got.numpy(), want.reshape(got.shape), rtol=1e-12, atol=1e-14)


def test_per_iteration_alpha_with_unknown_rank(rng):
    x = rng.normal(0, 2, (2, 3))
    alphas = tf.constant([0.5, 2.0])

    @tf.function(input_signature=[tf.TensorSpec(None, tf.float64)])
    def f(v):
        return tf.vectorized_map(lambda a: keras_elu.elu(v, a), alphas, fallback_to_while_loop=False)

    got = f(tf.constant(x)).numpy()
    for row, alpha in zip(got, [0.5, 2.0]):
        np.testing.assert_allclose(row, elu_ref(x, alpha), rtol=1e-15)
