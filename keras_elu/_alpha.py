"""alpha as the op takes it: the rule for Python numbers, tensors kept as given, and the eager cache.

The rule is the kernels' (cc/kernels/elu_alpha.h): finite, >= 0, and within
the dtype ELU computes in (float32 for all but float64 x). A Python number is
checked here, before any tensor exists, so the message names the value given;
a tensor keeps its dtype (the op takes float32 or float64 alphas) and the
kernel checks its value. In eager mode a Python alpha becomes a tensor once:
`EAGER_ALPHAS` keeps the last few, so an eager loop pays a dictionary lookup
instead of a `tf.constant`.
"""

import math
import numbers

import numpy as np
import tensorflow as tf

from keras_elu import _twin

FLOAT_DTYPES = (tf.float16, tf.bfloat16, tf.float32, tf.float64)
F32, F64 = tf.float32, tf.float64
# The largest alpha each compute dtype holds: a finite alpha above it would round to inf.
ALPHA_MAX = {F32: float(np.finfo(np.float32).max), F64: float(np.finfo(np.float64).max)}
_F32_MAX = ALPHA_MAX[F32]
# x's dtype -> what ELU computes it in, and so alpha's dtype (the twin's rule, as tf.DTypes).
COMPUTE_DTYPE = {dtype: tf.as_dtype(_twin.compute_dtype_name(dtype)) for dtype in FLOAT_DTYPES}
_CACHE_SIZE = 64
# alpha -> eager float64 tensor on the host, for every x dtype: the kernels round alpha to the
# dtype they compute in, so a float64 alpha gives float32's results beside float32 x, and one
# cache serves all. Only alphas that pass the check for every dtype (nonzero: 0.0 == -0.0).
EAGER_ALPHAS: dict = {}


def check_alpha(alpha, x_dtype: tf.DType | None = None) -> float:
    """Returns a Python-number alpha as float, or raises naming the value.

    Args:
        alpha: the value to check.
        x_dtype: the dtype of x, if known: alpha must not overflow the dtype
            ELU computes it in (float32 for all but float64).
    """
    if isinstance(alpha, bool) or not isinstance(alpha, numbers.Real):
        raise TypeError(f"alpha must be a real number, a scalar float tensor or a "
                        f"variable; received alpha={alpha!r} of type {type(alpha).__name__}")
    try:
        value = float(alpha)
    except OverflowError:  # an int beyond float64
        value = math.inf
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"alpha must be finite and >= 0 (0 gives ReLU); "
                         f"received alpha={alpha!r}")
    if x_dtype is not None and COMPUTE_DTYPE[x_dtype] == F32 and value > _F32_MAX:
        raise ValueError(f"alpha must be at most {np.finfo(np.float32).max!s}, float32's largest finite value, "
                         f"since x is {x_dtype.name} and ELU computes it in float32; received alpha={alpha!r}")
    return value


def alpha_input(alpha, x_dtype: tf.DType):
    """alpha for the op beside x of dtype x_dtype (one of FLOAT_DTYPES), or TypeError/ValueError."""
    cached = EAGER_ALPHAS.get(alpha) if type(alpha) is float else None  # one lookup: another thread may clear
    if cached is not None and tf.executing_eagerly():
        return cached  # checked when cached, and valid beside every dtype
    if isinstance(alpha, (tf.Tensor, tf.Variable)) or hasattr(alpha, "value"):  # "value": Keras variables
        return tensor_alpha(alpha)
    value = check_alpha(alpha, x_dtype)
    if not tf.executing_eagerly():  # a graph holds a constant in the compute dtype
        return tf.constant(value, COMPUTE_DTYPE[x_dtype])
    tensor = EAGER_ALPHAS.get(value)
    if tensor is None:
        with tf.device("CPU:0"):  # where the kernels read alpha (host memory)
            tensor = tf.constant(value, F64)
        if 0 < value <= _F32_MAX:
            if len(EAGER_ALPHAS) >= _CACHE_SIZE:
                EAGER_ALPHAS.clear()
            EAGER_ALPHAS[value] = tensor
    return tensor


def tensor_alpha(alpha) -> tf.Tensor:
    """A tensor or variable alpha as a float32 or float64 scalar tensor (the op's Talpha). Never
    rounded to x's compute dtype: the kernel checks the value as given, then casts it."""
    if not isinstance(alpha, tf.Tensor):
        alpha = tf.convert_to_tensor(alpha)
    if not alpha.dtype.is_floating:
        raise TypeError(f"alpha must be a floating tensor; received dtype={alpha.dtype.name}")
    if alpha.shape.rank not in (None, 0):
        raise ValueError(f"alpha must be a scalar; received shape={alpha.shape}")
    if alpha.dtype == F32 or alpha.dtype == F64:
        return alpha
    return tf.cast(alpha, F32)  # float16 and bfloat16 hold no value float32 cannot


def learned_alpha(alpha, layer_name: str) -> tf.Tensor:
    """A trained alpha, refused when training drove it to NaN or Inf, with a message that says so.

    The kernels refuse such an alpha too, but their message reads as if the
    user had passed it. Only alpha's value is checked, never its gradient, so
    a NaN loss alone stops nothing (keras.callbacks.TerminateOnNaN can end
    fit first). An Assert op, not CheckNumerics, whose pfor converter refuses
    a loop-invariant input, so per-example gradients stay vectorized. XLA
    compiles the Assert to nothing: under jit_compile=True a NaN alpha gives
    NaN outputs and losses, as Keras' own layers do.
    """
    alpha = tf.convert_to_tensor(alpha)
    check = tf.raw_ops.Assert(condition=tf.math.is_finite(tf.stop_gradient(alpha)), summarize=1, data=[
        f"The learned alpha of keras_elu.ELU layer {layer_name} diverged in training. Look for NaN or "
        "Inf in the inputs and targets, lower the learning rate or clip gradients (e.g. clipnorm=1.0 on "
        "the optimizer); keras.callbacks.TerminateOnNaN ends fit at the first NaN loss, before alpha "
        "takes it in; received alpha=", alpha])
    with tf.control_dependencies([check]):  # eager: the check above has already run
        return tf.identity(alpha)
