"""keras_elu.ELU as a Keras 3 layer: config, masking, shapes, errors, trainable alpha."""

import keras
import numpy as np
import pytest
import tensorflow as tf

import keras_elu
from support import alpha_as_used, elu_ref

pytestmark = pytest.mark.core  # see the markers in pyproject.toml


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


@pytest.mark.parametrize("flag", ["False", 0, None, 1.0])
def test_trainable_alpha_must_be_a_bool(flag):
    with pytest.raises(ValueError, match=f"trainable_alpha must be True or False; received trainable_alpha={flag!r}"):
        keras_elu.ELU(trainable_alpha=flag)


@pytest.mark.parametrize("alpha", [lambda: tf.Variable(0.5), lambda: tf.constant(0.5), lambda: "0.1",
                                   lambda: None, lambda: True])
def test_tensor_alpha_is_refused_with_what_to_do_instead(alpha):
    with pytest.raises(ValueError, match="must be a Python number >= 0; for a learned alpha pass trainable_alpha=True"):
        keras_elu.ELU(alpha=alpha())


def test_stateless_layer_is_built_at_instantiation_and_trainable_one_in_build():
    assert keras_elu.ELU().built and keras_elu.ELU().count_params() == 0
    layer = keras_elu.ELU(trainable_alpha=True)
    assert not layer.built
    layer(np.zeros((1, 2), np.float32))
    assert layer.built and layer.count_params() == 1


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
