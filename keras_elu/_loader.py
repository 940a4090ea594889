"""Finds and loads the compiled op library, refusing a mismatched TensorFlow."""

import ctypes
import glob
import json
import os

import tensorflow as tf

_HERE = os.path.dirname(os.path.abspath(__file__))
REBUILD = "pip install --no-build-isolation --force-reinstall --no-deps ."
# Caps the CPU kernels' ISA (cc/cpu/elu_cpu_dispatch.cc), for tests and
# benchmarks that compare the ISAs on one machine.
CPU_ISA_ENV = "KERAS_ELU_CPU_ISA"


def _build_info() -> dict:
    path = os.path.join(_HERE, "_build_info.json")
    if not os.path.exists(path):
        return {}
    with open(path) as f:
        return json.load(f)


def _c_string_function(name: str):
    function = getattr(_C_LIBRARY, name)
    function.restype = ctypes.c_char_p
    return lambda: function().decode()


def _c_double_function(name: str):
    function = getattr(_C_LIBRARY, name)
    function.restype = ctypes.c_double
    return function


def _check_cpu_isa_env(isas: tuple) -> None:
    cap = os.environ.get(CPU_ISA_ENV, "")
    if cap and cap not in isas:
        raise ValueError(
            f"{CPU_ISA_ENV} must be one of {', '.join(isas)} (or unset); "
            f"received {CPU_ISA_ENV}={cap!r}")


def _load():
    libraries = sorted(glob.glob(os.path.join(_HERE, "_elu_ops*.so")))
    if not libraries:
        raise ImportError(
            f"keras_elu: the compiled op library is missing from {_HERE}. Build it "
            f"against the installed TensorFlow {tf.__version__} from the source "
            f"checkout: {REBUILD}")
    info = _build_info()
    built = info.get("tensorflow", "unknown")
    if built.split(".")[:2] != tf.__version__.split(".")[:2]:
        raise ImportError(
            f"keras_elu was compiled against TensorFlow {built} but TensorFlow "
            f"{tf.__version__} is installed; a custom op's ABI is tied to one TF "
            f"series. Rebuild from the source checkout: {REBUILD}")
    return tf.load_op_library(libraries[-1]), info, libraries[-1]


LIBRARY, BUILD_INFO, LIBRARY_PATH = _load()
_C_LIBRARY = ctypes.CDLL(LIBRARY_PATH)  # the same library, for its C entry points
HAS_XLA_KERNELS = bool(BUILD_INFO.get("xla_kernels"))
# The CPU ISAs, best first, as the library names them (its list is the only one).
CPU_ISAS = tuple(_c_string_function("KerasEluCpuIsas")().split(","))
_check_cpu_isa_env(CPU_ISAS)  # before any kernel runs and the library picks its ISA
# The ISAs this CPU runs, best first: KERAS_ELU_CPU_ISA can cap to any of them.
RUNNABLE_CPU_ISAS = tuple(_c_string_function("KerasEluRunnableCpuIsas")().split(","))
_cpu_isa = _c_string_function("KerasEluCpuIsa")
# The alphas the float32 CPU and GPU math takes besides 0, [min, end); others
# run the float64 math (cc/cpu/elu_float_fma.h).
FLOAT_FMA_ALPHA_RANGE = (_c_double_function("KerasEluFloatFmaAlphaMin")(),
                         _c_double_function("KerasEluFloatFmaAlphaEnd")())


def cpu_isa() -> str:
    """The CPU ISA every kernel runs on: one of CPU_ISAS.

    One table per ISA holds every CPU kernel (forward, derivatives, the
    float16/bfloat16 conversions), so they all report the same ISA.
    """
    return _cpu_isa()


def gpu_unavailable_reason() -> str:
    """Why the CUDA kernels cannot run on this machine's GPUs, "" if they can (asks the driver once).

    Only for a library built with CUDA kernels (BUILD_INFO["cuda_kernels"]).
    """
    return _c_string_function("KerasEluGpuUnavailableReason")()
