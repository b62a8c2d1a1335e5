"""Base class of activations with learnable per-channel parameters."""

import keras

from keras_activations import precision
from keras_activations.layers.parameter_shape import normalize_shared_axes
from keras_activations.layers.parameter_shape import parameter_shape


class ChannelwiseActivation(keras.layers.Layer):
    """An elementwise activation with learnable parameters per channel.

    Subclasses name their parameters in `PARAMETERS` (name -> default
    initializer) and optionally `DEFAULT_CONSTRAINTS`, take
    `<p>_initializer`, `<p>_regularizer` and `<p>_constraint` for each
    parameter `p` explicitly in their constructor and hand them to
    `set_parameter_options`, and implement `activate(inputs, *parameters)`.
    The options are kept as attributes (`self.<p>_initializer`, ...) and
    serialized in `get_config`. Parameters are float32 variables (also under
    mixed precision); `activate` runs in the working precision of the input
    (float32 for 16-bit inputs) and its result is rounded to the input dtype.

    Args:
        shared_axes: `None` (default) for one value per channel (last axis);
            otherwise the axes along which values are shared, as in
            `keras.layers.PReLU` (`[]` gives one value per element).
        **kwargs: Base layer arguments.
    """

    PARAMETERS = {}
    DEFAULT_CONSTRAINTS = {}

    def __init__(self, shared_axes=None, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.shared_axes = normalize_shared_axes(shared_axes)

    def set_parameter_options(self, name, initializer, regularizer, constraint):
        """Keeps `name`'s options as attributes; `None` means the default."""
        default = self.PARAMETERS[name] if initializer is None else initializer
        if constraint is None:
            constraint = self.DEFAULT_CONSTRAINTS.get(name)
        setattr(self, f"{name}_initializer", keras.initializers.get(default))
        setattr(self, f"{name}_regularizer", keras.regularizers.get(regularizer))
        setattr(self, f"{name}_constraint", keras.constraints.get(constraint))

    def _options(self, name):
        return tuple(getattr(self, f"{name}_{kind}")
                     for kind in ("initializer", "regularizer", "constraint"))

    def build(self, input_shape):
        shape = parameter_shape(input_shape, self.shared_axes, type(self).__name__)
        for name in self.PARAMETERS:
            initializer, regularizer, constraint = self._options(name)
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
        for name in self.PARAMETERS:
            initializer, regularizer, constraint = self._options(name)
            config[f"{name}_initializer"] = keras.initializers.serialize(initializer)
            config[f"{name}_regularizer"] = keras.regularizers.serialize(regularizer)
            config[f"{name}_constraint"] = keras.constraints.serialize(constraint)
        config["shared_axes"] = None if self.shared_axes is None else list(self.shared_axes)
        return config
