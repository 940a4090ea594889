#!/usr/bin/env bash
# The prepared GPU check: keras_elu's CUDA kernels, built the way the package
# builds them and launched through the op's own launcher, on a real GPU.
#
#   bash scripts/gpu_check.sh OUTDIR              # on a machine with one NVIDIA GPU
#   bash scripts/gpu_check.sh --host-only OUTDIR  # anywhere: the build and the image check (CI)
#
# The GPU machine needs g++, python3 with PyTorch, and a driver; no TensorFlow,
# no CUDA toolkit, no network. The images come from build/gpu_check/, which
# --host-only (or any earlier run with NVRTC at hand) writes: NVRTC 12's output,
# byte for byte what a pip install of keras_elu embeds, with cuda.h beside it.
# Carry that folder to the GPU machine (the device tool's `carry`).
# Writes OUTDIR/gpu_check.md and OUTDIR/gpu_check.json; exits non-zero on any
# failed check. Under 8 minutes on an H100/H200.
set -euo pipefail
cd "$(dirname "$0")/.."
host_only=0
if [ "${1:-}" = "--host-only" ]; then host_only=1; shift; fi
out=${1:?usage: scripts/gpu_check.sh [--host-only] OUTDIR}
mkdir -p "$out"
prepared=build/gpu_check
python=${PYTHON:-python3}
[ -x .venv/bin/python ] && [ "$host_only" = 1 ] && python=.venv/bin/python

# 1. The images: the prepared ones while they match cc/, else made anew by NVRTC.
if ! "$python" build_tools/cuda_images.py --prepare "$prepared"; then
  echo "gpu_check: no up-to-date $prepared/ and no NVRTC to make it: run 'bash scripts/gpu_check.sh" \
       "--host-only DIR' where the pip wheels of requirements-cuda.txt are, and carry $prepared/ along" >&2
  exit 2
fi

# 2. The launcher, the driver layer and the images, as the op library compiles them (minus TensorFlow).
g++ -std=c++17 -O3 -fPIC -shared -Wall -Wno-psabi -I cc -I "$prepared/include" \
    cc/cuda/elu_gpu_launch.cc cc/cuda/cuda_driver.cc cc/cuda/elu_gpu_c_api.cc "$prepared/elu_cuda_images.cc" \
    -o "$prepared/libkeras_elu_gpu.so" -ldl
echo "gpu_check: built $prepared/libkeras_elu_gpu.so"

# 3. The image check (every arch, every kernel), then, with a GPU, the device checks.
if [ "$host_only" = 1 ]; then
  "$python" scripts/gpu_check.py --library "$prepared/libkeras_elu_gpu.so" --host-only --out "$out"
else
  "$python" scripts/gpu_check.py --library "$prepared/libkeras_elu_gpu.so" --out "$out"
fi
