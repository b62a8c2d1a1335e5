"""Locally adaptive activation: a learnable input scale for any activation."""

import keras

from keras_activations.arguments import finite_float
from keras_activations.layers import activation_config
from keras_activations.layers.channelwise_activation import ChannelwiseActivation
from keras_activations.layers.parameter_shape import broadcast_product


@keras.saving.register_keras_serializable(package="keras_activations")
class AdaptiveActivation(ChannelwiseActivation):
    """Any stateless activation with a learnable input slope (LAAF).

    `adaptive(x) = f(n * a * x)`, with `a` per channel (or shared, see
    `shared_axes`) initialised at `1 / n`, so training starts at `f(x)`; the
    scale factor `n` speeds up the slope's learning.

    Args:
        activation: Stateless activation to wrap (name, callable, config).
        scale_factor: Finite `n > 0`. Defaults to 10.
        slope_initializer: Defaults to `Constant(1 / scale_factor)`.
        slope_regularizer, slope_constraint, shared_axes: See `PReLU`.
        **kwargs: Base layer arguments.

    Returns:
        A layer mapping a tensor to one of the same shape and dtype.

    Example:

    >>> keras.layers.Dense(64, activation=AdaptiveActivation("tanh"))

    Reference:
        - [Jagtap et al., 2020, Locally adaptive activation functions with
          slope recovery for deep and physics-informed neural
          networks](https://arxiv.org/abs/1909.12228)
    """

    PARAMETERS = {"slope": None}

    def __init__(self, activation="tanh", scale_factor=10.0, **kwargs):
        scale_factor = finite_float("scale_factor", scale_factor)
        if scale_factor <= 0:
            raise ValueError(f"`scale_factor` must be > 0, got {scale_factor!r}.")
        kwargs.setdefault("slope_initializer",
                          keras.initializers.Constant(1.0 / scale_factor))
        super().__init__(**kwargs)
        self.activation = activation_config.resolve(activation, allow_layers=False)
        self.scale_factor = scale_factor

    def activate(self, inputs, slope):
        return self.activation(broadcast_product(inputs, self.scale_factor * slope))

    def get_config(self):
        config = super().get_config()
        config.update({"activation": activation_config.serialize(self.activation),
                       "scale_factor": self.scale_factor})
        return config
