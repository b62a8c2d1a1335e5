"""Padé activation unit: a learnable safe rational function."""

import keras
from keras import ops

from keras_activations import precision
from keras_activations.initializers import Coefficients
from keras_activations.registry import register_activation

# Least-squares fit to leaky ReLU (slope 0.01) on [-3, 3], max error 0.03;
# reproduced by tools/fit_pau_init.py.
LEAKY_RELU_NUMERATOR = (0.0298039, 0.61838072, 2.32227436, 3.04912757,
                        1.48333862, 0.25055125)
LEAKY_RELU_DENOMINATOR = (1.1414815, 4.38907239, 0.87027521, 0.34653704)


@register_activation(
    "pau",
    formula=r"\frac{\sum_{j=0}^{5} a_j x^j}{1 + \sum_{k=1}^{4} |b_k x^k|}",
    derivative=r"\frac{P'(x) Q(x) - P(x) Q'(x)}{Q(x)^2}",
    parameters="a_0..a_5, b_1..b_4 shared by the layer, init a fit to leaky ReLU",
    range=r"(-\infty, \infty)",
    monotonic=False,
    smooth=False,
    reference="https://arxiv.org/abs/1907.06732",
)
class PAU(keras.layers.Layer):
    """Padé activation unit: rational P5/Q4 with a pole-free denominator.

    `pau(x) = (a_0 + a_1 x + ... + a_5 x^5) / (1 + |b_1 x| + ... + |b_4 x^4|)`

    The "safe" denominator is at least 1, so there are no poles. The ten
    coefficients are shared by all units of the layer (as in the paper) and
    start at a fit of leaky ReLU on [-3, 3].

    Args:
        numerator_initializer: Defaults to the leaky-ReLU fit.
        denominator_initializer: Defaults to the leaky-ReLU fit.
        **kwargs: Base layer arguments.

    Returns:
        A layer mapping a tensor to one of the same shape and dtype.

    Example:

    >>> keras.layers.Dense(64, activation="pau")

    Reference:
        - [Molina et al., 2020, Padé Activation Units: End-to-end Learning of
          Flexible Activation Functions in Deep Networks](https://arxiv.org/abs/1907.06732)
    """

    def __init__(self, numerator_initializer=None, denominator_initializer=None, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.numerator_initializer = keras.initializers.get(
            numerator_initializer or Coefficients(LEAKY_RELU_NUMERATOR))
        self.denominator_initializer = keras.initializers.get(
            denominator_initializer or Coefficients(LEAKY_RELU_DENOMINATOR))

    def build(self, input_shape):
        self.numerator = self.add_weight(
            name="numerator", shape=(6,), initializer=self.numerator_initializer)
        self.denominator = self.add_weight(
            name="denominator", shape=(4,), initializer=self.denominator_initializer)

    def call(self, inputs):
        # x^5 overflows float16 past |x| = 9: 16-bit inputs compute in float32.
        x = ops.cast(inputs, "float32") if ops.dtype(inputs) in ("float16", "bfloat16") else inputs
        a = ops.cast(self.numerator, x.dtype)
        b = ops.cast(self.denominator, x.dtype)
        return ops.cast(_pau(x, a, b), inputs.dtype)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update({
            "numerator_initializer": keras.initializers.serialize(self.numerator_initializer),
            "denominator_initializer": keras.initializers.serialize(self.denominator_initializer),
        })
        return config


def _horner(coefficients, t):
    """sum_j coefficients[j] t^j, coefficients from the constant term up."""
    result = coefficients[-1]
    for coefficient in coefficients[-2::-1]:
        result = result * t + coefficient
    return result


def _moments(weights, t, degree):
    """[sum(weights * t^j) for j = 1..degree], each power one product on."""
    moments = []
    for _ in range(degree):
        weights = weights * t
        moments.append(ops.sum(weights))
    return moments


@precision.custom_gradient
def _pau(x, a, b):
    # Q = 1 + sum_k |b_k| |x|^k, equal to the safe denominator sum |b_k x^k|,
    # by Horner in |x|. The ten coefficients are shared by every element, so
    # each gradient is one product and one full sum (a moment of x).
    magnitude = ops.abs(x)
    b_magnitude = ops.abs(b)
    numerator = _horner([a[j] for j in range(6)], x)
    denominator = 1.0 + magnitude * _horner([b_magnitude[k] for k in range(4)], magnitude)
    y = numerator / denominator

    def grad(upstream):
        scaled = upstream / denominator
        numerator_slope = _horner([j * a[j] for j in range(1, 6)], x)
        denominator_slope = ops.sign(x) * _horner(
            [(k + 1) * b_magnitude[k] for k in range(4)], magnitude)
        x_gradient = scaled * (numerator_slope - y * denominator_slope)
        a_gradient = ops.stack([ops.sum(scaled)] + _moments(scaled, x, 5))
        # dQ/db_k = sign(b_k) |x|^k.
        b_gradient = -ops.sign(b) * ops.stack(_moments(scaled * y, magnitude, 4))
        return x_gradient, a_gradient, b_gradient

    return y, grad
