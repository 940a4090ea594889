"""Compiles keras_elu's CUDA kernels with NVRTC, and embeds them. No CUDA toolkit.

The way CuPy and PyTorch's jiterator build theirs: NVRTC (the pip wheel
``nvidia-cuda-nvrtc-cu12``, a compiler library that runs without a GPU)
turns ``cc/cuda/elu_device.cu`` into a cubin per GPU architecture and PTX for
newer ones; ``nvidia-cuda-runtime-cu12`` supplies the fp16/bf16 headers. The
images go into a generated C++ file that the op library links; at run time
``cc/cuda/cuda_driver.cc`` loads the one that fits the GPU through the CUDA
driver API.

Used by setup.py (the package build) and scripts/gpu_check.sh (the GPU check),
so both make the same images the same way. ``python build_tools/cuda_images.py
OUT.cc`` writes the embedded source alone; ``--prepare DIR`` writes what a GPU
machine without NVRTC needs (scripts/gpu_check.sh). Reading the images back
is cuda_image_check.py's job.
"""

import concurrent.futures
import ctypes
import dataclasses
import glob
import hashlib
import importlib.util
import json
import os
import shutil
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CC = os.path.join(ROOT, "cc")
DEVICE_SOURCE = os.path.join(CC, "cuda", "elu_device.cu")
STD_STANDINS = os.path.join(CC, "cuda", "nvrtc_std")  # NVRTC has no C++ standard library
# Turing to Hopper as cubins (Volta is left to TF's own kernels: CUDA 13 dropped it),
# and PTX of the newest, which the driver compiles for anything later.
CUBIN_ARCHES = (75, 80, 86, 89, 90)
PTX_ARCH = 90
NVRTC_OPTIONS = ("--std=c++17", "--device-as-default-execution-space")
# Cubins from CUDA 12's compilers load on any CUDA 12 driver (minor-version
# compatibility): R525 and later, where TensorFlow's own CUDA 12 kernels load.
CUBIN_MIN_DRIVER = (12, 0)
CUBIN_MIN_DRIVER_RELEASE = "R525"


class CudaToolchainMissing(RuntimeError):
    """NVRTC or the CUDA headers are not installed; the message says which wheel to add."""


@dataclasses.dataclass
class Toolchain:
    nvrtc: str  # libnvrtc.so path
    include: str  # folder with cuda_fp16.h, cuda_bf16.h, cuda.h
    version: tuple

    @property
    def name(self) -> str:
        return f"NVRTC {self.version[0]}.{self.version[1]}"

    @property
    def ptx_min_driver(self) -> tuple:
        """PTX is JIT-compiled by the driver, which must know this NVRTC's PTX ISA."""
        return self.version


@dataclasses.dataclass
class Image:
    arch: int
    ptx: bool
    data: bytes

    @property
    def name(self) -> str:
        return f"{'compute' if self.ptx else 'sm'}_{self.arch}"


def _wheel_dir(package: str) -> str | None:
    """nvidia/<package> inside site-packages (namespace packages, so no __file__)."""
    spec = importlib.util.find_spec("nvidia")
    for base in (spec.submodule_search_locations if spec else []) or []:
        if os.path.isdir(os.path.join(base, package)):
            return os.path.join(base, package)
    return None


def find_toolchain(cuda_home: str | None = None) -> Toolchain:
    """The pip wheels' NVRTC and headers, else a CUDA toolkit's (CUDA_HOME), CUDA 12 only."""
    candidates = []
    nvrtc_dir, runtime_dir = _wheel_dir("cuda_nvrtc"), _wheel_dir("cuda_runtime")
    if nvrtc_dir and runtime_dir:
        candidates.append((glob.glob(os.path.join(nvrtc_dir, "lib", "libnvrtc.so.12*")),
                           os.path.join(runtime_dir, "include")))
    home = cuda_home or os.environ.get("CUDA_HOME") or "/usr/local/cuda"
    candidates.append((glob.glob(os.path.join(home, "lib64", "libnvrtc.so.12*")), os.path.join(home, "include")))
    for libraries, include in candidates:
        if libraries and os.path.exists(os.path.join(include, "cuda_fp16.h")):
            library = sorted(libraries, key=len)[0]  # libnvrtc.so.12 itself, not a versioned alias
            return Toolchain(library, include, _nvrtc_version(_load(library)))
    raise CudaToolchainMissing(
        "no CUDA 12 NVRTC with CUDA headers: pip install nvidia-cuda-nvrtc-cu12 nvidia-cuda-runtime-cu12 "
        "(TensorFlow's and-cuda extra installs both)")


def host_include_dirs(toolchain: Toolchain) -> list[str]:
    """What g++ needs to compile the device code for the host grid: cuda_fp16.h's host
    side also includes crt/ (nvidia-cuda-nvcc-cu12) and nv/target (nvidia-cuda-cccl-cu12)."""
    extra = [os.path.join(d, "include") for d in (_wheel_dir("cuda_nvcc"), _wheel_dir("cuda_cccl")) if d]
    return [toolchain.include, *extra]


def _load(library: str) -> ctypes.CDLL:
    nvrtc = ctypes.CDLL(library)
    nvrtc.nvrtcGetErrorString.restype = ctypes.c_char_p
    return nvrtc


def _nvrtc_version(nvrtc: ctypes.CDLL) -> tuple:
    major, minor = ctypes.c_int(), ctypes.c_int()
    nvrtc.nvrtcVersion(ctypes.byref(major), ctypes.byref(minor))
    return major.value, minor.value


def _call(nvrtc, result: int, what: str, log: str = "") -> None:
    if result != 0:
        raise RuntimeError(f"NVRTC {what} failed: {nvrtc.nvrtcGetErrorString(result).decode()}\n{log}")


def compile_image(toolchain: Toolchain, arch: int, ptx: bool, source_path: str = DEVICE_SOURCE) -> Image:
    """One cubin (sm_arch) or PTX (compute_arch) of the device source."""
    nvrtc = _load(toolchain.nvrtc)
    with open(source_path, "rb") as f:
        source = f.read()
    program = ctypes.c_void_p()
    _call(nvrtc, nvrtc.nvrtcCreateProgram(ctypes.byref(program), source, os.path.basename(source_path).encode(),
                                          0, None, None), "create")
    options = [*NVRTC_OPTIONS, f"--gpu-architecture={'compute' if ptx else 'sm'}_{arch}",
               f"-I{CC}", f"-I{STD_STANDINS}", f"-I{toolchain.include}"]
    argv = (ctypes.c_char_p * len(options))(*(o.encode() for o in options))
    try:
        result = nvrtc.nvrtcCompileProgram(program, len(options), argv)
        size = ctypes.c_size_t()
        nvrtc.nvrtcGetProgramLogSize(program, ctypes.byref(size))
        log = ctypes.create_string_buffer(size.value)
        nvrtc.nvrtcGetProgramLog(program, log)
        _call(nvrtc, result, f"compile for {'compute' if ptx else 'sm'}_{arch}", log.value.decode(errors="replace"))
        get_size, get = (nvrtc.nvrtcGetPTXSize, nvrtc.nvrtcGetPTX) if ptx else \
            (nvrtc.nvrtcGetCUBINSize, nvrtc.nvrtcGetCUBIN)
        _call(nvrtc, get_size(program, ctypes.byref(size)), "size")
        buffer = ctypes.create_string_buffer(size.value)
        _call(nvrtc, get(program, buffer), "output")
        return Image(arch, ptx, buffer.raw[: size.value])
    finally:
        nvrtc.nvrtcDestroyProgram(ctypes.byref(program))


def compile_images(toolchain: Toolchain) -> list[Image]:
    """Every cubin and the PTX, compiled in parallel (NVRTC releases the GIL)."""
    jobs = [(arch, False) for arch in CUBIN_ARCHES] + [(PTX_ARCH, True)]
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        return list(pool.map(lambda job: compile_image(toolchain, *job), jobs))


def embedded_source(images: list[Image], toolchain: Toolchain) -> str:
    """C++ that defines the table cc/cuda/elu_cuda_images.h declares."""
    lines = ["// Generated by build_tools/cuda_images.py: do not edit.", '#include "cuda/elu_cuda_images.h"',
             "", "namespace keras_elu {", "namespace {"]
    for k, image in enumerate(images):
        data = image.data + (b"\0" if image.ptx else b"")  # PTX goes to the driver as a C string
        hex_bytes = ",".join(str(b) for b in data)
        lines.append(f"const unsigned char kImage{k}[] = {{{hex_bytes}}};")
    lines += ["}  // namespace", "", "const CudaImage kEluCudaImages[] = {"]
    for k, image in enumerate(images):
        lines.append(f'    {{"{image.name}", {image.arch}, {str(image.ptx).lower()}, kImage{k}, sizeof kImage{k}}},')
    ptx_major, ptx_minor = toolchain.ptx_min_driver
    lines += ["};", f"const int kNumEluCudaImages = {len(images)};",
              f"const int kEluCudaCubinMinDriver = {CUBIN_MIN_DRIVER[0] * 1000 + CUBIN_MIN_DRIVER[1] * 10};",
              f"const int kEluCudaPtxMinDriver = {ptx_major * 1000 + ptx_minor * 10};",
              f'const char kEluCudaToolchain[] = "{toolchain.name}";', "", "}  // namespace keras_elu", ""]
    return "\n".join(lines)


def build_facts(images: list[Image], toolchain: Toolchain) -> dict:
    """What _build_info.json records about the CUDA kernels."""
    return {"cuda_toolchain": toolchain.name,
            "cuda_arches": [i.name for i in images if not i.ptx],
            "cuda_ptx": [i.name for i in images if i.ptx],
            "cuda_image_bytes": {i.name: len(i.data) for i in images},
            "cuda_min_driver": {"cubin": f"CUDA {CUBIN_MIN_DRIVER[0]}.{CUBIN_MIN_DRIVER[1]} driver "
                                         f"({CUBIN_MIN_DRIVER_RELEASE}+)",
                                "ptx": f"CUDA {toolchain.ptx_min_driver[0]}.{toolchain.ptx_min_driver[1]} driver"}}


def source_digest() -> str:
    """sha256 over every header and device source under cc/: what the images are made from."""
    digest = hashlib.sha256()
    for path in sorted(glob.glob(os.path.join(CC, "**", "*"), recursive=True)):
        if os.path.isfile(path) and not path.endswith(".cc"):
            digest.update(os.path.relpath(path, CC).encode())
            with open(path, "rb") as f:
                digest.update(f.read())
    return digest.hexdigest()


def prepare(directory: str) -> dict:
    """What a machine without NVRTC needs to build the GPU side: the embedded images'
    source, cuda.h and the build facts, in directory. Kept when already up to date."""
    facts_path = os.path.join(directory, "build_facts.json")
    if os.path.exists(facts_path):
        with open(facts_path) as f:
            facts = json.load(f)
        if facts.get("source_digest") == source_digest():
            return facts
    toolchain = find_toolchain()  # raises, saying what to install, where it is missing
    images = compile_images(toolchain)
    os.makedirs(os.path.join(directory, "include"), exist_ok=True)
    shutil.copy(os.path.join(toolchain.include, "cuda.h"), os.path.join(directory, "include", "cuda.h"))
    with open(os.path.join(directory, "elu_cuda_images.cc"), "w") as f:
        f.write(embedded_source(images, toolchain))
    facts = dict(build_facts(images, toolchain), source_digest=source_digest())
    with open(facts_path, "w") as f:
        json.dump(facts, f, indent=1)
    return facts


def main(argv: list[str]) -> int:
    if argv[:1] == ["--prepare"] and len(argv) == 2:
        try:
            facts = prepare(argv[1])
        except CudaToolchainMissing as error:
            print(f"cuda_images: {error}", file=sys.stderr)
            return 2
        print(f"cuda_images: {argv[1]} holds {facts['cuda_toolchain']} images: " +
              ", ".join(f"{k} {v:,} B" for k, v in facts["cuda_image_bytes"].items()))
        return 0
    if len(argv) != 1:
        print("usage: cuda_images.py OUT.cc | --prepare DIR", file=sys.stderr)
        return 2
    toolchain = find_toolchain()
    images = compile_images(toolchain)
    with open(argv[0], "w") as f:
        f.write(embedded_source(images, toolchain))
    print(f"{toolchain.name}: " + ", ".join(f"{i.name} {len(i.data):,} B" for i in images))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
