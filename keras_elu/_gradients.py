"""Gradients of the three ELU ops, registered with TensorFlow on import.

The chain closes: Elu -> EluGrad -> EluGradGrad -> EluGradGrad, so
derivatives of every order (gradient penalties, Hessian-vector products) stay
on the compiled kernels. Each function skips the alpha gradient when the
caller does not need it (eager tapes tell us through skip_input_indices).
"""

import tensorflow as tf

from keras_elu._loader import LIBRARY


def _wants_grad(op, index: int) -> bool:
    skip = getattr(op, "skip_input_indices", None)
    return skip is None or index not in skip


def _sum_as(values: tf.Tensor, like: tf.Tensor) -> tf.Tensor:
    """Sums to a scalar in alpha's dtype (float32 at least, so halves don't overflow)."""
    return tf.reduce_sum(tf.cast(values, like.dtype))


@tf.RegisterGradient("KerasElu>Elu")
def _elu_grad(op, dy):
    x, alpha = op.inputs
    y = op.outputs[0]
    dx = LIBRARY.keras_elu_elu_grad(dy, y, alpha)
    if not _wants_grad(op, 1):
        return dx, None
    # df/dalpha = expm1(x) for x <= 0, else 0, i.e. min(elu(x, 1), 0): reusing
    # the op keeps one copy of the math (and works when alpha = 0, where y
    # carries no information about x).
    expm1_neg = tf.minimum(LIBRARY.keras_elu_elu(x, tf.ones_like(alpha)), 0)
    return dx, _sum_as(tf.cast(dy, alpha.dtype) * tf.cast(expm1_neg, alpha.dtype), alpha)


@tf.RegisterGradient("KerasElu>EluGrad")
def _elu_grad_grad(op, g):
    dy, y, alpha = op.inputs
    d_dy = LIBRARY.keras_elu_elu_grad(g, y, alpha)
    # d/dy and d/dalpha of dy * (y + alpha) on the x <= 0 branch are both dy.
    d_y = LIBRARY.keras_elu_elu_grad_grad(g, dy, y)
    d_alpha = _sum_as(d_y, alpha) if _wants_grad(op, 2) else None
    return d_dy, d_y, d_alpha


@tf.RegisterGradient("KerasElu>EluGradGrad")
def _elu_grad_grad_grad(op, h):
    g, dy, y = op.inputs
    # Bilinear in (g, dy) behind a mask that is piecewise constant in y.
    return (LIBRARY.keras_elu_elu_grad_grad(h, dy, y),
            LIBRARY.keras_elu_elu_grad_grad(h, g, y),
            None)
