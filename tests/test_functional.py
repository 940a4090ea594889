"""Every way a model reaches ELU: the "keras_elu>elu" string, the functional API, use_compiled_elu().

The string and the opt-in that reroutes Keras' own "elu" carry the `core`
marker (scripts/compat.sh runs them against every tested TensorFlow); every
form of ELU then works on KerasTensors, in Sequential and subclassed models.
"""

import os

import keras
import numpy as np
import pytest
import tensorflow as tf

import keras_elu
from keras_elu import activations, patching
from support import TELLTALE, elu_ref


@pytest.mark.core
def test_string_resolves_to_our_activation():
    assert keras.activations.get("keras_elu>elu") is activations.elu
    assert keras.activations.get(keras_elu.ACTIVATION_NAME) is activations.elu


@pytest.mark.core
def test_string_resolves_through_the_table_keras_reads():
    from keras.src import activations as keras_activations  # noqa: PLC0415

    assert keras_activations.ALL_OBJECTS_DICT["keras_elu>elu"] is activations.elu


@pytest.mark.core
def test_dense_with_the_string_uses_the_compiled_op(rng):
    layer = keras.layers.Dense(6, activation="keras_elu>elu", kernel_initializer="identity")
    x = np.concatenate([[TELLTALE] * 6, rng.normal(0, 2, 6).astype(np.float32)]).reshape(2, 6)
    y = np.asarray(layer(x))
    np.testing.assert_allclose(y, elu_ref(x, 1.0), rtol=1e-6)
    assert y[0, 0] != 0.0


@pytest.mark.core
def test_activation_serializes_by_its_registered_name():
    layer = keras.layers.Dense(2, activation="keras_elu>elu")
    config = layer.get_config()
    assert config["activation"]["config"] == "keras_elu>elu"
    assert keras.layers.Dense.from_config(config).activation is activations.elu


@pytest.mark.core
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


@pytest.mark.core
@pytest.mark.parametrize("alpha", [0.0, 0.5])
def test_keras_ops_fallback_matches_the_op(alpha, rng):
    x = rng.normal(0, 3, 200).astype(np.float32)
    np.testing.assert_allclose(np.asarray(activations.twin_elu(x, alpha)),
                               keras_elu.elu(x, alpha).numpy(), rtol=2e-6, atol=1e-30)


X = np.array([[TELLTALE, -3.0, -0.5, 0.0, 2.0]], np.float32)

OUR_FORMS = {
    "layer": lambda h: keras_elu.ELU(alpha=1.0)(h),
    "keras_elu.elu": lambda h: keras_elu.elu(h),
    "string via get": lambda h: keras.activations.get("keras_elu>elu")(h),
    "Activation layer": lambda h: keras.layers.Activation("keras_elu>elu")(h),
    "Dense activation": lambda h: keras.layers.Dense(5, activation="keras_elu>elu",
                                                     kernel_initializer="identity", use_bias=False)(h),
}
# Factories: each makes the callable once, after use_compiled_elu() (strings resolve then).
KERAS_FORMS = {
    "keras.activations.elu": lambda: keras.activations.elu,
    "get('elu')": lambda: keras.activations.get("elu"),
    "Activation('elu')": lambda: keras.layers.Activation("elu"),
    "Dense(activation='elu')": lambda: keras.layers.Dense(5, activation="elu", kernel_initializer="identity",
                                                           use_bias=False),
    "keras.layers.ELU": lambda: keras.layers.ELU(),
}


def _as_layer(fn):
    return fn if isinstance(fn, keras.layers.Layer) else keras.layers.Lambda(fn)


def _functional(form):
    inputs = keras.Input((5,))
    outputs = form(inputs)
    assert isinstance(outputs, keras.KerasTensor) and outputs.shape == (None, 5)
    return keras.Model(inputs, outputs)


@pytest.mark.parametrize("name", OUR_FORMS)
def test_each_form_builds_a_functional_model_on_the_compiled_op(name):
    y = np.asarray(_functional(OUR_FORMS[name]).predict(X, verbose=0))
    np.testing.assert_allclose(y, elu_ref(X, 1.0), rtol=1e-6)
    assert y[0, 0] != 0.0  # the op's expm1, not tf.nn.elu


@pytest.mark.parametrize("policy", ["mixed_float16", "mixed_bfloat16"])
def test_symbolic_output_spec_keeps_shape_and_compute_dtype(policy):
    keras.mixed_precision.set_global_policy(policy)
    try:
        inputs = keras.Input((2, 3))
        hidden = keras.layers.Dense(3)(inputs)
        out = keras_elu.elu(hidden, 0.5)
        assert out.shape == (None, 2, 3) and out.dtype == policy.split("_")[1] == hidden.dtype
    finally:
        keras.mixed_precision.set_global_policy("float32")


class Subclassed(keras.Model):
    def __init__(self, form):
        super().__init__()
        self.form = form

    def call(self, x):
        return self.form(x)


@pytest.mark.parametrize("name", KERAS_FORMS)
def test_use_compiled_elu_keeps_every_keras_form_working_and_undoes_exactly(name):
    make = KERAS_FORMS[name]
    before = keras.activations.elu
    keras_elu.use_compiled_elu()
    try:
        functional = np.asarray(_functional(make()).predict(X, verbose=0))
        sequential = keras.Sequential([keras.Input((5,)), _as_layer(make())]).predict(X, verbose=0)
        subclassed = np.asarray(Subclassed(make())(X))
        for y in (functional, sequential, subclassed):
            np.testing.assert_allclose(y, elu_ref(X, 1.0), rtol=1e-6)
            assert y[0, 0] != 0.0
    finally:
        keras_elu.use_compiled_elu(False)
    from keras.src import activations as keras_activations  # noqa: PLC0415

    assert keras.activations.elu is before is keras_activations.elu is patching._ORIGINAL
    assert keras_activations.ALL_OBJECTS_DICT["elu"] is patching._ORIGINAL
    assert np.asarray(_functional(make()).predict(X, verbose=0))[0, 0] == 0.0  # Keras' own again


def test_negative_alpha_under_use_compiled_elu_runs_keras_own_code():
    x = np.float32([[-1.0, 2.0]])
    want = np.asarray(keras.layers.ELU(alpha=-0.5)(x))
    keras_elu.use_compiled_elu()
    try:
        np.testing.assert_array_equal(np.asarray(keras.layers.ELU(alpha=-0.5)(x)), want)
        np.testing.assert_allclose(want, [[-0.5 * np.expm1(-1.0), 2.0]], rtol=1e-6)
    finally:
        keras_elu.use_compiled_elu(False)


def test_keras_elu_elu_as_an_activation_saves_and_loads_as_ours(tmp_path):
    keras.mixed_precision.set_global_policy("mixed_float16")
    try:
        keras.utils.set_random_seed(0)
        model = keras.Sequential([keras.Input((6,)), keras.layers.Dense(64, activation=keras_elu.elu),
                                  keras.layers.Dense(1, dtype="float32")])
        assert model.layers[0].get_config()["activation"]["config"] == "keras_elu>elu"
        path = os.path.join(tmp_path, "m.keras")
        model.save(path)
        loaded = keras.saving.load_model(path)
        assert loaded.layers[0].activation is activations.elu
        x = np.random.default_rng(0).normal(0, 3, (256, 6)).astype(np.float32)
        np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
    finally:
        keras.mixed_precision.set_global_policy("float32")


def test_ragged_tensors_are_handled_like_tf_nn_elu():
    x = tf.ragged.constant([[-1.0, 2.0, -0.0], [], [0.5]])
    got = keras_elu.elu(x, 0.5)
    assert isinstance(got, tf.RaggedTensor)
    np.testing.assert_array_equal(got.row_splits.numpy(), x.row_splits.numpy())
    np.testing.assert_allclose(got.flat_values.numpy(), elu_ref(x.flat_values.numpy(), 0.5), rtol=1e-6)
