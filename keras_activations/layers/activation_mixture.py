"""A learnable softmax-weighted mixture of activations."""

import keras
from keras import constraints
from keras import initializers
from keras import regularizers
from keras import ops

from keras_activations import precision
from keras_activations.layers import activation_config
from keras_activations.layers.parameter_shape import add_all
from keras_activations.layers.parameter_shape import channel_count
from keras_activations.layers.parameter_options import add_parameter
from keras_activations.layers.parameter_options import parameter_options_config
from keras_activations.registry import register_activation

DEFAULT_MIXTURE = ("relu", "tanh", "gelu_tanh")


@register_activation(
    "mixture",
    formula=r"\sum_k \mathrm{softmax}(w)_k f_k(x),\ f = (\mathrm{relu}, \tanh, "
    r"\mathrm{gelu\_tanh})",
    derivative=r"\sum_k \mathrm{softmax}(w)_k f_k'(x)",
    parameters="logits per base and channel, init 0 (even mix)",
    range=r"(-1, \infty)",
    monotonic=False,
    smooth=False,
    reference="https://arxiv.org/abs/1602.01321",
)
class ActivationMixture(keras.layers.Layer):
    """Learnable, per-channel softmax-weighted mix of stateless activations.

    `mixture(x) = sum_k softmax(w)_k * f_k(x)` with logits `w` of shape
    `(K, channels)`, initialised at 0 (an even mix).

    Args:
        activations: Stateless activations to mix (names, callables,
            configs). Defaults to relu, tanh and gelu_tanh.
        logits_initializer: Defaults to `"zeros"`.
        logits_regularizer, logits_constraint: Optional.
        **kwargs: Base layer arguments.

    Returns:
        A layer mapping a tensor to one of the same shape and dtype.

    Example:

    >>> keras.layers.Dense(64, activation="mixture")
    >>> ActivationMixture(["relu", "snake"])

    Differences from the reference implementation:
        The mixing weights are a softmax over per-channel logits, so every
        channel's mix is convex and starts even.

    Reference:
        - [Dushkoff & Ptucha, 2016, Adaptive Activation Functions for Deep
          Networks](https://arxiv.org/abs/1602.01321)
    """

    def __init__(self, activations=DEFAULT_MIXTURE, logits_initializer=None,
                 logits_regularizer=None, logits_constraint=None, **kwargs):
        super().__init__(**kwargs)
        if isinstance(activations, (str, dict)) or len(activations) < 2:
            raise ValueError(
                f"`activations` must list at least two activations, got {activations!r}.")
        self.supports_masking = True
        self.activations = [activation_config.resolve(a, allow_layers=False)
                            for a in activations]
        self.logits_initializer = initializers.get(
            "zeros" if logits_initializer is None else logits_initializer)
        self.logits_regularizer = regularizers.get(logits_regularizer)
        self.logits_constraint = constraints.get(logits_constraint)

    def build(self, input_shape):
        channels = channel_count(input_shape, "ActivationMixture")
        add_parameter(self, "logits", (len(self.activations), channels))

    def call(self, inputs):
        return precision.in_layer_precision(self._mix, inputs, self.logits)

    def _mix(self, inputs, logits):
        weights = ops.softmax(logits, axis=0)
        terms = [f(inputs) * weights[k]
                 for k, f in enumerate(self.activations)]
        return add_all(terms)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update({
            "activations": [activation_config.serialize(a) for a in self.activations],
            **parameter_options_config(self, ["logits"]),
        })
        return config
