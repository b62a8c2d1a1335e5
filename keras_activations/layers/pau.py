"""Padé activation unit: a learnable safe rational function."""

import keras
from keras import constraints
from keras import initializers
from keras import regularizers
from keras import ops

from keras_activations import precision
from keras_activations.initializers import Coefficients
from keras_activations.layers.parameter_shape import add_all
from keras_activations.layers.parameter_options import add_parameter
from keras_activations.layers.parameter_options import parameter_options_config
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

    The "safe" denominator is at least 1, so there are no poles; both
    polynomials are evaluated scaled by `max(1, |x|)`, so no power of `x`
    overflows before the result does. 16-bit inputs compute in float32. The ten
    coefficients are shared by all units of the layer (as in the paper) and
    start at a fit of leaky ReLU on [-3, 3].

    Args:
        numerator_initializer: Initializer of `a_0..a_5`. Defaults to the
            leaky-ReLU fit.
        numerator_regularizer, numerator_constraint: Optional.
        denominator_initializer: Initializer of `b_1..b_4`. Defaults to the
            leaky-ReLU fit.
        denominator_regularizer, denominator_constraint: Optional.
        **kwargs: Base layer arguments.

    Returns:
        A layer mapping a tensor to one of the same shape and dtype.

    Example:

    >>> keras.layers.Dense(64, activation="pau")

    Differences from the reference implementation:
        The official code's safe form (m, n) = (5, 4) with `|b_k x^k|`; there
        is no trainable center (input offset).

    Reference:
        - [Molina et al., 2020, Padé Activation Units: End-to-end Learning of
          Flexible Activation Functions in Deep Networks](https://arxiv.org/abs/1907.06732)
    """

    def __init__(self, numerator_initializer=None, numerator_regularizer=None,
                 numerator_constraint=None, denominator_initializer=None,
                 denominator_regularizer=None, denominator_constraint=None, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.numerator_initializer = initializers.get(
            Coefficients(LEAKY_RELU_NUMERATOR) if numerator_initializer is None
            else numerator_initializer)
        self.numerator_regularizer = regularizers.get(numerator_regularizer)
        self.numerator_constraint = constraints.get(numerator_constraint)
        self.denominator_initializer = initializers.get(
            Coefficients(LEAKY_RELU_DENOMINATOR) if denominator_initializer is None
            else denominator_initializer)
        self.denominator_regularizer = regularizers.get(denominator_regularizer)
        self.denominator_constraint = constraints.get(denominator_constraint)

    def build(self, input_shape):
        add_parameter(self, "numerator", (6,))
        add_parameter(self, "denominator", (4,))

    def call(self, inputs):
        return precision.in_layer_precision(_pau, inputs, self.numerator, self.denominator)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update(parameter_options_config(self, ["numerator", "denominator"]))
        return config


def _powers(t, degree):
    """[1, t, t^2, ..., t^degree], the first a Python number (no ones pass)."""
    powers = [1.0, t]
    for _ in range(degree - 1):
        powers.append(powers[-1] * t)
    return powers


def _pau(x, a, b):
    # With m = max(1, |x|), u = x / m and w = 1 / m, P(x) = m^5 Pn and
    # Q(x) = m^4 Qn for the homogeneous forms Pn = sum_j a_j u^j w^(5-j) and
    # Qn = w^4 + sum_k |b_k| |u|^k w^(4-k), so y = m Pn / Qn. Every power is
    # at most 1 in magnitude: no x^5 to overflow (float32 would past
    # |x| = 4e7) before the result does. For |x| <= 1 these are P and Q.
    m = ops.maximum(ops.abs(x), 1.0)
    w = 1.0 / m
    u = x / m  # not x * w: w underflows to 0 near the float32 maximum
    u_powers = _powers(u, 5)
    v_powers = _powers(ops.abs(u), 4)
    w_powers = _powers(w, 5)
    b_magnitude = ops.abs(b)
    numerator = add_all([a[j] * u_powers[j] * w_powers[5 - j] for j in range(6)])
    denominator = w_powers[4] + add_all(
        [b_magnitude[k - 1] * v_powers[k] * w_powers[4 - k] for k in range(1, 5)])
    return m * numerator / denominator
