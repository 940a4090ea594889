"""The ELU op for TensorFlow: compiled kernels, gradients, and a stock-op twin.

ELU, Clevert, Unterthiner & Hochreiter 2015, "Fast and Accurate Deep Network
Learning by Exponential Linear Units" (arXiv:1511.07289), eq. 15:
``f(x) = x`` for ``x > 0`` and ``alpha * expm1(x)`` for ``x <= 0``.

In eager mode a Python alpha becomes a host tensor once (`EAGER_ALPHAS`);
`keras_elu.elu` (activations.py) sends an eager loop's calls straight to the
op with it. benchmarks/bench_eager.py measures the per-call cost.
"""

import contextlib
import threading

import tensorflow as tf
from tensorflow.python.ops import control_flow_util

from keras_elu import _gradients  # noqa: F401  (registers the gradients)
from keras_elu import _pfor  # noqa: F401  (registers the vectorization rules)
from keras_elu import _placement, _twin
from keras_elu._alpha import (ALPHA_MAX, EAGER_ALPHAS, FLOAT_DTYPES, alpha_input,  # noqa: F401
                              check_alpha, learned_alpha)
from keras_elu._loader import HAS_XLA_KERNELS, LIBRARY

EagerTensor = type(tf.constant(0.0))  # TensorFlow exports no name for it
_FLOAT_DTYPE_SET = frozenset(FLOAT_DTYPES)  # hashing beats four DType comparisons


class _State(threading.local):
    portable = False


_state = _State()


def compute_dtype(dtype: tf.DType) -> tf.DType:
    """What the op computes in, and so alpha's dtype (the twin's rule, as a tf.DType)."""
    return tf.as_dtype(_twin.compute_dtype_name(dtype))


@contextlib.contextmanager
def portable():
    """Within this context `elu` builds stock TF ops instead of the custom op.

    For exports that must load without keras_elu (TF Serving, TFLite, ONNX).

    Example:
    >>> with portable():
    ...     y = elu(tf.constant([-1.0, 2.0]))
    """
    previous = _state.portable
    _state.portable = True
    try:
        yield
    finally:
        _state.portable = previous


def _in_xla() -> bool:
    return control_flow_util.GraphOrParentsInXlaContext(tf.compat.v1.get_default_graph())


def _use_twin() -> bool:
    """Whether `elu` builds the stock-op twin instead of the custom op. It runs on every call,
    so cached facts come first: portable(), then where this process's devices put the op
    (keras_elu/_placement.py, decided once), then XLA."""
    if _state.portable:
        return True
    if _placement.twin_reason() is None:  # the compiled op serves every device here
        if HAS_XLA_KERNELS or tf.executing_eagerly():
            return False
        return _in_xla()
    # A GPU the CUDA kernels cannot serve: the twin keeps the work on it; XLA lowers our op itself.
    return tf.executing_eagerly() or not (HAS_XLA_KERNELS and _in_xla())


def twin_elu(x: tf.Tensor, alpha) -> tf.Tensor:
    """The stock-op twin (keras_elu._twin) in TensorFlow ops."""
    return _twin.elu(x, alpha, _twin.tf_ops())


def elu(x, alpha=1.0, name=None):
    """Exponential Linear Unit on the compiled keras_elu op, for TensorFlow tensors.

    ``f(x) = x`` if ``x > 0`` else ``alpha * expm1(x)``; ``f'(0) = alpha``.
    `keras_elu.elu` calls this for TensorFlow inputs; ragged tensors are
    handled on their flat values, as `tf.nn.elu` handles them.

    Example:
    >>> elu([-1.0, 0.0, 1.0], alpha=0.5).numpy()
    array([-0.31606027,  0.        ,  1.        ], dtype=float32)

    Args:
        x: float16, bfloat16, float32 or float64 tensor (dense or ragged, or
            an array-like) of any shape.
        alpha: finite number >= 0 (0 gives ReLU), or a scalar float tensor or
            variable, which then receives a gradient; at most float32's
            largest value unless x is float64. Defaults to `1.0`.
        name: optional op name.

    Returns:
        A tensor with the shape and dtype of `x`.
    """
    if not isinstance(x, tf.Tensor):
        if isinstance(x, tf.RaggedTensor):
            return tf.ragged.map_flat_values(elu, x, alpha, name=name)
        x = tf.convert_to_tensor(x)
    if x.dtype not in _FLOAT_DTYPE_SET:
        raise TypeError(f"x must be float16, bfloat16, float32 or float64; received dtype={x.dtype.name}")
    alpha = alpha_input(alpha, x.dtype)
    if _use_twin():
        return twin_elu(x, alpha)
    return LIBRARY.keras_elu_elu(x, alpha, name)
