"""mixed_float16 / mixed_bfloat16: models train and activations stay in the compute dtype."""

import keras
import numpy as np
import pytest

import keras_elu


@pytest.fixture
def policy(request):
    keras.mixed_precision.set_global_policy(request.param)
    yield request.param
    keras.mixed_precision.set_global_policy("float32")


@pytest.mark.parametrize("policy", ["mixed_float16", "mixed_bfloat16"], indirect=True)
def test_mixed_precision_model_trains_in_the_compute_dtype(policy, rng):
    compute = policy.split("_")[1]
    keras.utils.set_random_seed(1)
    layer = keras_elu.ELU(0.1, trainable_alpha=True)
    inputs = keras.Input((8,))
    hidden = keras.layers.Dense(32, activation="keras_elu>elu")(inputs)
    activated = layer(keras.layers.Dense(32)(hidden))
    model = keras.Model(inputs, keras.layers.Dense(1, dtype="float32")(activated))
    assert activated.dtype == compute and hidden.dtype == compute
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="mse")
    x = rng.normal(size=(256, 8)).astype(np.float32)
    y = np.tanh(x[:, :1] - x[:, 1:2])
    history = model.fit(x, y, epochs=8, batch_size=32, verbose=0)
    losses = history.history["loss"]
    assert np.all(np.isfinite(losses)) and losses[-1] < 0.5 * losses[0]
    assert layer.alpha_weight.dtype == "float32"
    probe = keras.Model(inputs, activated)
    assert keras.backend.standardize_dtype(probe(x[:4]).dtype) == compute
