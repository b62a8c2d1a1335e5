"""Parametric ReLU with a learnable negative slope per channel."""

import keras
from keras import ops

from keras_activations.layers.parameter_shape import normalize_shared_axes
from keras_activations.layers.parameter_shape import parameter_shape
from keras_activations.registry import register_activation


@register_activation(
    "prelu",
    formula=r"\max(0, x) + a \min(0, x)",
    derivative=r"\partial_x = 1 \text{ if } x > 0 \text{ else } a;\ "
    r"\partial_a = \min(0, x)",
    range=r"(-\infty, \infty)",
    monotonic=True,
    smooth=False,
    reference="https://arxiv.org/abs/1502.01852",
)
class PReLU(keras.layers.Layer):
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

    Reference:
        - [He et al., 2015, Delving Deep into Rectifiers](https://arxiv.org/abs/1502.01852)
    """

    def __init__(self, alpha_initializer=None, alpha_regularizer=None,
                 alpha_constraint=None, shared_axes=None, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.alpha_initializer = keras.initializers.get(
            alpha_initializer or keras.initializers.Constant(0.25))
        self.alpha_regularizer = keras.regularizers.get(alpha_regularizer)
        self.alpha_constraint = keras.constraints.get(alpha_constraint)
        self.shared_axes = normalize_shared_axes(shared_axes)

    def build(self, input_shape):
        self.alpha = self.add_weight(
            name="alpha",
            shape=parameter_shape(input_shape, self.shared_axes),
            initializer=self.alpha_initializer,
            regularizer=self.alpha_regularizer,
            constraint=self.alpha_constraint,
        )

    def call(self, inputs):
        alpha = ops.cast(self.alpha, inputs.dtype)
        return ops.relu(inputs) - alpha * ops.relu(-inputs)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update({
            "alpha_initializer": keras.initializers.serialize(self.alpha_initializer),
            "alpha_regularizer": keras.regularizers.serialize(self.alpha_regularizer),
            "alpha_constraint": keras.constraints.serialize(self.alpha_constraint),
            "shared_axes": None if self.shared_axes is None else list(self.shared_axes),
        })
        return config
