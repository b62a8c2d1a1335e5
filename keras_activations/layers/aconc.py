"""ACON-C: a learnable switch between linear and non-linear."""

from keras import constraints
from keras import initializers
from keras import regularizers
from keras import ops

from keras_activations.layers.channelwise_activation import ChannelwiseActivation
from keras_activations.registry import register_activation


@register_activation(
    "acon_c",
    formula=r"(p_1 - p_2) x \,\sigma(\beta (p_1 - p_2) x) + p_2 x",
    derivative=r"(p_1 - p_2)\sigma(\beta d) + \beta (p_1-p_2) d\,"
    r"\sigma(\beta d)(1-\sigma(\beta d)) + p_2,\ d = (p_1-p_2)x",
    parameters="p1, p2, beta per channel, init 1, 0, 1",
    range=r"(-\infty, \infty)",
    monotonic=False,
    smooth=True,
    reference="https://arxiv.org/abs/2009.04759",
)
class ACONC(ChannelwiseActivation):
    """ACON-C activation with learnable `p1`, `p2`, `beta` per channel.

    `acon_c(x) = (p1 - p2) * x * sigmoid(beta * (p1 - p2) * x) + p2 * x`

    Starts as Swish (`p1 = 1`, `p2 = 0`, `beta = 1`); `beta` learns how
    non-linear each channel is.

    Args:
        p1_initializer, p2_initializer, beta_initializer: Default 1, 0, 1.
        p1_regularizer, ...: Optional regularizers and constraints.
        shared_axes: See `PReLU`.
        **kwargs: Base layer arguments.

    Returns:
        A layer mapping a tensor to one of the same shape and dtype.

    Example:

    >>> keras.layers.Conv2D(32, 3, activation="acon_c")

    Differences from the reference implementation:
        The official code (nmaac/acon) draws p1 and p2 from a standard normal;
        here they start at 1 and 0, so the layer starts as Swish.

    Reference:
        - [Ma et al., 2021, Activate or Not: Learning Customized
          Activation](https://arxiv.org/abs/2009.04759)
    """

    PARAMETERS = ("p1", "p2", "beta")

    def __init__(
        self,
        p1_initializer=None,
        p1_regularizer=None,
        p1_constraint=None,
        p2_initializer=None,
        p2_regularizer=None,
        p2_constraint=None,
        beta_initializer=None,
        beta_regularizer=None,
        beta_constraint=None,
        shared_axes=None,
        **kwargs,
    ):
        super().__init__(shared_axes=shared_axes, **kwargs)
        self.p1_initializer = initializers.get(
            "ones" if p1_initializer is None else p1_initializer)
        self.p1_regularizer = regularizers.get(p1_regularizer)
        self.p1_constraint = constraints.get(p1_constraint)
        self.p2_initializer = initializers.get(
            initializers.Constant(0.0) if p2_initializer is None else p2_initializer)
        self.p2_regularizer = regularizers.get(p2_regularizer)
        self.p2_constraint = constraints.get(p2_constraint)
        self.beta_initializer = initializers.get(
            "ones" if beta_initializer is None else beta_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)

    def activate(self, inputs, p1, p2, beta):
        return acon_c(inputs, p1, p2, beta)


def acon_c(x, p1, p2, beta):
    """The ACON-C formula, for ACONC (parameters per channel) and MetaACON
    (`beta` per sample and channel), each broadcast against `x`."""
    difference = (p1 - p2) * x
    return difference * ops.sigmoid(beta * difference) + p2 * x
