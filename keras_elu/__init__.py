"""keras_elu: ELU (Clevert et al. 2015) as a compiled TensorFlow op with a Keras 3 face.

Importing loads the op library, so SavedModels that use it load afterwards,
and registers the `"keras_elu>elu"` activation string.
"""

import importlib.metadata

from keras_elu.activations import ACTIVATION_NAME, elu
from keras_elu.layers import ELU
from keras_elu.ops import portable
from keras_elu.patching import use_compiled_elu

try:
    __version__ = importlib.metadata.version("keras_elu")  # one home: pyproject.toml
except importlib.metadata.PackageNotFoundError:  # a source tree on sys.path, not installed
    __version__ = "0+unknown"
__all__ = ["ACTIVATION_NAME", "ELU", "elu", "portable", "use_compiled_elu", "__version__"]
