"""The CUDA kernels, run on the host: cc/cuda/elu_device.cu compiled by g++, launched by the real launcher.

cc/cuda/cuda_host_grid.h stands in for the driver API (one fake SM, so big
sizes turn the grid-stride loops many times), and CUDA's own host versions of
the __half/__nv_bfloat16 conversions stand in for the device's. This proves
the launch plan (kernel name, grid, alignment, the float math's method and
table), which image each GPU and driver gets, the 16-byte pack path, the unaligned element path, the tails,
in-place use and the paired conversions, and that everything computed in
float gives the CPU kernels' bits. It does not prove device code generation
or speed, which need a GPU (scripts/gpu_check.sh).
"""

import os
import shutil
import subprocess
import sys

import pytest

from support import ROOT

sys.path.insert(0, os.path.join(ROOT, "build_tools"))
import cuda_images  # noqa: E402

CASES = 4 * 5 * (7 * 4 + 4) + 11  # dtypes x kinds x (sizes x alignment x in-place + alphas), image choices


def _toolchain():
    try:
        return cuda_images.find_toolchain()
    except cuda_images.CudaToolchainMissing as error:
        pytest.skip(str(error))


@pytest.mark.skipif(shutil.which("g++") is None, reason="no g++")
def test_cuda_kernel_bodies_pass_every_case_on_the_host(tmp_path):
    includes = [f"-I{d}" for d in cuda_images.host_include_dirs(_toolchain())]
    cc = os.path.join(ROOT, "cc")
    sources = [os.path.join(cc, "cuda", name) for name in ("elu_device.cu", "cuda_host_grid.cc", "elu_gpu_launch.cc")]
    sources += [os.path.join(cc, "cpu", name) for name in sorted(os.listdir(os.path.join(cc, "cpu")))
                if name.endswith(".cc")]
    sources.append(os.path.join(ROOT, "tests", "cuda_on_host", "run_kernels.cc"))
    exe = tmp_path / "run_kernels"
    build = subprocess.run(
        ["g++", "-std=c++17", "-O2", "-Wall", "-Wno-unknown-pragmas", "-Wno-psabi", "-Werror=strict-aliasing",
         "-DKERAS_ELU_CUDA_ON_HOST=1", f"-I{cc}", *includes, "-x", "c++", *sources, "-o", str(exe)],
        capture_output=True, text=True)
    assert build.returncode == 0, build.stderr[-3000:]
    run = subprocess.run([str(exe)], capture_output=True, text=True, timeout=600)
    assert run.stdout.strip().splitlines()[-1] == f"{CASES} passed, 0 failed", run.stdout[-4000:]
    assert run.returncode == 0
