"""Base class of activations with learnable per-channel parameters."""

import keras

from keras_activations import precision
from keras_activations.layers import parameter_options
from keras_activations.layers.parameter_shape import normalize_shared_axes
from keras_activations.layers.parameter_shape import parameter_shape


class ChannelwiseActivation(keras.layers.Layer):
    """An elementwise activation with learnable parameters per channel.

    Subclasses name their parameters in `PARAMETERS`, take `<p>_initializer`,
    `<p>_regularizer` and `<p>_constraint` explicitly for each parameter `p`
    and keep them as attributes of those names (`None` meaning the default),
    as `keras.layers.PReLU` does, and implement `activate(inputs,
    *parameters)`. The options are serialized in `get_config`
    (`layers/parameter_options.py`). Parameters are float32 variables (also
    under mixed precision); `activate` runs in the working precision of the
    input (float32 for 16-bit inputs) and its result is rounded to the input
    dtype.

    Args:
        shared_axes: `None` (default) for one value per channel (last axis);
            otherwise the axes along which values are shared, as in
            `keras.layers.PReLU` (`[]` gives one value per element).
        **kwargs: Base layer arguments.
    """

    PARAMETERS = ()

    def __init__(self, shared_axes=None, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.shared_axes = normalize_shared_axes(shared_axes)

    def build(self, input_shape):
        shape = parameter_shape(input_shape, self.shared_axes, type(self).__name__)
        for name in self.PARAMETERS:
            parameter_options.add_parameter(self, name, shape)
        # As keras.layers.PReLU: later inputs must fit the parameters' axes.
        if self.shared_axes is None:
            self.input_spec = keras.InputSpec(min_ndim=1, axes={-1: input_shape[-1]})
        else:
            axes = {axis: size for axis, size in enumerate(input_shape)
                    if axis > 0 and axis not in self.shared_axes}
            self.input_spec = keras.InputSpec(ndim=len(input_shape), axes=axes)

    def activate(self, inputs, *parameters):
        raise NotImplementedError(f"{type(self).__name__} must implement activate().")

    def call(self, inputs):
        parameters = [getattr(self, name) for name in self.PARAMETERS]
        return precision.in_layer_precision(self.activate, inputs, *parameters)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update(parameter_options.parameter_options_config(self, self.PARAMETERS))
        config["shared_axes"] = None if self.shared_axes is None else list(self.shared_axes)
        return config
