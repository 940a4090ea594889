"""Opt-in: run Keras' own `activation="elu"` and `keras.layers.ELU` on our op.

For existing models and code that you cannot edit:
>>> import keras_elu
>>> keras_elu.use_compiled_elu()          # from now on, "elu" is ours
>>> keras_elu.use_compiled_elu(False)     # and back to Keras' own

Saved files stay plain Keras: the replacement serializes as "elu", so models
saved while it is on load anywhere, with or without keras_elu.
"""

import keras
from keras.src import activations as keras_activations

from keras_elu.activations import elu as _keras_elu_activation

_ORIGINAL = keras_activations.ALL_OBJECTS_DICT["elu"]


def elu(x, alpha=1.0):  # named "elu" so Keras serializes it as its built-in
    return _keras_elu_activation(x, alpha)


def use_compiled_elu(enable: bool = True) -> None:
    """Routes `"elu"` strings, `keras.activations.elu` and `keras.layers.ELU` to keras_elu.

    Args:
        enable: `True` installs keras_elu's op, `False` restores Keras' own.
            Defaults to `True`.
    """
    replacement = elu if enable else _ORIGINAL
    keras_activations.ALL_OBJECTS_DICT["elu"] = replacement
    keras_activations.elu = replacement  # what keras.layers.ELU.call looks up
    keras.activations.elu = replacement


def compiled_elu_enabled() -> bool:
    return keras_activations.elu is elu
