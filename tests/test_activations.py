"""The "keras_elu>elu" activation string and the opt-in that reroutes Keras' own "elu"."""

import keras
import numpy as np
import pytest
import tensorflow as tf

import keras_elu
from keras_elu import activations
from support import TELLTALE, elu_ref

pytestmark = pytest.mark.core  # see the markers in pyproject.toml


def test_string_resolves_to_our_activation():
    assert keras.activations.get("keras_elu>elu") is activations.elu
    assert keras.activations.get(keras_elu.ACTIVATION_NAME) is activations.elu


def test_string_resolves_through_the_table_keras_reads():
    from keras.src import activations as keras_activations  # noqa: PLC0415

    assert keras_activations.ALL_OBJECTS_DICT["keras_elu>elu"] is activations.elu


def test_dense_with_the_string_uses_the_compiled_op(rng):
    layer = keras.layers.Dense(6, activation="keras_elu>elu", kernel_initializer="identity")
    x = np.concatenate([[TELLTALE] * 6, rng.normal(0, 2, 6).astype(np.float32)]).reshape(2, 6)
    y = np.asarray(layer(x))
    np.testing.assert_allclose(y, elu_ref(x, 1.0), rtol=1e-6)
    assert y[0, 0] != 0.0


def test_activation_serializes_by_its_registered_name():
    layer = keras.layers.Dense(2, activation="keras_elu>elu")
    config = layer.get_config()
    assert config["activation"]["config"] == "keras_elu>elu"
    assert keras.layers.Dense.from_config(config).activation is activations.elu


def test_use_compiled_elu_reroutes_keras_elu_and_restores():
    x = np.array([[TELLTALE, -1.0, 2.0]], np.float32)
    assert keras.layers.ELU(alpha=1.0)(x).numpy()[0, 0] == 0.0  # Keras' own
    try:
        keras_elu.use_compiled_elu()
        assert keras_elu.patching.compiled_elu_enabled()
        np.testing.assert_allclose(keras.layers.ELU(alpha=0.1)(x).numpy(),
                                   elu_ref(x, np.float32(0.1)), rtol=1e-6)
        assert keras.layers.ELU()(x).numpy()[0, 0] != 0.0
        dense = keras.layers.Dense(3, activation="elu", kernel_initializer="identity")
        assert dense(x).numpy()[0, 0] != 0.0
        assert keras.activations.elu(tf.constant(x)).numpy()[0, 0] != 0.0
        # Saved configs stay plain Keras.
        assert dense.get_config()["activation"] == "elu"
    finally:
        keras_elu.use_compiled_elu(False)
    assert not keras_elu.patching.compiled_elu_enabled()
    assert keras.layers.ELU()(x).numpy()[0, 0] == 0.0


@pytest.mark.parametrize("alpha", [0.0, 0.5])
def test_keras_ops_fallback_matches_the_op(alpha, rng):
    x = rng.normal(0, 3, 200).astype(np.float32)
    np.testing.assert_allclose(np.asarray(activations.keras_ops_elu(x, alpha)),
                               keras_elu.elu(x, alpha).numpy(), rtol=2e-6, atol=1e-30)
