"""ACON-C: a learnable switch between linear and non-linear."""

from keras import initializers
from keras import ops

from keras_activations.layers.channelwise_activation import ChannelwiseActivation
from keras_activations.layers.parameter_shape import sum_to_parameter_shape
from keras_activations.registry import register_activation


def acon_c(x, p1, p2, beta):
    """`(p1 - p2) x sigmoid(beta (p1 - p2) x) + p2 x` by autodiff, for MetaACON
    (whose beta is per sample, not of the parameters' shape)."""
    difference = (p1 - p2) * x
    return difference * ops.sigmoid(beta * difference) + p2 * x


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

    Reference:
        - [Ma et al., 2021, Activate or Not: Learning Customized
          Activation](https://arxiv.org/abs/2009.04759)
    """

    PARAMETERS = {"p1": "ones", "p2": initializers.Constant(0.0), "beta": "ones"}

    def activate(self, inputs, p1, p2, beta):
        return _acon_c_per_channel(inputs, p1, p2, beta)


@ops.custom_gradient
def _acon_c_per_channel(x, p1, p2, beta):
    # acon_c for parameters of one shape (not MetaACON's per-sample beta),
    # with one product and one sum per parameter gradient.
    difference = (p1 - p2) * x
    s = ops.sigmoid(beta * difference)

    def grad(*args, upstream=None):
        upstream = args[0] if upstream is None else upstream
        sigmoid_slope = s * (1.0 - s)
        switch = s + beta * difference * sigmoid_slope  # d output / d difference
        weighted = upstream * x
        p1_gradient = sum_to_parameter_shape(weighted * switch, p1.shape)
        # d/dp2 = x (1 - switch): the p1 gradient subtracted from sum(dy x).
        p2_gradient = sum_to_parameter_shape(weighted, p2.shape) - p1_gradient
        beta_gradient = sum_to_parameter_shape(
            upstream * ops.square(difference) * sigmoid_slope, beta.shape)
        x_gradient = upstream * ((p1 - p2) * switch + p2)
        return x_gradient, p1_gradient, p2_gradient, beta_gradient

    return difference * s + p2 * x, grad
