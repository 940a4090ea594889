"""The sdist and wheel round trip: what a user installing from a tarball or a wheel gets.

sdist -> unpack -> scripts/build_wheel.sh from the unpacked tree (wheel built
against this venv's TensorFlow, its pin checked, installed with binaries only
into a clean venv, smoke-tested there). Several minutes: marked slow, run in CI.
"""

import os
import subprocess
import sys
import tarfile

import pytest

from support import ROOT
from packaging.requirements import Requirement

sys.path.insert(0, os.path.join(ROOT, "build_tools"))
import tensorflow_range  # noqa: E402

REQUIRED = ("README.md", "LICENSE", "setup.py", "pyproject.toml", "MANIFEST.in", "requirements-cuda.txt",
            "build_tools/cuda_images.py", "build_tools/tensorflow_range.py", "cc/ops/elu_ops.cc",
            "cc/kernels/elu_kernels.cc", "cc/cpu/elu_simd.h", "cc/cuda/elu_device.cu", "cc/cuda/nvrtc_std/cstdint",
            "tests/conftest.py", "tests/support.py", "tests/data/savedmodel_v0_1/saved_model.pb",
            "scripts/build_wheel.sh", "scripts/smoke_test.py")


@pytest.mark.slow
def test_sdist_builds_a_wheel_that_installs_and_works_in_a_clean_venv(tmp_path):
    build = subprocess.run([sys.executable, "-m", "build", "--sdist", "--no-isolation", "-o", str(tmp_path), ROOT],
                           capture_output=True, text=True)
    assert build.returncode == 0, build.stderr[-3000:]
    (sdist,) = tmp_path.glob("keras_elu-*.tar.gz")
    with tarfile.open(sdist) as tar:
        names = {name.split("/", 1)[1] for name in tar.getnames() if "/" in name}
        for name in REQUIRED:
            assert name in names, f"{name} missing from the sdist"
        assert not [n for n in names if n.endswith((".so", ".o")) or "_build_info" in n]
        requires = tar.extractfile(f"{sdist.name[: -len('.tar.gz')]}/keras_elu.egg-info/requires.txt")
        # The tested range, not one series.
        wanted = Requirement(tensorflow_range.requirement())
        assert any(Requirement(line) == wanted for line in requires.read().decode().split() if line)
        tar.extractall(tmp_path, filter="data")
    unpacked = tmp_path / sdist.name[: -len(".tar.gz")]
    env = dict(os.environ, KERAS_ELU_VENV=sys.prefix)
    result = subprocess.run(["bash", str(unpacked / "scripts" / "build_wheel.sh"), str(tmp_path / "dist")],
                            capture_output=True, text=True, env=env, timeout=1800)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "smoke test passed" in result.stdout and "build_wheel: ok" in result.stdout
