import keras
import numpy as np
import pytest

import keras_activations
from keras_activations import PReLU
from keras_activations import replace_activations

IMAGES = np.random.default_rng(0).random((16, 8, 8, 3)).astype("float32")
LABELS = np.random.default_rng(1).integers(0, 3, 16)


def backbone():
    """A keras.applications-style backbone: relu as an argument, a ReLU layer
    and an Activation layer, with BatchNormalization between."""
    images = keras.Input((8, 8, 3), name="image")
    x = keras.layers.Conv2D(4, 3, activation="relu", name="conv1")(images)
    x = keras.layers.BatchNormalization(name="bn")(x)
    x = keras.layers.ReLU(name="relu1")(x)
    x = keras.layers.Conv2D(4, 3, name="conv2")(x)
    x = keras.layers.Activation("relu", name="relu2")(x)
    x = keras.layers.GlobalAveragePooling2D(name="pool")(x)
    return keras.Model(images, x, name="backbone")


@pytest.fixture(scope="module")
def trained_classifier():
    """A functional model around the backbone, trained one epoch (BatchNorm
    statistics and all weights away from their initial values). Shared: the
    tests copy it and check that it stays as it was."""
    keras.utils.set_random_seed(0)
    pixels = keras.Input((8, 8, 3), name="pixels")
    x = backbone()(pixels)
    x = keras.layers.Dense(6, activation="relu", name="hidden")(x)
    x = keras.layers.ReLU(max_value=6.0, name="relu6")(x)
    probabilities = keras.layers.Dense(3, activation="softmax", name="probabilities")(x)
    model = keras.Model(pixels, probabilities, name="classifier")
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    model.fit(IMAGES, LABELS, epochs=1, verbose=0)
    return model


def relu_places(model):
    return [layer.name for layer in _all_layers(model)
            if getattr(layer, "activation", None) is keras.activations.relu
            or type(layer) is keras.layers.ReLU and layer.max_value is None]


def _all_layers(model):
    for layer in model.layers:
        yield layer
        if isinstance(layer, keras.Model):
            yield from _all_layers(layer)


def test_relu_to_zero_slope_prelu_keeps_every_prediction_and_name(trained_classifier):
    model = trained_classifier
    expected = model.predict(IMAGES, verbose=0)

    swapped = replace_activations(model, {"relu": PReLU(alpha_initializer="zeros")})

    # PReLU with slope 0 is relu: equal outputs mean every other weight,
    # BatchNorm statistics included, was copied.
    np.testing.assert_array_equal(swapped.predict(IMAGES, verbose=0), expected)
    assert [layer.name for layer in _all_layers(swapped)] == [
        layer.name for layer in _all_layers(model)]
    assert swapped.inputs[0].name == model.inputs[0].name == "pixels"
    assert swapped.output_names == model.output_names
    nested = swapped.get_layer("backbone")
    assert type(nested.get_layer("conv1").activation) is PReLU
    assert type(nested.get_layer("relu1")) is keras.layers.Activation
    assert type(nested.get_layer("relu1").activation) is PReLU
    assert type(nested.get_layer("relu2").activation) is PReLU
    assert type(swapped.get_layer("hidden").activation) is PReLU
    assert type(swapped.get_layer("relu6")) is keras.layers.ReLU  # relu6 is not relu
    assert relu_places(swapped) == []


def test_each_place_gets_its_own_fresh_activation_weights(trained_classifier):
    swapped = replace_activations(trained_classifier, {"relu": "prelu"})
    swapped(IMAGES)  # new activations get their weights on the first call
    nested = swapped.get_layer("backbone")
    activations = [nested.get_layer("conv1").activation, nested.get_layer("relu1").activation,
                   nested.get_layer("relu2").activation, swapped.get_layer("hidden").activation]
    alphas = [activation.alpha for activation in activations]
    assert len({id(alpha) for alpha in alphas}) == len(alphas)
    for alpha in alphas:
        np.testing.assert_array_equal(keras.ops.convert_to_numpy(alpha), 0.25)


def test_the_copy_trains_reloads_and_leaves_the_original_untouched(trained_classifier, tmp_path):
    model = trained_classifier
    weights = [weight.numpy() for weight in model.weights]
    expected = model.predict(IMAGES, verbose=0)

    swapped = replace_activations(model, {"relu": "prelu"})
    assert swapped.compiled
    assert swapped.get_compile_config()["loss"] == "sparse_categorical_crossentropy"
    swapped.fit(IMAGES, LABELS, epochs=1, verbose=0)
    swapped.save(tmp_path / "swapped.keras")
    reloaded = keras.saving.load_model(tmp_path / "swapped.keras")

    np.testing.assert_allclose(reloaded.predict(IMAGES, verbose=0),
                               swapped.predict(IMAGES, verbose=0), rtol=1e-6, atol=1e-7)
    assert type(reloaded.get_layer("hidden").activation) is PReLU
    assert relu_places(model) == ["conv1", "relu1", "relu2", "hidden"]
    for weight, value in zip(model.weights, weights, strict=True):
        np.testing.assert_array_equal(weight.numpy(), value)
    np.testing.assert_array_equal(model.predict(IMAGES, verbose=0), expected)


def test_stateful_activations_are_replaced_and_unmatched_ones_keep_their_weights():
    keras.utils.set_random_seed(0)
    model = keras.Sequential([
        keras.Input((4,)),
        keras.layers.Dense(5, activation="prelu", name="prelu_argument"),
        keras.layers.Dense(5, activation="learnable_snake", name="snake_argument"),
        PReLU(name="prelu_layer"),
        keras.layers.Dense(2, name="logits"),
    ], name="mlp")
    inputs = np.random.default_rng(2).normal(size=(8, 4)).astype("float32")
    model(inputs)  # builds the activations
    for layer in (model.get_layer("prelu_argument").activation, model.get_layer("prelu_layer"),
                  model.get_layer("snake_argument").activation):
        for weight in layer.weights:
            weight.assign(weight + 0.5)  # away from the initial values

    swapped = replace_activations(model, {"prelu": "relu"})

    assert swapped.get_layer("prelu_argument").activation is keras.activations.relu
    assert type(swapped.get_layer("prelu_layer")) is keras.layers.Activation
    kept, original = swapped.get_layer("snake_argument"), model.get_layer("snake_argument")
    for copy, weight in zip(kept.weights, original.weights, strict=True):
        np.testing.assert_array_equal(copy.numpy(), weight.numpy())
        assert copy is not weight
    relu_everywhere = keras.Sequential([
        keras.Input((4,)),
        keras.layers.Dense(5, activation="relu"),
        keras.layers.Dense(5, activation=original.activation),
        keras.layers.ReLU(),
        keras.layers.Dense(2),
    ])
    for target, source in zip(
            [relu_everywhere.layers[0], relu_everywhere.layers[3]],
            [model.get_layer("prelu_argument"), model.get_layer("logits")]):
        target.set_weights(source.get_weights()[:2])
    relu_everywhere.layers[1].kernel.assign(original.kernel)
    relu_everywhere.layers[1].bias.assign(original.bias)
    np.testing.assert_allclose(swapped.predict(inputs, verbose=0),
                               relu_everywhere.predict(inputs, verbose=0), rtol=1e-6)


def test_a_function_replacement_and_a_linear_match():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(4, name="hidden"),
                              keras.layers.Dense(1, activation="sigmoid", name="output")])
    swapped = replace_activations(model, {"linear": keras_activations.snake})
    assert swapped.get_layer("hidden").activation is keras_activations.snake
    assert swapped.get_layer("output").activation is keras.activations.sigmoid


def test_a_layer_shared_in_two_places_stays_shared():
    inputs = keras.Input((3,))
    shared = keras.layers.Dense(3, activation="relu", name="shared")
    model = keras.Model(inputs, shared(shared(inputs)))
    swapped = replace_activations(model, {"relu": "prelu"})
    swapped(np.zeros((2, 3), "float32"))
    assert len(swapped.layers) == 2
    assert len(swapped.get_layer("shared").activation.weights) == 1


class Subclassed(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.hidden = keras.layers.Dense(4, activation="relu", name="hidden")

    def call(self, inputs):
        return self.hidden(inputs)


def test_a_subclassed_model_is_refused_with_a_reason():
    model = Subclassed()
    model(np.zeros((1, 3), "float32"))
    with pytest.raises(ValueError, match="subclassed model"):
        replace_activations(model, {"relu": "prelu"})


def test_a_match_hidden_in_a_nested_subclassed_model_is_refused():
    inputs = keras.Input((3,))
    model = keras.Model(inputs, keras.layers.Dense(2)(Subclassed(name="block")(inputs)))
    with pytest.raises(ValueError, match="'hidden' inside 'block'"):
        replace_activations(model, {"relu": "prelu"})
    with pytest.warns(UserWarning, match="nothing in .* matches 'tanh'"):
        assert replace_activations(model, {"tanh": "prelu"}).get_layer("block") is not None


def _prelu_places(model):
    return sum(isinstance(getattr(layer, "activation", None), PReLU)
               for layer in _all_layers(model))


def test_a_key_matches_every_alias_keras_resolves_it_to():
    model = keras.Sequential([
        keras.Input((3,)),
        keras.layers.Dense(4, activation="swish", name="by_swish"),
        keras.layers.Dense(4, activation="silu", name="by_silu"),
        keras.layers.Activation("silu", name="standalone"),
    ])
    swapped = replace_activations(model, {"swish": "prelu"})
    assert _prelu_places(swapped) == 3


def test_relu6_reaches_keras_relu_layers_with_max_value_6(trained_classifier):
    swapped = replace_activations(trained_classifier, {"relu6": "prelu"})
    assert isinstance(swapped.get_layer("relu6").activation, PReLU)
    assert relu_places(swapped) == relu_places(trained_classifier)


def test_a_key_matching_nothing_warns_naming_what_the_model_has(trained_classifier):
    with pytest.warns(UserWarning, match="matches 'tanh'; its activations are "
                      "'linear', 'relu', 'relu6', 'softmax'"):
        swapped = replace_activations(trained_classifier, {"tanh": "prelu"})
    assert _prelu_places(swapped) == 0


@pytest.mark.large  # builds and clones three keras.applications models
@pytest.mark.parametrize("application, replacements, places", [
    ("MobileNetV2", {"relu6": "prelu"}, 35),
    ("EfficientNetB0", {"swish": "prelu"}, 49),
    ("ResNet50", {"relu": "prelu"}, 49),
])
def test_keras_applications_swap_every_place(application, replacements, places):
    model = getattr(keras.applications, application)(weights=None, input_shape=(64, 64, 3))
    swapped = replace_activations(model, replacements)
    assert _prelu_places(swapped) == places


@pytest.mark.parametrize("model, replacements, error, message", [
    ("not a model", {"relu": "prelu"}, TypeError, "must be a Keras model"),
    (None, [("relu", "prelu")], TypeError, "must be a dict"),
    (None, {None: "prelu"}, TypeError, "keyed by activation names"),
    (None, {"rleu": "prelu"}, ValueError, "Did you mean 'relu'"),
    (None, {"relu": "prelu_"}, ValueError, "Did you mean 'prelu'"),
    (None, {"relu": 0.25}, TypeError, "must be an activation name, a function or a layer"),
])
def test_bad_arguments_raise_clear_errors(model, replacements, error, message):
    if model is None:
        model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, activation="relu")])
    with pytest.raises(error, match=message):
        replace_activations(model, replacements)
