"""A chain of activations applied one after another."""

import keras

from keras_activations.layers import activation_config


@keras.saving.register_keras_serializable(package="keras_activations")
class Compose(keras.layers.Layer):
    """An activation of activations: `f_n(...f_2(f_1(x)))`, serializable.

    Args:
        activations: Non-empty list of activation names (ours or Keras'),
            callables, configs or layers, applied first to last.
        **kwargs: Base layer arguments.

    Returns:
        A layer applying the chain.

    Example:

    >>> keras.layers.Dense(64, activation=Compose(["prelu", "tanh"]))
    """

    def __init__(self, activations, **kwargs):
        super().__init__(**kwargs)
        if isinstance(activations, (str, dict)) or not activations:
            raise ValueError(
                f"`activations` must be a non-empty list, got {activations!r}.")
        self.supports_masking = True
        self.activations = [activation_config.resolve(a, dtype=self.dtype_policy)
                            for a in activations]

    def build(self, input_shape):
        shape = input_shape
        for activation in self.activations:
            if isinstance(activation, keras.layers.Layer):
                # A layer deserialized with its build config is built already.
                if not activation.built:
                    activation.build(shape)
                shape = activation.compute_output_shape(shape)

    def call(self, inputs):
        for activation in self.activations:
            inputs = activation(inputs)
        return inputs

    def compute_output_shape(self, input_shape):
        for activation in self.activations:
            if isinstance(activation, keras.layers.Layer):
                input_shape = activation.compute_output_shape(input_shape)
        return input_shape

    def get_config(self):
        config = super().get_config()
        config["activations"] = [activation_config.serialize(a) for a in self.activations]
        return config
