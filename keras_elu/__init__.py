"""keras_elu: ELU (Clevert et al. 2015) as a compiled TensorFlow op with a Keras 3 face.

Importing loads the op library, so SavedModels that use it load afterwards,
and registers the `"keras_elu>elu"` activation string.
"""

from keras_elu.activations import ACTIVATION_NAME
from keras_elu.layers import ELU
from keras_elu.ops import elu, portable
from keras_elu.patching import use_compiled_elu

__version__ = "0.1.0"
__all__ = ["ACTIVATION_NAME", "ELU", "elu", "portable", "use_compiled_elu", "__version__"]
