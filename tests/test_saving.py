"""Saving as users do it: .keras and SavedModel, reloaded in fresh processes."""

import os

import keras
import numpy as np
import pytest

import keras_elu
from conftest import run_python

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


def _save_inputs(tmp_path, data):
    path = os.path.join(tmp_path, "x.npy")
    np.save(path, data)
    return path


@pytest.mark.parametrize("trainable_alpha", [False, True])
def test_keras_file_reloads_in_a_fresh_process_with_identical_predictions(tmp_path, data, trainable_alpha):
    model = _model(trainable_alpha)
    if trainable_alpha:
        model.layers[2].alpha_weight.assign(0.37)  # a learned value must survive too
    path = os.path.join(tmp_path, "m.keras")
    model.save(path)
    code = ("import keras, keras_elu, numpy as np\n"
            f"m = keras.saving.load_model({path!r})\n"
            f"np.save({str(tmp_path / 'y.npy')!r}, m.predict(np.load({_save_inputs(tmp_path, data)!r}), verbose=0))\n")
    result = run_python(code)
    assert result.returncode == 0, result.stderr[-3000:]
    np.testing.assert_array_equal(np.load(tmp_path / "y.npy"), model.predict(data, verbose=0))


def test_export_serves_identically_after_import_in_a_fresh_process(tmp_path, data):
    model = _model()
    export_dir = str(tmp_path / "export")
    model.export(export_dir, verbose=False)
    code = ("import tensorflow as tf, keras_elu, numpy as np\n"
            f"loaded = tf.saved_model.load({export_dir!r})\n"
            f"np.save({str(tmp_path / 'y.npy')!r}, loaded.serve(np.load({_save_inputs(tmp_path, data)!r})).numpy())\n")
    result = run_python(code)
    assert result.returncode == 0, result.stderr[-3000:]
    np.testing.assert_array_equal(np.load(tmp_path / "y.npy"), model.predict(data, verbose=0))


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
    code = (BLOCK_KERAS_ELU +
            "import tensorflow as tf, numpy as np\n"
            f"loaded = tf.saved_model.load({export_dir!r})\n"
            "ops = {n.op for f in loaded.serve.get_concrete_function(tf.TensorSpec([None, 6])).graph.as_graph_def().library.function for n in f.node_def}\n"
            "assert 'Expm1' in ops and not any(o.startswith('KerasElu') for o in ops), ops\n"
            f"np.save({str(tmp_path / 'y.npy')!r}, loaded.serve(np.load({_save_inputs(tmp_path, data)!r})).numpy())\n")
    result = run_python(code)
    assert result.returncode == 0, result.stderr[-3000:]
    np.testing.assert_allclose(np.load(tmp_path / "y.npy"), model.predict(data, verbose=0),
                               rtol=2e-6, atol=1e-6)
