"""Locally adaptive activation: a learnable input scale for any activation."""

import keras
import numpy as np
from keras import constraints
from keras import initializers
from keras import regularizers

from keras_activations.arguments import finite_float
from keras_activations.layers import activation_config
from keras_activations.layers.channelwise_activation import ChannelwiseActivation


@keras.saving.register_keras_serializable(package="keras_activations")
class AdaptiveActivation(ChannelwiseActivation):
    """Any stateless activation with a learnable input slope (LAAF).

    `adaptive(x) = f(n * a * x)`, with `a` per channel (or shared, see
    `shared_axes`) initialised at `1 / n`, so training starts at `f(x)`; the
    scale factor `n` speeds up the slope's learning.

    Args:
        activation: Stateless activation to wrap (name, callable, config).
        scale_factor: `n > 0` with `n` and `1 / n` normal float32 numbers
            (the slope is a float32 variable). Defaults to 10.
        slope_initializer: Defaults to `Constant(1 / scale_factor)`.
        slope_regularizer, slope_constraint, shared_axes: See `PReLU`.
        **kwargs: Base layer arguments.

    Returns:
        A layer mapping a tensor to one of the same shape and dtype.

    Example:

    >>> keras.layers.Dense(64, activation=AdaptiveActivation("tanh"))

    Differences from the reference implementation:
        The slope is per channel (the paper's neuron-wise N-LAAF); the paper's
        slope-recovery term belongs in the user's loss.

    Reference:
        - [Jagtap et al., 2020, Locally adaptive activation functions with
          slope recovery for deep and physics-informed neural
          networks](https://arxiv.org/abs/1909.12228)
    """

    PARAMETERS = ("slope",)

    def __init__(
        self,
        activation="tanh",
        scale_factor=10.0,
        slope_initializer=None,
        slope_regularizer=None,
        slope_constraint=None,
        shared_axes=None,
        **kwargs,
    ):
        super().__init__(shared_axes=shared_axes, **kwargs)
        self.scale_factor = _checked_scale_factor(scale_factor)
        self.activation = activation_config.resolve(activation, allow_layers=False)
        self.slope_initializer = initializers.get(
            initializers.Constant(1.0 / self.scale_factor) if slope_initializer is None
            else slope_initializer)
        self.slope_regularizer = regularizers.get(slope_regularizer)
        self.slope_constraint = constraints.get(slope_constraint)

    def activate(self, inputs, slope):
        return self.activation(inputs * (self.scale_factor * slope))

    def get_config(self):
        config = super().get_config()
        config.update({"activation": activation_config.serialize(self.activation),
                       "scale_factor": self.scale_factor})
        return config


_FLOAT32_TINY = float(np.finfo("float32").tiny)


def _checked_scale_factor(scale_factor):
    """`scale_factor` as a float `n` whose slope `1 / n` is a normal float32."""
    scale_factor = finite_float("scale_factor", scale_factor)
    if not _FLOAT32_TINY <= scale_factor <= 1.0 / _FLOAT32_TINY:
        raise ValueError(
            f"`scale_factor` must be > 0 with `1 / scale_factor` a normal float32 "
            f"(between {_FLOAT32_TINY:.3g} and {1 / _FLOAT32_TINY:.3g}), got {scale_factor!r}.")
    return scale_factor
