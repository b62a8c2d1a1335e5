"""`leaky_relu_plus` with a chosen negative slope, as a layer that saves it."""

import keras

from keras_activations import activations
from keras_activations.arguments import finite_float


@keras.saving.register_keras_serializable(package="keras_activations")
class LeakyReLUPlus(keras.layers.Layer):
    """The V-shaped rectifier `leaky_relu_plus` with its slope in the config.

    `f(x) = max(0, x) + negative_slope * max(0, -x)`

    The string `"leaky_relu_plus"` uses the default slope; this layer keeps
    another one through saving and reloading, as `keras.layers.LeakyReLU`
    does for `leaky_relu`.

    Args:
        negative_slope: Finite slope magnitude for negative inputs. `None`
            means the default, 0.01.
        **kwargs: Base layer arguments.

    Returns:
        A layer mapping a tensor to one of the same shape and dtype.

    Example:

    >>> keras.Sequential([keras.layers.Dense(8), LeakyReLUPlus(negative_slope=0.2)])

    Differences from the reference implementation:
        None: it computes `keras_activations.leaky_relu_plus`.

    Reference:
        - [Xu et al., 2015, Empirical Evaluation of Rectified Activations in
          Convolutional Network](https://arxiv.org/abs/1505.00853)
    """

    def __init__(self, negative_slope=None, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.negative_slope = 0.01 if negative_slope is None else finite_float(
            "negative_slope", negative_slope)

    def call(self, inputs):
        return activations.leaky_relu_plus(inputs, negative_slope=self.negative_slope)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config["negative_slope"] = self.negative_slope
        return config
