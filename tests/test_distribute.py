"""tf.distribute.MirroredStrategy over two logical CPUs matches single-device training."""

import pytest

from support import run_python

TRAIN = """
import os, json
import numpy as np, tensorflow as tf
cpu = tf.config.list_physical_devices("CPU")[0]
tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
import keras, keras_elu

def train(strategy):
    with strategy.scope():
        keras.utils.set_random_seed(7)
        model = keras.Sequential([keras.Input((6,)), keras.layers.Dense(16, activation="keras_elu>elu"),
                                  keras_elu.ELU(0.2, trainable_alpha=True), keras.layers.Dense(1)])
        model.compile(optimizer=keras.optimizers.SGD(0.05), loss="mse")
    rng = np.random.default_rng(0)
    x = rng.normal(size=(256, 6)).astype(np.float32)
    model.fit(x, np.sin(x).sum(1, keepdims=True), epochs=3, batch_size=64, verbose=0, shuffle=False)
    return model.get_weights()

mirrored = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
assert mirrored.num_replicas_in_sync == 2
a = train(mirrored)
b = train(tf.distribute.OneDeviceStrategy("/cpu:0"))
print(json.dumps(max(float(np.max(np.abs(x - y))) for x, y in zip(a, b))))
"""


@pytest.mark.slow
def test_mirrored_strategy_matches_single_device():
    result = run_python(TRAIN)
    assert result.returncode == 0, result.stderr[-3000:]
    assert float(result.stdout.strip().splitlines()[-1]) < 1e-5
