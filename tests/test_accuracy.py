"""Accuracy of every stateless activation against mpmath, in ULP.

float32: forward within 4 ULP and derivative (analytic and autodiff) within 8
ULP of the exact value, over a grid that spans the whole float32 range
(64 points per binade, subnormals included), a dense grid on [-20, 20] and
edge points. Where the exact value is not a normal number, TensorFlow's
flush-to-zero on CPU makes ULPs meaningless; there the bound applies in units
of the smallest normal number, and where the exact value overflows the dtype
the result must be an infinity of the right sign. float16, bfloat16 and
float64 inputs are held to the bounds in TOLERANCES for their own type;
for float64, where no wider type exists to compute in, the bound is scaled by
the condition number max(1, |x f'(x) / f(x)|) of the checked function (the
error that representing x itself already causes).
"""

import functools

import keras
import ml_dtypes
import numpy as np
import pytest
import tensorflow as tf

import keras_activations
from tests import references
from tests.references import nearest_ulp_error
from tests.references import ulp

ELEMENTWISE = sorted(references.ELEMENTWISE)
# (forward, derivative) bounds in ULP of the result dtype.
TOLERANCES = {
    "float32": (4, 8),
    "float16": (1, 2),
    "bfloat16": (1, 2),
    "float64": (16, 64),
}
EDGES = [
    0.0,
    1e-45,
    np.finfo(np.float32).tiny,
    1e-30,
    1.0,
    88.0,
    1e4,
    float(np.finfo(np.float32).max),
    -0.7853981852531433,  # float32 nearest -pi/4, a zero of snake's slope
]


def _log_uniform(dtype, stride):
    """Every `stride`-th positive finite value of `dtype`, both signs."""
    info = ml_dtypes.finfo(dtype)
    uint = np.dtype(f"uint{info.bits}")
    top = np.array(info.max, dtype=dtype).view(uint)
    positives = np.arange(0, int(top) + 1, stride, dtype=uint).view(dtype)
    return np.concatenate([positives, -positives]).astype(np.float64)


@functools.cache
def grid(dtype):
    dense = np.arange(-20.0, 20.0, 2.0**-7)
    edges = np.array(EDGES + [-e for e in EDGES])
    strides = {"float32": 2**17, "float16": 8, "bfloat16": 8}
    if dtype == "float64":
        rng = np.random.default_rng(0)
        extra = rng.standard_normal(2000) * 10.0 ** rng.uniform(-6, 6, 2000)
        points = [_log_uniform("float32", 2**20), dense, edges, extra]
    else:
        points = [_log_uniform(dtype, strides[dtype]), dense, edges]
    with np.errstate(over="ignore"):  # edges beyond the dtype become inf
        x = np.concatenate(points).astype(ml_dtypes.finfo(dtype).dtype)
    return np.unique(x[np.isfinite(x)])


@functools.cache
def reference(name, dtype, which):
    """Exact values at the grid, and at the grid with subnormals set to 0.

    TensorFlow on CPU treats subnormal inputs as zero (denormals-are-zero),
    so at a subnormal input either value is accepted.
    """
    value, slope = references.ELEMENTWISE[name]
    fn = value if which == "value" else slope
    x = grid(dtype).astype(np.float64)
    tiny = float(ml_dtypes.finfo(dtype).smallest_normal)
    flushed = np.where(np.abs(x) < tiny, 0.0 * x, x)
    return references.evaluate(fn, x), references.evaluate(fn, flushed)


@functools.cache
def condition(name, dtype, which):
    """max(1, |x g'(x) / g(x)|) of g = the value or slope, for float64 only."""
    x = grid(dtype).astype(np.float64)
    if dtype != "float64":
        return np.ones_like(x)
    value, slope = references.ELEMENTWISE[name]
    fn = value if which == "value" else slope
    step = 2.0**-40
    up, _ = references.evaluate(fn, x * (1 + step))
    down, _ = references.evaluate(fn, x * (1 - step))
    at, _ = reference(name, dtype, which)[0]
    with np.errstate(divide="ignore", invalid="ignore"):
        kappa = np.abs((up - down) / (2 * step * at))
    return np.maximum(1.0, np.nan_to_num(kappa, nan=1.0, posinf=1.0))


def assert_within(y, refs, dtype, bound, what, x=None):
    """Every element of y within `bound` ULP (a scalar or per element) of one
    of the references."""
    x = grid(dtype) if x is None else x
    y = np.reshape(np.asarray(y, dtype=np.float64), -1)
    error = nearest_ulp_error(y, refs, dtype)
    bound = np.broadcast_to(bound, error.shape)
    worst = int(np.argmax(error / bound))
    assert error[worst] <= bound[worst], (
        f"{what}: {error[worst]:.3g} ULP > {bound[worst]:.3g} at x={x[worst]!r} "
        f"(got {y[worst]!r}, exact {refs[0][0][worst]!r})"
    )


def _input(dtype):
    return tf.constant(grid(dtype), dtype=dtype)


def _autodiff(fn, x):
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = fn(x)
    return tape.gradient(y, x)


@pytest.mark.parametrize("dtype", sorted(TOLERANCES))
@pytest.mark.parametrize("name", ELEMENTWISE)
def test_forward_within_ulp_bound(name, dtype):
    y = keras_activations.get(name)(_input(dtype))
    assert keras.backend.standardize_dtype(y.dtype) == dtype
    bound = TOLERANCES[dtype][0] * condition(name, dtype, "value")
    assert_within(y, reference(name, dtype, "value"), dtype, bound, name)


@pytest.mark.parametrize("dtype", sorted(TOLERANCES))
@pytest.mark.parametrize("name", ELEMENTWISE)
def test_derivative_within_ulp_bound(name, dtype):
    slope = reference(name, dtype, "slope")
    bound = TOLERANCES[dtype][1] * condition(name, dtype, "slope")
    analytic = keras_activations.derivative(name)(_input(dtype))
    assert_within(analytic, slope, dtype, bound, f"derivative({name})")
    gradient = _autodiff(keras_activations.get(name), _input(dtype))
    assert keras.backend.standardize_dtype(gradient.dtype) == dtype
    assert_within(gradient, slope, dtype, bound, f"gradient of {name}")


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_forward_under_xla_within_ulp_bound(name):
    fn = tf.function(keras_activations.get(name), jit_compile=True)
    y = fn(_input("float32"))
    assert_within(y, reference(name, "float32", "value"), "float32", 4, name)


@pytest.mark.parametrize("name", ELEMENTWISE + ["softmin"])
def test_nan_in_nan_out(name):
    x = tf.constant([[np.nan, 1.0, -1.0, 0.5]], dtype="float32")
    y = keras_activations.get(name)(x).numpy()
    assert np.isnan(y[0, 0])
    if name != "softmin":  # softmin spreads the NaN over its row
        assert np.all(np.isfinite(y[0, 1:]))


def test_every_stateless_name_has_a_reference():
    stateless = [
        n for n in keras_activations.names()
        if not keras_activations.describe(n)["stateful"]
    ]
    assert sorted(stateless) == sorted(ELEMENTWISE + ["softmin"])


@functools.cache
def softmin_case(dtype):
    """Rows of 8 grid points, shuffled to mix magnitudes, with references."""
    x = np.random.default_rng(1).permutation(grid(dtype))
    x = x[: len(x) // 8 * 8].reshape(-1, 8)
    values, slopes = references.softmin_rows(x.astype(np.float64).tolist())
    flatten = lambda rows: references.as_double_double(sum(rows, []))
    return x, flatten(values), flatten(slopes)


@pytest.mark.parametrize("dtype", sorted(TOLERANCES))
def test_softmin_within_ulp_bound(dtype):
    x, values, slopes = softmin_case(dtype)
    forward_bound, slope_bound = TOLERANCES[dtype]
    if dtype == "float64":  # condition number of exp(-x_i) / sum_j exp(-x_j)
        spread = np.ptp(x.astype(np.float64), axis=-1, keepdims=True)
        kappa = np.reshape(np.broadcast_to(1 + 2 * spread, x.shape), -1)
        forward_bound, slope_bound = forward_bound * kappa, slope_bound * kappa
    inputs = tf.constant(x, dtype=dtype)
    flat_x = np.reshape(x, -1)
    y = keras_activations.softmin(inputs)
    assert_within(y, [values], dtype, forward_bound, "softmin", flat_x)
    diagonal = keras_activations.derivative("softmin")(inputs)
    assert_within(
        diagonal, [slopes], dtype, slope_bound, "derivative(softmin)", flat_x
    )


def test_softmin_gradient_is_the_vector_jacobian_product():
    x, values, _ = softmin_case("float32")
    weights = np.random.default_rng(2).standard_normal(x.shape)
    s = values[0].reshape(x.shape)
    expected = -s * (weights - np.sum(weights * s, axis=-1, keepdims=True))
    gradient = _autodiff(
        lambda t: keras_activations.softmin(t) * weights.astype("float32"),
        tf.constant(x, dtype="float32"),
    ).numpy()
    # Standard bound for a dot product: relative to the magnitudes summed.
    scale = s * (np.abs(weights) + np.sum(np.abs(weights * s), -1, keepdims=True))
    assert np.all(np.abs(gradient - expected) <= 8 * ulp(scale, "float32"))


def test_softmin_gradient_matches_finite_differences_in_float64():
    x = tf.constant(np.random.default_rng(3).standard_normal((3, 5)))
    theoretical, numerical = tf.test.compute_gradient(
        keras_activations.softmin, [x]
    )
    np.testing.assert_allclose(theoretical[0], numerical[0], atol=1e-8)
