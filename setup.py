"""Builds keras_elu's op library against the TensorFlow installed in this env.

Install with ``pip install --no-build-isolation .`` (or ``-e .``). Without
``--no-build-isolation`` pip would build in a fresh environment and download
a second TensorFlow into it; the library must instead be compiled against the
exact TensorFlow it will be loaded into, so TF is deliberately not a build
requirement and this script stops with instructions when it is missing.

Environment variables (each ``auto`` by default; ``1`` forces on and fails
loudly if impossible, ``0`` forces off):
  KERAS_ELU_CUDA  CUDA kernels; auto = only with a CUDA 12 nvcc, the major
                  version TensorFlow 2.16-2.21 are built with.
  KERAS_ELU_NVCC  nvcc to use (default: `nvcc` on PATH, then $CUDA_HOME/bin).
  KERAS_ELU_XLA   XLA kernels; auto = when highwayhash/farmhash headers exist.
"""

import glob
import json
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

HERE = os.path.dirname(os.path.abspath(__file__))
CC = os.path.join(HERE, "cc")
# TensorFlow series this source is tested against (scripts/compat.sh); a
# wheel pins the one series it was compiled for instead.
TF_RANGE = "tensorflow>=2.16,<2.22"


def _sources(folder, pattern="*.cc"):
    """cc/<folder>'s sources, found rather than listed (the folders say what each depends on)."""
    return sorted(glob.glob(os.path.join(CC, folder, pattern)))


def _cpu_sources():
    """ops/: registrations; kernels/: OpKernels; cpu/: TF-free SIMD. (The XLA lowerings
    in kernels/ are compiled separately: they may not compile against every TF.)"""
    kernels = [s for s in _sources("kernels") if not s.endswith("_xla_kernels.cc")]
    return _sources("ops") + kernels + _sources("cpu")


# SASS for Volta..Hopper plus PTX for anything newer.
CUDA_ARCHES = ["70", "75", "80", "86", "89", "90"]


def _import_tf():
    try:
        import tensorflow as tf  # noqa: PLC0415
    except ImportError:
        sys.exit(
            "keras_elu: TensorFlow is not importable in this build environment.\n"
            "Install TensorFlow first, then build against it without isolation:\n"
            "    pip install -r requirements.txt\n"
            "    pip install --no-build-isolation .")
    return tf


def _mode(name):
    value = os.environ.get(name, "auto").strip().lower()
    if value not in ("auto", "0", "1"):
        sys.exit(f"keras_elu: {name} must be auto, 0 or 1; received {name}={value!r}")
    return value


def _find_nvcc():
    candidates = [os.environ.get("KERAS_ELU_NVCC"), shutil.which("nvcc"),
                  os.path.join(os.environ.get("CUDA_HOME", "/usr/local/cuda"), "bin", "nvcc")]
    for path in candidates:
        if path and os.path.isfile(path):
            out = subprocess.run([path, "--version"], capture_output=True, text=True).stdout
            match = re.search(r"release (\d+)\.(\d+)", out)
            if match:
                return path, (int(match.group(1)), int(match.group(2)))
    return None, None


def _nvcc_library_dirs(nvcc):
    """The -L flags nvcc itself links with (its toolkit layout varies)."""
    out = subprocess.run([nvcc, "--dryrun", "-x", "cu", "/dev/null"], capture_output=True,
                         text=True).stderr
    match = re.search(r"LIBRARIES=(.*)", out)
    return [d.strip('"') for d in match.group(1).split()] if match else []


def _want_cuda():
    mode = _mode("KERAS_ELU_CUDA")
    if mode == "0":
        return None
    nvcc, version = _find_nvcc()
    if nvcc and (version[0] == 12 or mode == "1"):
        return nvcc, version
    if mode == "1":
        sys.exit("keras_elu: KERAS_ELU_CUDA=1 but no nvcc was found (set KERAS_ELU_NVCC).")
    why = f"nvcc {version[0]}.{version[1]} is not CUDA 12" if nvcc else "no nvcc found"
    print(f"keras_elu: building without CUDA kernels ({why}; TF 2.21 uses CUDA 12). "
          "Set KERAS_ELU_CUDA=1 to force.", file=sys.stderr)
    return None


def _want_xla():
    """"1", or "auto" when the two system headers XLA needs exist; None otherwise."""
    mode = _mode("KERAS_ELU_XLA")
    have = all(os.path.exists(p) for p in ("/usr/include/highwayhash/sip_hash.h",
                                           "/usr/include/farmhash.h"))
    if mode == "1" and not have:
        sys.exit("keras_elu: KERAS_ELU_XLA=1 needs Debian's libhighwayhash-dev and libfarmhash-dev.")
    if mode == "auto" and not have:
        _without_xla("install libhighwayhash-dev and libfarmhash-dev")
    return mode if mode != "0" and have else None


def _without_xla(why):
    print(f"keras_elu: building without XLA kernels ({why}); jit_compile will use the "
          "stock-op fallback.", file=sys.stderr)


def _object(tmp, source):
    return os.path.join(tmp, os.path.relpath(source, CC).replace(os.sep, "_") + ".o")


def _tensorflow_requirement():
    """A wheel's TensorFlow: the series we compile against (the library's ABI is tied to it).

    An sdist compiles nothing, so it states the tested range instead.
    """
    if "sdist" in sys.argv:
        return TF_RANGE
    try:
        import tensorflow as tf  # noqa: PLC0415
    except ImportError:  # sdist and metadata builds need no TensorFlow
        return TF_RANGE
    major, minor = (int(v) for v in tf.__version__.split(".")[:2])
    return f"tensorflow>={major}.{minor},<{major}.{minor + 1}"


def _run(cmd):
    print(" ".join(cmd), flush=True)
    subprocess.run(cmd, check=True)


def _try(cmd):
    """Runs cmd; returns None on success, else the compiler's first error line."""
    print(" ".join(cmd), flush=True)
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode == 0:
        return None
    errors = [line.strip() for line in result.stderr.splitlines() if "error" in line]
    return errors[0] if errors else f"exit status {result.returncode}"


class BuildTfOp(build_ext):
    """Compiles cc/ with TF's own flags, sources in parallel, then links."""

    def build_extension(self, ext):
        tf = _import_tf()
        cuda, xla_mode = _want_cuda(), _want_xla()
        cflags = tf.sysconfig.get_compile_flags() + [
            "-O3", "-fPIC", "-Wno-psabi", "-Wno-deprecated-declarations", "-I" + CC]
        ldflags = tf.sysconfig.get_link_flags()
        if cuda:
            cflags.append("-DGOOGLE_CUDA=1")
        tmp = os.path.join(self.build_temp, "keras_elu")
        os.makedirs(tmp, exist_ok=True)
        compile_job = lambda s: ["g++", *cflags, "-c", s, "-o", _object(tmp, s)]  # noqa: E731
        jobs = [compile_job(s) for s in _cpu_sources()]
        if cuda:
            jobs += [self._nvcc_job(*cuda, s, tmp) for s in _sources("cuda", "*.cu.cc")]
        xla_jobs = [compile_job(s) for s in _sources("kernels", "*_xla_kernels.cc")] if xla_mode else []
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
            xla_errors = pool.map(_try, xla_jobs)
            list(pool.map(_run, jobs))
            # Whether the installed TF's XLA headers compile is decided by compiling
            # against them: TF 2.19's wheel, for one, ships XLA headers that include
            # LLVM headers it does not ship.
            xla_error = next((e for e in xla_errors if e), None)
        if xla_error and xla_mode == "1":
            sys.exit(f"keras_elu: KERAS_ELU_XLA=1 but the XLA kernels do not compile here: {xla_error}")
        xla = bool(xla_jobs) and xla_error is None
        if xla_error:
            _without_xla(f"this TensorFlow's XLA headers do not compile: {xla_error}")
        if xla:
            jobs += xla_jobs
            ldflags = ldflags + ["-l:libtensorflow_cc.so.2"]
        objects = [job[job.index("-o") + 1] for job in jobs]
        out = self.get_ext_fullpath(ext.name)
        os.makedirs(os.path.dirname(out), exist_ok=True)
        # Static cudart: the library then has no libcudart.so dependency and
        # loads on machines without CUDA, where only its CPU kernels are used.
        cuda_libs = [*_nvcc_library_dirs(cuda[0]), "-l:libcudart_static.a", "-lrt", "-ldl",
                     "-lpthread"] if cuda else []
        _run(["g++", "-shared", *objects, "-o", out, *ldflags, *cuda_libs])
        info = {"tensorflow": tf.__version__, "xla_kernels": xla, "xla_unavailable": xla_error,
                "cuda_kernels": bool(cuda), "nvcc": ".".join(map(str, cuda[1])) if cuda else None}
        targets = {os.path.dirname(out)}
        if self.inplace or getattr(self, "editable_mode", False):
            targets.add(os.path.join(HERE, "keras_elu"))  # setuptools copies only the .so
        for target in targets:
            with open(os.path.join(target, "_build_info.json"), "w") as f:
                json.dump(info, f, indent=1)

    @staticmethod
    def _nvcc_job(nvcc, version, source, tmp):
        arches = [a for a in CUDA_ARCHES if version[0] < 13 or int(a) >= 75]  # 13 dropped Volta
        gencode = [f"-gencode=arch=compute_{a},code=sm_{a}" for a in arches]
        gencode.append(f"-gencode=arch=compute_{arches[-1]},code=compute_{arches[-1]}")
        return [nvcc, "-x", "cu", "-std=c++17", "-O3", "-DGOOGLE_CUDA=1", "-I" + CC,
                "-Xcompiler", "-fPIC", *gencode, "-c", source, "-o", _object(tmp, source)]


setup(
    install_requires=[_tensorflow_requirement(), "keras>=3.0,<4", "numpy"],
    ext_modules=[Extension("keras_elu._elu_ops", sources=[])],
    cmdclass={"build_ext": BuildTfOp},
)
