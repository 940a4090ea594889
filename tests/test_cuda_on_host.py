"""The CUDA kernels' source, run on the host: cc/cuda/elu_kernels.cu.cc compiled by g++.

cc/cuda/cuda_host_grid.h plays the grid (one fake SM, so big sizes turn the
grid-stride loops many times) and CUDA 13's own host versions of the
__half/__nv_bfloat16 conversions stand in for the device's. This proves the
launch arithmetic, the 16-byte pack path, the unaligned element path, the
tails, in-place use and the paired conversions; it does not prove device
code generation, device math accuracy (host libm stands in for expf/expm1f)
or speed, which need a GPU (cc/cuda/harness/).
"""

import os
import shutil
import subprocess

import pytest

from conftest import ROOT

CUDA_INCLUDE = "/usr/local/cuda/include"


@pytest.mark.skipif(not os.path.exists(os.path.join(CUDA_INCLUDE, "cuda_fp16.h")),
                    reason="no CUDA headers (cuda_fp16.h)")
@pytest.mark.skipif(shutil.which("g++") is None, reason="no g++")
def test_cuda_kernel_bodies_pass_every_case_on_the_host(tmp_path):
    exe = tmp_path / "run_kernels"
    cc = os.path.join(ROOT, "cc")
    build = subprocess.run(
        ["g++", "-std=c++17", "-O2", "-Wall", "-Werror=strict-aliasing", "-DKERAS_ELU_CUDA_ON_HOST=1",
         "-I", cc, "-I", CUDA_INCLUDE, os.path.join(cc, "cuda", "elu_kernels.cu.cc"),
         os.path.join(ROOT, "tests", "cuda_on_host", "run_kernels.cc"), "-o", str(exe)],
        capture_output=True, text=True)
    assert build.returncode == 0, build.stderr[-3000:]
    run = subprocess.run([str(exe)], capture_output=True, text=True, timeout=600)
    # 4 dtypes x 5 kinds x 7 sizes x (aligned, misaligned) x (out of place, in place)
    assert run.stdout.strip().splitlines()[-1] == "560 passed, 0 failed", run.stdout[-4000:]
    assert run.returncode == 0
