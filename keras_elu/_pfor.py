"""Vectorization rules (pfor converters) for every KerasElu op.

`tf.vectorized_map`, `GradientTape.jacobian` and `batch_jacobian` (and the
per-example gradients built on them) rewrite a loop body into one op per op
of the body, through a converter per op type. With these, the KerasElu ops
vectorize at every derivative order instead of running a `while_loop`.

TensorFlow's converter registry (tensorflow/python/ops/parallel_for/pfor.py)
is private API, and this is the one module that touches it. Should a
TensorFlow release move it, `UNAVAILABLE` says why, one warning says so at
import, and pfor falls back to its `while_loop`: the same numbers, slower
(tests/test_pfor.py then fails, so a new TensorFlow is not taken on silently).
Registering writes the registry entry, so it is safe to repeat (a reload).
"""

import warnings

import tensorflow as tf

from keras_elu._alpha import ALPHA_MAX, COMPUTE_DTYPE
from keras_elu._loader import LIBRARY

try:
    from tensorflow.python.ops.parallel_for import pfor as _pfor_lib

    _REGISTRY, _wrap = _pfor_lib._pfor_converter_registry, _pfor_lib.wrap
    if not isinstance(_REGISTRY, dict):
        raise TypeError(f"pfor._pfor_converter_registry is a {type(_REGISTRY).__name__}, not a dict")
    UNAVAILABLE = ""
except (ImportError, AttributeError, TypeError) as error:  # moved in a later TensorFlow
    _REGISTRY = _wrap = None
    UNAVAILABLE = f"{type(error).__name__}: {error}"

# op type -> (generated wrapper, number of same-shaped data inputs, whether alpha follows them).
OPS = {
    "KerasElu>Elu": (LIBRARY.keras_elu_elu, 1, True),
    "KerasElu>EluGradV2": (LIBRARY.keras_elu_elu_grad_v2, 2, True),
    "KerasElu>EluGradGradV2": (LIBRARY.keras_elu_elu_grad_grad_v2, 3, True),
    "KerasElu>EluGrad": (LIBRARY.keras_elu_elu_grad, 2, True),  # keras_elu 0.1's, from the output
    "KerasElu>EluGradGrad": (LIBRARY.keras_elu_elu_grad_grad, 3, False),
}


def _convert(pfor_input, op_type: str):
    """The op once on the whole batch: its data inputs stacked (loop-invariant ones tiled, as the
    op takes no broadcasting), alpha as it comes when it is the same for every iteration."""
    op, num_data, takes_alpha = OPS[op_type]
    if takes_alpha and pfor_input.input(num_data).is_stacked:
        return _wrap(_per_iteration_alpha(pfor_input, op_type), True)
    pfor_input.stack_inputs(list(range(num_data)))
    return _wrap(op(*(pfor_input.input(i).t for i in range(pfor_input.num_inputs))), True)


def _per_iteration_alpha(pfor_input, op_type: str) -> tf.Tensor:
    """An alpha that differs per iteration (shape [n]), as alpha times the op at alpha = 1.

    Accuracy: the product is formed in float64 and rounded once to x's dtype,
    so float32 and the halves keep the op's bound (<= 1 ULP); float64 adds
    one rounding (<= 3 ULP instead of 2). The sign test is the op's (x > 0),
    so -0.0 stays -0.0. Rare in practice (a vectorized_map over alphas), so
    it spends float64 work for that.
    """
    op, num_data, _ = OPS[op_type]
    data_stacked = any(pfor_input.input(i).is_stacked for i in range(num_data))
    if data_stacked:
        pfor_input.stack_inputs(list(range(num_data)))
    data = [pfor_input.input(i).t for i in range(num_data)]
    sign_source = data[-1]  # the features (the output, for 0.1's EluGrad)
    alpha = _checked(pfor_input.input(num_data).t, sign_source.dtype)
    alpha = tf.reshape(alpha, _leading_axis_shape(sign_source, int(data_stacked)))  # [n, 1, ..., 1]
    wide = [tf.cast(d, tf.float64) for d in data]
    positive = sign_source > 0
    one = tf.constant(1.0, tf.float64)
    if op_type == "KerasElu>Elu":
        result = tf.where(positive, wide[0], alpha * op(wide[0], one))
    elif op_type == "KerasElu>EluGradV2":
        result = tf.where(positive, wide[0], alpha * op(wide[0], wide[1], one))
    elif op_type == "KerasElu>EluGradGradV2":  # 0 for x > 0, bilinear in (g, dy) below
        scaled = alpha * op(*wide, one)
        result = tf.where(positive, tf.zeros_like(scaled), scaled)
    else:  # keras_elu 0.1's EluGrad: dy if y > 0 else dy * (y + alpha)
        result = tf.where(positive, wide[0], wide[0] * (wide[1] + alpha))
    return tf.cast(result, sign_source.dtype)


def _leading_axis_shape(like: tf.Tensor, stacked_axes: int):
    """[-1, 1, ...]: one per axis of an iteration's value of `like`, so [n] broadcasts along it."""
    if like.shape.rank is not None:
        return [-1] + [1] * (like.shape.rank - stacked_axes)
    return tf.concat([[-1], tf.ones([tf.rank(like) - stacked_axes], tf.int32)], axis=0)


def _checked(alpha: tf.Tensor, x_dtype: tf.DType) -> tf.Tensor:
    """A per-iteration alpha as float64, behind the op's own rule (finite, >= 0, no overflow
    of the dtype x computes in): an Assert, since each value is only known at run time."""
    limit = ALPHA_MAX[COMPUTE_DTYPE[x_dtype]]
    wide = tf.cast(alpha, tf.float64)
    check = tf.debugging.Assert(
        tf.reduce_all((wide >= 0) & (wide <= limit)),
        [f"alpha must be finite and >= 0 (0 gives ReLU), and at most {limit:.8g} for x of dtype "
         f"{x_dtype.name}; received per-iteration alpha=", alpha], summarize=16)
    with tf.control_dependencies([check]):
        return tf.identity(wide)


def _converter_for(op_type: str):
    def converter(pfor_input):
        return _convert(pfor_input, op_type)

    converter.__name__ = f"_convert_{op_type.split('>')[1]}"
    return converter


def register() -> None:
    """Installs a converter per op; repeating it (a module reload) replaces them."""
    if _REGISTRY is None:
        warnings.warn(
            f"keras_elu: this TensorFlow ({tf.__version__}) moved pfor's converter registry ({UNAVAILABLE}); "
            "tf.vectorized_map, jacobian and batch_jacobian over keras_elu ops run a while_loop instead "
            "(the same values, slower), and vectorized_map(..., fallback_to_while_loop=False) fails.",
            RuntimeWarning, stacklevel=2)
        return
    for op_type in OPS:
        _REGISTRY[op_type] = _converter_for(op_type)


register()
