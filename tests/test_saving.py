"""Saving as users do it: .keras and SavedModel, reloaded in fresh processes."""

import os

import keras
import numpy as np
import pytest

import keras_elu
from support import run_python

pytestmark = pytest.mark.core  # see the markers in pyproject.toml

BLOCK_KERAS_ELU = "import sys; sys.modules['keras_elu'] = None\n"


def _model(trainable_alpha=False):
    keras.utils.set_random_seed(0)
    return keras.Sequential([
        keras.Input((6,)),
        keras.layers.Dense(8, activation="keras_elu>elu"),
        keras.layers.Dense(8),
        keras_elu.ELU(alpha=0.1, trainable_alpha=trainable_alpha),
        keras.layers.Dense(3),
    ])


@pytest.fixture
def data(rng):
    return rng.normal(0, 2, (16, 6)).astype(np.float32)


def _predict_in_fresh_process(tmp_path, data, load_and_predict: str, prelude: str = "") -> np.ndarray:
    """Runs `prelude`, then `load_and_predict` with `x` bound, in a new interpreter; returns `y`."""
    np.save(tmp_path / "x.npy", data)
    code = (prelude + "import numpy as np\n"
            f"x = np.load({str(tmp_path / 'x.npy')!r})\n" + load_and_predict +
            f"\nnp.save({str(tmp_path / 'y.npy')!r}, np.asarray(y))\n")
    result = run_python(code)
    assert result.returncode == 0, result.stderr[-3000:]
    return np.load(tmp_path / "y.npy")


@pytest.mark.parametrize("trainable_alpha", [False, True])
def test_keras_file_reloads_in_a_fresh_process_with_identical_predictions(tmp_path, data, trainable_alpha):
    model = _model(trainable_alpha)
    if trainable_alpha:
        model.layers[2].alpha_weight.assign(0.37)  # a learned value must survive too
    path = os.path.join(tmp_path, "m.keras")
    model.save(path)
    y = _predict_in_fresh_process(tmp_path, data, "import keras, keras_elu\n"
                                  f"y = keras.saving.load_model({path!r}).predict(x, verbose=0)")
    np.testing.assert_array_equal(y, model.predict(data, verbose=0))


def test_export_serves_identically_after_import_in_a_fresh_process(tmp_path, data):
    model = _model()
    export_dir = str(tmp_path / "export")
    model.export(export_dir, verbose=False)
    y = _predict_in_fresh_process(tmp_path, data, "import tensorflow as tf, keras_elu\n"
                                  f"loaded = tf.saved_model.load({export_dir!r})\ny = loaded.serve(x).numpy()")
    np.testing.assert_array_equal(y, model.predict(data, verbose=0))


def test_export_without_the_import_fails_naming_our_op(tmp_path):
    export_dir = str(tmp_path / "export")
    _model().export(export_dir, verbose=False)
    result = run_python(BLOCK_KERAS_ELU + f"import tensorflow as tf\ntf.saved_model.load({export_dir!r})\n")
    assert result.returncode != 0
    assert "KerasElu>Elu" in result.stderr  # the op's namespace names the package to import


def test_portable_export_needs_only_stock_ops(tmp_path, data):
    model = _model()
    export_dir = str(tmp_path / "portable")
    with keras_elu.portable():
        model.export(export_dir, verbose=False)
    y = _predict_in_fresh_process(
        tmp_path, data, prelude=BLOCK_KERAS_ELU, load_and_predict=(
            "import tensorflow as tf\n"
            f"loaded = tf.saved_model.load({export_dir!r})\n"
            "graph = loaded.serve.get_concrete_function(tf.TensorSpec([None, 6])).graph\n"
            "ops = {n.op for f in graph.as_graph_def().library.function for n in f.node_def}\n"
            "assert 'Expm1' in ops and not any(o.startswith('KerasElu') for o in ops), ops\n"
            "y = loaded.serve(x).numpy()"))
    np.testing.assert_allclose(y, model.predict(data, verbose=0), rtol=2e-6, atol=1e-6)
