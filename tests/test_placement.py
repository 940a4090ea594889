"""Never silently on the CPU (#16): where TensorFlow sees a GPU the CUDA kernels cannot serve, the twin runs.

The decision is tested with the GPU's presence and the build and driver facts
injected; this machine's own answer (no GPU) must leave everything on the op.
"""

import warnings

import keras
import numpy as np
import pytest
import tensorflow as tf

import keras_elu
from keras_elu import _loader, _placement
from support import elu_ref, needs_xla_kernels

DRIVER_TOO_OLD = ("the NVIDIA driver supports CUDA 11.8; keras_elu's kernels (NVRTC 12.9) need CUDA 12.0 (R525) "
                  "or later")


@pytest.mark.parametrize("gpus,built,unavailable,expected", [
    (False, False, "", None),                       # no GPU: the CPU kernels serve
    (False, True, "no NVIDIA driver", None),
    (True, True, "", None),                         # a GPU the CUDA kernels serve
    (True, True, DRIVER_TOO_OLD, DRIVER_TOO_OLD),    # the library says why not
    (True, False, "", "built without CUDA kernels"),
])
def test_decision_from_injected_facts(gpus, built, unavailable, expected):
    reason = _placement.twin_reason_for(gpus, built, unavailable)
    if expected is None:
        assert reason is None
    else:
        assert expected in reason
    if not built and gpus:
        assert "nvidia-cuda-nvrtc-cu12" in reason and "pip install --no-build-isolation" in reason


def _op_types(fn, *args) -> set:
    graph = tf.function(fn).get_concrete_function(*args).graph
    return {op.type for op in graph.get_operations()}


def test_this_machine_without_a_gpu_runs_the_compiled_op():
    if tf.config.list_physical_devices("GPU"):
        pytest.skip("this machine has a GPU")
    _placement.reset()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # and says nothing
        assert _placement.twin_reason() is None
        assert "KerasElu>Elu" in _op_types(lambda x: keras_elu.elu(x, 0.5), tf.constant([1.0]))


@pytest.fixture
def unservable_gpu(monkeypatch):
    """A GPU TensorFlow sees and this keras_elu cannot serve (built without CUDA kernels)."""
    monkeypatch.setattr(_placement, "_gpus_visible", lambda: True)
    monkeypatch.setitem(_loader.BUILD_INFO, "cuda_kernels", False)
    _placement.reset()
    yield
    _placement.reset()


def test_unservable_gpu_runs_the_twin_everywhere_and_warns_once(unservable_gpu):
    x = tf.constant([-3.0, -0.5, 0.0, 2.0])
    with pytest.warns(RuntimeWarning, match="cannot run there: this keras_elu was built without CUDA kernels"):
        eager = keras_elu.elu(x, 0.5)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # once per process
        again = keras_elu.elu(x, 0.5)
        layer_types = _op_types(lambda v: keras_elu.ELU(alpha=0.5)(v), x)
        string_types = _op_types(lambda v: keras.layers.Activation("keras_elu>elu")(v), x)
    np.testing.assert_allclose(eager.numpy(), elu_ref(x.numpy(), 0.5), rtol=1e-6)
    np.testing.assert_array_equal(again.numpy(), eager.numpy())
    for types in (layer_types, string_types, _op_types(lambda v: keras_elu.elu(v, 0.5), x)):
        assert not {t for t in types if t.startswith("KerasElu")}, types
        assert "Expm1" in types


@needs_xla_kernels
def test_unservable_gpu_still_lowers_the_op_under_xla(unservable_gpu):
    x = tf.constant([-3.0, 2.0])
    with pytest.warns(RuntimeWarning):
        _placement.twin_reason()
    compiled = tf.function(lambda v: keras_elu.elu(v, 0.5), jit_compile=True)
    assert "KerasElu>Elu" in {op.type for op in compiled.get_concrete_function(x).graph.get_operations()}
    np.testing.assert_allclose(compiled(x).numpy(), elu_ref(x.numpy(), 0.5), rtol=1e-6)


def test_portable_still_wins_and_the_cpu_decision_is_cached():
    _placement.reset()
    assert _placement.twin_reason() is _placement.twin_reason()
    with keras_elu.portable():
        assert "KerasElu>Elu" not in _op_types(lambda v: keras_elu.elu(v, 0.5), tf.constant([1.0]))
