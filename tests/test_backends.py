"""Other Keras backends: the layer, the string and keras_elu.elu run the stock-op twin, same numbers.

One twin (keras_elu._twin) with one compute-dtype rule serves these backends,
portable() and the XLA fallback: halves compute in float32, as the op does, so
a float16 model gives the op's numbers on every backend.
"""

import json

import numpy as np
import pytest
import tensorflow as tf

import keras_elu
from support import elu_ref, run_python, ulp_distance

CODE = """
import json, os, numpy as np, keras, keras_elu
assert keras.backend.backend() == os.environ["KERAS_BACKEND"]
x = np.array([[-3.0, -1e-3, 0.0, 0.5, 4.0]], np.float32)
model = keras.Sequential([keras.Input((5,)), keras_elu.ELU(alpha=0.1)])
dense = keras.layers.Dense(5, activation="keras_elu>elu", kernel_initializer="identity", use_bias=False)
halves = np.linspace(-12, 3, 4001).astype(np.float16)
half_out = np.asarray(keras_elu.elu(halves, 0.1))
assert half_out.dtype == np.float16, half_out.dtype
print(json.dumps([np.asarray(model(x)).tolist(), np.asarray(dense(x)).tolist(), half_out.tolist()]))
"""


@pytest.mark.parametrize("backend", ["numpy", "jax"])
def test_other_backends_use_the_twin_with_the_op_numbers(backend):
    result = run_python(CODE, env_extra={"KERAS_BACKEND": backend})
    assert result.returncode == 0, result.stderr[-3000:]
    layer_out, dense_out, half_out = json.loads(result.stdout.strip().splitlines()[-1])
    x = np.array([[-3.0, -1e-3, 0.0, 0.5, 4.0]], np.float32)
    np.testing.assert_allclose(layer_out, elu_ref(x, float(np.float32(0.1))), rtol=1e-6)
    np.testing.assert_allclose(dense_out, elu_ref(x, 1.0), rtol=1e-6)
    halves = np.linspace(-12, 3, 4001).astype(np.float16)
    op = keras_elu.elu(tf.constant(halves), 0.1).numpy()
    assert ulp_distance(np.float16(half_out), op, tf.float16).max() <= 1
