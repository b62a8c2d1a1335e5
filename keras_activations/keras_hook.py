"""The one place keras_activations reaches into Keras internals: activation strings.

Keras 3 resolves an activation string only from its own module-level dict,
`keras.src.activations.ALL_OBJECTS_DICT`: `keras.activations.get` (which
every layer calls for its `activation=` argument, as
`keras.src.activations.get`) never consults registered custom objects, and
`keras.activations.deserialize` consults them only under their registered
keys (`keras_activations>prelu`), not our bare names. `install` wraps `get`
in `keras.src.activations`, where layers look it up at call time, and `get`
and `deserialize` in the public `keras.activations`, so that a string Keras
does not know falls back to the keras_activations registry:

- Keras' names always win, and everything Keras returns or raises for its own
  names, configs, callables and `None` is unchanged; Keras' dict is read,
  never written, so its `in`, `len` and iteration stay Keras' own.
- A registered name resolves through the registry; a stateful name (a layer
  class) yields a fresh instance on every lookup, so each layer that asks for
  it gets its own weights.
- An unknown string raises Keras' `ValueError`, with the closest names.

If a Keras release moves these internals, the hook fails soft: `install`
warns once, naming the Keras version and what is missing, and hooks what it
still can. Everything but bare strings in Keras layers keeps working:
functions, layers, `keras_activations.get`, objects passed as activations,
and `.keras` files, which name our objects by their registered keys.
"""

import functools
import importlib
import warnings

import keras

_INSTALLED = "_keras_activations_hook"
_PUBLIC_NON_ACTIVATIONS = ("deserialize", "get", "serialize")


def _keras_activations_module():
    """`keras.src.activations`, or None where Keras has moved it."""
    try:
        return importlib.import_module("keras.src.activations")
    except ImportError:
        return None


def _keras_dict():
    table = getattr(_keras_activations_module(), "ALL_OBJECTS_DICT", None)
    return table if isinstance(table, dict) else None


def keras_names():
    """The activation names Keras itself resolves, as a set: the keys of
    Keras' dict or, where that has moved, the public `keras.activations`
    functions."""
    table = _keras_dict()
    if table is not None:
        return set(table)
    return {name for name in dir(keras.activations)
            if not name.startswith("_") and name not in _PUBLIC_NON_ACTIVATIONS
            and callable(getattr(keras.activations, name))}


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


def _wrap(namespace, name, wrap):
    function = getattr(namespace, name)
    if not getattr(function, _INSTALLED, False):
        setattr(namespace, name, wrap(function))


def _why_layers_get_cannot_be_hooked(module):
    """None where `keras.src.activations.get` is the function Keras layers
    call and can be wrapped; else what has moved."""
    if module is None:
        return "`keras.src.activations` is gone"
    function = getattr(module, "get", None)
    if not callable(function):
        return "`keras.src.activations.get` is gone"
    public = keras.activations.get
    if function is not public and getattr(public, "__wrapped__", None) is not function:
        return "`keras.activations.get` is no longer `keras.src.activations.get`"
    return None


def install():
    """Lets Keras resolve every registered name as an activation string.

    Idempotent; called on `import keras_activations`. The wrappers read the
    registry when called, so names registered later resolve too. Where
    Keras' internals have moved, warns once (naming the Keras version and
    what is missing) instead of raising.

    Returns:
        A list of what could not be hooked (empty when everything was).
    """
    module = _keras_activations_module()
    problems = []
    if _keras_dict() is None:
        problems.append("`keras.src.activations.ALL_OBJECTS_DICT` is gone (Keras' "
                        "names are taken from `keras.activations` instead)")
    problem = _why_layers_get_cannot_be_hooked(module)
    if problem:
        problems.append(problem)
        _wrap(keras.activations, "get", _hooked_get)
    else:
        _wrap(module, "get", _hooked_get)
        # The public name is the same function: one wrapper serves both.
        keras.activations.get = module.get
    _wrap(keras.activations, "deserialize", _hooked_deserialize)
    if problems:
        warnings.warn(
            f"keras_activations could not fully hook activation strings into Keras "
            f"{keras.__version__}: {'; '.join(problems)}. Bare keras_activations "
            "names in Keras layers (`activation=\"prelu\"`) may not resolve: pass "
            "the object instead (`activation=keras_activations.get(\"prelu\")`). "
            "Functions, layers, `keras_activations.get` and loading .keras files "
            "work as usual.",
            RuntimeWarning,
            stacklevel=3,
        )
    return problems
