"""ACON-C: a learnable switch between linear and non-linear."""

from keras import initializers
from keras import ops

from keras_activations.layers.channelwise_activation import ChannelwiseActivation
from keras_activations.layers.parameter_shape import sum_to_parameter_shape
from keras_activations import precision
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

    PARAMETERS = {"p1": "ones", "p2": initializers.Constant(0.0), "beta": "ones"}

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
        self.set_parameter_options("p1", p1_initializer, p1_regularizer, p1_constraint)
        self.set_parameter_options("p2", p2_initializer, p2_regularizer, p2_constraint)
        self.set_parameter_options("beta", beta_initializer, beta_regularizer, beta_constraint)

    def activate(self, inputs, p1, p2, beta):
        return acon_c_per_channel(inputs, p1, p2, beta)


def _acon_c(sum_to_beta_shape):
    """acon_c with a custom gradient: one product and one sum per parameter.
    `sum_to_beta_shape(gradient, beta)` sums a full-size gradient to beta's shape."""

    @precision.custom_gradient
    def apply(x, p1, p2, beta):
        difference = (p1 - p2) * x
        s = ops.sigmoid(beta * difference)

        def grad(upstream):
            sigmoid_slope = s * (1.0 - s)
            switch = s + beta * difference * sigmoid_slope  # d output / d difference
            weighted = upstream * x
            p1_gradient = sum_to_parameter_shape(weighted * switch, p1.shape)
            # d/dp2 = x (1 - switch): the p1 gradient subtracted from sum(dy x).
            p2_gradient = sum_to_parameter_shape(weighted, p2.shape) - p1_gradient
            beta_gradient = sum_to_beta_shape(
                upstream * ops.square(difference) * sigmoid_slope, beta)
            x_gradient = upstream * ((p1 - p2) * switch + p2)
            return x_gradient, p1_gradient, p2_gradient, beta_gradient

        return difference * s + p2 * x, grad

    return apply


def _sum_to_per_sample_shape(gradient, beta):
    """Sums over the non-batch axes along which a per-sample beta (same rank
    as the input, size 1 on the axes it is shared along) was broadcast."""
    shared = tuple(axis for axis in range(1, len(beta.shape)) if beta.shape[axis] == 1)
    return ops.sum(gradient, axis=shared, keepdims=True) if shared else gradient


# ACONC: p1, p2 and beta of one shape, broadcast along the batch axis.
acon_c_per_channel = _acon_c(lambda gradient, beta: sum_to_parameter_shape(gradient, beta.shape))
# MetaACON: p1 and p2 per channel, beta per sample and channel.
acon_c_per_sample = _acon_c(_sum_to_per_sample_shape)
