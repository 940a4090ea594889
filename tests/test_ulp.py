"""float32 accuracy: a dense sweep of normal inputs, near 0- and in the saturated tail.

TensorFlow runs CPU kernels with flush-to-zero (as tf.nn.elu does), so the
sweeps start where alpha * x is still a normal float.

benchmarks/check_all_float32.py checks every one of the 2^31 negative floats.
"""

import numpy as np
import pytest
import tensorflow as tf

import keras_elu
from support import alpha_as_used, elu_longdouble, elu_ref, ulp_distance
from keras_elu._loader import FLOAT_FMA_ALPHA_RANGE

pytestmark = [pytest.mark.cpu_isa, pytest.mark.core]  # see the markers in pyproject.toml

# The float32 FMA math takes alpha = 0 and MIN <= alpha < END, the library's
# bounds (cc/cpu/elu_float_fma.h); other alphas run the float64 math.
MIN, END = FLOAT_FMA_ALPHA_RANGE


def _max_ulp(x: np.ndarray, alpha: float) -> int:
    got = keras_elu.elu(tf.constant(x), alpha).numpy()
    want = elu_longdouble(x, alpha_as_used(alpha, tf.float32)).astype(np.float32)
    return int(ulp_distance(got, want, tf.float32).max())


def _every_float_between(lo: float, hi: float, step: int = 1) -> np.ndarray:
    """All float32 values from lo to hi (same sign), taking every `step`-th bit pattern."""
    a, b = np.float32([lo, hi]).view(np.int32)
    return np.arange(min(a, b), max(a, b) + 1, step, dtype=np.int32).view(np.float32)


# MIN is the smallest alpha the float32 FMA math takes besides 0; 1e-30 and
# 3e38 lie outside its range (checked), so they run the float64 math.
@pytest.mark.parametrize("alpha, float_fma_math", [(1.0, True), (0.1, True), (1.6732632, True),
                                                   (MIN, True), (1e-30, False), (3e38, False)])
def test_dense_sweep_of_normal_floats_is_within_one_ulp(alpha, float_fma_math):
    assert (MIN <= alpha < END) == float_fma_math
    # Every 97th bit pattern over all negative normal floats, and the positives.
    tiny = np.finfo(np.float32).tiny
    negatives = _every_float_between(-tiny / min(alpha, 1.0) * 2, -np.finfo(np.float32).max, 97)
    positives = _every_float_between(np.finfo(np.float32).tiny, 1e4, 997)
    assert _max_ulp(negatives, alpha) <= 1
    assert _max_ulp(positives, alpha) == 0


@pytest.mark.parametrize("alpha", [1.0, 0.1])
def test_every_float_near_zero_from_below_is_within_one_ulp(alpha):
    assert _max_ulp(_every_float_between(-1e-30, -0.5, 61), alpha) <= 1


@pytest.mark.parametrize("alpha", [1.0, 0.1])
def test_every_float_in_the_saturated_tail_is_within_one_ulp(alpha):
    assert _max_ulp(_every_float_between(-5.0, -120.0), alpha) <= 1


def test_subnormal_inputs_read_as_zero_like_tf_nn_relu():
    # TF's CPU kernels run with denormals-are-zero; tf.nn.relu gives 0 here too.
    x = np.float32([-1e-45, -1e-40, -1e-38, 1e-40])
    got = keras_elu.elu(x, 1.0).numpy()
    np.testing.assert_array_equal(got, tf.nn.relu(x).numpy())
    np.testing.assert_array_equal(got, [0, 0, 0, 0])


@pytest.mark.parametrize("dtype", [tf.float16, tf.bfloat16])
@pytest.mark.parametrize("alpha", [1.0, 0.1])
def test_every_half_precision_value_is_within_one_ulp(dtype, alpha):
    # All 65,536 bit patterns: NaN stays NaN, and the rest is the float64
    # reference rounded to the dtype, give or take the one ULP that computing
    # in float32 and rounding again may cost at a near-tie.
    x = tf.bitcast(tf.constant(np.arange(1 << 16, dtype=np.uint16)), dtype)
    got = tf.cast(keras_elu.elu(x, alpha), tf.float64).numpy()
    x64 = tf.cast(x, tf.float64).numpy()
    nan = np.isnan(x64)
    assert np.isnan(got[nan]).all()
    # bfloat16 shares float32's exponent range: its subnormals meet TF's
    # flush-to-zero like float32's do.
    tiny = np.finfo(np.float32).tiny
    want = elu_ref(x64, alpha_as_used(alpha, dtype))
    checked = ~nan & ((np.abs(x64) >= tiny) & (np.abs(want) >= tiny) | (dtype == tf.float16))
    want_in_dtype = tf.cast(want[checked], dtype).numpy()
    assert ulp_distance(tf.cast(got[checked], dtype).numpy(), want_in_dtype, dtype).max() <= 1
    assert checked.sum() > 60000
