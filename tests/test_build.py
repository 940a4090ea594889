"""The build and the loader: what was compiled, and the errors a broken install gives."""

import ctypes
import glob
import json
import os
import shutil
import subprocess
import sys

import pytest
import tensorflow as tf

import keras_elu
from keras_elu import _loader
from support import ROOT, needs_xla_kernels, run_python

sys.path.insert(0, os.path.join(ROOT, "build_tools"))
import cuda_image_check  # noqa: E402
import cuda_images  # noqa: E402

pytestmark = pytest.mark.core  # see the markers in pyproject.toml

PACKAGE = os.path.dirname(keras_elu.__file__)


def test_version_comes_from_the_package_metadata():
    import importlib.metadata  # noqa: PLC0415
    import tomllib  # noqa: PLC0415

    with open(os.path.join(ROOT, "pyproject.toml"), "rb") as f:
        declared = tomllib.load(f)["project"]["version"]
    assert keras_elu.__version__ == importlib.metadata.version("keras_elu") == declared


def test_build_record():
    assert _loader.BUILD_INFO["tensorflow"] == tf.__version__
    # CI installs the system headers, so XLA kernels are built unless this
    # TensorFlow's own XLA headers do not compile, and then the build says why.
    why = _loader.BUILD_INFO.get("xla_unavailable")
    assert _loader.HAS_XLA_KERNELS or "No such file or directory" in (why or ""), why


@needs_xla_kernels
def test_op_kernels_are_registered_for_cpu_and_xla():
    from tensorflow.python.framework import kernels  # noqa: PLC0415

    keras_elu.elu([1.0])  # XLA registers its JIT kernels when a device first starts
    for op in ("KerasElu>Elu", "KerasElu>EluGradV2", "KerasElu>EluGradGradV2", "KerasElu>EluGrad",
               "KerasElu>EluGradGrad"):
        devices = {k.device_type for k in kernels.get_registered_kernels_for_op(op).kernel}
        assert {"CPU", "XLA_CPU_JIT"} <= devices, (op, devices)


def _copy_package(tmp_path, with_library=True, built_against=None):
    target = tmp_path / "keras_elu"
    shutil.copytree(PACKAGE, target, ignore=shutil.ignore_patterns("__pycache__", "*.so"))
    if with_library:
        for lib in glob.glob(os.path.join(PACKAGE, "_elu_ops*.so")):
            shutil.copy(lib, target)
    if built_against:
        info = dict(_loader.BUILD_INFO, tensorflow=built_against)
        (target / "_build_info.json").write_text(json.dumps(info))
    return str(tmp_path)


def test_tensorflow_version_mismatch_names_both_versions_and_the_fix(tmp_path):
    major, minor = tf.__version__.split(".")[:2]
    other = f"{major}.{int(minor) + 1}.0"  # a series other than the installed one
    path = _copy_package(tmp_path, built_against=other)
    result = run_python("import keras_elu", path_first=path, cwd=str(tmp_path))
    assert result.returncode != 0
    assert "ImportError" in result.stderr
    assert f"TensorFlow {other}" in result.stderr and f"TensorFlow {tf.__version__}" in result.stderr
    assert "pip install --no-build-isolation" in result.stderr


def test_missing_library_says_how_to_build(tmp_path):
    path = _copy_package(tmp_path, with_library=False)
    result = run_python("import keras_elu", path_first=path, cwd=str(tmp_path))
    assert result.returncode != 0
    assert "compiled op library is missing" in result.stderr
    assert "pip install --no-build-isolation" in result.stderr


def test_build_without_tensorflow_refuses_with_instructions(tmp_path):
    # What pip's isolated build environment looks like: no TensorFlow.
    code = ("import sys, runpy; sys.modules['tensorflow'] = None; "
            "sys.argv = ['setup.py', 'build_ext']; runpy.run_path('setup.py')")
    result = run_python(code)
    assert result.returncode != 0
    assert "--no-build-isolation" in result.stderr


def _cuobjdump():
    import nvidia  # noqa: PLC0415  (the pip wheels' namespace)

    for base in nvidia.__path__:
        for path in glob.glob(os.path.join(base, "*", "bin", "cuobjdump")):
            return path
    return shutil.which("cuobjdump")


needs_cuda_build = pytest.mark.skipif(not _loader.BUILD_INFO.get("cuda_kernels"),
                                      reason="built without CUDA kernels (no NVRTC wheel)")


@needs_cuda_build
def test_cuda_build_record_names_arches_ptx_toolchain_and_drivers():
    info = _loader.BUILD_INFO
    assert info["cuda_arches"] == [f"sm_{a}" for a in cuda_images.CUBIN_ARCHES] == \
        ["sm_75", "sm_80", "sm_86", "sm_89", "sm_90"]
    assert info["cuda_ptx"] == [f"compute_{cuda_images.PTX_ARCH}"] == ["compute_90"]
    assert info["cuda_toolchain"].startswith("NVRTC 12.")
    assert info["cuda_min_driver"]["cubin"] == "CUDA 12.0 driver (R525+)"
    assert info["cuda_min_driver"]["ptx"] == f"CUDA {info['cuda_toolchain'].split()[1]} driver"


def _embedded_images() -> dict:
    library = ctypes.CDLL(_loader.LIBRARY_PATH)
    name, data, size = ctypes.c_char_p(), ctypes.POINTER(ctypes.c_ubyte)(), ctypes.c_ulong()
    images = {}
    for i in range(library.KerasEluGpuImage(-1, None, None, None)):
        library.KerasEluGpuImage(i, ctypes.byref(name), ctypes.byref(data), ctypes.byref(size))
        images[name.value.decode()] = ctypes.string_at(data, size.value)
    return images


def _kernel_names() -> list[str]:
    library = ctypes.CDLL(_loader.LIBRARY_PATH)
    library.KerasEluGpuKernelName.restype = ctypes.c_char_p
    return [library.KerasEluGpuKernelName(kind, dtype).decode() for kind in range(5) for dtype in range(4)]


@needs_cuda_build
def test_every_embedded_image_is_for_its_arch_and_holds_all_twenty_kernels():
    images, names = _embedded_images(), _kernel_names()
    assert len(set(names)) == 20 and "keras_elu_grad_grad_bfloat16" in names
    assert sorted(images) == sorted(_loader.BUILD_INFO["cuda_arches"] + _loader.BUILD_INFO["cuda_ptx"])
    for image_name, data in images.items():
        assert cuda_image_check.image_problems(data, image_name, names) == []
        ptx = image_name.startswith("compute_")
        assert len(data) - ptx == _loader.BUILD_INFO["cuda_image_bytes"][image_name]  # PTX has its NUL


@needs_cuda_build
@pytest.mark.skipif(_cuobjdump() is None, reason="no cuobjdump (pip: nvidia-cuda-cuobjdump)")
def test_cuobjdump_reads_each_cubin_as_its_arch_with_every_kernel(tmp_path):
    names = _kernel_names()
    for image_name, data in _embedded_images().items():
        if image_name.startswith("compute_"):
            continue
        path = tmp_path / f"{image_name}.cubin"
        path.write_bytes(data)
        header = subprocess.run([_cuobjdump(), "-elf", str(path)], capture_output=True, text=True).stdout
        assert f"sm={image_name[3:]}," in header.splitlines()[1], header[:300]
        symbols = subprocess.run([_cuobjdump(), "-symbols", str(path)], capture_output=True, text=True).stdout
        entries = {line.split()[-1] for line in symbols.splitlines() if line.split()[:4] == ["FUNC", "GLOBAL",
                                                                                            "DEFAULT", "ENTRY"]}
        assert entries >= set(names), sorted(set(names) - entries)


@needs_cuda_build
def test_library_needs_no_cuda_library_to_load():
    needed = subprocess.run(["readelf", "-d", _loader.LIBRARY_PATH], capture_output=True, text=True).stdout
    assert "NEEDED" in needed and not [line for line in needed.splitlines()
                                        if "NEEDED" in line and ("cuda" in line or "nvrtc" in line)]


@needs_cuda_build
def test_gpu_kernels_are_registered_and_this_machine_says_why_they_cannot_run():
    from tensorflow.python.framework import kernels  # noqa: PLC0415

    for op in ("KerasElu>Elu", "KerasElu>EluGradV2", "KerasElu>EluGradGradV2", "KerasElu>EluGrad",
               "KerasElu>EluGradGrad"):
        registered = kernels.get_registered_kernels_for_op(op).kernel
        gpu_types = {k.constraint[0].allowed_values.list.type[0] for k in registered if k.device_type == "GPU"}
        assert len(gpu_types) == 4, (op, gpu_types)  # half, bfloat16, float, double
    library = ctypes.CDLL(_loader.LIBRARY_PATH)
    library.KerasEluGpuUnavailableReason.restype = ctypes.c_char_p
    reason = library.KerasEluGpuUnavailableReason().decode()
    if not tf.config.list_physical_devices("GPU"):
        assert reason  # no driver, or no GPU: said, not silent
