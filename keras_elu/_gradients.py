"""Gradients of the KerasElu ops, registered with TensorFlow on import.

Derivatives come from the input x (f'(x) = alpha * exp(x) for x <= 0), never
from the output, whose y + alpha cancels to 0 once y rounds to -alpha. The
chain closes: Elu -> EluGradV2 -> EluGradGradV2 -> EluGradGradV2, so
derivatives of every order stay on the compiled kernels. Each function skips
the alpha gradient when the caller does not need it (eager tapes tell us
through skip_input_indices). keras_elu 0.1's EluGrad and EluGradGrad keep
their gradients for graphs written by that version.

TensorFlow refuses a second registration under one name, so each op's
gradient is registered once, as a trampoline that calls the function this
module holds now: importing it again (importlib.reload, notebook autoreload)
is safe and runs the reloaded code.
"""

import tensorflow as tf

from keras_elu._loader import LIBRARY


def _register_gradient(op_type: str):
    """tf.RegisterGradient(op_type), safe to repeat: see the module docstring."""
    def decorator(function):
        name = function.__name__

        def trampoline(op, *grads):
            return globals()[name](op, *grads)  # a reload re-executes this module in the same globals

        try:
            tf.RegisterGradient(op_type)(trampoline)
        except KeyError:  # an earlier import of this module registered its trampoline
            pass
        return function
    return decorator


def _wants_grad(op, index: int) -> bool:
    skip = getattr(op, "skip_input_indices", None)
    return skip is None or index not in skip


def _sum_as(values: tf.Tensor, like: tf.Tensor) -> tf.Tensor:
    """Sums to a scalar in alpha's dtype (float32 at least, so halves don't overflow)."""
    return tf.reduce_sum(tf.cast(values, like.dtype))


def _exp_part(g, dy, x, alpha):
    """sum(g * dy * exp(x)) over x <= 0: d/dalpha of EluGradV2 (an alpha of 1 keeps alpha = 0 working)."""
    return _sum_as(LIBRARY.keras_elu_elu_grad_grad_v2(g, dy, x, tf.ones_like(alpha)), alpha)


@_register_gradient("KerasElu>Elu")
def _elu_grad(op, dy):
    x, alpha = op.inputs
    dx = LIBRARY.keras_elu_elu_grad_v2(dy, x, alpha)
    if not _wants_grad(op, 1):
        return dx, None
    # df/dalpha = expm1(x) for x <= 0, else 0, i.e. min(elu(x, 1), 0).
    expm1_neg = tf.minimum(LIBRARY.keras_elu_elu(x, tf.ones_like(alpha)), 0)
    return dx, _sum_as(tf.cast(dy, alpha.dtype) * tf.cast(expm1_neg, alpha.dtype), alpha)


@_register_gradient("KerasElu>EluGradV2")
def _elu_grad_v2_grad(op, g):
    dy, x, alpha = op.inputs
    d_dy = LIBRARY.keras_elu_elu_grad_v2(g, x, alpha)
    d_x = LIBRARY.keras_elu_elu_grad_grad_v2(g, dy, x, alpha)
    d_alpha = _exp_part(g, dy, x, alpha) if _wants_grad(op, 2) else None
    return d_dy, d_x, d_alpha


@_register_gradient("KerasElu>EluGradGradV2")
def _elu_grad_grad_v2_grad(op, h):
    g, dy, x, alpha = op.inputs
    # g * dy * alpha * exp(x) on x <= 0: bilinear in (g, dy); its x-derivative
    # is itself, and its alpha-derivative is g * dy * exp(x).
    h_g = h * g
    d_alpha = _exp_part(h_g, dy, x, alpha) if _wants_grad(op, 3) else None
    return (LIBRARY.keras_elu_elu_grad_grad_v2(h, dy, x, alpha),
            LIBRARY.keras_elu_elu_grad_grad_v2(h, g, x, alpha),
            LIBRARY.keras_elu_elu_grad_grad_v2(h_g, dy, x, alpha),
            d_alpha)


@_register_gradient("KerasElu>EluGrad")
def _legacy_elu_grad_grad(op, g):
    dy, y, alpha = op.inputs
    d_dy = LIBRARY.keras_elu_elu_grad(g, y, alpha)
    d_y = LIBRARY.keras_elu_elu_grad_grad(g, dy, y)
    d_alpha = _sum_as(d_y, alpha) if _wants_grad(op, 2) else None
    return d_dy, d_y, d_alpha


@_register_gradient("KerasElu>EluGradGrad")
def _legacy_elu_grad_grad_grad(op, h):
    g, dy, y = op.inputs
    return (LIBRARY.keras_elu_elu_grad_grad(h, dy, y),
            LIBRARY.keras_elu_elu_grad_grad(h, g, y),
            None)
