"""S-shaped ReLU with learnable thresholds and slopes per channel."""

from keras import constraints
from keras import initializers
from keras import regularizers
from keras import ops

from keras_activations.layers.channelwise_activation import ChannelwiseActivation
from keras_activations.registry import register_activation


@register_activation(
    "srelu",
    formula=r"t_l + a_l(x - t_l) \text{ if } x \le t_l;\ x \text{ if } t_l < x < t_r;"
    r"\ t_r + a_r(x - t_r) \text{ if } x \ge t_r",
    derivative=r"a_l,\ 1,\ a_r \text{ on the three pieces}",
    parameters="t_l, a_l, t_r, a_r per channel, init 0, 0.2, 1, 1",
    range=r"(-\infty, \infty)",
    monotonic=False,
    smooth=False,
    reference="https://arxiv.org/abs/1512.07030",
)
class SReLU(ChannelwiseActivation):
    """S-shaped rectified linear unit: three linear pieces, learnable joints.

    `srelu(x) = t_l + a_l (x - t_l)` for `x <= t_l`, `x` between the
    thresholds, `t_r + a_r (x - t_r)` for `x >= t_r`

    Args:
        t_left_initializer, a_left_initializer, t_right_initializer,
        a_right_initializer: Default 0, 0.2, 1, 1 (a leaky ReLU at start).
        Matching `_regularizer` / `_constraint` arguments: Optional.
        shared_axes: See `PReLU`.
        **kwargs: Base layer arguments.

    Returns:
        A layer mapping a tensor to one of the same shape and dtype.

    Example:

    >>> keras.layers.Dense(64, activation="srelu")

    Differences from the reference implementation:
        Every parameter starts at a fixed value instead of the paper's data-
        dependent initialisation, so an unbuilt model reloads identically.

    Reference:
        - [Jin et al., 2016, Deep Learning with S-shaped Rectified Linear
          Activation Units](https://arxiv.org/abs/1512.07030)
    """

    PARAMETERS = ("t_left", "a_left", "t_right", "a_right")

    def __init__(
        self,
        t_left_initializer=None,
        t_left_regularizer=None,
        t_left_constraint=None,
        a_left_initializer=None,
        a_left_regularizer=None,
        a_left_constraint=None,
        t_right_initializer=None,
        t_right_regularizer=None,
        t_right_constraint=None,
        a_right_initializer=None,
        a_right_regularizer=None,
        a_right_constraint=None,
        shared_axes=None,
        **kwargs,
    ):
        super().__init__(shared_axes=shared_axes, **kwargs)
        self.t_left_initializer = initializers.get(
            initializers.Constant(0.0) if t_left_initializer is None else t_left_initializer)
        self.t_left_regularizer = regularizers.get(t_left_regularizer)
        self.t_left_constraint = constraints.get(t_left_constraint)
        self.a_left_initializer = initializers.get(
            initializers.Constant(0.2) if a_left_initializer is None else a_left_initializer)
        self.a_left_regularizer = regularizers.get(a_left_regularizer)
        self.a_left_constraint = constraints.get(a_left_constraint)
        self.t_right_initializer = initializers.get(
            initializers.Constant(1.0) if t_right_initializer is None else t_right_initializer)
        self.t_right_regularizer = regularizers.get(t_right_regularizer)
        self.t_right_constraint = constraints.get(t_right_constraint)
        self.a_right_initializer = initializers.get(
            initializers.Constant(1.0) if a_right_initializer is None else a_right_initializer)
        self.a_right_regularizer = regularizers.get(a_right_regularizer)
        self.a_right_constraint = constraints.get(a_right_constraint)

    def activate(self, inputs, t_left, a_left, t_right, a_right):
        return _srelu(inputs, t_left, a_left, t_right, a_right)


def _srelu(x, t_left, a_left, t_right, a_right):
    return ops.where(x <= t_left, t_left + a_left * (x - t_left),
                     ops.where(x >= t_right, t_right + a_right * (x - t_right), x))
