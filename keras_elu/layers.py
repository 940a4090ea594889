"""The ELU layer, in the Keras 3 idiom, on the compiled op."""

import numbers

import keras
import numpy as np

from keras_elu import activations, ops
from keras_elu.ops import check_alpha


def _layer_alpha(alpha) -> float:
    """The layer keeps alpha in its config, so it must be a plain number (ValueError otherwise)."""
    if isinstance(alpha, bool) or not isinstance(alpha, numbers.Real):  # tensors, variables, strings
        raise ValueError(
            "ELU's alpha is saved in the layer config, so it must be a Python number >= 0; "
            "for a learned alpha pass trainable_alpha=True (alpha is then its initial "
            f"value). Received alpha={alpha!r}")
    return check_alpha(alpha)


@keras.saving.register_keras_serializable(package="keras_elu")
class ELU(keras.layers.Layer):
    """Exponential Linear Unit on keras_elu's compiled op.

    Formula:
    ```
    f(x) = x                     if x > 0
    f(x) = alpha * (exp(x) - 1)  if x <= 0   (computed as alpha * expm1(x))
    ```

    Example:
    >>> model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(16), ELU(alpha=0.1)])

    Args:
        alpha: float >= 0, the negative saturation value (0 gives ReLU).
            With `trainable_alpha`, its initial value. Defaults to `1.0`.
        trainable_alpha: `True` or `False`: learn alpha as a non-negative
            scalar weight through the op's gradient df/dalpha = expm1(x) for
            x <= 0. Defaults to `False`, and the layer is then stateless and
            built at instantiation, like Keras' own ELU. Should training
            drive the learned alpha to NaN or Inf (NaN/Inf in the data, a
            learning rate too large), the next call raises an error that
            says so under TensorFlow; under `jit_compile=True`, which has no
            run-time checks, and on other backends the outputs turn NaN, as
            with Keras' own layers.
        **kwargs: Base layer keyword arguments, such as `name` and `dtype`.
    """

    def __init__(self, alpha=1.0, trainable_alpha=False, **kwargs):
        super().__init__(**kwargs)
        self.alpha = _layer_alpha(alpha)
        if not isinstance(trainable_alpha, (bool, np.bool_)):
            raise ValueError(f"trainable_alpha must be True or False; "
                             f"received trainable_alpha={trainable_alpha!r}")
        self.trainable_alpha = bool(trainable_alpha)
        self.supports_masking = True
        self.alpha_weight = None
        if not self.trainable_alpha and type(self).build is ELU.build:
            # Keras builds a stateless layer at __init__ only when `build` is
            # its own; ours is overridden for the trainable alpha, so we
            # apply the same rule one level down: built here unless a
            # subclass overrides `build` again.
            self.build()

    def build(self, input_shape=None):
        if self.trainable_alpha:
            # autocast=False: alpha stays float32 under mixed precision; the op
            # takes a float32 alpha beside float16 inputs at no loss.
            self.alpha_weight = self.add_weight(
                name="alpha", shape=(), initializer=keras.initializers.Constant(self.alpha),
                constraint=keras.constraints.NonNeg(), trainable=True, autocast=False)

    def call(self, inputs):
        if not self.trainable_alpha:
            return activations.elu(inputs, self.alpha)
        if keras.backend.backend() != "tensorflow":
            return activations.elu(inputs, self.alpha_weight)
        return activations.elu(inputs, ops.learned_alpha(self.alpha_weight, self.name))

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update({"alpha": self.alpha, "trainable_alpha": self.trainable_alpha})
        return config
