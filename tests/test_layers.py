"""keras_elu.ELU as a Keras 3 layer: config, masking, shapes, errors, trainable alpha."""

import keras
import numpy as np
import pytest
import tensorflow as tf

import keras_elu
from conftest import alpha_as_used, elu_ref


def test_values_match_reference(rng):
    x = rng.normal(0, 2, (4, 7)).astype(np.float32)
    y = keras_elu.ELU(alpha=0.1)(x)
    np.testing.assert_allclose(np.asarray(y), elu_ref(x, alpha_as_used(0.1, tf.float32)), rtol=1e-6)


def test_sequential_add_and_config_round_trip():
    model = keras.Sequential([keras.Input((5,)), keras.layers.Dense(3)])
    model.add(keras_elu.ELU(alpha=0.3, name="act"))
    layer = model.get_layer("act")
    config = layer.get_config()
    assert config["alpha"] == 0.3 and config["trainable_alpha"] is False
    clone = keras_elu.ELU.from_config(config)
    assert clone.alpha == 0.3 and clone.name == "act"
    assert keras.saving.get_registered_name(keras_elu.ELU) == "keras_elu>ELU"


@pytest.mark.parametrize("alpha", [-1, float("nan"), float("inf"), "0.1", None])
def test_bad_alpha_raises_value_error_naming_it(alpha):
    with pytest.raises(ValueError, match="alpha"):
        keras_elu.ELU(alpha=alpha)


class MaskProbe(keras.layers.Layer):
    """Outputs the mask it was handed, so a test can see what ELU passed on."""

    def call(self, inputs, mask=None):
        return keras.ops.cast(mask, "float32")


def test_output_shape():
    assert keras_elu.ELU().compute_output_shape((None, 3, 4)) == (None, 3, 4)


def test_mask_passes_through_to_the_next_layer():
    inputs = keras.Input((3,), dtype="int32")
    x = keras.layers.Embedding(10, 4, mask_zero=True)(inputs)
    x = keras_elu.ELU()(x)
    model = keras.Model(inputs, MaskProbe()(x))
    np.testing.assert_array_equal(model(np.array([[1, 2, 0]])).numpy(), [[1.0, 1.0, 0.0]])


def test_trainable_alpha_is_a_nonnegative_weight_that_learns(rng):
    layer = keras_elu.ELU(alpha=1.0, trainable_alpha=True)
    x = tf.constant(-np.abs(rng.normal(0, 1, (64, 1))).astype(np.float32))
    layer(x)
    assert [w.name for w in layer.trainable_weights] == ["alpha"]
    assert layer.alpha_weight.dtype == "float32"
    # Target: the same data through alpha = 0.4; SGD must move alpha towards it.
    target = elu_ref(x.numpy(), 0.4).astype(np.float32)
    model = keras.Sequential([keras.Input((1,)), layer])
    model.compile(optimizer=keras.optimizers.SGD(0.5), loss="mse")
    model.fit(x, target, epochs=60, batch_size=64, verbose=0)
    assert abs(float(layer.alpha_weight.numpy()) - 0.4) < 0.02


def test_trainable_alpha_never_goes_negative():
    layer = keras_elu.ELU(alpha=0.05, trainable_alpha=True)
    model = keras.Sequential([keras.Input((1,)), layer])
    model.compile(optimizer=keras.optimizers.SGD(5.0), loss="mse")
    x = np.full((32, 1), -2.0, np.float32)
    model.fit(x, np.full((32, 1), 5.0, np.float32), epochs=5, verbose=0)  # pushes alpha down hard
    assert float(layer.alpha_weight.numpy()) >= 0.0
