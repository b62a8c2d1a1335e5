"""The accuracy harness: grids, mpmath references, condition numbers and ULP
bounds, shared by `tests/test_accuracy.py`, `tests/test_second_order.py` and
the accuracy tools.

The grid spans the whole float32 range (64 points per binade, subnormals
included), a dense grid on [-20, 20] and edge points. Bounds scale with the
condition number kappa(x) = |x g'(x) / g(x)| of the checked function g (the
value, or the derivative for derivatives): the error that rounding x itself
already causes, so a bound of c (1 + kappa) rules out catastrophic
cancellation and nothing more.

- float32, the default working precision: value within 4 (1 + kappa) ULP,
  derivative (analytic and autodiff) within 8 (1 + kappa) ULP; in eager,
  graph and XLA.
- float16 and bfloat16 compute in float32: one rounding to their ULP plus
  float32's error, expressed in their ULP.
- float64: 16 (1 + kappa) and 64 (1 + kappa) ULP.
- float32 inputs under `working_precision("float64")`: 4 and 8 ULP flat.

Where the exact value is not a normal number, TensorFlow's flush-to-zero on
CPU makes ULPs meaningless; there the bound applies in units of the smallest
normal number, and where the exact value overflows the dtype the result must
be an infinity of the right sign. NaN where the exact value is a number fails
every bound.
"""

import functools

import keras
import ml_dtypes
import numpy as np

from support import backend
from support import references
from support.references import nearest_ulp_error

ELEMENTWISE = sorted(references.ELEMENTWISE)
# (forward, derivative) error per unit of (1 + kappa), in ULP of the working dtype.
WORKING_ERROR = (4, 8)
# float64 inputs have no wider type to compute in.
FLOAT64_ERROR = (16, 64)
# Bounds of float32 inputs computed in float64 working precision.
FLOAT64_WORKING_PRECISION = (4, 8)
# float64 only where Keras computes it (see support/backend.py).
DTYPES = ("bfloat16", "float16", "float32") + (("float64",) if backend.FLOAT64 else ())
# Condition numbers past this are as good as infinite: any finite result passes.
KAPPA_CAP = 2.0**64
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
    """Exact values of `which` ("value", "slope" or "curvature") at the grid,
    and at the grid with subnormals set to 0.

    TensorFlow on CPU treats subnormal inputs as zero (denormals-are-zero),
    so at a subnormal input either value is accepted. On JAX the slope of
    `leaky_relu_plus` at 0 may also be the positive branch's (see
    support/backend.py).
    """
    fn = getattr(references.ELEMENTWISE[name], which)
    x = grid(dtype).astype(np.float64)
    subnormal = np.abs(x) < float(ml_dtypes.finfo(dtype).smallest_normal)
    exact = references.evaluate(fn, x)
    # Flushing changes only the subnormal inputs, to a zero of either sign,
    # where mpmath, which has no signed zero, has one value.
    at_zero = references.evaluate(fn, [0.0])
    flushed = tuple(np.where(subnormal, zero, part) for part, zero in zip(exact, at_zero))
    if (name == "leaky_relu_plus" and which == "slope"
            and backend.LEAKY_RELU_SLOPE_AT_ZERO_IS_POSITIVE_BRANCH):
        at_zero = subnormal | (x == 0)
        return exact, flushed, tuple(np.where(at_zero, one, part)
                                     for part, one in zip(exact, (1.0, 0.0)))
    return exact, flushed


def capped_condition(kappa):
    """kappa with 0/0 (at x = 0, where every form is exact) as 0 and
    overflowed or infinite values capped."""
    return np.minimum(np.nan_to_num(kappa, nan=0.0, posinf=KAPPA_CAP), KAPPA_CAP)


@functools.cache
def condition(name, dtype, which):
    """|x g'(x) / g(x)| at the grid for g = the value or the slope."""
    x = grid(dtype).astype(np.float64)
    at = reference(name, dtype, which)[0][0]
    slope = reference(name, dtype, {"value": "slope", "slope": "curvature"}[which])[0][0]
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return capped_condition(np.abs(x * slope / at))


def condition_bound(dtype, which, kappa):
    """ULP bound for `which` ("value" or "slope") of inputs of `dtype`, at
    condition numbers `kappa`."""
    index = 0 if which == "value" else 1
    scaled = 1 + kappa
    if dtype == "float64":
        return FLOAT64_ERROR[index] * scaled
    if dtype == "float32":
        return WORKING_ERROR[index] * scaled
    # One rounding (two for a derivative) plus float32's error in this dtype's ULP.
    ratio = 2.0 ** (ml_dtypes.finfo(dtype).nmant - ml_dtypes.finfo("float32").nmant)
    return (1 + index) + WORKING_ERROR[index] * scaled * ratio


def bound(name, dtype, which):
    """ULP bound per grid point for `which` of `name` at the grid of `dtype`."""
    return condition_bound(dtype, which, condition(name, dtype, which))


# The names whose slope is given through keras_activations.derivatives
# rather than autodiffed from their value.
CUSTOM_SLOPE = ("bent_identity", "binary_step", "binary_step_ste", "gelu_tanh", "lisht", "snake", "tanh_exp")
# On TensorFlow, whose ForwardAccumulator ignores custom gradients, forward
# mode of those names is autodiff of their value's ops: `tanh` and `sigmoid`
# differentiate as 1 - t^2 and s (1 - s) (measured up to 8.7 times the
# slope's bound, tanh_exp's), and snake's 1 + sin 2x rounds at the scale of 1.
TENSORFLOW_FORWARD_MODE = (10, 2)  # (times the slope bound, plus ULP of 1)


def forward_mode_reference(name, dtype, mode="eager"):
    """The exact slope forward mode computes. TensorFlow's ForwardAccumulator
    uses a custom gradient only eagerly and where the value's ops carry no
    tangent, as the step's `ceil` does: in `tf.function` and XLA,
    binary_step_ste's forward mode is the step's own derivative, 0, not the
    straight-through surrogate."""
    if (name == "binary_step_ste" and mode != "eager"
            and not backend.FORWARD_MODE_USES_CUSTOM_DERIVATIVES):
        return reference("binary_step", dtype, "slope")
    return reference(name, dtype, "slope")


def forward_mode_bound(name, dtype, slope_bound):
    """`slope_bound` for a forward-mode derivative (see
    `TENSORFLOW_FORWARD_MODE`)."""
    if name not in CUSTOM_SLOPE or backend.FORWARD_MODE_USES_CUSTOM_DERIVATIVES:
        return slope_bound
    exact = reference(name, dtype, "slope")[0][0]
    working = "float64" if dtype == "float64" else "float32"
    factor, ulps_of_one = TENSORFLOW_FORWARD_MODE
    return (factor * slope_bound
            + ulps_of_one * references.ulp(1.0, working) / references.ulp(exact, dtype))


def assert_within(y, refs, dtype, bound, what, x=None):
    """Every element of y within `bound` ULP (a scalar or per element) of one
    of the references."""
    x = grid(dtype) if x is None else x
    y = np.reshape(keras.ops.convert_to_numpy(y).astype(np.float64), -1)
    error = nearest_ulp_error(y, refs, dtype)
    bound = np.broadcast_to(bound, error.shape)
    worst = int(np.argmax(error / bound))
    assert error[worst] <= bound[worst], (
        f"{what}: {error[worst]:.3g} ULP > {bound[worst]:.3g} at x={x[worst]!r} "
        f"(got {y[worst]!r}, exact {refs[0][0][worst]!r})"
    )


def grid_tensor(dtype):
    return backend.tensor(grid(dtype), dtype)


def autodiff(fn, x):
    """The gradient of sum(fn(x)) with respect to x: fn's derivative for an
    elementwise fn."""
    return backend.grad(lambda x: keras.ops.sum(fn(x)))(x)[0]


def in_mode(fn, mode):
    """`fn` run eagerly or compiled as `mode` (one of `backend.modes()`)."""
    return backend.in_mode(fn, mode)


@functools.cache
def softmin_case(dtype):
    """Rows of 8 grid points, shuffled to mix magnitudes, with references and
    the condition numbers of the value and of the Jacobian diagonal."""
    x = np.random.default_rng(1).permutation(grid(dtype))
    x = x[: len(x) // 8 * 8].reshape(-1, 8)
    values, slopes = references.softmin_rows(x.astype(np.float64).tolist())
    flatten = lambda rows: references.as_double_double(sum(rows, []))
    values, slopes = flatten(values), flatten(slopes)
    # For relative perturbations of the inputs: sum_j |x_j d log s_i / d x_j|
    # = |x_i| (1 - s_i) + sum_{j != i} |x_j| s_j; the diagonal s_i (1 - s_i)
    # adds the factor |2 s_i - 1| / (1 - s_i).
    magnitude = np.abs(x.astype(np.float64))
    s = values[0].reshape(x.shape)
    rest = -slopes[0].reshape(x.shape) / np.where(s > 0, s, 1.0)  # 1 - s_i
    others = (magnitude * s) @ (1 - np.eye(x.shape[-1]))  # sum over j != i
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        kappa = magnitude * rest + others
        kappa_slope = kappa * np.abs(s - rest) / rest
    return (x, values, slopes, capped_condition(np.reshape(kappa, -1)),
            capped_condition(np.reshape(kappa_slope, -1)))
