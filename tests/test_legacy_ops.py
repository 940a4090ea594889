"""keras_elu 0.1's ops stay loadable and runnable: the registered signatures are a promise.

0.1 differentiated from the output (KerasElu>EluGrad, EluGradGrad); 0.2 adds
EluGradV2/EluGradGradV2 from the input. Graphs and SavedModels written by 0.1
hold the old ops, so their kernels (CPU and XLA) and gradients remain.
"""

import json
import os

import numpy as np
import pytest
import tensorflow as tf

from keras_elu._loader import LIBRARY
from support import (DTYPES, ROOT, alpha_as_used, elu_grad_ref, elu_ref, elu_second_ref, needs_xla_kernels,
                     run_python)

pytestmark = [pytest.mark.cpu_isa, pytest.mark.core]  # see the markers in pyproject.toml

SAVED_BY_0_1 = os.path.join(ROOT, "tests", "data", "savedmodel_v0_1")

LOAD = f"""
import json, numpy as np, tensorflow as tf, keras_elu
loaded = tf.saved_model.load({SAVED_BY_0_1!r})
graph = loaded.derivatives.get_concrete_function().graph.as_graph_def()
ops = sorted({{n.op for f in graph.library.function for n in f.node_def if n.op.startswith("KerasElu")}})
out = loaded.derivatives(tf.constant([-3.0, -1.0, -0.25, 0.0, 0.5, 2.0]))
print(json.dumps({{"ops": ops, **{{k: v.numpy().tolist() for k, v in out.items()}}}}))
"""


def test_savedmodel_written_by_0_1_loads_and_runs_in_a_fresh_process():
    result = run_python(LOAD)
    assert result.returncode == 0, result.stderr[-3000:]
    got = json.loads(result.stdout.strip().splitlines()[-1])
    assert got["ops"] == ["KerasElu>Elu", "KerasElu>EluGrad", "KerasElu>EluGradGrad"]
    x = np.array([-3.0, -1.0, -0.25, 0.0, 0.5, 2.0])
    alpha = 0.5  # the model's variable
    np.testing.assert_allclose(got["y"], elu_ref(x, alpha), rtol=1e-6)
    np.testing.assert_allclose(got["dx"], elu_grad_ref(x, alpha), rtol=1e-6)
    np.testing.assert_allclose(got["d2x"], elu_second_ref(x, alpha), rtol=1e-6)


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: d.name)
@pytest.mark.parametrize("jit", [False, pytest.param(True, marks=needs_xla_kernels)])
def test_legacy_kernels_compute_the_0_1_formulas(dtype, jit, rng):
    alpha = alpha_as_used(0.3, dtype)
    x = rng.normal(0, 2, 1001)
    y = elu_ref(x, alpha)
    dy, g = rng.normal(size=1001), rng.normal(size=1001)
    cast = lambda v: tf.cast(tf.constant(v), dtype)  # noqa: E731
    a = tf.constant(0.3, tf.float64 if dtype == tf.float64 else tf.float32)

    def run(dy_, y_, g_):
        return (LIBRARY.keras_elu_elu_grad(dy_, y_, a), LIBRARY.keras_elu_elu_grad_grad(g_, dy_, y_))

    grad, grad_grad = tf.function(run, jit_compile=jit)(cast(dy), cast(y), cast(g))
    y_in = tf.cast(cast(y), tf.float64).numpy()
    dy_in, g_in = (tf.cast(cast(v), tf.float64).numpy() for v in (dy, g))
    rtol = {tf.float16: 2e-3, tf.bfloat16: 1.6e-2, tf.float32: 1e-6, tf.float64: 1e-14}[dtype]
    np.testing.assert_allclose(tf.cast(grad, tf.float64).numpy(),
                               np.where(y_in > 0, dy_in, dy_in * (y_in + alpha)), rtol=rtol, atol=rtol)
    np.testing.assert_allclose(tf.cast(grad_grad, tf.float64).numpy(),
                               np.where(y_in > 0, 0.0, g_in * dy_in), rtol=rtol, atol=rtol)


def test_legacy_ops_still_have_gradients():
    dy, y = tf.constant([0.5, -2.0]), tf.constant([1.0, -0.5])
    alpha = tf.Variable(0.5)
    with tf.GradientTape() as tape:
        tape.watch([dy, y])
        out = tf.reduce_sum(LIBRARY.keras_elu_elu_grad(dy, y, alpha))
    d_dy, d_y, d_alpha = tape.gradient(out, [dy, y, alpha])
    np.testing.assert_allclose(d_dy.numpy(), [1.0, 0.0])  # y + alpha on y <= 0
    np.testing.assert_allclose(d_y.numpy(), [0.0, -2.0])
    np.testing.assert_allclose(d_alpha.numpy(), -2.0)
