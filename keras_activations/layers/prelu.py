"""Parametric ReLU with a learnable negative slope per channel."""

from keras import constraints
from keras import initializers
from keras import regularizers
from keras import ops

from keras_activations.layers.channelwise_activation import ChannelwiseActivation
from keras_activations.registry import register_activation


@register_activation(
    "prelu",
    formula=r"\max(0, x) + a \min(0, x)",
    derivative=r"\partial_x = 1 \text{ if } x > 0 \text{ else } a;\ "
    r"\partial_a = \min(0, x)",
    parameters="a per channel, init 0.25",
    range=r"(-\infty, \infty)",
    monotonic=True,
    smooth=False,
    reference="https://arxiv.org/abs/1502.01852",
)
class PReLU(ChannelwiseActivation):
    """Parametric rectified linear unit with a learnable slope per channel.

    `prelu(x) = max(0, x) + a * min(0, x)`

    Unlike `keras.layers.PReLU` (one slope per element, initialised at 0), the
    slope `a` is per channel (last axis) and starts at 0.25, as in He et al.

    Args:
        alpha_initializer: Initializer of `a`. Defaults to `Constant(0.25)`.
        alpha_regularizer: Optional regularizer of `a`.
        alpha_constraint: Optional constraint on `a`.
        shared_axes: `None` (default) for one slope per channel; otherwise the
            axes along which slopes are shared, as in `keras.layers.PReLU`
            (`[]` gives one slope per element).
        **kwargs: Base layer arguments (`name`, `dtype`, ...).

    Returns:
        A layer mapping a tensor to one of the same shape and dtype.

    Example:

    >>> keras.layers.Dense(64, activation="prelu")  # its own slopes
    >>> PReLU()(np.array([[-2.0, 3.0]]))
    array([[-0.5, 3. ]])

    Differences from the reference implementation:
        None from He et al. (one slope per channel, initialised at 0.25).
        From `keras.layers.PReLU` it takes the same arguments but differs in
        their defaults, as said above; it computes `x * where(x > 0, 1, a)`,
        faster in TensorFlow than Keras' expression
        (`keras_activations.tflite.convert` traces Keras' expression, which
        TFLite fuses into PRELU).

    Reference:
        - [He et al., 2015, Delving Deep into Rectifiers](https://arxiv.org/abs/1502.01852)
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
            initializers.Constant(0.25) if alpha_initializer is None else alpha_initializer)
        self.alpha_regularizer = regularizers.get(alpha_regularizer)
        self.alpha_constraint = constraints.get(alpha_constraint)

    def activate(self, inputs, alpha):
        return _prelu(inputs, alpha)


def _prelu(x, alpha):
    # One slope tensor serves the forward product and, in autodiff, the input
    # gradient: three kernels forward in graph mode against the five of
    # Keras' expression.
    return x * ops.where(x > 0, ops.ones_like(alpha), alpha)
