"""Bad and extreme input: a clear error or the right answer, never a wrong one."""

import functools

import keras
import mpmath
import numpy as np
import pytest

import keras_activations
from keras_activations import layers
from keras_activations import registry
from keras_activations.layers import pau as pau_module
from tests.layers.cases import CASES


@pytest.fixture(autouse=True)
def _registrations_are_undone():
    """Names registered here would leak into the tests that save a model
    over every registered name and reload it in a fresh process."""
    names = dict(registry._REGISTRY)
    custom_objects = dict(keras.saving.get_custom_objects())
    yield
    registry._REGISTRY.clear()
    registry._REGISTRY.update(names)
    keras.saving.get_custom_objects().clear()
    keras.saving.get_custom_objects().update(custom_objects)


def _scaled_by(factor):
    def scale(x):
        return factor * x
    return scale


def _save_and_reload(model, path):
    model.save(path)
    return keras.saving.load_model(path)


def test_closures_of_one_factory_reload_as_themselves(tmp_path):
    times_two, times_ten = _scaled_by(2.0), _scaled_by(10.0)
    keras_activations.register("times_two", times_two, formula="2x")
    keras_activations.register("times_ten", times_ten, formula="10x")
    x = np.ones((1, 2), "float32")
    for name, factor in (("times_two", 2.0), ("times_ten", 10.0)):
        model = keras.Sequential([keras.Input((2,)), keras.layers.Activation(name)])
        reloaded = _save_and_reload(model, tmp_path / f"{name}.keras")
        np.testing.assert_array_equal(reloaded.predict(x, verbose=0), factor * x)


def test_a_user_function_named_like_ours_leaves_ours_intact(tmp_path):
    def snake(x):  # the package's `snake` has the same __name__
        return 0.0 * x

    keras_activations.register("my_snake", snake, formula="0")
    model = keras.Sequential([keras.Input((3,)), keras.layers.Activation("snake")])
    x = np.array([[-1.0, 0.5, 2.0]], "float32")
    reloaded = _save_and_reload(model, tmp_path / "snake.keras")
    np.testing.assert_allclose(reloaded.predict(x, verbose=0),
                               keras.ops.convert_to_numpy(keras_activations.snake(x)), rtol=1e-6)


def test_a_serialization_key_taken_by_another_object_is_refused():
    keras.saving.register_keras_serializable(package="keras_activations",
                                             name="taken_key")(_scaled_by(3.0))
    with pytest.raises(ValueError, match="already taken"):
        keras_activations.register("taken_key", _scaled_by(4.0), formula="4x")
    assert "taken_key" not in keras_activations.names()


def test_registering_the_same_object_again_is_a_no_op():
    def double(x):
        return 2.0 * x

    keras_activations.register("double_again", double, formula="2x")
    assert keras_activations.register("double_again", double, formula="2x") is double
    with pytest.raises(ValueError, match="already registered"):
        keras_activations.register("double_again", _scaled_by(2.0), formula="2x")


@pytest.mark.parametrize("name", ["class", "__lambda__", "\ufb01x", "_private", "9lives", "a-b"])
def test_names_that_do_not_round_trip_are_refused(name):
    with pytest.raises(ValueError, match="letters, digits"):
        keras_activations.register(name, _scaled_by(2.0), formula="2x")


class _Callable:
    def __call__(self, x):
        return x


@pytest.mark.parametrize("obj", [lambda x: x, functools.partial(keras_activations.snake),
                                 _Callable(), np.tanh],
                         ids=["lambda", "partial", "instance", "ufunc"])
def test_objects_that_do_not_reload_are_refused(obj):
    with pytest.raises(TypeError, match="defined with `def`"):
        keras_activations.register("not_reloadable", obj, formula="x")


def _layer(case):
    return case.cls(**case.kwargs)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.cls.__name__)
def test_every_layer_refuses_integer_tensors(case):
    with pytest.raises(TypeError, match="Cast first"):
        _layer(case)(np.array([[-2, 3, 1, 0, 5, 6, 7, 8]], "int32"))


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.cls.__name__)
def test_every_layer_takes_an_empty_batch_eagerly(case):
    layer = _layer(case)
    y = layer(np.zeros((0, 8), "float32"))
    assert tuple(y.shape) == layer.compute_output_shape((0, 8))


@pytest.mark.parametrize("cls", [layers.PReLU, layers.PELU, layers.Snake, layers.APL,
                                 layers.MetaACON, layers.ActivationMixture, layers.Maxout])
def test_a_scalar_into_a_per_channel_layer_names_the_problem(cls):
    with pytest.raises(ValueError, match="channel"):
        cls()(np.float32(1.0))


def test_learnable_snake_is_finite_where_its_value_is():
    x = np.array([[-3e38, -1e20, -1.9e19, 1e19, 2e20, 3e38]], "float32")
    y = keras.ops.convert_to_numpy(layers.Snake()(x))
    # |sin^2(x) / 1| <= 1 is below half an ULP of these x.
    np.testing.assert_array_equal(y, x)
    keras.config.set_dtype_policy("mixed_float16")
    try:
        dense = keras.layers.Dense(1, activation="learnable_snake", kernel_initializer="ones")
        x16 = np.array([[-1000.0], [-300.0], [300.0], [1000.0]], "float32")
        y16 = keras.ops.convert_to_numpy(dense(x16)).astype("float32")
    finally:
        keras.config.set_dtype_policy("float32")
    expected = x16 + np.sin(x16.astype("float64")) ** 2
    np.testing.assert_allclose(y16, expected, rtol=2**-10)


def _pau_reference(x):
    a = [mpmath.mpf(c) for c in pau_module.LEAKY_RELU_NUMERATOR]
    b = [mpmath.mpf(c) for c in pau_module.LEAKY_RELU_DENOMINATOR]
    x = mpmath.mpf(float(x))
    numerator = sum(a[j] * x**j for j in range(6))
    return float(numerator / (1 + sum(abs(b[k] * x ** (k + 1)) for k in range(4))))


def test_pau_is_finite_and_accurate_for_huge_inputs():
    x = np.array([[-3e38, -1e19, -1e8, 1e8, 1e19, 3e38]], "float32")
    y = keras.ops.convert_to_numpy(layers.PAU()(x))
    expected = [_pau_reference(value) for value in x[0]]
    np.testing.assert_allclose(y[0], expected, rtol=1e-5)


def test_pau_coefficients_of_the_wrong_length_say_what_to_give():
    layer = layers.PAU(numerator_initializer=keras_activations.initializers.Coefficients(
        [0.1, 0.2, 0.3]))
    with pytest.raises(ValueError, match="holds 3 values.*shape \\(6,\\): give 6 values"):
        layer.build((None, 4))


@pytest.mark.parametrize("function", [keras_activations.leaky_relu_plus,
                                      keras_activations.derivative("leaky_relu_plus")],
                         ids=["function", "derivative"])
@pytest.mark.parametrize("negative_slope, error, message", [
    (float("nan"), ValueError, "finite"),
    (1e39, ValueError, "overflows float32"),
    ("a", TypeError, "real number"),
    (True, TypeError, "real number"),
])
def test_negative_slope_is_validated_alike_by_function_and_derivative(
        function, negative_slope, error, message):
    with pytest.raises(error, match=message):
        function(np.zeros(3, "float32"), negative_slope=negative_slope)


def test_negative_slope_that_fits_float64_works_for_float64_inputs():
    y = keras_activations.leaky_relu_plus(np.array([-1.0]), negative_slope=1e39)
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(y), [1e39])


@pytest.mark.parametrize("function", [keras_activations.softmin,
                                      keras_activations.derivative("softmin")],
                         ids=["function", "derivative"])
@pytest.mark.parametrize("axis, error, message", [
    (1.5, TypeError, "integer"), (True, TypeError, "integer"), (2, ValueError, "out of range")])
def test_softmin_axis_is_validated(function, axis, error, message):
    with pytest.raises(error, match=message):
        function(np.zeros((2, 3), "float32"), axis=axis)


@pytest.mark.parametrize("scale_factor", [1e300, 1e-300, -1.0, 0.0])
def test_adaptive_activation_refuses_scale_factors_float32_cannot_hold(scale_factor):
    with pytest.raises(ValueError, match="scale_factor"):
        layers.AdaptiveActivation("tanh", scale_factor=scale_factor)


def test_adaptive_activation_slope_initializer_none_means_the_default():
    layer = layers.AdaptiveActivation("tanh", scale_factor=4.0, slope_initializer=None)
    layer.build((None, 3))
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(layer.slope), np.full(3, 0.25, "float32"))


@pytest.mark.parametrize("make, error", [
    (lambda: keras_activations.EvenlySpaced("0", 1.0), TypeError),
    (lambda: keras_activations.EvenlySpaced(True, 1.0), TypeError),
    (lambda: keras_activations.EvenlySpaced(0.0, float("inf")), ValueError),
    (lambda: keras_activations.Coefficients(["0.1", 0.2]), TypeError),
    (lambda: keras_activations.Coefficients([True]), TypeError),
    (lambda: keras_activations.Coefficients("0.1"), TypeError),
    (lambda: keras_activations.Coefficients([float("nan")]), ValueError),
    (lambda: keras_activations.AtLeast("0.1"), TypeError),
    (lambda: layers.RReLU(lower="0.1"), TypeError),
])
def test_initializer_and_constraint_arguments_are_validated_as_layers_do(make, error):
    with pytest.raises(error):
        make()
