"""Snake with a learnable frequency per channel."""

from keras import constraints
from keras import initializers
from keras import regularizers
from keras import ops

from keras_activations.layers.channelwise_activation import ChannelwiseActivation
from keras_activations.registry import register_activation


def _sinc(u):
    """sin(u) / u, with its Taylor value near 0."""
    small = ops.abs(u) < 1e-3
    safe = ops.where(small, ops.ones_like(u), u)
    return ops.where(small, 1.0 - u * u / 6.0, ops.sin(safe) / safe)


def _snake(x, alpha):
    # x + sin(u)^2 / alpha with u = alpha x, written as x + (x sinc u) sin u:
    # finite at alpha = 0 (where it tends to x), and neither factor exceeds
    # |x| or 1, so nothing overflows before the result does (x^2 would past
    # |x| = 2^64 in float32).
    u = alpha * x
    sinc = _sinc(u)
    return x + (x * sinc) * (sinc * u)


@register_activation(
    "learnable_snake",
    formula=r"x + \frac{\sin^2(a x)}{a}",
    derivative=r"1 + \sin(2 a x)",
    parameters="a per channel, init 1",
    range=r"(-\infty, \infty)",
    monotonic=True,
    smooth=True,
    reference="https://arxiv.org/abs/2006.08195",
)
class Snake(ChannelwiseActivation):
    """Snake with a learnable frequency `a` per channel.

    `snake(x) = x + sin(a x)**2 / a`

    Evaluated as `x + (x sinc(a x)) sin(a x)` with `sinc(u) = sin(u) / u`,
    which is finite for `a` at or near 0 (where it tends to `x`), for
    negative `a` and for every finite `x`. 16-bit inputs compute in float32.

    Args:
        alpha_initializer: Initializer of `a`. Defaults to `"ones"`.
        alpha_regularizer, alpha_constraint: Optional.
        shared_axes: See `PReLU`.
        **kwargs: Base layer arguments.

    Returns:
        A layer mapping a tensor to one of the same shape and dtype.

    Example:

    >>> keras.layers.Dense(64, activation="learnable_snake")

    Differences from the reference implementation:
        As the paper's, except that `a = 0` gives the limit `x` where the
        formula divides by zero.

    Reference:
        - [Liu Ziyin et al., 2020, Neural Networks Fail to Learn Periodic
          Functions and How to Fix It](https://arxiv.org/abs/2006.08195)
    """

    PARAMETERS = ("alpha",)

    def __init__(
        self,
        alpha_initializer=None,
        alpha_regularizer=None,
        alpha_constraint=None,
        shared_axes=None,
        **kwargs,
    ):
        super().__init__(shared_axes=shared_axes, **kwargs)
        self.alpha_initializer = initializers.get(
            "ones" if alpha_initializer is None else alpha_initializer)
        self.alpha_regularizer = regularizers.get(alpha_regularizer)
        self.alpha_constraint = constraints.get(alpha_constraint)

    def activate(self, inputs, alpha):
        return _snake(inputs, alpha)
