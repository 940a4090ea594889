"""The ELU layer, in the Keras 3 idiom, on the compiled op."""

import keras

from keras_elu import activations
from keras_elu.ops import check_alpha


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
        trainable_alpha: learn alpha as a non-negative scalar weight through
            the op's gradient df/dalpha = expm1(x) for x <= 0. Defaults to `False`.
        **kwargs: Base layer keyword arguments, such as `name` and `dtype`.
    """

    def __init__(self, alpha=1.0, trainable_alpha=False, **kwargs):
        super().__init__(**kwargs)
        try:
            self.alpha = check_alpha(alpha)
        except TypeError as error:  # Keras layers report bad arguments as ValueError
            raise ValueError(str(error)) from None
        self.trainable_alpha = bool(trainable_alpha)
        self.supports_masking = True
        self.alpha_weight = None
        if not self.trainable_alpha:
            self._build_at_init()

    def build(self, input_shape=None):
        if self.trainable_alpha:
            # autocast=False: alpha stays float32 under mixed precision; the op
            # takes a float32 alpha beside float16 inputs at no loss.
            self.alpha_weight = self.add_weight(
                name="alpha", shape=(), initializer=keras.initializers.Constant(self.alpha),
                constraint=keras.constraints.NonNeg(), trainable=True, autocast=False)

    def call(self, inputs):
        alpha = self.alpha_weight if self.trainable_alpha else self.alpha
        return activations.elu(inputs, alpha)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update({"alpha": self.alpha, "trainable_alpha": self.trainable_alpha})
        return config
