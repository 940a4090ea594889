"""A few seconds' proof that an installed keras_elu works: op, gradient, layer, string, saving.

    python scripts/smoke_test.py      # run from outside the source tree

Used by scripts/build_wheel.sh on the freshly installed wheel.
"""

import os
import sys
import tempfile

import keras
import numpy as np
import tensorflow as tf

import keras_elu


def main() -> int:
    here = os.path.dirname(os.path.abspath(keras_elu.__file__))
    print(f"keras_elu {keras_elu.__version__} from {here}, TensorFlow {tf.__version__}, Keras {keras.__version__}")
    x = tf.constant([-20.0, -1.0, 0.0, 2.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = keras_elu.elu(x, 0.5)
    np.testing.assert_allclose(y.numpy(), [0.5 * np.expm1(-20.0), 0.5 * np.expm1(-1.0), 0.0, 2.0], rtol=1e-6)
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), [0.5 * np.exp(-20.0), 0.5 * np.exp(-1.0), 0.5, 1.0],
                               rtol=1e-6)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(4, activation="keras_elu>elu"),
                              keras_elu.ELU(alpha=0.1)])
    data = np.random.default_rng(0).normal(size=(8, 4)).astype(np.float32)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "m.keras")
        model.save(path)
        np.testing.assert_array_equal(keras.saving.load_model(path).predict(data, verbose=0),
                                      model.predict(data, verbose=0))
    print("smoke test passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
