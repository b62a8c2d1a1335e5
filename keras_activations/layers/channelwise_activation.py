"""Base class of activations with learnable per-channel parameters."""

import keras
from keras_activations import precision
from keras_activations.layers.parameter_shape import normalize_shared_axes
from keras_activations.layers.parameter_shape import parameter_shape


class ChannelwiseActivation(keras.layers.Layer):
    """An elementwise activation with learnable parameters per channel.

    Subclasses name their parameters in `PARAMETERS` (name -> default
    initializer) and optionally `DEFAULT_CONSTRAINTS`, and implement
    `activate(inputs, *parameters)`. For each parameter `p` the layer takes
    `p_initializer`, `p_regularizer` and `p_constraint`, serialized in
    `get_config`. Parameters are float32 variables (also under mixed
    precision); `activate` runs in the working precision of the input
    (float32 for 16-bit inputs) and its result is rounded to the input dtype.

    Args:
        shared_axes: `None` (default) for one value per channel (last axis);
            otherwise the axes along which values are shared, as in
            `keras.layers.PReLU` (`[]` gives one value per element).
        **kwargs: `<parameter>_initializer`, `<parameter>_regularizer`,
            `<parameter>_constraint`, and base layer arguments.
    """

    PARAMETERS = {}
    DEFAULT_CONSTRAINTS = {}

    def __init__(self, shared_axes=None, **kwargs):
        self._parameter_options = {
            name: (
                keras.initializers.get(kwargs.pop(f"{name}_initializer", None) or default),
                keras.regularizers.get(kwargs.pop(f"{name}_regularizer", None)),
                keras.constraints.get(kwargs.pop(f"{name}_constraint", None)
                                      or self.DEFAULT_CONSTRAINTS.get(name)),
            )
            for name, default in self.PARAMETERS.items()
        }
        super().__init__(**kwargs)
        self.supports_masking = True
        self.shared_axes = normalize_shared_axes(shared_axes)

    def build(self, input_shape):
        shape = parameter_shape(input_shape, self.shared_axes, type(self).__name__)
        for name, (initializer, regularizer, constraint) in self._parameter_options.items():
            setattr(self, name, self.add_weight(
                name=name, shape=shape, initializer=initializer,
                regularizer=regularizer, constraint=constraint))

    def activate(self, inputs, *parameters):
        raise NotImplementedError(f"{type(self).__name__} must implement activate().")

    def call(self, inputs):
        parameters = [getattr(self, name) for name in self.PARAMETERS]
        return precision.in_layer_precision(self.activate, inputs, *parameters)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        for name, (initializer, regularizer, constraint) in self._parameter_options.items():
            config[f"{name}_initializer"] = keras.initializers.serialize(initializer)
            config[f"{name}_regularizer"] = keras.regularizers.serialize(regularizer)
            config[f"{name}_constraint"] = keras.constraints.serialize(constraint)
        config["shared_axes"] = None if self.shared_axes is None else list(self.shared_axes)
        return config
