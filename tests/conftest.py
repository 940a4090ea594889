"""pytest's setup and fixtures; the shared oracles, tolerances and skips live in support.py."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import pytest  # noqa: E402


@pytest.fixture
def rng():
    return np.random.default_rng(1511_07289)


@pytest.fixture(params=["op", "twin"])
def implementation(request):
    """keras_elu.elu as built (the compiled op), or forced onto its stock-op twin by portable().

    The twin runs wherever the op cannot (portable() exports, a GPU the CUDA
    kernels cannot serve, other Keras backends), so both meet the same oracle,
    each at its row of support.RTOL.
    """
    if request.param == "op":
        yield "op"
        return
    import keras_elu  # noqa: PLC0415  (loaded only by the tests that ask)

    with keras_elu.portable():
        yield "twin"
