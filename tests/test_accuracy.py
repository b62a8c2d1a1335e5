"""Accuracy of every stateless activation against mpmath, in ULP, in every
execution mode of the backend (eager, graph and XLA on TensorFlow; eager
and jit on JAX). The grids, references and bounds (4 (1 + kappa) ULP for
float32 values, 8 (1 + kappa) for derivatives, ...) are the harness in
`support/accuracy.py`."""

import keras
import numpy as np
import pytest

import keras_activations
from support import backend
from support.accuracy import DTYPES
from support.accuracy import ELEMENTWISE
from support.accuracy import FLOAT64_WORKING_PRECISION
from support.accuracy import assert_within
from support.accuracy import autodiff
from support.accuracy import bound
from support.accuracy import condition_bound
from support.accuracy import forward_mode_bound
from support.accuracy import forward_mode_reference
from support.accuracy import grid_tensor
from support.accuracy import in_mode
from support.accuracy import reference
from support.accuracy import softmin_case
from support.references import ulp


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", ELEMENTWISE)
def test_forward_within_ulp_bound(name, dtype):
    y = keras_activations.get(name)(grid_tensor(dtype))
    assert keras.backend.standardize_dtype(y.dtype) == dtype
    assert_within(y, reference(name, dtype, "value"), dtype, bound(name, dtype, "value"), name)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", ELEMENTWISE)
def test_derivative_within_ulp_bound(name, dtype):
    slope = reference(name, dtype, "slope")
    slope_bound = bound(name, dtype, "slope")
    analytic = keras_activations.derivative(name)(grid_tensor(dtype))
    assert_within(analytic, slope, dtype, slope_bound, f"derivative({name})")
    gradient = autodiff(keras_activations.get(name), grid_tensor(dtype))
    assert keras.backend.standardize_dtype(gradient.dtype) == dtype
    assert_within(gradient, slope, dtype, slope_bound, f"gradient of {name}")
    tangent = backend.forward_derivative(keras_activations.get(name))(grid_tensor(dtype))
    assert keras.backend.standardize_dtype(tangent.dtype) == dtype
    assert_within(tangent, forward_mode_reference(name, dtype), dtype,
                  forward_mode_bound(name, dtype, slope_bound),
                  f"forward-mode derivative of {name}")


@pytest.mark.parametrize("mode", backend.modes()[1:])
@pytest.mark.parametrize("name", ELEMENTWISE)
def test_float32_value_and_gradient_within_ulp_bound_compiled(name, mode):
    fn = keras_activations.get(name)
    y = in_mode(fn, mode)(grid_tensor("float32"))
    assert_within(y, reference(name, "float32", "value"), "float32",
                  bound(name, "float32", "value"), f"{name} ({mode})")
    gradient = in_mode(lambda x: autodiff(fn, x), mode)(grid_tensor("float32"))
    assert_within(gradient, reference(name, "float32", "slope"), "float32",
                  bound(name, "float32", "slope"), f"gradient of {name} ({mode})")
    tangent = in_mode(backend.forward_derivative(fn), mode)(grid_tensor("float32"))
    assert_within(tangent, forward_mode_reference(name, "float32", mode), "float32",
                  forward_mode_bound(name, "float32", bound(name, "float32", "slope")),
                  f"forward mode of {name} ({mode})")


@pytest.mark.tensorflow_only
@pytest.mark.parametrize("mode", ["eager", "xla"])
@pytest.mark.parametrize("name", ELEMENTWISE)
def test_float64_working_precision_keeps_float32_within_4_and_8_ulp(name, mode):
    fn = keras_activations.get(name)
    forward, derivative = FLOAT64_WORKING_PRECISION
    with keras_activations.working_precision("float64"):
        y = in_mode(fn, mode)(grid_tensor("float32"))
        gradient = in_mode(lambda x: autodiff(fn, x), mode)(grid_tensor("float32"))
        tangent = in_mode(backend.forward_derivative(fn), mode)(grid_tensor("float32"))
    assert_within(y, reference(name, "float32", "value"), "float32", forward, name)
    assert_within(gradient, reference(name, "float32", "slope"), "float32", derivative,
                  f"gradient of {name}")
    assert_within(tangent, forward_mode_reference(name, "float32", mode), "float32",
                  forward_mode_bound(name, "float32", derivative), f"forward mode of {name}")


@pytest.mark.parametrize("name", ELEMENTWISE + ["softmin"])
def test_nan_in_nan_out(name):
    x = backend.tensor([[np.nan, 1.0, -1.0, 0.5]], "float32")
    y = keras.ops.convert_to_numpy(keras_activations.get(name)(x))
    assert np.isnan(y[0, 0])
    if name != "softmin":  # softmin spreads the NaN over its row
        assert np.all(np.isfinite(y[0, 1:]))


def test_every_stateless_name_has_a_reference():
    stateless = [
        n for n in keras_activations.names()
        if not keras_activations.describe(n)["stateful"]
    ]
    assert sorted(stateless) == sorted(ELEMENTWISE + ["softmin"])


@pytest.mark.parametrize("dtype, mode", [(dtype, "eager") for dtype in DTYPES]
                         + [("float32", mode) for mode in backend.modes()[1:]])
def test_softmin_within_ulp_bound(dtype, mode):
    x, values, slopes, kappa, kappa_slope = softmin_case(dtype)
    forward_bound = condition_bound(dtype, "value", kappa)
    if dtype == "float32":
        forward_bound = forward_bound * backend.SOFTMIN_VALUE_ULP / 4
    slope_bound = condition_bound(dtype, "slope", kappa_slope)
    inputs = backend.tensor(x, dtype)
    flat_x = np.reshape(x, -1)
    y = in_mode(keras_activations.softmin, mode)(inputs)
    assert_within(y, [values], dtype, forward_bound, "softmin", flat_x)
    diagonal = in_mode(keras_activations.derivative("softmin"), mode)(inputs)
    assert_within(
        diagonal, [slopes], dtype, slope_bound, "derivative(softmin)", flat_x
    )


@pytest.mark.tensorflow_only
def test_softmin_in_float64_working_precision_within_4_and_8_ulp():
    x, values, slopes, _, _ = softmin_case("float32")
    inputs = backend.tensor(x, "float32")
    flat_x = np.reshape(x, -1)
    with keras_activations.working_precision("float64"):
        y = keras_activations.softmin(inputs)
        diagonal = keras_activations.derivative("softmin")(inputs)
    assert_within(y, [values], "float32", FLOAT64_WORKING_PRECISION[0], "softmin", flat_x)
    assert_within(diagonal, [slopes], "float32", FLOAT64_WORKING_PRECISION[1],
                  "derivative(softmin)", flat_x)


def test_softmin_gradient_is_the_vector_jacobian_product():
    x, values, _, kappa, _ = softmin_case("float32")
    weights = np.random.default_rng(2).standard_normal(x.shape)
    s = values[0].reshape(x.shape)
    expected = -s * (weights - np.sum(weights * s, axis=-1, keepdims=True))
    gradient = keras.ops.convert_to_numpy(autodiff(
        lambda t: keras_activations.softmin(t) * backend.tensor(weights, "float32"),
        backend.tensor(x, "float32"),
    ))
    # Standard bound for a dot product, relative to the magnitudes summed,
    # times the condition of the worst-conditioned softmin value it uses.
    scale = s * (np.abs(weights) + np.sum(np.abs(weights * s), -1, keepdims=True))
    row_kappa = np.max(kappa.reshape(x.shape), axis=-1, keepdims=True)
    assert np.all(np.abs(gradient - expected) <= 8 * (1 + row_kappa) * ulp(scale, "float32"))


@pytest.mark.tensorflow_only
def test_softmin_gradient_matches_finite_differences_in_float64():
    import tensorflow as tf

    x = tf.constant(np.random.default_rng(3).standard_normal((3, 5)))
    theoretical, numerical = tf.test.compute_gradient(
        keras_activations.softmin, [x]
    )
    np.testing.assert_allclose(theoretical[0], numerical[0], atol=1e-8)
