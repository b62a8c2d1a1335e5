"""Adaptive piecewise linear unit: ReLU plus learnable hinges."""

import keras
from keras import constraints
from keras import initializers
from keras import regularizers
from keras import ops

from keras_activations import precision
from keras_activations.initializers import EvenlySpaced
from keras_activations.arguments import positive_int
from keras_activations.layers.parameter_shape import channel_count
from keras_activations.layers.parameter_options import add_parameter
from keras_activations.layers.parameter_options import parameter_options_config
from keras_activations.registry import register_activation


@register_activation(
    "apl",
    formula=r"\max(0, x) + \sum_{s=1}^{S} a_s \max(0, -x + b_s)",
    derivative=r"[x > 0] - \sum_s a_s [x < b_s]",
    parameters="a_s, b_s per hinge and channel (S = 2), init 0.1 and evenly spaced in [-1, 1]",
    range=r"(-\infty, \infty)",
    monotonic=False,
    smooth=False,
    reference="https://arxiv.org/abs/1412.6830",
)
class APL(keras.layers.Layer):
    """Adaptive piecewise linear unit with `hinges` learnable hinges per channel.

    `apl(x) = max(0, x) + sum_s a_s * max(0, -x + b_s)`

    Args:
        hinges: Number of hinges S >= 1. Defaults to 2.
        a_initializer: Hinge slopes, shape `(S, channels)`. Defaults to
            `Constant(0.1)`.
        b_initializer: Hinge locations. Defaults to `EvenlySpaced(-1, 1)`
            (hinge s at the s-th of S evenly spaced points, every channel).
        a_regularizer, b_regularizer, a_constraint, b_constraint: Optional.
        **kwargs: Base layer arguments.

    Returns:
        A layer mapping a tensor to one of the same shape and dtype.

    Example:

    >>> keras.layers.Dense(64, activation="apl")

    Differences from the reference implementation:
        The hinge parameters are per channel (shared over the other axes), not
        per unit as in the paper's fully connected layers.

    Reference:
        - [Agostinelli et al., 2014, Learning Activation Functions to Improve
          Deep Neural Networks](https://arxiv.org/abs/1412.6830)
    """

    def __init__(self, hinges=2, a_initializer=None, b_initializer=None,
                 a_regularizer=None, b_regularizer=None, a_constraint=None,
                 b_constraint=None, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.hinges = positive_int("hinges", hinges)
        self.a_initializer = initializers.get(
            initializers.Constant(0.1) if a_initializer is None else a_initializer)
        self.a_regularizer = regularizers.get(a_regularizer)
        self.a_constraint = constraints.get(a_constraint)
        self.b_initializer = initializers.get(
            EvenlySpaced(-1.0, 1.0) if b_initializer is None else b_initializer)
        self.b_regularizer = regularizers.get(b_regularizer)
        self.b_constraint = constraints.get(b_constraint)

    def build(self, input_shape):
        shape = (self.hinges, channel_count(input_shape, "APL"))
        add_parameter(self, "a", shape)
        add_parameter(self, "b", shape)

    def call(self, inputs):
        return precision.in_layer_precision(_apl, inputs, self.a, self.b)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update({"hinges": self.hinges,
                       **parameter_options_config(self, ["a", "b"])})
        return config


def _apl(x, a, b):
    # A loop over the hinges, unrolled when traced: one pass per hinge over
    # x's shape. A (..., hinges, channels) expression makes autodiff reduce
    # that tensor to the parameters' shape, which XLA does several times
    # slower than these passes at the default two hinges.
    y = ops.relu(x)
    for s in range(a.shape[0]):
        y = y + a[s] * ops.relu(b[s] - x)
    return y
