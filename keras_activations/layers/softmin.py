"""`softmin` over a chosen axis, as a layer that saves it."""

import keras

from keras_activations import activations
from keras_activations.arguments import integer


@keras.saving.register_keras_serializable(package="keras_activations")
class Softmin(keras.layers.Layer):
    """Softmax of the negated input over `axis`, with the axis in the config.

    `softmin(x)_i = exp(-x_i) / sum_j exp(-x_j)` over `axis`

    The string `"softmin"` normalizes over the last axis; this layer keeps
    another axis through saving and reloading, as `keras.layers.Softmax`
    does for `softmax`.

    Args:
        axis: Integer, the axis to normalize over. `None` means the default,
            -1.
        **kwargs: Base layer arguments.

    Returns:
        A layer mapping a tensor to one of the same shape and dtype whose
        slices along `axis` sum to 1.

    Example:

    >>> keras.Sequential([keras.Input((4, 3)), Softmin(axis=1)])

    Differences from the reference implementation:
        None: it computes `keras_activations.softmin`.

    Reference:
        - [Bridle, 1990, Probabilistic Interpretation of Feedforward
          Classification Network Outputs](https://doi.org/10.1007/978-3-642-76153-9_28)
    """

    def __init__(self, axis=None, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.axis = -1 if axis is None else integer("axis", axis)

    def call(self, inputs):
        return activations.softmin(inputs, axis=self.axis)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config["axis"] = self.axis
        return config
