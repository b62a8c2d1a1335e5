"""Parametric ELU with learnable, positive scale and shape per channel."""

from keras import constraints
from keras import initializers
from keras import regularizers
from keras import ops

from keras_activations.constraints import AtLeast
from keras_activations.layers.channelwise_activation import ChannelwiseActivation
from keras_activations.registry import register_activation


@register_activation(
    "pelu",
    formula=r"\frac{a}{b} x \text{ if } x \ge 0 \text{ else } a(e^{x/b} - 1)",
    derivative=r"\frac{a}{b} \text{ if } x \ge 0 \text{ else } \frac{a}{b} e^{x/b}",
    parameters="a, b per channel, init 1, kept >= 0.1",
    range=r"(-a, \infty)",
    monotonic=True,
    smooth=False,
    reference="https://arxiv.org/abs/1605.09332",
)
class PELU(ChannelwiseActivation):
    """Parametric exponential linear unit.

    `pelu(x) = (a / b) * x if x >= 0 else a * (exp(x / b) - 1)`

    `a` and `b` are learnable per channel, start at 1 (plain ELU) and are kept
    at or above 0.1 by an `AtLeast(0.1)` constraint, as in the paper. The
    negative branch computes `exp(z) - 1` without cancellation just below 0
    (from `exp` and `tanh`, so that it exports to ONNX too).

    Args:
        a_initializer, b_initializer: Initializers. Default `"ones"`.
        a_regularizer, b_regularizer: Optional regularizers.
        a_constraint, b_constraint: Constraints. Default `AtLeast(0.1)`.
        shared_axes: See `PReLU`.
        **kwargs: Base layer arguments.

    Returns:
        A layer mapping a tensor to one of the same shape and dtype.

    Example:

    >>> keras.layers.Dense(64, activation="pelu")

    Differences from the reference implementation:
        The authors' code resets a and b into (0.1, 2) after each update; here
        the `AtLeast(0.1)` constraints only clamp them at 0.1 from below.

    Reference:
        - [Trottier et al., 2017, Parametric Exponential Linear Unit for Deep
          Convolutional Neural Networks](https://arxiv.org/abs/1605.09332)
    """

    PARAMETERS = ("a", "b")

    def __init__(
        self,
        a_initializer=None,
        a_regularizer=None,
        a_constraint=None,
        b_initializer=None,
        b_regularizer=None,
        b_constraint=None,
        shared_axes=None,
        **kwargs,
    ):
        super().__init__(shared_axes=shared_axes, **kwargs)
        self.a_initializer = initializers.get(
            "ones" if a_initializer is None else a_initializer)
        self.a_regularizer = regularizers.get(a_regularizer)
        self.a_constraint = constraints.get(
            AtLeast(0.1) if a_constraint is None else a_constraint)
        self.b_initializer = initializers.get(
            "ones" if b_initializer is None else b_initializer)
        self.b_regularizer = regularizers.get(b_regularizer)
        self.b_constraint = constraints.get(
            AtLeast(0.1) if b_constraint is None else b_constraint)

    def activate(self, inputs, a, b):
        return _pelu(inputs, a, b)


def _pelu(x, a, b):
    # a g(x / b) with g(z) = z for x >= 0 and expm1(z) below: one product
    # with each parameter, so that autodiff sums each gradient once. The
    # negative branch sees min(z, 0), which keeps it (and its autodiff)
    # finite where it is not used.
    z = x / b
    negative = ops.minimum(z, 0.0)
    return a * ops.where(x >= 0, z, _expm1_of_nonpositive(negative, ops.exp(negative)))


def _expm1_of_nonpositive(z, exp_z):
    """`expm1(z)` for `z <= 0`, from `exp(z)`, without the `expm1` op, which
    ONNX lacks. Below -log(2), `exp(z) - 1` does not cancel; above it,
    `tanh(z / 2) * (exp(z) + 1)` is exact to a few ULP up to 0, as `expm1` is."""
    return ops.where(z < -0.6931472, exp_z - 1.0, ops.tanh(z / 2.0) * (exp_z + 1.0))
