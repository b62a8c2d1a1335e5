"""Maxout: the maximum over groups of units."""

import functools

import keras
from keras import ops

from keras_activations import precision
from keras_activations.arguments import positive_int
from keras_activations.layers.parameter_shape import channel_count


@keras.saving.register_keras_serializable(package="keras_activations")
class Maxout(keras.layers.Layer):
    """Maximum over groups of `pieces` consecutive units of the last axis.

    `maxout(x)_j = max_{i < pieces} x_{j * pieces + i}`; the last axis shrinks
    from `channels` to `channels / pieces`. Not registered as an activation
    string, since it changes the shape.

    Args:
        pieces: Group size k >= 1; must divide the number of channels.
        **kwargs: Base layer arguments.

    Returns:
        A layer mapping `(..., channels)` to `(..., channels // pieces)`.

    Example:

    >>> keras.Sequential([keras.layers.Dense(128), Maxout(4)])  # 32 units

    Differences from the reference implementation:
        Groups are consecutive units, as in the original pylearn2 code; TF
        Addons' `Maxout` pools strided ones (unit j with j + channels / pieces,
        ...).

    Reference:
        - [Goodfellow et al., 2013, Maxout Networks](https://arxiv.org/abs/1302.4389)
    """

    def __init__(self, pieces=2, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.pieces = positive_int("pieces", pieces)

    def build(self, input_shape):
        channels = channel_count(input_shape, "Maxout")
        if channels % self.pieces:
            raise ValueError(
                f"Maxout needs a known last axis divisible by pieces={self.pieces}, "
                f"got input shape {input_shape}."
            )

    def call(self, inputs):
        inputs = precision.float_tensor(inputs)
        channels = inputs.shape[-1]
        grouped = ops.reshape(
            inputs, tuple(ops.shape(inputs)[:-1]) + (channels // self.pieces, self.pieces))
        # A maximum of the pieces rather than ops.max, which refuses an empty
        # (zero-size batch) tensor in eager mode.
        return functools.reduce(ops.maximum, [grouped[..., p] for p in range(self.pieces)])

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-1]) + (input_shape[-1] // self.pieces,)

    def get_config(self):
        config = super().get_config()
        config["pieces"] = self.pieces
        return config
