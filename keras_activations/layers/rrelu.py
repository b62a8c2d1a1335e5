"""Randomized leaky ReLU."""

import keras
from keras import ops

from keras_activations import precision
from keras_activations.arguments import finite_float
from keras_activations.registry import register_activation


@register_activation(
    "rrelu",
    formula=r"x \text{ if } x > 0 \text{ else } a x,\ "
    r"a \sim U(l, u) \text{ in training},\ a = \frac{l + u}{2} \text{ at inference}",
    derivative=r"1 \text{ if } x > 0 \text{ else } a",
    parameters="slope bounds l = 1/8, u = 1/3 (not learned)",
    range=r"(-\infty, \infty)",
    monotonic=True,
    smooth=False,
    reference="https://arxiv.org/abs/1505.00853",
)
class RReLU(keras.layers.Layer):
    """Randomized leaky ReLU: a random negative slope per element in training.

    `rrelu(x) = x if x > 0 else a * x`, with `a ~ U(lower, upper)` drawn per
    element in training and `a = (lower + upper) / 2` at inference.

    Args:
        lower: Lower bound of the slope. Defaults to 1/8.
        upper: Upper bound of the slope. Defaults to 1/3.
        seed: Optional integer seed of the slope sampler.
        **kwargs: Base layer arguments.

    Returns:
        A layer mapping a tensor to one of the same shape and dtype.

    Example:

    >>> keras.layers.Dense(64, activation="rrelu")

    Differences from the reference implementation:
        Slopes are drawn from U(lower, upper), as `torch.nn.RReLU` does; the
        paper draws the reciprocal, 1 / U(3, 8). At x = 0 the gradient is the
        slope in every dtype, in training and at inference, as TensorFlow's
        `LeakyRelu` has it.

    Reference:
        - [Xu et al., 2015, Empirical Evaluation of Rectified Activations in
          Convolutional Network](https://arxiv.org/abs/1505.00853)
    """

    def __init__(self, lower=1 / 8, upper=1 / 3, seed=None, **kwargs):
        super().__init__(**kwargs)
        lower = finite_float("lower", lower)
        upper = finite_float("upper", upper)
        if not 0 <= lower <= upper:
            raise ValueError(f"Expected 0 <= lower <= upper, got lower={lower}, upper={upper}.")
        self.supports_masking = True
        self.lower = lower
        self.upper = upper
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, inputs, training=False):
        inputs = precision.float_tensor(inputs)
        if training:
            slope = keras.random.uniform(ops.shape(inputs), self.lower, self.upper,
                                         dtype=inputs.dtype, seed=self.seed_generator)
            # x > 0, not x >= 0: at 0 the gradient is the slope, as in the
            # LeakyRelu kernel used at inference.
            return ops.where(inputs > 0, inputs, slope * inputs)
        mean_slope = (self.lower + self.upper) / 2
        if ops.dtype(inputs) == "float64":
            # The fused LeakyRelu kernel holds its slope as a float32.
            return ops.where(inputs > 0, inputs, mean_slope * inputs)
        return ops.leaky_relu(inputs, negative_slope=mean_slope)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update({"lower": self.lower, "upper": self.upper, "seed": self.seed})
        return config
