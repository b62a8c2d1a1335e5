"""The one place keras_activations reaches into Keras internals: activation strings.

Keras 3 resolves activation strings only from its own module-level dict,
`keras.src.activations.ALL_OBJECTS_DICT`, in `keras.activations.get` (which
every layer calls for its `activation=` argument) and
`keras.activations.deserialize`; registered custom objects are never
consulted for strings. `install` wraps those two functions, in
`keras.src.activations` (where layers look them up at call time) and in the
public `keras.activations`, so that a string Keras does not know falls back to
the keras_activations registry:

- Keras' names always win, and everything Keras returns or raises for its own
  names, configs, callables and `None` is unchanged; Keras' dict is read,
  never written, so its `in`, `len` and iteration stay Keras' own.
- A registered name resolves through the registry; a stateful name (a layer
  class) yields a fresh instance on every lookup, so each layer that asks for
  it gets its own weights.
- An unknown string raises Keras' `ValueError`, with the closest names.

If the Keras internals this relies on change, `install` raises a
`RuntimeError` naming the Keras version instead of failing at some later call.
"""

import functools
import importlib

import keras

_INSTALLED = "_keras_activations_hook"


def _keras_activations_module():
    return importlib.import_module("keras.src.activations")


def _unsupported(what):
    return RuntimeError(
        f"keras_activations cannot hook activation strings into Keras "
        f"{keras.__version__}: {what}. This Keras version is not supported "
        "(see the README for the tested range)."
    )


def keras_names():
    """The activation names Keras itself resolves, as a set."""
    table = getattr(_keras_activations_module(), "ALL_OBJECTS_DICT", None)
    if not isinstance(table, dict):
        raise _unsupported("`keras.src.activations.ALL_OBJECTS_DICT` is gone")
    return set(table)


def _registered(identifier):
    from keras_activations import registry

    return (isinstance(identifier, str) and identifier not in keras_names()
            and identifier in registry.names())


def _hooked_get(keras_get):
    @functools.wraps(keras_get)
    def get(identifier):
        from keras_activations import registry

        if _registered(identifier):
            return registry.get(identifier)
        try:
            return keras_get(identifier)
        except ValueError as error:
            hint = registry.suggestion(identifier) if isinstance(identifier, str) else ""
            if not hint:
                raise
            raise ValueError(f"{error}.{hint}") from None

    setattr(get, _INSTALLED, True)
    return get


def _hooked_deserialize(keras_deserialize):
    @functools.wraps(keras_deserialize)
    def deserialize(config, custom_objects=None):
        from keras_activations import registry

        if _registered(config):
            return registry.get(config)
        return keras_deserialize(config, custom_objects=custom_objects)

    setattr(deserialize, _INSTALLED, True)
    return deserialize


def _keras_function(module, name):
    function = getattr(module, name, None)
    if not callable(function):
        raise _unsupported(f"`keras.src.activations.{name}` is gone")
    public = getattr(keras.activations, name, None)
    if public is not function:
        raise _unsupported(
            f"`keras.activations.{name}` is no longer `keras.src.activations.{name}`")
    return function


def install():
    """Lets Keras resolve every registered name as an activation string.

    Idempotent; called on `import keras_activations`. The wrappers read the
    registry when called, so names registered later resolve too.

    Raises:
        RuntimeError: the Keras internals the hook relies on are missing
            (names the Keras version found).
    """
    module = _keras_activations_module()
    keras_names()
    for name, wrap in (("get", _hooked_get), ("deserialize", _hooked_deserialize)):
        function = _keras_function(module, name)
        if getattr(function, _INSTALLED, False):
            continue
        hooked = wrap(function)
        setattr(module, name, hooked)
        setattr(keras.activations, name, hooked)
