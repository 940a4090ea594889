"""`keras_elu>elu` as a Keras activation, on the compiled op under TensorFlow.

Keras 3 resolves activation strings only from its built-in table
(`keras.src.activations.ALL_OBJECTS_DICT`); `register_keras_serializable`
makes saved models load but does not make `activation="keras_elu>elu"` work.
So on import we add our name to that table, and, should a future Keras move
the table, wrap `keras.activations.get` instead. `tests/test_activations.py`
pins both paths.
"""

import keras

ACTIVATION_NAME = "keras_elu>elu"


@keras.saving.register_keras_serializable(package="keras_elu", name="elu")
def elu(x, alpha=1.0):
    """ELU for Keras models: the compiled op under TensorFlow, `keras.ops` elsewhere.

    Example:
    >>> layer = keras.layers.Dense(4, activation="keras_elu>elu")
    """
    if keras.backend.backend() == "tensorflow":
        from keras_elu import ops  # noqa: PLC0415  (TF only under this backend)

        return ops.elu(x, alpha)
    return keras_ops_elu(x, alpha)


def keras_ops_elu(x, alpha=1.0):
    """The same function from `keras.ops`, for the jax, torch and numpy backends."""
    x = keras.ops.convert_to_tensor(x)
    alpha = keras.ops.cast(alpha, x.dtype)
    return keras.ops.where(x > 0, x, alpha * keras.ops.expm1(keras.ops.minimum(x, 0)))


def _register_string() -> None:
    from keras.src import activations as keras_activations  # noqa: PLC0415

    table = getattr(keras_activations, "ALL_OBJECTS_DICT", None)
    if isinstance(table, dict):
        table[ACTIVATION_NAME] = elu
    if keras.activations.get(ACTIVATION_NAME) is elu:
        return
    original_get = keras_activations.get

    def get(identifier):
        return elu if identifier == ACTIVATION_NAME else original_get(identifier)

    keras_activations.get = get
    keras.activations.get = get


_register_string()
