"""Each CPU ISA (AVX-512, AVX2+FMA, AVX, generic) meets the same spec, for every kernel.

The library picks the best ISA the CPU has; KERAS_ELU_CPU_ISA caps it so one
machine runs every test marked `cpu_isa` (the accuracy, op, derivative and
0.1-op suites) on every ISA it can: all four on an AVX-512 machine. One
table per ISA holds every CPU kernel, so the cap moves the forward, the
derivatives and the half-type conversions together.
"""

import functools
import os
import platform
import shutil
import subprocess
import sys

import pytest

from support import ROOT, run_python
from keras_elu import _loader

sys.path.insert(0, os.path.join(ROOT, "benchmarks"))
import bench_cpu_kernels  # noqa: E402  (builds the TF-free CPU code)

_QUERY = "from keras_elu import _loader; print(_loader.cpu_isa())"


@functools.cache  # each answer costs a fresh TensorFlow process
def _isa_under_cap(cap: str) -> str:
    result = run_python(_QUERY, env_extra={_loader.CPU_ISA_ENV: cap})
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_default_isa_is_the_best_the_cpu_has():
    best = next(isa for isa in _loader.CPU_ISAS if _isa_under_cap(isa) == isa)
    assert _loader.cpu_isa() == best


@pytest.mark.parametrize("isa", _loader.CPU_ISAS)
def test_every_isa_passes_the_accuracy_and_op_tests(isa):
    if _isa_under_cap(isa) != isa:
        pytest.skip(f"this CPU has no {isa}")
    if isa == _loader.cpu_isa():
        pytest.skip(f"{isa} is the default ISA: the rest of the suite tests it")
    tests = os.path.join(ROOT, "tests")
    code = ("import sys, pytest; sys.exit(pytest.main(['-q', '-p', 'no:cacheprovider', '-m', 'cpu_isa', "
            f"{tests!r}]))")
    result = run_python(code, env_extra={_loader.CPU_ISA_ENV: isa})
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and " deselected" in result.stdout


def test_unknown_cap_is_refused_naming_the_variable_and_value():
    result = run_python("import keras_elu", env_extra={_loader.CPU_ISA_ENV: "sse9"})
    assert result.returncode != 0
    assert "KERAS_ELU_CPU_ISA" in result.stderr and "'sse9'" in result.stderr
    assert ", ".join(_loader.CPU_ISAS) in result.stderr
    assert _loader.CPU_ISAS == ("avx512", "avx2", "avx", "generic")


@pytest.fixture(scope="module")
def tf_free_cpu_binary(tmp_path_factory):
    return bench_cpu_kernels.build(str(tmp_path_factory.mktemp("cpu")))


# Most x86 CPUs lack AVX-512, and TensorFlow's wheel asks only for AVX: code
# compiled for an ISA must not run before that ISA's CPU test says yes. The
# tables are constant data for that reason (a table built at load by code
# compiled for AVX-512 died with SIGILL on every CPU without it). qemu-user
# emulates the older CPUs (its TCG has no AVX-512).
@pytest.mark.slow
@pytest.mark.skipif(platform.machine() != "x86_64" or shutil.which("qemu-x86_64") is None,
                    reason="needs x86-64 and qemu-user")
@pytest.mark.parametrize("cpu, runnable", [("Haswell", "avx2,avx,generic"), ("SandyBridge", "avx,generic"),
                                           ("Nehalem", "generic")])
def test_cpu_code_loads_and_picks_its_isas_on_older_cpus(tf_free_cpu_binary, cpu, runnable):
    result = subprocess.run(["qemu-x86_64", "-cpu", cpu, tf_free_cpu_binary, "--isas"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == runnable
