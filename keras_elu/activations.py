"""`keras_elu.elu`: the one ELU callable for Keras, whatever tensor it is handed.

- a TensorFlow tensor or array-like, under the TensorFlow backend: the
  compiled op (`keras_elu.ops.elu`), with its gradients and XLA kernels;
- a symbolic `KerasTensor` (functional models): the `Elu` Operation below,
  whose output spec keeps the input's shape and dtype;
- any other Keras backend (jax, torch, numpy): the stock-op twin in `keras.ops`.

It is registered as `"keras_elu>elu"`, so models holding it save and load as
keras_elu's. Keras 3 resolves activation strings only from its built-in table
(`keras.src.activations.ALL_OBJECTS_DICT`), so on import we add our name to
that table, and, should a future Keras move it, wrap `keras.activations.get`
instead; `tests/test_functional.py` pins both paths. Both are safe to
repeat (a module reload replaces our entry, and never wraps `get` twice).
"""

import keras

from keras_elu import _twin
from keras_elu import ops as _tf_ops  # loads TensorFlow, which keras_elu needs under every backend

ACTIVATION_NAME = "keras_elu>elu"
# An eager TensorFlow tensor under the TensorFlow backend (an eager loop) goes straight to the op.
_EAGER_TENSOR = _tf_ops.EagerTensor if keras.backend.backend() == "tensorflow" else None
_EAGER_ALPHAS, _run_elu = _tf_ops.EAGER_ALPHAS, _tf_ops.LIBRARY.keras_elu_elu


class Elu(keras.Operation):
    """keras_elu's ELU on symbolic tensors, as `keras.ops` builds its functions."""

    def __init__(self, alpha=1.0, *, name=None):
        super().__init__(name=name)
        self.alpha = alpha

    def call(self, x):
        return elu(x, self.alpha)

    def compute_output_spec(self, x):
        return keras.KerasTensor(x.shape, dtype=x.dtype)


@keras.saving.register_keras_serializable(package="keras_elu", name="elu")
def elu(x, alpha=1.0):
    """Exponential Linear Unit (Clevert et al. 2015) on keras_elu's compiled op.

    ``f(x) = x`` if ``x > 0`` else ``alpha * expm1(x)``; ``f'(0) = alpha``.

    Example:
    >>> inputs = keras.Input((4,))
    >>> outputs = elu(keras.layers.Dense(4)(inputs), alpha=0.5)   # functional API
    >>> layer = keras.layers.Dense(4, activation="keras_elu>elu")  # by name

    Args:
        x: a tensor of float16, bfloat16, float32 or float64 (any shape), an
            array-like, or a symbolic `KerasTensor`.
        alpha: finite number >= 0 (0 gives ReLU), or, under TensorFlow, a
            scalar float tensor or variable, which then receives a gradient.
            Defaults to `1.0`.

    Returns:
        A tensor (or `KerasTensor`) with the shape and dtype of `x`.
    """
    # An eager loop's call, at tf.nn.elu's cost: an eager tensor and a float
    # alpha seen before (so checked, and cached as a tensor) go to the op at
    # once; every other call takes the paths below, with all their checks.
    if type(x) is _EAGER_TENSOR and type(alpha) is float:
        cached = _EAGER_ALPHAS.get(alpha)
        if cached is not None and not _tf_ops._use_twin():
            try:
                return _run_elu(x, cached)
            except Exception:  # noqa: BLE001  (x's dtype, most likely: ops.elu raises what is wrong)
                pass
    if keras.backend.is_keras_tensor(x):
        return Elu(alpha).symbolic_call(x)
    if keras.backend.backend() == "tensorflow":
        return _tf_ops.elu(x, alpha)
    return twin_elu(x, alpha)


def twin_elu(x, alpha=1.0):
    """The stock-op twin in `keras.ops`, for the jax, torch and numpy backends."""
    return _twin.elu(keras.ops.convert_to_tensor(x), alpha, keras.ops)


def _register_string() -> None:
    from keras.src import activations as keras_activations  # noqa: PLC0415

    table = getattr(keras_activations, "ALL_OBJECTS_DICT", None)
    if isinstance(table, dict):
        table[ACTIVATION_NAME] = elu
    if keras.activations.get(ACTIVATION_NAME) is elu:
        return
    original_get = getattr(keras_activations.get, "keras_elu_wraps", keras_activations.get)

    def get(identifier):
        return elu if identifier == ACTIVATION_NAME else original_get(identifier)

    get.keras_elu_wraps = original_get  # a reload wraps Keras' own get again, not this one
    keras_activations.get = get
    keras.activations.get = get


_register_string()
