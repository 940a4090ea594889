"""Single-core cost of the float32 CPU kernels per ISA, in ns per element, TF-free.

    python benchmarks/bench_cpu_kernels.py            # every ISA this CPU runs
    python benchmarks/bench_cpu_kernels.py --n 65536 1000000

Compiles benchmarks/cpu_kernel_cost.cc with the library's CPU sources (cc/cpu)
and runs it once per ISA (KERAS_ELU_CPU_ISA). n = 65536 (three 256 KB arrays)
stays in L2 and is long enough for the per-call cost (a few hundred ns on the
AVX2 kernels here) to drop out, so it measures compute: the cost of the expm1 in
the forward and of the exp in the derivative, beside a copy and the gradient
from y (TensorFlow's EluGrad math, no exp; the 0.1 ops' kernel). Prints a Markdown table with the CPU model.
"""

import argparse
import glob
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
CC = os.path.join(os.path.dirname(HERE), "cc")
sys.path.insert(0, HERE)

from bench_report import cpu_description  # noqa: E402

CPU_ISA_ENV = "KERAS_ELU_CPU_ISA"


def build(directory: str) -> str:
    binary = os.path.join(directory, "cpu_kernel_cost")
    sources = [os.path.join(HERE, "cpu_kernel_cost.cc"), *sorted(glob.glob(os.path.join(CC, "cpu", "*.cc")))]
    subprocess.run([os.environ.get("CXX", "g++"), "-O3", "-std=c++17", "-Wno-psabi", "-I" + CC, *sources, "-o", binary],
                   check=True)
    return binary


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--n", nargs="+", type=int, default=[65536])
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        binary = build(tmp)
        rows = []
        isas = subprocess.run([binary, "--isas"], check=True, capture_output=True, text=True).stdout
        for isa in isas.strip().split(","):
            for n in args.n:
                env = dict(os.environ, **{CPU_ISA_ENV: isa})
                out = subprocess.run([binary, str(n)], env=env, check=True, capture_output=True, text=True)
                rows.append(json.loads(out.stdout))
    print(f"single core, ns per float32 element ({cpu_description()['cpu']}):\n")
    print("| ISA | n | copy | forward α=1 | forward α=0.1 | derivative | gradient from y |\n"
          "|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['isa']} | {r['n']} | {r['copy']:.3f} | {r['forward_alpha_1']:.3f} | "
              f"{r['forward_alpha_0.1']:.3f} | {r['derivative']:.3f} | {r['gradient_from_y']:.3f} |")


if __name__ == "__main__":
    main()
