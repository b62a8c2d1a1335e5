"""The initializer, regularizer and constraint of a layer's learnable
parameters: one way to build and serialize them.

A layer with a parameter `p` takes `p_initializer`, `p_regularizer` and
`p_constraint` explicitly and keeps them as attributes of those names
(`None` meaning the default), as Keras' own layers do for `kernel` and
`bias`; these helpers build the weight from them and serialize them.
"""

import keras

_KINDS = ("initializer", "regularizer", "constraint")


def add_parameter(layer, name, shape):
    """Creates the weight `layer.<name>` with the options kept for it."""
    initializer, regularizer, constraint = (getattr(layer, f"{name}_{kind}") for kind in _KINDS)
    weight = layer.add_weight(name=name, shape=shape, initializer=initializer,
                              regularizer=regularizer, constraint=constraint)
    setattr(layer, name, weight)
    return weight


def parameter_options_config(layer, names):
    """The config entries of the options of the parameters `names`."""
    serializers = {"initializer": keras.initializers.serialize,
                   "regularizer": keras.regularizers.serialize,
                   "constraint": keras.constraints.serialize}
    return {f"{name}_{kind}": serializers[kind](getattr(layer, f"{name}_{kind}"))
            for name in names for kind in _KINDS}
