"""Weight constraints used by the learnable activations."""

import keras
from keras import ops

from keras_activations.arguments import finite_float


@keras.saving.register_keras_serializable(package="keras_activations")
class AtLeast(keras.constraints.Constraint):
    """Clips weights from below: `w = max(w, min_value)`, elementwise.

    Args:
        min_value: Finite lower bound.

    Example:

    >>> PELU(a_constraint=AtLeast(0.1))
    """

    def __init__(self, min_value):
        self.min_value = finite_float("min_value", min_value)

    def __call__(self, w):
        return ops.maximum(w, ops.cast(self.min_value, w.dtype))

    def get_config(self):
        return {"min_value": self.min_value}
