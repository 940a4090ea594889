"""The stock-op twin of the ELU op, and the one rule for what ELU computes in.

One formula serves every place the compiled op cannot: `portable()` exports
and the XLA fallback (written with TensorFlow ops) and the jax, torch and
numpy Keras backends (written with `keras.ops`), so a model gives the same
numbers wherever it runs. Halves compute in float32, float64 in float64, as
the op's kernels do.
"""

import types

import keras


def compute_dtype_name(dtype) -> str:
    """What ELU computes in (and alpha's dtype): "float64" for float64, else "float32"."""
    return "float64" if keras.backend.standardize_dtype(dtype) == "float64" else "float32"


def elu(x, alpha, xp):
    """ELU from the stock ops of `xp` (`keras.ops`, or `tf_ops()`), in compute_dtype_name(x.dtype).

    The negative branch sees x where x <= 0 and 0 elsewhere, which keeps the
    untaken branch finite (so gradients are too) and, unlike min(x, 0), whose
    choice between -0.0 and 0.0 is up to the backend, keeps -0.0 -> -0.0.
    """
    dtype = keras.backend.standardize_dtype(x.dtype)
    compute = compute_dtype_name(dtype)
    xc = xp.cast(x, compute)
    a = xp.cast(alpha, compute)
    positive = xc > 0
    negative_part = xp.where(positive, xp.zeros_like(xc), xc)
    return xp.cast(xp.where(positive, xc, a * xp.expm1(negative_part)), dtype)


def tf_ops():
    """TensorFlow's spelling of the four ops `elu` needs (imported only when asked)."""
    import tensorflow as tf  # noqa: PLC0415

    return types.SimpleNamespace(cast=tf.cast, where=tf.where, expm1=tf.math.expm1, zeros_like=tf.zeros_like)
