import keras
import numpy as np
import pytest

import keras_activations
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
    assert not set(names) & set(keras_activations.keras_builtin_names())


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

    table = keras_activations_module.ALL_OBJECTS_DICT
    keras_activations.install_keras_hook()
    assert keras_activations_module.ALL_OBJECTS_DICT is table
    assert set(dict(table)) == set(keras_activations.keras_builtin_names())


def test_hook_fails_clearly_when_keras_internals_change(monkeypatch):
    from keras.src import activations as keras_activations_module

    monkeypatch.setattr(keras_activations_module, "get", lambda identifier: None)
    with pytest.raises(RuntimeError, match=f"Keras {keras.__version__}"):
        keras_activations.install_keras_hook()
    monkeypatch.delattr(keras_activations_module, "ALL_OBJECTS_DICT")
    with pytest.raises(RuntimeError, match="ALL_OBJECTS_DICT"):
        registry.keras_builtin_names()
