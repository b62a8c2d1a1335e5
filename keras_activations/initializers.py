"""Weight initializers used by the learnable activations."""

import math

import keras
from keras import ops

from keras_activations.arguments import finite_float


@keras.saving.register_keras_serializable(package="keras_activations")
class EvenlySpaced(keras.initializers.Initializer):
    """Values evenly spaced from `low` to `high` along the first axis.

    For a weight of shape `(n, ...)`, slice `i` is filled with
    `low + i * (high - low) / (n - 1)` (all `low` when n is 1). Deterministic,
    so a layer rebuilt from its config starts from the same weights.

    Args:
        low: First value.
        high: Last value.

    Example:

    >>> EvenlySpaced(-1.0, 1.0)((3, 2))  # rows -1, 0, 1
    """

    def __init__(self, low=-1.0, high=1.0):
        self.low = finite_float("low", low)
        self.high = finite_float("high", high)

    def __call__(self, shape, dtype=None):
        count = shape[0]
        step = (self.high - self.low) / max(count - 1, 1)
        values = ops.arange(count, dtype=dtype or "float32") * step + self.low
        # Tiled rather than broadcast: on PyTorch a broadcast is a view whose
        # elements share memory, which a variable cannot be updated in place.
        return ops.tile(ops.reshape(values, (count,) + (1,) * (len(shape) - 1)),
                        (1,) + tuple(shape[1:]))

    def get_config(self):
        return {"low": self.low, "high": self.high}


@keras.saving.register_keras_serializable(package="keras_activations")
class Coefficients(keras.initializers.Initializer):
    """A fixed vector of values, for weights of shape `(len(values),)`.

    Args:
        values: The values, e.g. polynomial coefficients.

    Example:

    >>> Coefficients([0.0, 1.0])((2,))
    """

    def __init__(self, values):
        if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
            raise TypeError(f"`values` must be a sequence of numbers, got {values!r}.")
        self.values = [finite_float("values", value) for value in values]

    def __call__(self, shape, dtype=None):
        if tuple(shape) != (len(self.values),):
            raise ValueError(
                f"Coefficients holds {len(self.values)} values, but the weight it "
                f"initializes has shape {tuple(shape)}: give {math.prod(shape)} values.")
        return ops.convert_to_tensor(self.values, dtype=dtype or "float32")

    def get_config(self):
        return {"values": self.values}
