"""Finds and loads the compiled op library, refusing a mismatched TensorFlow."""

import glob
import json
import os

import tensorflow as tf

_HERE = os.path.dirname(os.path.abspath(__file__))
_REBUILD = "pip install --no-build-isolation --force-reinstall --no-deps ."


def _build_info() -> dict:
    path = os.path.join(_HERE, "_build_info.json")
    if not os.path.exists(path):
        return {}
    with open(path) as f:
        return json.load(f)


def _load():
    libraries = sorted(glob.glob(os.path.join(_HERE, "_elu_ops*.so")))
    if not libraries:
        raise ImportError(
            f"keras_elu: the compiled op library is missing from {_HERE}. Build it "
            f"against the installed TensorFlow {tf.__version__} from the source "
            f"checkout: {_REBUILD}")
    info = _build_info()
    built = info.get("tensorflow", "unknown")
    if built.split(".")[:2] != tf.__version__.split(".")[:2]:
        raise ImportError(
            f"keras_elu was compiled against TensorFlow {built} but TensorFlow "
            f"{tf.__version__} is installed; a custom op's ABI is tied to one TF "
            f"series. Rebuild from the source checkout: {_REBUILD}")
    return tf.load_op_library(libraries[-1]), info


LIBRARY, BUILD_INFO = _load()
HAS_XLA_KERNELS = bool(BUILD_INFO.get("xla_kernels"))
