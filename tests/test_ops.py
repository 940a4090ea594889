"""keras_elu.elu: values, dtypes, shapes, errors and safety of the compiled op."""

import threading

import numpy as np
import pytest
import tensorflow as tf

import keras_elu
from support import ALPHAS, ATOL, DTYPES, RTOL, TELLTALE, alpha_as_used, elu_longdouble, elu_ref, ulp_distance

pytestmark = [pytest.mark.cpu_isa, pytest.mark.core]  # see the markers in pyproject.toml


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: d.name)
@pytest.mark.parametrize("alpha", ALPHAS)
def test_matches_float64_reference_within_one_ulp(dtype, alpha, rng):
    # float32: <= 1 ULP on every path (float arithmetic with a compensated sum
    # and alpha in the final rounding on FMA paths, a double evaluation rounded
    # once without FMA); the halves round that float32 result once more.
    # float64 rounds its own expm1 (<= 1 ULP) and then the multiply: <= 2 ULP,
    # measured against an 80-bit long double reference.
    max_ulp = 2 if dtype == tf.float64 else 1
    x = np.concatenate([rng.normal(0, 3, 4096), [-100.0, -20.0, -1e-3, -0.0, 0.0, 1e-3, 50.0]])
    x = tf.cast(tf.constant(x), dtype)
    got = keras_elu.elu(x, alpha=alpha)
    assert got.dtype == dtype and got.shape == x.shape
    want = elu_longdouble(tf.cast(x, tf.float64).numpy(), alpha_as_used(alpha, dtype))
    assert ulp_distance(got.numpy(), want.astype(np.float64), dtype).max() <= max_ulp


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: d.name)
@pytest.mark.parametrize("alpha", ALPHAS)
def test_op_and_twin_match_the_float64_oracle(implementation, dtype, alpha, rng):
    # The twin's contract, and the op's in the same terms (its own bound is the test above).
    x = np.concatenate([rng.normal(0, 3, 512), [-100.0, -20.0, -1e-3, -0.0, 0.0, 1e-3, 50.0]])
    x = tf.cast(tf.constant(x), dtype)
    got = keras_elu.elu(x, alpha=alpha)
    assert got.dtype == dtype and got.shape == x.shape
    want = elu_ref(tf.cast(x, tf.float64).numpy(), alpha_as_used(alpha, dtype))
    want = tf.cast(tf.cast(want, dtype), tf.float64).numpy()  # what the dtype can hold
    np.testing.assert_allclose(tf.cast(got, tf.float64).numpy(), want, rtol=RTOL[implementation][dtype],
                               atol=ATOL[dtype])


def test_brief_example_and_tiny_negative_inputs():
    got = keras_elu.elu([-1.0, 0.0, 1.0], alpha=0.5).numpy()
    np.testing.assert_allclose(got, [0.5 * np.expm1(-1.0), 0.0, 1.0], rtol=1e-7)
    # tf.nn.elu returns 0 for TELLTALE (support.py says why); expm1 keeps the value.
    tiny = keras_elu.elu(tf.constant([TELLTALE], tf.float32)).numpy()
    assert ulp_distance(tiny, TELLTALE, tf.float32).max() <= 1


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: d.name)
def test_nan_and_infinities_propagate(implementation, dtype):
    x = tf.cast(tf.constant([np.nan, np.inf, -np.inf, 0.0]), dtype)
    got = tf.cast(keras_elu.elu(x, alpha=0.7), tf.float64).numpy()
    assert np.isnan(got[0])
    assert got[1] == np.inf
    np.testing.assert_allclose(got[2], -alpha_as_used(0.7, dtype), rtol=1e-2)
    assert got[3] == 0.0


@pytest.mark.parametrize("shape", [(0,), (3, 0, 2), (), (1,) * 10, (2, 1, 3, 1, 2, 1, 1, 2, 1, 3)])
def test_any_rank_and_empty_shapes(shape, rng):
    x = rng.normal(size=shape).astype(np.float32)
    got = keras_elu.elu(x, alpha=0.3)
    assert got.shape == shape
    np.testing.assert_allclose(got.numpy(), elu_ref(x, alpha_as_used(0.3, tf.float32)), rtol=1e-6)


def test_unknown_shapes_in_tf_function_keep_what_is_known():
    seen = {}

    @tf.function(input_signature=[tf.TensorSpec([None, 3, None], tf.float32)])
    def f(x):
        y = keras_elu.elu(x, 0.5)
        seen["shape"] = y.shape.as_list()
        return y

    x = np.linspace(-3, 3, 2 * 3 * 4, dtype=np.float32).reshape(2, 3, 4)
    np.testing.assert_allclose(f(x).numpy(), elu_ref(x, 0.5), rtol=1e-6)
    assert seen["shape"] == [None, 3, None]


def test_traced_graph_uses_the_custom_op_not_stock_ops():
    f = tf.function(lambda x: keras_elu.elu(x, 0.2))
    graph = f.get_concrete_function(tf.TensorSpec([None], tf.float32)).graph
    types = {op.type for op in graph.get_operations()}
    assert "KerasElu>Elu" in types
    assert not types & {"Elu", "Exp", "Expm1", "SelectV2", "Select"}


@pytest.mark.parametrize("alpha", [-0.1, float("nan"), float("inf"), -float("inf")])
def test_bad_alpha_is_refused_in_python(alpha):
    with pytest.raises(ValueError, match=r"alpha.*received alpha=" + str(alpha)[:3]):
        keras_elu.elu([1.0], alpha=alpha)


@pytest.mark.parametrize("alpha", ["1.0", None, True, [1.0]])
def test_non_numeric_alpha_is_a_type_error(alpha):
    with pytest.raises(TypeError, match="alpha"):
        keras_elu.elu([1.0], alpha=alpha)


@pytest.mark.parametrize("alpha", [-0.5, float("nan")])
def test_bad_alpha_tensor_is_refused_by_the_kernel(alpha):
    with pytest.raises(tf.errors.InvalidArgumentError, match="alpha must be finite and >= 0"):
        keras_elu.elu([1.0, -1.0], alpha=tf.constant(alpha))


def test_non_scalar_alpha_is_refused():
    with pytest.raises(ValueError, match="alpha must be a scalar"):
        keras_elu.elu([1.0], alpha=tf.constant([1.0, 2.0]))


@pytest.mark.parametrize("dtype", [tf.int32, tf.int64, tf.bool, tf.complex64, tf.string])
def test_non_float_inputs_get_a_type_error(dtype):
    x = tf.zeros([2], dtype) if dtype != tf.string else tf.constant(["a"])
    with pytest.raises(TypeError, match=f"received dtype={dtype.name}"):
        keras_elu.elu(x)


def test_inputs_are_never_mutated(rng):
    values = rng.normal(size=1000).astype(np.float32)
    tensor = tf.constant(values)
    variable = tf.Variable(values)
    keras_elu.elu(tensor, 0.5)
    keras_elu.elu(variable, 0.5)
    tf.function(lambda v: keras_elu.elu(v * 1.0, 0.5) + keras_elu.elu(v, 0.5))(variable)
    np.testing.assert_array_equal(tensor.numpy(), values)
    np.testing.assert_array_equal(variable.numpy(), values)


def test_buffer_reuse_inside_a_graph_gives_right_answers(rng):
    x = rng.normal(size=10_000).astype(np.float32)
    # x * 2 is a temporary nobody else holds: the kernel may write into it.
    got = tf.function(lambda v: keras_elu.elu(v * 2.0, 0.5))(x).numpy()
    np.testing.assert_allclose(got, elu_ref(x * 2.0, 0.5), rtol=1e-6)


def test_concurrent_calls_are_bit_identical(rng):
    x = tf.constant(rng.normal(0, 4, 1 << 18).astype(np.float32))
    expected = keras_elu.elu(x, 0.3).numpy()
    results, errors = [], []

    def work():
        try:
            for _ in range(10):
                results.append(keras_elu.elu(x, 0.3).numpy())
        except Exception as error:  # surfaced by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and len(results) == 80
    for r in results:
        np.testing.assert_array_equal(r, expected)


@pytest.mark.slow
def test_more_than_two_to_the_27_elements():
    n = (1 << 27) + 17
    x = tf.linspace(tf.constant(-30.0, tf.float32), 30.0, n)
    y = keras_elu.elu(x, 0.25)
    assert y.shape == (n,)
    idx = np.array([0, 1, n // 3, n // 2, (1 << 27) - 1, 1 << 27, n - 1])
    xs = tf.gather(x, idx).numpy()
    got = tf.gather(y, idx).numpy()
    np.testing.assert_allclose(got, elu_ref(xs, 0.25), rtol=1e-6, atol=1e-30)


def test_a_tensor_alpha_traces_once_and_a_python_alpha_as_stock_ops_do():
    # tf.function keys its cache on Python values, for any op: a loop over
    # Python alphas traces per value (tf.nn.elu(x) * alpha does too), a tensor
    # alpha once; the eager alpha cache must not change either count.
    x = tf.constant([-1.0, 1.0])
    ours = tf.function(lambda v, a: keras_elu.elu(v, a))
    stock = tf.function(lambda v, a: tf.nn.elu(v) * a)
    for alpha in [0.1, 0.2, 0.3]:
        keras_elu.elu(x, alpha)  # cached in eager
        for f in (ours, stock):
            f(x, alpha)
            f(x, tf.constant(alpha))
    assert ours.experimental_get_tracing_count() == stock.experimental_get_tracing_count() == 4
