"""The one door to keras_activations: registered names and the Keras hook.

Every activation of this package, and every one a user adds with `register`,
is entered here once. From the entry follow:

- Keras serialization (`keras.saving.register_keras_serializable` under the
  package `"keras_activations"`), so saved models reload with `safe_mode=True`
  and no `custom_objects`;
- string lookup through Keras (`Dense(..., activation="name")`,
  `keras.layers.Activation("name")`, `keras.activations.get("name")` and
  `deserialize("name")`), opened by `keras_activations.keras_hook`;
- `get`, `names`, `describe` and `derivative`.

Keras' names always win. A name of the package's own that a later Keras
release defines too is left to Keras for strings (one warning on import says
so); the object stays reachable as `keras_activations.<name>` and models
saved with it still load.
"""

import difflib
import inspect
import keyword
import re
import warnings

import keras

from keras_activations import keras_hook

PACKAGE = "keras_activations"

_DESCRIPTION_FIELDS = (
    "formula",
    "derivative",
    "parameters",
    "range",
    "monotonic",
    "smooth",
    "reference",
)

_REGISTRY = {}
# Names of the package's own objects that Keras now defines as well.
_SHADOWED_BY_KERAS = []
# Letters, digits and underscores, starting with a letter: names that
# round-trip through `get` and JSON, and that a user can type.
_NAME_PATTERN = re.compile(r"[A-Za-z][A-Za-z0-9_]*")


class _Entry:
    """A registered name: the object, its metadata and optional derivative."""

    def __init__(self, name, obj, derivative_fn, metadata):
        self.name = name
        self.obj = obj
        self.derivative_fn = derivative_fn
        self.metadata = metadata

    @property
    def stateful(self):
        return inspect.isclass(self.obj)

    def resolve(self):
        """The function itself, or a fresh layer for a stateful name.

        A layer made for a name is made as a user would make it, so it
        follows Keras' `Activation` layer: it computes in the compute dtype of
        the dtype policy in force when it is made.
        """
        return self.obj() if self.stateful else self.obj


def keras_builtin_names():
    """The activation names Keras itself resolves, sorted."""
    return sorted(keras_hook.keras_names())


def _is_package_object(obj):
    return getattr(obj, "__module__", "").startswith(PACKAGE + ".")


def _check_name(name):
    if not isinstance(name, str):
        raise TypeError(f"An activation name must be a string, got {type(name).__name__}.")
    if not _NAME_PATTERN.fullmatch(name) or keyword.iskeyword(name):
        raise ValueError(
            "An activation name must be ASCII letters, digits and underscores, "
            f"start with a letter and not be a Python keyword, got {name!r}."
        )
    if name in keras_hook.keras_names():
        raise ValueError(
            f"'{name}' is a Keras built-in activation; keras_activations "
            "never shadows Keras names. Register it under another name."
        )
    if name in _REGISTRY:
        raise ValueError(
            f"'{name}' is already registered to "
            f"{_REGISTRY[name].obj!r}; choose another name."
        )


def _check_object(name, obj):
    if inspect.isclass(obj):
        if not issubclass(obj, keras.layers.Layer):
            raise TypeError(
                f"Cannot register '{name}': a class must be a "
                f"keras.layers.Layer subclass, got {obj!r}."
            )
        try:
            inspect.signature(obj).bind()
        except TypeError as error:
            raise TypeError(
                f"Cannot register '{name}': the layer class {obj.__name__} "
                "must be constructible without arguments, since every "
                "string lookup builds a fresh instance."
            ) from error
    elif not inspect.isfunction(obj) or obj.__name__ == "<lambda>":
        raise TypeError(
            f"Cannot register '{name}': expected a function defined with "
            f"`def` or a Layer class, got {obj!r}. Lambdas, functools.partial "
            "objects and callable instances do not reload from a saved model; "
            "wrap the call in a `def`, or write a Layer with the arguments in "
            "its config."
        )


def _serialization_key(name):
    return f"{PACKAGE}>{name}"


def _make_serializable(name, obj):
    """Registers `obj` with Keras under its registered `name`, unless it
    already carries a Keras registration of its own."""
    if keras.saving.get_registered_name(obj) != obj.__name__:
        return
    custom_objects = keras.saving.get_custom_objects()
    key = _serialization_key(name)
    if custom_objects.get(key, obj) is not obj:
        raise ValueError(
            f"Cannot register '{name}': Keras' serialization key '{key}' is "
            f"already taken by {custom_objects[key]!r}, and saved models would "
            "reload the wrong object."
        )
    if obj.__module__.startswith(PACKAGE + ".") and obj.__name__ != name:
        # Files saved by keras_activations 0.1 name the package's own layers
        # by class (`keras_activations>PReLU`); keep that key loading.
        custom_objects.setdefault(_serialization_key(obj.__name__), obj)
    keras.saving.register_keras_serializable(package=PACKAGE, name=name)(obj)


def register(name, obj, *, derivative_fn=None, **metadata):
    """Registers an activation function or layer class under `name`.

    After registration `name` works wherever Keras takes an activation
    string, and models using it save and reload with `safe_mode=True` and no
    `custom_objects` (the object is registered with
    `keras.saving.register_keras_serializable(package="keras_activations")`
    unless it already has a Keras registration of its own).

    Registering the same object under the same name again does nothing
    (re-running a notebook cell is safe).

    Args:
        name: ASCII letters, digits and underscores, starting with a letter;
            neither a Keras built-in activation name nor registered to
            another object.
        obj: A function `f(x) -> tensor` defined with `def` (not a lambda, a
            `functools.partial` or a callable instance), or a
            `keras.layers.Layer` subclass
            constructible without arguments (a stateful activation: every
            lookup of `name` builds a fresh instance with its own weights).
        derivative_fn: Optional elementwise derivative `f'(x)` of a function,
            returned by `keras_activations.derivative(name)`.
        **metadata: Description fields returned by `describe(name)`:
            `formula` (LaTeX, required), `derivative` (LaTeX), `parameters`
            (what is learnable or tunable, and its default), `range`,
            `monotonic`, `smooth`, `reference`.

    Returns:
        `obj`, so that `register` can be used inline.

    Raises:
        ValueError: the name is taken or invalid, its Keras serialization key
            `"keras_activations>name"` belongs to another object, or metadata
            is unknown or lacks `formula`.
        TypeError: `obj` is neither a `def` function nor a Layer subclass, or
            the name is not a string.

    Example:

    >>> def cube(x):
    ...     return x * x * x
    >>> keras_activations.register("cube", cube, formula=r"x^3")
    >>> keras.layers.Dense(4, activation="cube")
    """
    if isinstance(name, str) and name in _REGISTRY and _REGISTRY[name].obj is obj:
        return obj
    if _is_package_object(obj) and name in keras_hook.keras_names():
        _make_serializable(name, obj)
        _SHADOWED_BY_KERAS.append(name)
        return obj
    _check_name(name)
    _check_object(name, obj)
    unknown = set(metadata) - set(_DESCRIPTION_FIELDS)
    if unknown:
        raise ValueError(
            f"Unknown metadata {sorted(unknown)} for '{name}'; "
            f"expected some of {list(_DESCRIPTION_FIELDS)}."
        )
    if not metadata.get("formula"):
        raise ValueError(f"Registering '{name}' needs a `formula` (LaTeX).")
    if derivative_fn is not None and inspect.isclass(obj):
        raise ValueError(
            f"'{name}' is a layer; `derivative_fn` applies to functions only."
        )
    _make_serializable(name, obj)
    _REGISTRY[name] = _Entry(name, obj, derivative_fn, metadata)
    return obj


def register_activation(name=None, *, derivative_fn=None, **metadata):
    """Decorator form of `register`; the name defaults to `obj.__name__`."""

    def decorator(obj):
        return register(
            name or obj.__name__,
            obj,
            derivative_fn=derivative_fn,
            **metadata,
        )

    return decorator


def names():
    """Every name registered with keras_activations, sorted."""
    return sorted(_REGISTRY)


def _spelling(name):
    """`name` without case, hyphens, underscores and spaces: `PReLU`,
    `Leaky-ReLU-Plus` and `leaky_relu_plus` spell the same."""
    return re.sub(r"[-_\s]", "", name).lower()


def _names_by_spelling():
    """Registered and Keras names, and the class names of the stateful ones
    (`Snake` is `learnable_snake`), by `_spelling`."""
    spellings = {}
    for name in names() + keras_builtin_names():
        spellings.setdefault(_spelling(name), []).append(name)
    for name, entry in _REGISTRY.items():
        if entry.stateful:
            spellings.setdefault(_spelling(entry.obj.__name__), []).append(name)
    return spellings


def suggestion(name):
    """' Did you mean ...?' with the names `name` spells (whatever its case,
    hyphens or underscores, or a layer's class name) or, failing that, the
    registered and Keras names closest to it; '' when none is close."""
    spellings = _names_by_spelling()
    suggested = list(dict.fromkeys(spellings.get(_spelling(name), [])))
    if not suggested:
        close = difflib.get_close_matches(_spelling(name), list(spellings), n=3, cutoff=0.6)
        suggested = list(dict.fromkeys(n for key in close for n in spellings[key]))[:3]
    return f" Did you mean {', '.join(map(repr, suggested))}?" if suggested else ""


def _unknown_name_error(name):
    return ValueError(
        f"Unknown activation '{name}'.{suggestion(name)} "
        "`keras_activations.names()` lists the registered names."
    )


def _entry(name):
    if not isinstance(name, str):
        raise TypeError(
            f"An activation name must be a string, got {type(name).__name__}."
        )
    if name not in _REGISTRY:
        raise _unknown_name_error(name)
    return _REGISTRY[name]


def get(identifier):
    """Resolves an activation identifier, as `keras.activations.get` does.

    Args:
        identifier: A registered or Keras name, a serialized config (dict),
            a callable (returned unchanged) or `None` (linear).

    Returns:
        A callable; for a stateful name, a fresh layer instance.

    Raises:
        ValueError: unknown name, with the closest registered names.
        TypeError: any other type of identifier.

    Example:

    >>> keras_activations.get("leaky_relu_plus")(np.array([-2.0, 3.0]))
    """
    if identifier is None or isinstance(identifier, dict):
        return keras.activations.get(identifier)
    if isinstance(identifier, str):
        if identifier in keras_hook.keras_names():
            return keras.activations.get(identifier)
        return _entry(identifier).resolve()
    if callable(identifier):
        return identifier
    raise TypeError(
        "An activation identifier must be a name, a config dict, a callable "
        f"or None, got {type(identifier).__name__}."
    )


def describe(name):
    """Metadata of a registered name.

    Returns:
        A dict with `name`, `summary` (first docstring line), `formula` and
        `derivative` (LaTeX), `parameters`, `range`, `monotonic`, `smooth`,
        `stateful`, `reference`; fields a user registration left out are
        `None`.
    """
    entry = _entry(name)
    doc = inspect.getdoc(entry.obj) or ""
    description = {"name": name, "summary": doc.split("\n", 1)[0]}
    description.update(
        {field: entry.metadata.get(field) for field in _DESCRIPTION_FIELDS}
    )
    description["stateful"] = entry.stateful
    return description


def name_of(activation):
    """The name an activation function or layer is known by, or `None`.

    A Keras function gives its Keras name, a registered function its
    registered name, and a layer the name its class is registered under
    (any `PReLU(...)` is `"prelu"`).

    Example:

    >>> keras_activations.registry.name_of(keras.layers.Dense(8, activation="prelu").activation)
    'prelu'
    """
    if isinstance(activation, keras.layers.Layer):
        matches = [entry.name for entry in _REGISTRY.values() if entry.obj is type(activation)]
    else:
        matches = [entry.name for entry in _REGISTRY.values() if entry.obj is activation]
        keras_name = getattr(activation, "__name__", None)
        if keras_name in keras_hook.keras_names() and keras.activations.get(keras_name) is activation:
            matches.insert(0, keras_name)
    return matches[0] if matches else None


def derivative(name):
    """The analytic derivative of a registered stateless function.

    Returns:
        A callable `f'(x)`, elementwise, in the dtype of `x`. It is the
        gradient the function back-propagates (for `binary_step_ste`, the
        straight-through surrogate; for `softmin`, the Jacobian diagonal).

    Raises:
        ValueError: the name is unknown, stateful, or has no derivative.
    """
    entry = _entry(name)
    if entry.derivative_fn is None:
        kind = "a stateful layer" if entry.stateful else "registered without one"
        raise ValueError(f"'{name}' has no analytic derivative: it is {kind}.")
    return entry.derivative_fn


def install_keras_hook():
    """Opens Keras' activation strings to the registry, and warns once about
    names of the package's own that Keras has since taken."""
    keras_hook.install()
    if _SHADOWED_BY_KERAS:
        shadowed = list(_SHADOWED_BY_KERAS)
        _SHADOWED_BY_KERAS.clear()
        warnings.warn(
            f"Keras {keras.__version__} defines activations named "
            f"{', '.join(map(repr, shadowed))} too: those strings now "
            "resolve to Keras' activations. keras_activations' own stay "
            "available as `keras_activations.<name>` (and their layer classes), "
            "and models saved with them still load.",
            stacklevel=2,
        )
