"""Builds keras_elu's op library against the TensorFlow installed in this env.

Install with ``pip install --no-build-isolation .`` (or ``-e .``). Without
``--no-build-isolation`` pip would build in a fresh environment and download
a second TensorFlow into it; the library must instead be compiled against the
exact TensorFlow it will be loaded into, so TF is deliberately not a build
requirement and this script stops with instructions when it is missing.

Environment variables (each ``auto`` by default; ``1`` forces on and fails
loudly if impossible, ``0`` forces off):
  KERAS_ELU_CUDA  CUDA kernels; auto = when CUDA 12's NVRTC and headers are
                  installed (pip: nvidia-cuda-nvrtc-cu12, nvidia-cuda-runtime-cu12,
                  as TensorFlow's and-cuda extra has them). No CUDA toolkit and
                  no GPU needed: build_tools/cuda_images.py compiles and embeds them.
  KERAS_ELU_XLA   XLA kernels; auto = when the highwayhash/farmhash headers
                  exist and this TensorFlow's XLA headers compile (tried, and
                  the compiler's reason recorded in _build_info.json if not).
"""

import glob
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

HERE = os.path.dirname(os.path.abspath(__file__))
CC = os.path.join(HERE, "cc")
sys.path.insert(0, os.path.join(HERE, "build_tools"))
import cuda_images  # noqa: E402
import tensorflow_range  # noqa: E402


def _sources(folder, pattern="*.cc"):
    """cc/<folder>'s sources, found rather than listed (the folders say what each depends on)."""
    return sorted(glob.glob(os.path.join(CC, folder, pattern)))


def _cpu_sources():
    """ops/: registrations; kernels/: OpKernels; cpu/: TF-free SIMD. (The XLA lowerings
    in kernels/ are compiled separately: they may not compile against every TF.)"""
    kernels = [s for s in _sources("kernels") if not s.endswith("_xla_kernels.cc")]
    return _sources("ops") + kernels + _sources("cpu")


def _cuda_host_sources():
    """cuda/'s host side: the launcher, the driver API and the C entry points. (The
    device code goes to NVRTC; the host grid is for the tests.)"""
    return [s for s in _sources("cuda") if not s.endswith("cuda_host_grid.cc")]


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


def _want_cuda():
    """The NVRTC toolchain when CUDA kernels are to be built, else None."""
    mode = _mode("KERAS_ELU_CUDA")
    if mode == "0":
        return None
    try:
        return cuda_images.find_toolchain()
    except cuda_images.CudaToolchainMissing as error:
        if mode == "1":
            sys.exit(f"keras_elu: KERAS_ELU_CUDA=1 but {error}")
        print(f"keras_elu: building without CUDA kernels ({error}); on a GPU, keras_elu then "
              "runs stock TensorFlow ops there, and says so.", file=sys.stderr)
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
    """cc/cpu/isa_avx2.cc -> <tmp>/cpu_isa_avx2.cc.o; a generated source keeps its own name."""
    name = os.path.relpath(source, CC) if source.startswith(CC + os.sep) else os.path.basename(source)
    return os.path.join(tmp, name.replace(os.sep, "_") + ".o")


def _tensorflow_requirement():
    """A wheel's TensorFlow: the series we compile against (the library's ABI is tied to it).

    An sdist compiles nothing, so it states the tested range instead.
    """
    if "sdist" in sys.argv:
        return tensorflow_range.requirement()
    try:
        import tensorflow as tf  # noqa: PLC0415
    except ImportError:  # sdist and metadata builds need no TensorFlow
        return tensorflow_range.requirement()
    return tensorflow_range.series_requirement(tf.__version__)


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
        tmp = os.path.join(self.build_temp, "keras_elu")
        os.makedirs(tmp, exist_ok=True)
        sources, info = _cpu_sources(), {"tensorflow": tf.__version__, "cuda_kernels": bool(cuda)}
        if cuda:
            sources += _cuda_host_sources() + [self._embed_cuda_images(cuda, tmp, info)]
            cflags += ["-DKERAS_ELU_CUDA_KERNELS=1", "-I" + cuda.include]
            ldflags = ldflags + ["-ldl"]  # libcuda is opened at run time, never linked
        compile_job = lambda s: ["g++", *cflags, "-c", s, "-o", _object(tmp, s)]  # noqa: E731
        jobs = [compile_job(s) for s in sources]
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
        _run(["g++", "-shared", *objects, "-o", out, *ldflags])
        info.update({"xla_kernels": xla, "xla_unavailable": xla_error})
        targets = {os.path.dirname(out)}
        if self.inplace or getattr(self, "editable_mode", False):
            targets.add(os.path.join(HERE, "keras_elu"))  # setuptools copies only the .so
        for target in targets:
            with open(os.path.join(target, "_build_info.json"), "w") as f:
                json.dump(info, f, indent=1)

    @staticmethod
    def _embed_cuda_images(toolchain, tmp, info):
        """Compiles the device code with NVRTC; returns the C++ source that embeds the images."""
        images = cuda_images.compile_images(toolchain)
        path = os.path.join(tmp, "elu_cuda_images.cc")
        with open(path, "w") as f:
            f.write(cuda_images.embedded_source(images, toolchain))
        info.update(cuda_images.build_facts(images, toolchain))
        print("keras_elu: CUDA kernels by " + toolchain.name + ": " +
              ", ".join(f"{i.name} ({len(i.data):,} B)" for i in images), flush=True)
        return path


setup(
    install_requires=[_tensorflow_requirement(), "keras>=3.0,<4", "numpy"],
    ext_modules=[Extension("keras_elu._elu_ops", sources=[])],
    cmdclass={"build_ext": BuildTfOp},
)
