"""scripts/gpu_check.sh's host half, as CI runs it: the GPU side built the package's way, its images checked.

The device half (cases, exhaustive accuracy, speed against PyTorch) needs a
GPU; its table goes into the README when one is lent.
"""

import json
import os
import py_compile
import subprocess

from support import ROOT


def test_host_half_builds_the_gpu_library_and_finds_every_kernel_in_every_image(tmp_path):
    result = subprocess.run(["bash", os.path.join(ROOT, "scripts", "gpu_check.sh"), "--host-only", str(tmp_path)],
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    report = json.loads((tmp_path / "gpu_check.json").read_text())
    assert report["passed"] and report["image_check"]["problems"] == []
    assert sorted(report["image_check"]["images"]) == ["compute_90", "sm_75", "sm_80", "sm_86", "sm_89", "sm_90"]
    assert report["image_check"]["kernels"] == 20
    assert "all present and for their arch" in (tmp_path / "gpu_check.md").read_text()


def test_device_half_compiles():
    # It runs only where a GPU and PyTorch are; here, at least, it is valid Python.
    for script in ("gpu_check_device.py", "gpu_check_speed.py"):
        py_compile.compile(os.path.join(ROOT, "scripts", script), doraise=True)
