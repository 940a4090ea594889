"""The example scripts, smoke-run on small slices, and every dataset source that is present."""

import gzip
import json
import os
import subprocess
import sys

import keras
import numpy as np
import pytest

import keras_elu

from conftest import ROOT

sys.path.insert(0, os.path.join(ROOT, "examples"))
import compare_init  # noqa: E402
import data  # noqa: E402
import mean_activation  # noqa: E402
import mnist_cnn  # noqa: E402


@pytest.mark.parametrize("script", ["mnist_cnn.py", "compare_init.py", "mean_activation.py"])
def test_scripts_have_help(script):
    result = subprocess.run([sys.executable, os.path.join(ROOT, "examples", script), "--help"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0 and "--dataset" in result.stdout


def test_mnist_5k_is_real_stratified_and_deterministic():
    first, second = data.load("mnist-5k"), data.load("mnist-5k")
    np.testing.assert_array_equal(first.y_train, second.y_train)
    assert first.x_train.shape == (4000, 28, 28, 1) and first.x_test.shape == (1000, 28, 28, 1)
    assert first.x_train.dtype == np.float32 and 0.0 <= first.x_train.min() and first.x_train.max() <= 1.0
    assert np.bincount(first.y_train).tolist() == [400] * 10
    assert np.bincount(first.y_test).tolist() == [100] * 10
    # Keras' validation_split takes the last 20% unshuffled: every class must be there.
    assert len(np.unique(first.y_train[-800:])) == 10


@pytest.mark.skipif(not os.path.isdir(data.DEBIAN_FASHION_MNIST), reason="dataset-fashion-mnist not installed")
def test_fashion_mnist_from_debian():
    fashion = data.load("fashion-mnist")
    assert fashion.x_train.shape == (60000, 28, 28, 1) and fashion.x_test.shape == (10000, 28, 28, 1)
    assert np.bincount(fashion.y_test).tolist() == [1000] * 10
    assert "Debian" in fashion.source


def _write_idx(path, array):
    header = bytes([0, 0, 8, array.ndim]) + b"".join(d.to_bytes(4, "big") for d in array.shape)
    with gzip.open(path, "wb") as f:
        f.write(header + array.astype(np.uint8).tobytes())


@pytest.mark.parametrize("layout", ["idx", "npz"])
def test_data_dir_reads_idx_and_npz(tmp_path, layout):
    real = data.load("mnist-5k")  # real digits, written out in the two formats
    pixels = lambda x: np.rint(x[..., 0] * 255).astype(np.uint8)  # noqa: E731
    if layout == "idx":
        for stem, array in zip(data.IDX_FILES, (pixels(real.x_train[:50]), real.y_train[:50],
                                                pixels(real.x_test[:20]), real.y_test[:20])):
            _write_idx(os.path.join(tmp_path, stem + ".gz"), array)
    else:
        np.savez(tmp_path / "mnist.npz", x_train=pixels(real.x_train[:50]), y_train=real.y_train[:50],
                 x_test=pixels(real.x_test[:20]), y_test=real.y_test[:20])
    loaded = data.load(data_dir=str(tmp_path))
    np.testing.assert_allclose(loaded.x_train, real.x_train[:50], atol=1e-6)
    np.testing.assert_array_equal(loaded.y_test, real.y_test[:20])


def test_unknown_dataset_and_empty_dir_are_clear_errors(tmp_path):
    with pytest.raises(ValueError, match="received dataset='cifar'"):
        data.load("cifar")
    with pytest.raises(data.DatasetUnavailable, match="train-images-idx3-ubyte"):
        data.load(data_dir=str(tmp_path))


def test_default_is_mnist_or_an_announced_fallback(capsys):
    loaded = data.load(None)
    if loaded.name == "mnist-5k":
        assert "falling back to mnist-5k" in capsys.readouterr().err
    else:
        assert loaded.name == "mnist" and loaded.x_train.shape == (60000, 28, 28, 1)


def test_mnist_cnn_writes_results_model_and_plots(tmp_path):
    result = mnist_cnn.main(["--dataset", "mnist-5k", "--epochs", "1", "--train-limit", "500",
                             "--activation", "keras_elu", "--alpha", "0.1", "--output-dir", str(tmp_path)])
    for name in ("results.json", "model.keras", "accuracy.png", "loss.png"):
        assert (tmp_path / name).stat().st_size > 0
    saved = json.loads((tmp_path / "results.json").read_text())
    assert saved["config"]["alpha"] == 0.1 and saved["dataset"]["name"] == "mnist-5k"
    assert 0.0 <= saved["test_accuracy"] <= 1.0 and np.isfinite(saved["test_loss"])
    assert len(saved["history"]["val_loss"]) == 1 and len(saved["seconds_per_epoch"]) == 1
    model = keras.saving.load_model(tmp_path / "model.keras")
    probs = model.predict(np.zeros((2, 28, 28, 1), np.float32), verbose=0)
    np.testing.assert_allclose(probs.sum(1), 1.0, rtol=1e-5)
    assert result["test_accuracy"] == saved["test_accuracy"]


def test_old_activation_names_still_work_with_a_warning():
    with pytest.warns(FutureWarning, match="'elu' is now called 'keras_elu'"):
        assert isinstance(mnist_cnn.activation_layer("elu", 0.1), keras_elu.ELU)
    with pytest.warns(FutureWarning, match="'keras-elu' is now called 'keras'"):
        layer = mnist_cnn.activation_layer("keras-elu", 0.1)
    assert type(layer) is keras.layers.ELU
    with pytest.raises(ValueError, match="received activation='selu'"):
        mnist_cnn.activation_layer("selu", 0.1)


def test_compare_init_prints_table_and_writes_summary(tmp_path, capsys):
    rows = compare_init.main(["--dataset", "mnist-5k", "--seeds", "1", "--epochs", "1",
                              "--train-limit", "300", "--verbose", "0", "--output-dir", str(tmp_path)])
    out = capsys.readouterr().out
    assert "| he_normal | keras_elu |" in out and "run 4 of 4" in out and "0.9922" in out
    assert len(rows) == 4 and all(0 <= r["accuracy_mean"] <= 1 for r in rows)
    for name in ("summary.json", "summary.csv", "comparison.png"):
        assert (tmp_path / name).stat().st_size > 0


def test_mean_activation_records_every_unit_every_epoch(tmp_path):
    results = mean_activation.main(["--dataset", "mnist-5k", "--epochs", "2", "--depth", "3",
                                    "--width", "16", "--probe-images", "100", "--verbose", "0",
                                    "--output-dir", str(tmp_path)])
    assert set(results) == set(mean_activation.ACTIVATIONS)
    for result in results.values():
        means = np.asarray(result["unit_means"])
        assert means.shape == (2, 3, 16) and np.all(np.isfinite(means))
        assert len(result["loss"]) == 2 and np.all(np.isfinite(result["loss"]))
    srelu = np.asarray(results["srelu"]["unit_means"])
    assert srelu.min() >= -1.0  # max(-1, x) can never average below -1
    assert (tmp_path / "mean_activation.png").stat().st_size > 0
