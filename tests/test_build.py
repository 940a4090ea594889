"""The build and the loader: what was compiled, and the errors a broken install gives."""

import glob
import json
import os
import shutil
import subprocess

import pytest
import tensorflow as tf

import keras_elu
from keras_elu import _loader
from conftest import ROOT, run_python

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


@pytest.mark.skipif(not _loader.HAS_XLA_KERNELS, reason="built without XLA kernels")
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


def test_kernels_compile_for_cuda_against_tf_headers():
    flags = tf.sysconfig.get_compile_flags()
    cmd = ["g++", *flags, "-DGOOGLE_CUDA=1", "-Wno-deprecated-declarations", "-fsyntax-only",
           "-I", os.path.join(ROOT, "cc"), os.path.join(ROOT, "cc", "kernels", "elu_kernels.cc")]
    result = subprocess.run(cmd, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]


@pytest.mark.skipif(shutil.which("nvcc") is None, reason="no nvcc on PATH")
@pytest.mark.slow
def test_cuda_kernels_and_standalone_harness_compile(tmp_path):
    out = tmp_path / "elu_harness"
    cmd = ["nvcc", "-std=c++17", "-O3", "-DKERAS_ELU_STANDALONE", "-I", os.path.join(ROOT, "cc"),
           "-gencode=arch=compute_80,code=sm_80", "-x", "cu",
           os.path.join(ROOT, "cc", "cuda", "elu_kernels.cu.cc"),
           os.path.join(ROOT, "cc", "cuda", "harness", "elu_harness.cu"), "-o", str(out)]
    result = subprocess.run(cmd, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    assert out.exists() and os.access(out, os.X_OK)


@pytest.mark.skipif(shutil.which("nvcc") is None, reason="no nvcc on PATH")
@pytest.mark.slow
def test_cuda_c_api_for_the_torch_comparison_builds_and_exports_its_symbols(tmp_path):
    out = tmp_path / "libkeras_elu_cuda.so"
    cmd = ["nvcc", "-std=c++17", "-O3", "-shared", "-Xcompiler", "-fPIC", "-DKERAS_ELU_STANDALONE",
           "-gencode=arch=compute_80,code=sm_80", "-I", os.path.join(ROOT, "cc"), "-x", "cu",
           os.path.join(ROOT, "cc", "cuda", "elu_kernels.cu.cc"),
           os.path.join(ROOT, "cc", "cuda", "harness", "elu_c_api.cu"), "-o", str(out)]
    result = subprocess.run(cmd, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    symbols = subprocess.run(["nm", "-D", "--defined-only", str(out)], capture_output=True, text=True).stdout
    assert "keras_elu_forward" in symbols and "keras_elu_backward" in symbols
