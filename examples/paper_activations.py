"""The four activations of the ELU paper's MNIST experiments (Clevert et al. 2015, section 4.1).

ELU (keras_elu, alpha = 1), ReLU, Leaky ReLU (slope 0.1 below zero) and the
shifted ReLU, SReLU = max(-1, x). Shared by mean_activation.py and
autoencoder.py, with the small statistics both report.
"""

import keras
import numpy as np

import keras_elu

ACTIVATIONS = ("elu", "relu", "lrelu", "srelu")
LABELS = {"elu": "ELU (keras_elu, α=1)", "relu": "ReLU", "lrelu": "LReLU (0.1)", "srelu": "SReLU max(-1, x)"}


class ShiftedReLU(keras.layers.Layer):
    """SReLU of the paper: max(-1, x)."""

    def call(self, inputs):
        return keras.ops.maximum(inputs, -1.0)


def activation_layer(name: str) -> keras.layers.Layer:
    """A fresh layer for one of ACTIVATIONS."""
    layers = {"elu": lambda: keras_elu.ELU(alpha=1.0), "relu": keras.layers.ReLU,
              "lrelu": lambda: keras.layers.LeakyReLU(negative_slope=0.1), "srelu": ShiftedReLU}
    if name not in layers:
        raise ValueError(f"activation must be one of {ACTIVATIONS}; received activation={name!r}")
    return layers[name]()


def mean_std(values) -> tuple[float, float]:
    """Mean and sample standard deviation (0 for a single value), NaNs kept."""
    values = np.asarray(values, float)
    return float(values.mean()), float(values.std(ddof=1)) if len(values) > 1 else 0.0


def pm(values, digits: int = 4) -> str:
    """'mean ± std' over seeds, or the single value."""
    mean, std = mean_std(values)
    return f"{mean:.{digits}f}" if len(values) == 1 else f"{mean:.{digits}f} ± {std:.{digits}f}"
