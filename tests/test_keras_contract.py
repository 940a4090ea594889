"""Keras' own contract: its ELU layer test and activations tests, run against keras_elu.

The modules come from the installed Keras (its wheel ships them), so we are
judged by the Keras release the user has. They run in fresh processes: the
activations module under use_compiled_elu(), the layer test pointed at
keras_elu.ELU by changing nothing but its import line.
"""

import os
import sys

import keras
import pytest

from support import run_python

KERAS_SRC = os.path.dirname(keras.src.__file__)
RUN_PYTEST = ("import sys, pytest\n{prelude}\n"
              "sys.exit(pytest.main(['-q', '-p', 'no:cacheprovider', '--rootdir', {root!r}, {path!r}]))")


def _run_keras_tests(path: str, prelude: str, tmp_path) -> str:
    result = run_python(RUN_PYTEST.format(prelude=prelude, root=str(tmp_path), path=path), cwd=str(tmp_path))
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]
    return result.stdout


def test_keras_elu_layer_test_passes_unmodified_but_for_the_import(tmp_path):
    source = open(os.path.join(KERAS_SRC, "layers", "activations", "elu_test.py")).read()
    keras_import = "from keras.src.layers.activations import elu\n"
    assert keras_import in source
    test_file = tmp_path / "elu_test_on_keras_elu.py"
    test_file.write_text(source.replace(keras_import, "from keras_elu import layers as elu\n"))
    out = _run_keras_tests(str(test_file), "", tmp_path)
    assert "3 passed" in out  # test_config, test_elu (run_layer_test), test_correctness


def test_keras_activations_tests_pass_under_use_compiled_elu(tmp_path):
    path = os.path.join(KERAS_SRC, "activations", "activations_test.py")
    prelude = ("import keras_elu, keras\nkeras_elu.use_compiled_elu()\n"
               "assert keras.activations.get('elu') is keras_elu.patching.elu")
    out = _run_keras_tests(path, prelude, tmp_path)
    assert " passed" in out and " failed" not in out
