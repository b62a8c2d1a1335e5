"""Swapping the activations of an existing model.

`replace_activations` rebuilds a Sequential or functional model with
`keras.models.clone_model`, giving each layer whose activation matches a new
one, and copies every other weight, so the original model is left as it was.
"""

import warnings

import keras
import numpy as np

from keras_activations import registry


def replace_activations(model, replacements):
    """A copy of `model` in which the activations named in `replacements` are swapped.

    Matched are the `activation` of any layer that has one (Dense, Conv,
    `Activation`, ...) and standalone activation layers, by what a key
    resolves to, so that Keras' aliases match each other (`"swish"` matches
    `"silu"`, which Keras' `swish` is). Keras' `ReLU` layer matches `"relu"`
    with its default arguments and `"relu6"` with `max_value=6` (MobileNet's);
    with a `negative_slope` or `threshold` it matches no name. A layer of this
    package matches its registered name (`PReLU()` is `"prelu"`). Nested
    Sequential and functional models (a backbone inside a model) are rebuilt
    too. A key that matches nothing gives a warning naming the activations
    the model does contain.

    Args:
        model: A Sequential or functional Keras model.
        replacements: A dict from the activation names to replace (Keras' or
            registered ones, e.g. `"relu"`) to what replaces them: a name, a
            function, or a layer used as a template. Each matching place gets
            its own activation: a stateful name or a template yields a fresh
            layer per place (a template's configuration, new weights).

    Returns:
        A new model with the layer, input and output names of `model`,
        compiled as `model` was (a fresh optimizer of the same configuration)
        if it was. All its weights are copies of `model`'s, except those of
        the new activations, which are initialised when the copy is first
        called, as those of `Dense(activation="prelu")` are. A layer
        whose activation changed keeps its name and configuration; a
        standalone activation layer that changed becomes
        `keras.layers.Activation(new)` under the same name.

    Raises:
        TypeError: `model` is not a Keras model, `replacements` not a dict,
            or a replacement not a name, function or layer.
        ValueError: an unknown name, a subclassed model (which Keras cannot
            rebuild), or a match inside a nested subclassed model.

    Example:

    >>> model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(8, activation="relu"),
    ...                           keras.layers.Dense(1)])
    >>> swapped = keras_activations.replace_activations(model, {"relu": "prelu"})
    >>> type(swapped.layers[0].activation).__name__
    'PReLU'
    """
    replacements = _checked_replacements(replacements)
    targets = {name: _target(name) for name in replacements}
    if not isinstance(model, keras.Model):
        raise TypeError(f"`model` must be a Keras model, got {type(model).__name__}.")
    matched, seen = set(), set()

    def choose(applied):
        if applied is not None:
            seen.add(_describe(applied))
        name = _matching_key(applied, targets)
        if name is None:
            return None
        matched.add(name)
        return _fresh(replacements[name])

    clone = rebuild(model, choose)
    if model.compiled:
        _compile_like(clone, model)
    unmatched = [name for name in replacements if name not in matched]
    if unmatched:
        warnings.warn(
            f"replace_activations: nothing in {model.name!r} matches "
            f"{', '.join(map(repr, unmatched))}; its activations are "
            f"{', '.join(sorted(seen)) or 'none that can be swapped'}.", stacklevel=2)
    return clone


def rebuild(model, choose):
    """A copy of a Sequential or functional `model` (nested ones included)
    with the activations `choose` replaces: `choose(applied)` gets what each
    layer applies (a function, a layer of this package, or None) and returns
    its replacement, or None to keep it. Every other weight is copied; the
    copy is not compiled. `tflite.convert` rebuilds models with it too.

    Raises:
        ValueError: a subclassed model, or a replacement chosen inside a
            nested subclassed model, which Keras cannot rebuild.
    """
    if not _is_rebuildable(model):
        raise ValueError(
            f"replace_activations rebuilds Sequential and functional models; "
            f"{type(model).__name__} is a subclassed model, which Keras cannot rebuild. "
            "Change the activations where the model is defined instead.")
    copied = []

    def copy(layer):
        _refuse_hidden_matches(layer, choose)
        new = choose(_applied(layer))
        if new is None:
            clone = layer.__class__.from_config(layer.get_config())
            _build_activation_like(clone, layer)
            copied.append((layer.weights, lambda: clone.weights))
            return clone
        if _is_activation_layer(layer):
            return keras.layers.Activation(new, name=layer.name, dtype=layer.dtype_policy)
        clone = layer.__class__.from_config({**layer.get_config(), "activation": new})
        copied.append((_own_weights(layer), lambda: _own_weights(clone)))
        return clone

    clone = keras.models.clone_model(model, clone_function=copy, recursive=True)
    # The copies have their weights once `clone_model` has called them.
    for sources, copies in copied:
        for copy_weight, source in zip(copies(), sources, strict=True):
            copy_weight.assign(keras.ops.copy(source))  # its own buffer: JAX donates state buffers
    return clone


def call_on_zeros(model):
    """Calls a Sequential or functional model once, on zeros of its input
    shapes, so that every layer has its weights (Keras gives a layer's
    string-made activation its weights on the first call on data) and
    Keras' exporters accept it (they refuse a model never called, as one
    fresh from `load_model` is). A subclassed model is left as it is."""
    inputs = getattr(model, "inputs", None)
    if not inputs:
        return
    zeros = [np.zeros([1 if size is None else size for size in tensor.shape], tensor.dtype)
             for tensor in inputs]
    model(zeros[0] if len(zeros) == 1 else zeros, training=False)


def _compile_like(clone, model):
    """Compiles `clone` as `model` was, with a fresh optimizer that is built
    on the first `fit`: building it now (as `compile_from_config`, which
    newer Keras' `clone_model` calls, does) would leave out the weights the
    new activations create on their first call."""
    clone.compile(**keras.saving.deserialize_keras_object(model.get_compile_config()))


def _checked_replacements(replacements):
    if not isinstance(replacements, dict):
        raise TypeError(
            "`replacements` must be a dict from activation names to replacements, "
            f"got {type(replacements).__name__}.")
    for name, replacement in replacements.items():
        if not isinstance(name, str):
            raise TypeError(
                f"`replacements` is keyed by activation names, got {type(name).__name__} {name!r}.")
        registry.get(name)  # ValueError, with the closest names, for an unknown one
        if isinstance(replacement, str):
            registry.get(replacement)
        elif not callable(replacement):
            raise TypeError(
                f"The replacement for {name!r} must be an activation name, a function or "
                f"a layer, got {type(replacement).__name__}.")
    return replacements


def _is_rebuildable(model):
    """Whether `clone_model` can rebuild `model` layer by layer: a Sequential
    or functional model (whose configuration lists its graph)."""
    if isinstance(model, keras.Sequential):
        return True
    try:
        config = model.get_config()
    except NotImplementedError:
        return False
    return isinstance(config, dict) and {"input_layers", "output_layers"} <= set(config)


def _is_activation_layer(layer):
    """A layer that only applies an activation: Keras' `ReLU`, or one
    registered under a name (this package's layers)."""
    return type(layer) is keras.layers.ReLU or registry.name_of(layer) is not None


def _target(name):
    """What a replacement key stands for: the function Keras or the registry
    resolves it to (aliases resolve to one function), or the layer class of
    a stateful name."""
    resolved = registry.get(name)
    return type(resolved) if isinstance(resolved, keras.layers.Layer) else resolved


def _applied(layer):
    """The activation `layer` applies (a function, or a layer of this
    package), or None where it applies none that a name can stand for."""
    if type(layer) is keras.layers.ReLU:
        return _relu_layer_function(layer.get_config())
    if registry.name_of(layer) is not None:
        return layer
    return layer.activation if "activation" in _config(layer) else None


def _relu_layer_function(config):
    """Keras' relu or relu6 for a `ReLU` layer that computes it, else None."""
    if config["negative_slope"] or config["threshold"]:
        return None
    if config["max_value"] is None:
        return keras.activations.relu
    return keras.activations.relu6 if config["max_value"] == 6 else None


def _matching_key(applied, targets):
    """The replacement key whose target `applied` is, or None."""
    for name, target in targets.items():
        if applied is target or (isinstance(target, type) and type(applied) is target):
            return name
    return None


def _describe(applied):
    """A readable name for an activation found in a model."""
    name = registry.name_of(applied)
    if name is not None:
        return repr(name)
    return repr(getattr(applied, "__name__", type(applied).__name__))


def _config(layer):
    try:
        return layer.get_config()
    except NotImplementedError:
        return {}


def _fresh(replacement):
    """The replacement for one place: a fresh layer for a template or a stateful name."""
    if isinstance(replacement, keras.layers.Layer):
        config = {**replacement.get_config()}
        config.pop("name", None)  # a fresh layer, and a unique name, per place
        return replacement.__class__.from_config(config)
    return registry.get(replacement) if isinstance(replacement, str) else replacement


def _build_activation_like(clone, layer):
    """Builds the activation layer of `clone` as that of `layer` was built
    (where its configuration did not): Keras builds a layer's activation on
    its first call on data, which `clone_model`'s symbolic calls are not."""
    activation = getattr(clone, "activation", None)
    if (isinstance(activation, keras.layers.Layer) and not activation.built
            and layer.activation.built):
        activation.build_from_config(layer.activation.get_build_config())


def _own_weights(layer):
    """`layer`'s weights without those of its activation."""
    activation = {id(weight) for weight in getattr(layer.activation, "weights", [])}
    return [weight for weight in layer.weights if id(weight) not in activation]


def _refuse_hidden_matches(layer, choose):
    """Raises if `layer` is a subclassed model holding a layer that would match:
    `clone_model` copies it whole, so that activation would silently stay."""
    if not isinstance(layer, keras.Model) or _is_rebuildable(layer):
        return
    for inner in layer.layers:
        if choose(_applied(inner)) is not None:
            raise ValueError(
                f"Layer {inner.name!r} inside {layer.name!r} ({type(layer).__name__}, a "
                "subclassed model) uses a matching activation, but a subclassed model "
                "cannot be rebuilt. Change it where that model is defined.")
        _refuse_hidden_matches(inner, choose)
