"""keras_elu's CUDA kernels against PyTorch's F.elu and a device-to-device copy, no TensorFlow.

For GPU machines with PyTorch and nvcc (run from the repository root):

    python cc/cuda/harness/compare_torch.py --max-log2 28

Builds cc/cuda/elu_kernels.cu.cc with the C shim elu_c_api.cu, calls it through ctypes on torch's
current stream, checks the result against F.elu in float64, and prints GB/s (bytes read + written)
of keras_elu, F.elu and `y.copy_(x)` as medians of interleaved CUDA-event timings.
Not run in CI (no GPU there); CI compiles the shim.
"""

import argparse
import ctypes
import os
import statistics
import subprocess
import tempfile

import torch
import torch.nn.functional as F

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
DTYPES = {torch.float16: 0, torch.bfloat16: 1, torch.float32: 2, torch.float64: 3}


def build() -> ctypes.CDLL:
    out = os.path.join(tempfile.mkdtemp(), "libkeras_elu_cuda.so")
    subprocess.run(["nvcc", "-std=c++17", "-O3", "-shared", "-Xcompiler", "-fPIC", "-DKERAS_ELU_STANDALONE",
                    "-I", os.path.join(ROOT, "cc"), "-x", "cu", os.path.join(ROOT, "cc", "cuda", "elu_kernels.cu.cc"),
                    os.path.join(ROOT, "cc", "cuda", "harness", "elu_c_api.cu"), "-o", out], check=True)
    lib = ctypes.CDLL(out)
    lib.keras_elu_forward.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int64,
                                      ctypes.c_double, ctypes.c_void_p]
    return lib


def gpu_ms(fn, rounds: int = 21) -> float:
    samples = []
    for _ in range(rounds):
        start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        start.record()
        fn()
        end.record()
        end.synchronize()
        samples.append(start.elapsed_time(end))
    return statistics.median(samples)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--max-log2", type=int, default=28)
    p.add_argument("--alpha", type=float, default=1.0)
    args = p.parse_args()
    lib = build()
    print(f"device: {torch.cuda.get_device_name()}, alpha {args.alpha}\n")
    print("| dtype | N | max abs err vs F.elu(float64) | keras_elu GB/s | F.elu GB/s | copy GB/s | keras_elu / copy |")
    print("|---|---|---|---|---|---|---|")
    for log2 in range(20, args.max_log2 + 1, 2):
        n = 1 << log2
        for dtype, code in DTYPES.items():
            x = (torch.randn(n, device="cuda", dtype=torch.float32) * 3).to(dtype)
            y = torch.empty_like(x)
            stream = ctypes.c_void_p(torch.cuda.current_stream().cuda_stream)
            ours = lambda: lib.keras_elu_forward(code, x.data_ptr(), y.data_ptr(), n, args.alpha, stream)  # noqa: E731
            assert ours() == 0
            torch.cuda.synchronize()
            err = (y.double() - F.elu(x.double(), args.alpha)).abs().max().item()
            times = {name: [] for name in ("ours", "torch", "copy")}
            for _ in range(3):  # interleave the three, then take medians
                times["ours"].append(gpu_ms(ours))
                times["torch"].append(gpu_ms(lambda: F.elu(x, args.alpha)))
                times["copy"].append(gpu_ms(lambda: y.copy_(x)))
            gbs = {k: 2 * n * x.element_size() / (statistics.median(v) * 1e6) for k, v in times.items()}
            print(f"| {str(dtype).split('.')[1]} | 2^{log2} | {err:.2e} | {gbs['ours']:.0f} | {gbs['torch']:.0f} "
                  f"| {gbs['copy']:.0f} | {gbs['ours'] / gbs['copy']:.1%} |")


if __name__ == "__main__":
    main()
