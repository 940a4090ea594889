"""Opt-in: run Keras' own `activation="elu"` and `keras.layers.ELU` on our op.

For existing models and code that you cannot edit:
>>> import keras_elu
>>> keras_elu.use_compiled_elu()          # from now on, "elu" is ours
>>> keras_elu.use_compiled_elu(False)     # and back to Keras' own

Every form of Keras' "elu" keeps working, symbolic tensors included (the
functional API), because the replacement is keras_elu.elu. What our op does
not cover (a negative alpha, which Keras accepts) runs Keras' own code.
Saved files stay plain Keras: the replacement serializes as "elu", so models
saved while it is on load anywhere, with or without keras_elu. Reloading this
module keeps the switch working: Keras' own function is taken from the module
that defines it, never from the table we rewrite.
"""

import numbers

import keras
from keras.src import activations as keras_activations
from keras.src.activations import activations as _keras_activation_functions

from keras_elu.activations import elu as _keras_elu_activation
from keras_elu.ops import check_alpha

_ORIGINAL = _keras_activation_functions.elu


def _covered(alpha) -> bool:
    """Whether our op takes alpha: check_alpha's rule; a tensor alpha is the kernel's to validate."""
    if hasattr(alpha, "dtype") and not isinstance(alpha, numbers.Real):
        return True
    try:
        check_alpha(alpha)
    except (TypeError, ValueError):
        return False
    return True


def elu(x, alpha=1.0):  # named "elu" so Keras serializes it as its built-in
    if _covered(alpha):
        return _keras_elu_activation(x, alpha)
    return _ORIGINAL(x, alpha)


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
    """Whether Keras' "elu" runs ours (this module's function, or one from before a reload)."""
    current = keras_activations.elu
    return getattr(current, "__module__", None) == __name__ and current.__name__ == "elu"
