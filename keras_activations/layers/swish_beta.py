"""Swish with a learnable slope per channel."""

from keras import constraints
from keras import initializers
from keras import regularizers
from keras import ops

from keras_activations.layers.channelwise_activation import ChannelwiseActivation
from keras_activations.registry import register_activation


@register_activation(
    "swish_beta",
    formula=r"x \sigma(\beta x)",
    derivative=r"\sigma(\beta x) + \beta x \sigma(\beta x)(1 - \sigma(\beta x))",
    parameters="beta per channel, init 1",
    range=r"[-0.28/\beta, \infty)",
    monotonic=False,
    smooth=True,
    reference="https://arxiv.org/abs/1710.05941",
)
class SwishBeta(ChannelwiseActivation):
    """Swish with learnable `beta` per channel: from linear to ReLU-like.

    `swish_beta(x) = x * sigmoid(beta * x)`

    Args:
        beta_initializer: Defaults to `"ones"` (SiLU at initialisation).
        beta_regularizer, beta_constraint: Optional.
        shared_axes: See `PReLU`.
        **kwargs: Base layer arguments.

    Returns:
        A layer mapping a tensor to one of the same shape and dtype.

    Example:

    >>> keras.layers.Dense(64, activation="swish_beta")

    Differences from the reference implementation:
        beta is a per-channel weight initialised to 1; the paper also uses
        Swish with a fixed beta.

    Reference:
        - [Ramachandran et al., 2017, Searching for Activation
          Functions](https://arxiv.org/abs/1710.05941)
    """

    PARAMETERS = ("beta",)

    def __init__(
        self,
        beta_initializer=None,
        beta_regularizer=None,
        beta_constraint=None,
        shared_axes=None,
        **kwargs,
    ):
        super().__init__(shared_axes=shared_axes, **kwargs)
        self.beta_initializer = initializers.get(
            "ones" if beta_initializer is None else beta_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)

    def activate(self, inputs, beta):
        return _swish_beta(inputs, beta)


def _swish_beta(x, beta):
    return x * ops.sigmoid(beta * x)
