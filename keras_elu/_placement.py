"""Never silently on the CPU: where ELU runs when TensorFlow sees a GPU.

An op with no usable GPU kernel is placed on the CPU by TensorFlow, and every
activation then crosses PCIe twice per layer. So when TensorFlow sees a GPU
that keras_elu's CUDA kernels cannot serve (built without them, driver too
old, no image for this GPU), `keras_elu.elu`, the layer and the string run
the stock-op twin instead, which stays on the GPU, and say so once. Under XLA
the lowering runs as always (ops.py decides that part).
"""

import warnings

import tensorflow as tf

from keras_elu import _loader

_REINSTALL = ("pip install nvidia-cuda-nvrtc-cu12 nvidia-cuda-runtime-cu12 (tensorflow[and-cuda] has them), "
              f"then rebuild keras_elu: {_loader.REBUILD}")


def twin_reason_for(gpus_visible: bool, cuda_kernels_built: bool, unavailable: str) -> str | None:
    """Why the twin must run instead of the compiled op, or None when the op serves.

    Args:
        gpus_visible: TensorFlow sees at least one GPU.
        cuda_kernels_built: the library holds CUDA kernels (_build_info.json).
        unavailable: why the library cannot run them on this machine's GPUs, "" if it can.
    """
    if not gpus_visible:
        return None  # the CPU kernels serve
    if not cuda_kernels_built:
        return f"this keras_elu was built without CUDA kernels. To build them: {_REINSTALL}"
    return unavailable or None


def _gpus_visible() -> bool:
    return bool(tf.config.list_physical_devices("GPU"))


def _unavailable_reason() -> str:
    tf.config.list_logical_devices("GPU")  # TensorFlow sets up its CUDA contexts first
    return _loader.gpu_unavailable_reason()


_decided = False
_reason = None


def twin_reason() -> str | None:
    """The process-wide decision, made at first use and warned about once."""
    global _decided, _reason
    if not _decided:
        visible = _gpus_visible()
        built = bool(_loader.BUILD_INFO.get("cuda_kernels"))
        _reason = twin_reason_for(visible, built, _unavailable_reason() if visible and built else "")
        _decided = True
        if _reason:
            warnings.warn(
                f"keras_elu: TensorFlow sees a GPU, but keras_elu's CUDA kernels cannot run there: {_reason}. "
                "Until that is fixed, keras_elu.elu, keras_elu.ELU and 'keras_elu>elu' run stock TensorFlow "
                "ops (the same formula at stock accuracy), so the work stays on the GPU; under "
                "jit_compile=True keras_elu's XLA lowering runs as usual.", RuntimeWarning, stacklevel=3)
    return _reason


def reset() -> None:
    """Forgets the decision (tests inject facts and decide again)."""
    global _decided, _reason
    _decided, _reason = False, None
