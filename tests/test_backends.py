"""Other Keras backends: the layer and the activation fall back to keras.ops, same numbers."""

import json

import numpy as np
import pytest

from conftest import elu_ref, run_python

CODE = """
import json, os, numpy as np, keras, keras_elu
assert keras.backend.backend() == os.environ["KERAS_BACKEND"]
x = np.array([[-3.0, -1e-3, 0.0, 0.5, 4.0]], np.float32)
model = keras.Sequential([keras.Input((5,)), keras_elu.ELU(alpha=0.1)])
dense = keras.layers.Dense(5, activation="keras_elu>elu", kernel_initializer="identity", use_bias=False)
print(json.dumps([np.asarray(model(x)).tolist(), np.asarray(dense(x)).tolist()]))
"""


@pytest.mark.parametrize("backend", ["numpy", "jax"])
def test_other_backends_use_keras_ops_with_the_same_numbers(backend):
    result = run_python(CODE, env_extra={"KERAS_BACKEND": backend})
    assert result.returncode == 0, result.stderr[-3000:]
    layer_out, dense_out = json.loads(result.stdout.strip().splitlines()[-1])
    x = np.array([[-3.0, -1e-3, 0.0, 0.5, 4.0]], np.float32)
    np.testing.assert_allclose(layer_out, elu_ref(x, float(np.float32(0.1))), rtol=1e-6)
    np.testing.assert_allclose(dense_out, elu_ref(x, 1.0), rtol=1e-6)
