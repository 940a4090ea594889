"""The example scripts, run in seconds on tiny settings: their outputs, tables and plots.

The datasets behind them are tested in test_data.py and test_mnist_files.py.
"""

import json
import os
import subprocess
import sys

import keras
import numpy as np
import pytest

import keras_elu

from support import ROOT, elu_ref

sys.path.insert(0, os.path.join(ROOT, "examples"))
import autoencoder  # noqa: E402
import compare_init  # noqa: E402
import mean_activation  # noqa: E402
import mnist_cnn  # noqa: E402
import paper_activations  # noqa: E402
import progress  # noqa: E402

TINY_DATA = ["--dataset", "mnist-5k", "--verbose", "0"]


@pytest.mark.parametrize("script", ["mnist_cnn.py", "compare_init.py", "mean_activation.py", "autoencoder.py"])
def test_scripts_have_help(script):
    result = subprocess.run([sys.executable, os.path.join(ROOT, "examples", script), "--help"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0 and "--dataset" in result.stdout


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


def test_compare_init_quick_runs_the_six_configurations(tmp_path, capsys):
    rows = compare_init.main(["--quick", "--train-limit", "300", "--output-dir", str(tmp_path)])
    out = capsys.readouterr().out
    labels = ["relu", "keras_elu α=1", "keras_elu α=0.1"]
    assert [(r["init"], r["activation"]) for r in rows] == [(i, a) for i in compare_init.INITS for a in labels]
    assert [r["alpha"] for r in rows] == [None, 1.0, 0.1] * 2
    assert "run 6 of 6" in out and "grid done in" in out and "| he_normal | keras_elu α=0.1 |" in out
    assert "mnist-5k" in out and "3 epochs, 1 seed(s)" in out  # --quick: mnist-5k, 1 seed, 3 epochs
    assert [r["machinecurve_accuracy"] for r in rows] == [0.9915, 0.9906, 0.9906, 0.9918, 0.9922, 0.9922]
    assert all(0 <= r["accuracy_mean"] <= 1 and r["seeds"] == 1 for r in rows)
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["dataset"]["name"] == "mnist-5k" and len(summary["runs"]) == 6
    assert all(len(run["history"]["val_loss"]) == 3 for run in summary["runs"])
    for name in ("summary.csv", "comparison.png"):
        assert (tmp_path / name).stat().st_size > 0


def test_progress_counts_runs_and_estimates_what_is_left(capsys):
    now = [0.0]
    p = progress.Progress(3, timer=lambda: now[0])
    p.begin("first")
    p.end()
    now[0] = 100.0  # one run took 100 s: two are left
    p.begin("second")
    out = capsys.readouterr().out
    assert "run 1 of 3: first — elapsed 0:00:00, time left ~?" in out
    assert "run 2 of 3: second — elapsed 0:01:40, time left ~0:03:20" in out
    assert progress.clock(90061) == "25:01:01"


def test_the_paper_activations_match_their_formulas():
    x = np.linspace(-4, 3, 71).astype(np.float32)
    expected = {"elu": elu_ref(x, 1.0),
                "relu": np.maximum(x, 0), "lrelu": np.where(x > 0, x, 0.1 * x), "srelu": np.maximum(x, -1)}
    for name in paper_activations.ACTIVATIONS:
        got = keras.ops.convert_to_numpy(paper_activations.activation_layer(name)(x))
        np.testing.assert_allclose(got, expected[name], rtol=1e-6, atol=1e-7, err_msg=name)
    with pytest.raises(ValueError, match="received activation='tanh'"):
        paper_activations.activation_layer("tanh")


def test_mean_activation_records_every_layer_every_epoch(tmp_path, capsys):
    runs = mean_activation.main(TINY_DATA + ["--epochs", "2", "--seeds", "2", "--depth", "3", "--width", "16",
                                             "--probe-images", "100", "--output-dir", str(tmp_path)])
    assert [(r["activation"], r["seed"]) for r in runs] == [(a, s) for s in (0, 1) for a in paper_activations.ACTIVATIONS]
    for run in runs:
        last = np.asarray(run["unit_averages_last_epoch"])  # layers x units
        assert last.shape == (3, 16) and np.all(np.isfinite(last))
        assert np.asarray(run["layer_median_unit_average"]).shape == (2, 3)
        np.testing.assert_allclose(run["median_unit_average"][-1], np.median(last), rtol=1e-6)
        np.testing.assert_allclose(run["layer_median_unit_average"][-1], np.median(last, axis=1), rtol=1e-6)
        np.testing.assert_allclose(run["mean_abs_unit_average"][-1], np.abs(last).mean(), rtol=1e-6)
        assert len(run["train_loss"]) == len(run["val_loss"]) == 2 and np.all(np.isfinite(run["val_loss"]))
    for run in runs:  # ReLU's averages cannot be negative, SReLU's cannot fall below -1
        floor = {"relu": 0.0, "srelu": -1.0}.get(run["activation"], -np.inf)
        assert np.min(run["unit_averages_last_epoch"]) >= floor
    saved = json.loads((tmp_path / "mean_activation.json").read_text())
    assert saved["validation"] == "the last 800 of the 4,000 training images, held out"  # 20% of a small set
    assert len(saved["runs"]) == 8 and (tmp_path / "mean_activation.png").stat().st_size > 0
    out = capsys.readouterr().out
    assert "run 8 of 8" in out and "| ELU (keras_elu, α=1) | 2 |" in out and "| epoch 1 | epoch 2 |" in out


def test_mean_activation_holds_out_ten_thousand_of_full_mnist():
    full = type("D", (), {"y_train": np.zeros(60000)})()
    assert mean_activation.split(full, 10_000) == (10_000, "the last 10,000 of the 60,000 training images, held out")


def test_autoencoder_is_symmetric_and_reports_test_error_per_epoch(tmp_path, capsys):
    model = autoencoder.build("elu", 1e-2)
    assert [layer.units for layer in model.layers if isinstance(layer, keras.layers.Dense)] == [
        1000, 500, 250, 30, 250, 500, 1000, 784]
    runs = autoencoder.main(TINY_DATA + ["--epochs", "2", "--train-limit", "256", "--encoder", "32", "16", "4",
                                         "--learning-rates", "1e-2", "1e-5", "--output-dir", str(tmp_path)])
    assert [(r["learning_rate"], r["activation"]) for r in runs] == [
        (lr, a) for lr in (1e-2, 1e-5) for a in paper_activations.ACTIVATIONS]
    for run in runs:
        assert len(run["test_error"]) == len(run["train_error"]) == 2 and not run["diverged"]
        # the sum of squared errors over 784 pixels in [0, 1]: between 0 and 784
        assert 0 < min(run["test_error"]) and max(run["test_error"]) < 784
    out = capsys.readouterr().out
    assert "| activation | lr 0.01 | lr 1e-05 |" in out and "ELU best at every learning rate: " in out
    assert "run 8 of 8" in out and (tmp_path / "autoencoder.png").stat().st_size > 0
    assert len(json.loads((tmp_path / "autoencoder.json").read_text())["runs"]) == 8


def test_autoencoder_error_is_the_summed_squared_error():
    rng = np.random.default_rng(3)
    truth, guess = rng.random((4, 784)), rng.random((4, 784))
    got = keras.ops.convert_to_numpy(autoencoder.squared_error(truth.astype("float32"), guess.astype("float32")))
    np.testing.assert_allclose(got, ((truth - guess) ** 2).sum(axis=1), rtol=1e-5)


def test_autoencoder_table_marks_the_best_and_says_whether_elu_wins():
    runs = [{"activation": a, "learning_rate": lr, "test_error": [e]} for a, lr, e in
            [("elu", 1e-2, 5.0), ("relu", 1e-2, 6.0), ("elu", 1e-3, 9.0), ("relu", 1e-3, float("nan"))]]
    args = type("A", (), {"activations": ["elu", "relu"]})()
    table = autoencoder.markdown(runs, args)
    assert "| ELU (keras_elu, α=1) | **5.000** | **9.000** |" in table  # a diverged (NaN) run never wins
    assert "ELU best at every learning rate: yes" in table
