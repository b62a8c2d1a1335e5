"""Meta-ACON: ACON-C whose switching factor comes from a small generator."""

import keras
from keras import constraints
from keras import initializers
from keras import regularizers
from keras import ops

from keras_activations import precision
from keras_activations.arguments import positive_int
from keras_activations.layers.aconc import acon_c
from keras_activations.layers.parameter_options import add_parameter
from keras_activations.layers.parameter_options import parameter_options_config
from keras_activations.layers.parameter_shape import channel_count
from keras_activations.registry import register_activation


@register_activation(
    "meta_acon",
    formula=r"(p_1 - p_2) x \,\sigma(\beta (p_1 - p_2) x) + p_2 x,\ "
    r"\beta = \sigma(W_2 (W_1 \bar{x} + c_1) + c_2)",
    derivative=r"\text{as ACON-C, plus the generator's path through } \bar{x}",
    parameters="p1, p2 per channel (init 1, 0); generator W1, c1, W2, c2 (Glorot, 0)",
    range=r"(-\infty, \infty)",
    monotonic=False,
    smooth=True,
    reference="https://arxiv.org/abs/2009.04759",
)
class MetaACON(keras.layers.Layer):
    """ACON-C with a per-sample, per-channel `beta` generated from the input.

    `meta_acon(x) = (p1 - p2) x sigmoid(beta (p1 - p2) x) + p2 x`, where
    `beta = sigmoid(W2 (W1 mean(x) + c1) + c2)` and `mean(x)` averages over
    the spatial axes (channels last; inputs of rank 2 use `x` itself). The
    paper's sum over positions is a mean here, so beta does not depend on
    the image size.

    Args:
        reduction: Hidden width of the generator is
            `max(channels // reduction, min_hidden)`. Defaults to 16.
        min_hidden: Defaults to 4.
        p1_initializer, p2_initializer: Default to ones and zeros.
        p1_regularizer, p1_constraint, p2_regularizer, p2_constraint: Optional.
        kernel_initializer: For the generator's W1 and W2. Defaults to
            `"glorot_uniform"`, unseeded as in Keras' layers
            (`keras.utils.set_random_seed` makes it reproducible).
        kernel_regularizer, kernel_constraint: Optional, for W1 and W2.
        **kwargs: Base layer arguments.

    Returns:
        A layer mapping a tensor to one of the same shape and dtype.

    Example:

    >>> keras.layers.Conv2D(64, 3, activation="meta_acon")

    Differences from the reference implementation:
        The official generator (nmaac/acon) has BatchNorm after each 1x1
        convolution and a hidden width of `max(16, channels // 16)`; this one
        has no BatchNorm (its output must not depend on the batch at inference)
        and a width of `max(channels // reduction, min_hidden)`.

    Reference:
        - [Ma et al., 2021, Activate or Not: Learning Customized
          Activation](https://arxiv.org/abs/2009.04759)
    """

    def __init__(self, reduction=16, min_hidden=4, p1_initializer=None, p1_regularizer=None,
                 p1_constraint=None, p2_initializer=None, p2_regularizer=None,
                 p2_constraint=None, kernel_initializer=None, kernel_regularizer=None,
                 kernel_constraint=None, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.reduction = positive_int("reduction", reduction)
        self.min_hidden = positive_int("min_hidden", min_hidden)
        self.p1_initializer = initializers.get(
            "ones" if p1_initializer is None else p1_initializer)
        self.p1_regularizer = regularizers.get(p1_regularizer)
        self.p1_constraint = constraints.get(p1_constraint)
        self.p2_initializer = initializers.get(
            "zeros" if p2_initializer is None else p2_initializer)
        self.p2_regularizer = regularizers.get(p2_regularizer)
        self.p2_constraint = constraints.get(p2_constraint)
        self.kernel_initializer = initializers.get(
            "glorot_uniform" if kernel_initializer is None else kernel_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)

    def build(self, input_shape):
        channels = channel_count(input_shape, "MetaACON")
        hidden = max(channels // self.reduction, self.min_hidden)
        add_parameter(self, "p1", (channels,))
        add_parameter(self, "p2", (channels,))
        self.w1 = self._generator_kernel("w1", (channels, hidden))
        self.c1 = self.add_weight(name="c1", shape=(hidden,), initializer="zeros")
        self.w2 = self._generator_kernel("w2", (hidden, channels))
        self.c2 = self.add_weight(name="c2", shape=(channels,), initializer="zeros")

    def _generator_kernel(self, name, shape):
        # A copy per kernel, as Keras' layers make: an unseeded initializer
        # draws its seed when it is made, so one instance would give W1 and
        # W2 the same random stream.
        initializer = type(self.kernel_initializer).from_config(
            self.kernel_initializer.get_config())
        return self.add_weight(name=name, shape=shape, initializer=initializer,
                               regularizer=self.kernel_regularizer,
                               constraint=self.kernel_constraint)

    def call(self, inputs):
        return precision.in_layer_precision(
            _meta_acon, inputs, self.p1, self.p2, self.w1, self.c1, self.w2, self.c2)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update({
            "reduction": self.reduction,
            "min_hidden": self.min_hidden,
            **parameter_options_config(self, ["p1", "p2", "kernel"]),
        })
        return config


def _meta_acon(inputs, p1, p2, w1, c1, w2, c2):
    """ACON-C with beta from the generator on the mean over spatial axes."""
    spatial = tuple(range(1, len(inputs.shape) - 1))
    context = ops.mean(inputs, axis=spatial, keepdims=True) if spatial else inputs
    beta = ops.sigmoid(ops.matmul(ops.matmul(context, w1) + c1, w2) + c2)
    return acon_c(inputs, p1, p2, beta)
