"""Bad input and odd use (#18): alpha overflow named as given, a diverged learned alpha, module reloads."""

import json
import re

import keras
import numpy as np
import pytest
import tensorflow as tf

import keras_elu
from keras_elu._loader import LIBRARY
from support import elu_grad_ref, elu_ref, needs_xla_kernels, run_python

OVERFLOW = re.escape("alpha must be at most 3.4028235e+38, float32's largest finite value, since x is ") + "{x}"


@pytest.mark.parametrize("alpha,shown", [(1e39, "1e+39"), (1e300, "1e+300"), (10 ** 40, str(10 ** 40))])
@pytest.mark.parametrize("dtype", [tf.float16, tf.bfloat16, tf.float32], ids=lambda d: d.name)
def test_python_alpha_overflowing_float32_is_named_as_given(alpha, shown, dtype):
    with pytest.raises(ValueError, match=OVERFLOW.format(x=dtype.name) + ".*received alpha=" + re.escape(shown)):
        keras_elu.elu(tf.zeros([2], dtype), alpha)


@pytest.mark.parametrize("jit", [False, pytest.param(True, marks=needs_xla_kernels)])
@pytest.mark.parametrize("dtype", [tf.float16, tf.float32], ids=lambda d: d.name)
def test_float64_tensor_alpha_overflowing_float32_is_named_as_given(dtype, jit):
    # The tensor is no longer rounded to float32 in Python (where 1e300 became inf);
    # the kernel, eager or XLA, reads it as given.
    f = tf.function(lambda x: LIBRARY.keras_elu_elu(x, tf.constant(1e300, tf.float64)), jit_compile=jit)
    with pytest.raises(tf.errors.InvalidArgumentError, match=OVERFLOW.format(x=dtype.name) + ".*received alpha=1e\\+300"):
        f(tf.zeros([2], dtype))
    with pytest.raises(tf.errors.InvalidArgumentError, match="received alpha=1e\\+300"):
        keras_elu.elu(tf.zeros([2], dtype), tf.constant(1e300, tf.float64))


def test_large_alphas_that_fit_are_taken():
    x64 = tf.constant([-1.0, 2.0], tf.float64)
    np.testing.assert_allclose(keras_elu.elu(x64, 1e300).numpy(), elu_ref(x64.numpy(), 1e300), rtol=1e-15)
    np.testing.assert_allclose(keras_elu.elu(x64, tf.constant(1e300, tf.float64)).numpy(),
                               elu_ref(x64.numpy(), 1e300), rtol=1e-15)
    # A float64 tensor alpha beside float32 x is rounded once, by the kernel.
    x = tf.constant([-1.0, 2.0])
    got = keras_elu.elu(x, tf.constant(3e38, tf.float64)).numpy()
    np.testing.assert_array_equal(got, keras_elu.elu(x, tf.constant(np.float32(3e38))).numpy())


def test_layer_alpha_overflow_is_named_at_call():
    wide = keras_elu.ELU(alpha=1e39, dtype="float64")  # fine for float64 inputs
    np.testing.assert_allclose(wide(np.array([-1.0])).numpy(), elu_ref([-1.0], 1e39), rtol=1e-15)
    with pytest.raises(ValueError, match=OVERFLOW.format(x="float32") + ".*received alpha=1e\\+39"):
        keras_elu.ELU(alpha=1e39)(np.array([-1.0], np.float32))


def test_cached_eager_alpha_keeps_every_message():
    x = tf.constant([-1.0, 1.0])
    keras_elu.elu(x, 0.25)  # now cached
    with pytest.raises(TypeError, match="received dtype=int32"):
        keras_elu.elu(tf.constant([1, 2]), 0.25)
    for value in [np.nan, -0.25, np.inf]:
        with pytest.raises(ValueError, match="received alpha="):
            keras_elu.elu(x, value)


def test_eager_alpha_cache_is_bounded_and_graphs_hold_constants():
    from keras_elu import _alpha  # noqa: PLC0415

    for i in range(200):
        keras_elu.elu(tf.constant([-1.0]), 1.0 + i / 1000)
    assert len(_alpha.EAGER_ALPHAS) <= 64
    f = tf.function(lambda v: keras_elu.elu(v, 0.375))
    graph = f.get_concrete_function(tf.TensorSpec([None], tf.float32)).graph
    op = next(o for o in graph.get_operations() if o.type == "KerasElu>Elu")
    alpha = op.inputs[1].op
    assert alpha.type == "Const" and alpha.get_attr("value").float_val == [0.375]


def _model_with_learned_alpha(jit_compile):
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(4),
                              keras_elu.ELU(trainable_alpha=True, name="learned_elu"), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse", jit_compile=jit_compile)
    x = np.random.default_rng(0).normal(size=(64, 3)).astype(np.float32)
    x[5, 1] = np.nan  # one bad value in the data
    return model, x, np.ones((64, 1), np.float32)


def test_diverged_learned_alpha_says_so_and_names_the_layer():
    model, x, y = _model_with_learned_alpha(jit_compile=False)
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"(?s)learned alpha of keras_elu.ELU layer "
                       r"learned_elu diverged in training.*TerminateOnNaN.*received alpha=\] \[-?nan\]"):
        model.fit(x, y, batch_size=16, epochs=2, shuffle=False, verbose=0)


def test_terminate_on_nan_ends_fit_before_the_diverged_alpha_is_used():
    model, x, y = _model_with_learned_alpha(jit_compile=False)
    history = model.fit(x, y, batch_size=16, epochs=2, shuffle=False, verbose=0,
                        callbacks=[keras.callbacks.TerminateOnNaN()])
    assert np.isnan(history.history["loss"][-1])


@needs_xla_kernels
def test_under_xla_a_diverged_alpha_gives_nan_losses_as_keras_does():
    # XLA has no run-time checks: the Assert compiles to nothing.
    model, x, y = _model_with_learned_alpha(jit_compile=True)
    history = model.fit(x, y, batch_size=16, epochs=2, shuffle=False, verbose=0)
    assert np.isnan(history.history["loss"]).all()
    assert np.isnan(model.get_layer("learned_elu").alpha_weight.numpy())


@pytest.mark.parametrize("value,shown", [(np.nan, "nan"), (np.inf, "inf")])
def test_a_nonfinite_learned_alpha_is_refused_in_eager_calls(value, shown):
    layer = keras_elu.ELU(trainable_alpha=True, name="act")
    layer(np.zeros((1, 2), np.float32))
    layer.alpha_weight.assign(value)
    with pytest.raises(tf.errors.InvalidArgumentError, match=f"layer act diverged.*received alpha=\\] \\[-?{shown}\\]"):
        layer(np.array([[-1.0, 1.0]], np.float32))


RELOAD = """
import importlib, json, pathlib
import keras, numpy as np, tensorflow as tf
import keras_elu

names = sorted(f"keras_elu.{p.stem}" for p in pathlib.Path(keras_elu.__file__).parent.glob("*.py")
               if p.stem != "__init__")
keras_elu.use_compiled_elu()
for _ in range(2):
    for name in names:
        importlib.reload(importlib.import_module(name))
    importlib.reload(keras_elu)
from keras_elu import patching
enabled_after_reload = patching.compiled_elu_enabled()
patching.use_compiled_elu(False)

x = tf.constant([-1.0, 0.5, 2.0])
with tf.GradientTape() as tape:
    tape.watch(x)
    y = keras_elu.elu(x, 0.5)
dx = tape.gradient(y, x)
vmapped = tf.vectorized_map(lambda r: keras_elu.elu(r, 0.5), tf.reshape(x, [3, 1]), fallback_to_while_loop=False)
layer = keras.layers.Dense(3, activation="keras_elu>elu", kernel_initializer="identity")
restored = keras.layers.deserialize(keras.layers.serialize(keras_elu.ELU(0.5)))
print(json.dumps({"modules": names, "y": y.numpy().tolist(), "dx": dx.numpy().tolist(),
                  "vmapped": vmapped.numpy().ravel().tolist(), "dense": layer(x[None]).numpy().ravel().tolist(),
                  "restored": type(restored).__module__, "enabled_after_reload": enabled_after_reload,
                  "keras_elu_after_disable": keras.activations.get("elu") is keras.src.activations.activations.elu}))
"""


def test_every_module_reloads_and_the_op_gradient_and_registrations_still_work():
    result = run_python(RELOAD)
    assert result.returncode == 0, result.stderr[-3000:]
    got = json.loads(result.stdout.strip().splitlines()[-1])
    assert {"keras_elu.ops", "keras_elu._gradients", "keras_elu._pfor", "keras_elu.layers"} <= set(got["modules"])
    x = np.array([-1.0, 0.5, 2.0])
    for key in ("y", "vmapped"):
        np.testing.assert_allclose(got[key], elu_ref(x, np.float32(0.5)), rtol=1e-6)
    np.testing.assert_allclose(got["dense"], elu_ref(x, 1.0), rtol=1e-6)  # the string's default alpha
    np.testing.assert_allclose(got["dx"], elu_grad_ref(x, 0.5), rtol=1e-6)
    assert got["restored"] == "keras_elu.layers"
    assert got["enabled_after_reload"] and got["keras_elu_after_disable"]
