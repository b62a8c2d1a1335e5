import functools
import subprocess
import sys
import textwrap
import types

import keras
import numpy as np
import pytest

import keras_activations
from keras_activations import keras_hook
from keras_activations import registry

DESCRIPTION_FIELDS = {
    "name", "summary", "formula", "derivative", "parameters", "range", "monotonic",
    "smooth", "stateful", "reference",
}


def cube(x):
    return x * x * x


class ScaledIdentity(keras.layers.Layer):
    """A minimal stateful activation: `scale * x` with a learnable scale."""

    def build(self, input_shape):
        self.scale = self.add_weight(shape=(), initializer="ones")

    def call(self, x):
        return self.scale * x


def test_names_are_sorted_unique_and_never_keras_builtins():
    names = keras_activations.names()
    assert names == sorted(set(names))
    assert not set(names) & set(registry.keras_builtin_names())


@pytest.mark.parametrize("name", keras_activations.names())
def test_describe_has_every_field_filled(name):
    description = keras_activations.describe(name)
    assert set(description) == DESCRIPTION_FIELDS
    assert description["name"] == name
    assert all(value is not None and value != "" for value in description.values())
    assert description["reference"].startswith("https://")


def test_keras_builtins_keep_their_meaning():
    assert keras.activations.get("relu") is keras.activations.relu
    assert keras_activations.get("relu") is keras.activations.relu
    assert keras.activations.get("leaky_relu") is keras.activations.leaky_relu


def test_unknown_name_suggests_close_names():
    with pytest.raises(ValueError, match="Did you mean 'leaky_relu_plus'"):
        keras_activations.get("leaky_relu_pluss")
    with pytest.raises(ValueError, match="Unknown activation"):
        keras_activations.describe("no_such_activation")
    with pytest.raises(ValueError, match="Could not interpret"):
        keras.activations.get("no_such_activation")


@pytest.mark.parametrize("typed, meant", [
    ("PReLU", "'prelu'"),
    ("SReLU", "'srelu'"),
    ("LeakyReLUPlus", "'leaky_relu_plus'?"),
    ("Leaky-ReLU-Plus", "'leaky_relu_plus'?"),
    ("GELU_TANH", "'gelu_tanh'?"),
    ("ActivationMixture", "'mixture'?"),
    ("Snake", "'snake', 'learnable_snake'?"),
])
def test_class_names_and_other_spellings_suggest_the_registered_name(typed, meant):
    with pytest.raises(ValueError, match=f"Did you mean {meant}"):
        keras_activations.get(typed)
    with pytest.raises(ValueError, match=f"Did you mean {meant}"):
        keras.layers.Dense(4, activation=typed)


def test_a_typo_gets_help_on_the_keras_path_too():
    with pytest.raises(ValueError, match="Could not interpret activation function "
                       "identifier: leaky_relu_pluss. Did you mean 'leaky_relu_plus'"):
        keras.layers.Dense(8, activation="leaky_relu_pluss")
    with pytest.raises(ValueError, match="Did you mean 'gelu_tanh'"):
        keras.activations.get("gelu_tanhh")
    # Non-strings and hopeless strings keep Keras' own message.
    with pytest.raises(ValueError, match=r"^Could not interpret activation function identifier: 3$"):
        keras.activations.get(3)
    with pytest.raises(ValueError, match=r"identifier: qqqqqqqq$"):
        keras.activations.get("qqqqqqqq")


@pytest.mark.parametrize("name", keras_activations.names())
def test_get_serialize_and_deserialize_round_trip_every_name(name):
    activation = keras.activations.get(name)
    by_name = keras.activations.deserialize(name)
    round_trip = keras.activations.deserialize(keras.activations.serialize(activation))
    if registry.describe(name)["stateful"]:
        cls = type(keras_activations.get(name))
        assert isinstance(activation, cls) and isinstance(by_name, cls)
        assert isinstance(round_trip, cls) and round_trip is not activation
        assert round_trip.get_config() == activation.get_config()
    else:
        assert activation is by_name is round_trip is keras_activations.get(name)


def test_keras_dict_stays_keras_own_in_every_view():
    from keras.src import activations as keras_activations_module

    table = keras_activations_module.ALL_OBJECTS_DICT
    assert "prelu" not in table and "gelu_tanh" not in table
    assert len(table) == len(list(table)) == len(registry.keras_builtin_names())
    # Keras' own answers are unchanged, including an unknown string.
    assert keras.activations.deserialize("relu") is keras.activations.relu
    assert keras.activations.deserialize("no_such_activation") == "no_such_activation"


def test_get_accepts_none_configs_and_callables_only():
    assert keras_activations.get(None) is keras.activations.linear
    config = keras.activations.serialize(keras_activations.snake)
    assert keras_activations.get(config) is keras_activations.snake
    assert keras_activations.get(cube) is cube
    with pytest.raises(TypeError, match="identifier"):
        keras_activations.get(3)


@pytest.mark.parametrize(
    "name, obj, metadata, error, message",
    [
        ("relu", cube, {"formula": "x^3"}, ValueError, "Keras built-in"),
        ("snake", cube, {"formula": "x^3"}, ValueError, "already registered"),
        ("not an identifier", cube, {"formula": "x^3"}, ValueError, "letters, digits"),
        ("fresh_a", 3, {"formula": "x^3"}, TypeError, "function defined with `def`"),
        ("fresh_b", dict, {"formula": "x^3"}, TypeError, "Layer subclass"),
        ("fresh_c", cube, {}, ValueError, "needs a `formula`"),
        ("fresh_d", cube, {"formula": "x", "colour": 1}, ValueError, "Unknown metadata"),
    ],
)
def test_register_rejects_bad_registrations(name, obj, metadata, error, message):
    with pytest.raises(error, match=message):
        keras_activations.register(name, obj, **metadata)
    assert name not in keras_activations.names() or name == "snake"


def test_register_rejects_layers_needing_arguments():
    class NeedsArgument(keras.layers.Layer):
        def __init__(self, units):
            super().__init__()

    with pytest.raises(TypeError, match="without arguments"):
        keras_activations.register("needs_argument", NeedsArgument, formula="x")


def test_user_function_works_by_string_and_reloads(tmp_path):
    keras_activations.register("user_cube", cube, formula="x^3")
    assert keras.saving.get_registered_name(cube) == "keras_activations>user_cube"
    assert keras_activations.describe("user_cube")["derivative"] is None
    model = keras.Sequential(
        [keras.Input((3,)), keras.layers.Dense(2, activation="user_cube")]
    )
    x = np.ones((2, 3), "float32")
    model.save(tmp_path / "cube.keras")
    reloaded = keras.saving.load_model(tmp_path / "cube.keras")
    np.testing.assert_array_equal(model.predict(x, verbose=0),
                                  reloaded.predict(x, verbose=0))


def test_stateful_name_gives_each_layer_a_fresh_instance():
    keras_activations.register("user_scaled", ScaledIdentity, formula=r"s x")
    first = keras.activations.get("user_scaled")
    assert isinstance(first, ScaledIdentity)
    assert keras.activations.get("user_scaled") is not first
    model = keras.Sequential([
        keras.Input((3,)),
        keras.layers.Dense(4, activation="user_scaled"),
        keras.layers.Dense(2, activation="user_scaled"),
    ])
    model(np.ones((1, 3), "float32"))
    activations = [layer.activation for layer in model.layers]
    assert activations[0] is not activations[1]
    assert activations[0].scale is not activations[1].scale
    # Two kernels, two biases, two scales.
    assert len(model.trainable_weights) == 6
    assert keras_activations.describe("user_scaled")["stateful"] is True
    with pytest.raises(ValueError, match="stateful"):
        keras_activations.derivative("user_scaled")


def test_hook_is_idempotent():
    from keras.src import activations as keras_activations_module

    hooked = keras_activations_module.get, keras.activations.deserialize
    assert keras_hook.install() == []
    assert (keras_activations_module.get, keras.activations.deserialize) == hooked
    assert keras.activations.get is keras_activations_module.get


def test_deserialize_consults_custom_objects_only_under_their_keys():
    """Why the hook wraps `deserialize`: Keras looks registered objects up by
    their registered key, which is not our bare name."""
    unhooked = keras.activations.deserialize.__wrapped__
    assert unhooked("keras_activations>snake") is keras_activations.snake
    assert unhooked("snake") == "snake"  # Keras' answer for a string it cannot place
    assert keras.activations.deserialize("snake") is keras_activations.snake


# Each internal the hook touches, removed or moved as a later Keras might:
# (change to apply, what the warning names, whether layers still resolve
# bare strings).
INTERNAL_CHANGES = {
    # Gone as the hook sees it: Keras' own code (which reads the dict on
    # older releases) would have moved with it.
    "ALL_OBJECTS_DICT gone": (
        lambda module, monkeypatch: monkeypatch.setattr(keras_hook, "_keras_dict", lambda: None),
        "ALL_OBJECTS_DICT` is gone", True),
    "get gone": (
        lambda module, monkeypatch: monkeypatch.setattr(
            keras_hook, "_keras_activations_module",
            lambda: types.SimpleNamespace(ALL_OBJECTS_DICT=module.ALL_OBJECTS_DICT)),
        "`keras.src.activations.get` is gone", False),
    "get moved": (
        lambda module, monkeypatch: monkeypatch.setattr(
            module, "get", functools.partial(module.get)),
        "`keras.activations.get` is no longer `keras.src.activations.get`", False),
    "module gone": (
        lambda module, monkeypatch: monkeypatch.setattr(
            keras_hook, "_keras_activations_module", lambda: None),
        "`keras.src.activations` is gone", False),
}


@pytest.fixture
def unhooked_keras(monkeypatch):
    """Keras as on a first import: its own functions, not yet wrapped."""
    from keras.src import activations as keras_activations_module

    original_get = keras_activations_module.get.__wrapped__
    monkeypatch.setattr(keras_activations_module, "get", original_get)
    monkeypatch.setattr(keras.activations, "get", original_get)
    monkeypatch.setattr(keras.activations, "deserialize",
                        keras.activations.deserialize.__wrapped__)
    return keras_activations_module


@pytest.mark.parametrize("change", sorted(INTERNAL_CHANGES))
def test_hook_fails_soft_when_keras_internals_move(unhooked_keras, monkeypatch, tmp_path,
                                                   change):
    apply, message, layers_resolve_strings = INTERNAL_CHANGES[change]
    apply(unhooked_keras, monkeypatch)
    with pytest.warns(RuntimeWarning, match=f"Keras {keras.__version__}.*{message}") as caught:
        problems = keras_hook.install()
    assert len(caught) == 1 and problems
    if layers_resolve_strings:
        keras.layers.Dense(2, activation="prelu")
    else:
        with pytest.raises(ValueError, match="Could not interpret"):
            keras.layers.Dense(2, activation="prelu")
    # Everything but bare strings in Keras layers works.
    assert keras_activations.get("prelu").__class__ is keras_activations.PReLU
    assert keras.activations.get("gelu_tanh") is keras_activations.gelu_tanh
    assert keras.activations.deserialize("snake") is keras_activations.snake
    assert "relu" in registry.keras_builtin_names()
    with pytest.raises(ValueError, match="Keras built-in"):
        keras_activations.register("relu", cube, formula="x^3")
    model = keras.Sequential([
        keras.Input((3,)),
        keras.layers.Dense(4, activation=keras_activations.gelu_tanh),
        keras.layers.Dense(4, activation=keras_activations.get("prelu")),
        keras_activations.SReLU(),
    ])
    x = np.random.default_rng(0).standard_normal((2, 3)).astype("float32")
    model.save(tmp_path / "model.keras")
    reloaded = keras.saving.load_model(tmp_path / "model.keras")
    np.testing.assert_allclose(reloaded.predict(x, verbose=0), model.predict(x, verbose=0),
                               rtol=1e-6)


KERAS_GAINS_OUR_NAMES = textwrap.dedent("""
    import sys
    import warnings
    import keras
    import numpy as np
    from keras.src import activations as keras_module

    # As if a later Keras release defined two of our names.
    keras_module.ALL_OBJECTS_DICT["softmin"] = keras.activations.softmax
    keras_module.ALL_OBJECTS_DICT["prelu"] = keras.activations.relu
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        import keras_activations
    messages = [str(w.message) for w in caught if "defines activations named" in str(w.message)]
    assert len(messages) == 1 and "'softmin', 'prelu'" in messages[0], messages
    assert keras.activations.get("softmin") is keras.activations.softmax
    assert keras_activations.get("prelu") is keras.activations.relu
    assert "softmin" not in keras_activations.names()
    assert keras_activations.softmin.__module__.startswith("keras_activations.activations")
    assert isinstance(keras_activations.PReLU(), keras.layers.Layer)
    def cube(x):
        return x * x * x
    try:
        keras_activations.register("softmin", cube, formula="x^3")
    except ValueError as error:
        assert "Keras built-in" in str(error)
    else:
        raise AssertionError("a user registration took a Keras name")
    reloaded = keras.saving.load_model(sys.argv[1])
    np.testing.assert_allclose(reloaded.predict(np.load(sys.argv[2]), verbose=0),
                               np.load(sys.argv[3]), rtol=1e-6)
    print("ok")
""")


@pytest.mark.large  # a fresh process, with Keras names added before import
def test_a_name_keras_gains_goes_to_keras_and_saved_models_still_load(tmp_path):
    model = keras.Sequential([
        keras.Input((4,)),
        keras.layers.Dense(5, activation="prelu"),
        keras.layers.Dense(3, activation="softmin"),
    ])
    x = np.random.default_rng(0).standard_normal((6, 4)).astype("float32")
    model.save(tmp_path / "model.keras")
    np.save(tmp_path / "x.npy", x)
    np.save(tmp_path / "y.npy", model.predict(x, verbose=0))
    result = subprocess.run(
        [sys.executable, "-c", KERAS_GAINS_OUR_NAMES, str(tmp_path / "model.keras"),
         str(tmp_path / "x.npy"), str(tmp_path / "y.npy")],
        capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip().endswith("ok")


def test_name_of_gives_the_name_of_a_function_or_layer():
    assert registry.name_of(keras.activations.relu) == "relu"
    assert registry.name_of(keras_activations.snake) == "snake"
    assert registry.name_of(keras.layers.Dense(2, activation="prelu").activation) == "prelu"
    assert registry.name_of(keras_activations.Snake()) == "learnable_snake"
    assert registry.name_of(lambda x: x) is None
    assert registry.name_of(keras.layers.PReLU()) is None  # Keras' layer has no registered name
