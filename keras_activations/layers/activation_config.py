"""Resolving and serializing the activations that a layer wraps."""

import keras

from keras_activations import registry


def resolve(identifier, allow_layers=True, dtype=None):
    """An activation from a name, config, callable or layer.

    A layer made here from a name or config takes the dtype policy `dtype`
    of the layer that owns it; a layer instance passed in is kept as is.

    Raises:
        ValueError: `identifier` is stateful and `allow_layers` is False.
    """
    activation = registry.get(_with_dtype(identifier, dtype))
    if not isinstance(activation, keras.layers.Layer):
        return activation
    if not allow_layers:
        raise ValueError(
            f"{identifier!r} is a stateful activation; only stateless "
            "functions are accepted here."
        )
    if not isinstance(identifier, str) or dtype is None:
        return activation
    return type(activation).from_config({**activation.get_config(), "dtype": dtype})


def _with_dtype(identifier, dtype):
    """A layer config with `dtype` put in before it is deserialized, so that
    a layer nested in configs is built once (loading stays linear in the
    size of the config); other identifiers unchanged."""
    if dtype is None or not isinstance(identifier, dict):
        return identifier
    config = identifier.get("config")
    if not isinstance(config, dict):
        return identifier
    return {**identifier, "config": {**config, "dtype": dtype}}


def serialize(activation):
    """A JSON-able config that `resolve` turns back into `activation`."""
    if isinstance(activation, keras.layers.Layer):
        return keras.layers.serialize(activation)
    return keras.activations.serialize(activation)
