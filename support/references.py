"""High-precision references for the stateless activations (mpmath).

Each function has its value, first and second derivative, written out
analytically. Where a textbook formula cancels (1 + tanh z for negative z,
sqrt(x^2+1) - 1 near 0) an exactly equal form is used instead, so that the
reference is correct to far below float64 resolution at `PRECISION` bits.
"""

import collections

import ml_dtypes
import mpmath
import keras
import numpy as np

PRECISION = 256
ALPHA = mpmath.mpf("0.01")
GELU_SCALE = mpmath.sqrt(2 / mpmath.pi)
GELU_CUBIC = mpmath.mpf("0.044715")


def _sigmoid(z):
    return 1 / (1 + mpmath.exp(-z))


def _gelu_z(x):
    return GELU_SCALE * (x + GELU_CUBIC * x**3)


def _gelu_value(x):
    return x * _sigmoid(2 * _gelu_z(x))


def _gelu_slope(x):
    z = _gelu_z(x)
    dz = GELU_SCALE * (1 + 3 * GELU_CUBIC * x**2)
    return _sigmoid(2 * z) + x * dz * 2 * _sigmoid(2 * z) * _sigmoid(-2 * z)


def _gelu_curvature(x):
    # f = x s(g), g = 2z: f'' = (2 g' + x g'') s' + x g'^2 s'', with
    # s' = s (1 - s) and s'' = s' (1 - 2 s).
    g = 2 * _gelu_z(x)
    dg = 2 * GELU_SCALE * (1 + 3 * GELU_CUBIC * x**2)
    ddg = 12 * GELU_SCALE * GELU_CUBIC * x
    ds = _sigmoid(g) * _sigmoid(-g)
    return (2 * dg + x * ddg) * ds + x * dg**2 * ds * (_sigmoid(-g) - _sigmoid(g))


def _tanh_exp_parts(x):
    """tanh(e^x) and x e^x sech^2(e^x); past x = 20 they are 1 and 0 to far
    beyond PRECISION bits, and mpmath would build e^(e^x) with giant exponents."""
    if x > 20:
        return mpmath.mpf(1), mpmath.mpf(0)
    u = mpmath.exp(x)
    return mpmath.tanh(u), x * u * mpmath.sech(u) ** 2


def _tanh_exp_curvature(x):
    # u sech^2(u) (2 + x - 2 x u tanh(u)) with u = e^x.
    if x > 20:
        return mpmath.mpf(0)
    u = mpmath.exp(x)
    return u * mpmath.sech(u) ** 2 * (2 + x - 2 * x * u * mpmath.tanh(u))


def _bent_value(x):
    return x**2 / (2 * (mpmath.sqrt(x**2 + 1) + 1)) + x


Reference = collections.namedtuple("Reference", "value slope curvature")
_zero = lambda x: mpmath.mpf(0)

ELEMENTWISE = {
    "leaky_relu_plus": Reference(
        lambda x: x if x > 0 else -ALPHA * x,
        lambda x: mpmath.mpf(1) if x > 0 else -ALPHA,
        _zero,
    ),
    "binary_step": Reference(lambda x: mpmath.mpf(x > 0), _zero, _zero),
    "binary_step_ste": Reference(
        lambda x: mpmath.mpf(x > 0),
        lambda x: mpmath.mpf(abs(x) <= 1),
        _zero,
    ),
    "gelu_tanh": Reference(_gelu_value, _gelu_slope, _gelu_curvature),
    "lisht": Reference(
        lambda x: x * mpmath.tanh(x),
        lambda x: mpmath.tanh(x) + x * mpmath.sech(x) ** 2,
        lambda x: 2 * mpmath.sech(x) ** 2 * (1 - x * mpmath.tanh(x)),
    ),
    "snake": Reference(
        lambda x: x + mpmath.sin(x) ** 2,
        lambda x: 1 + mpmath.sin(2 * x),
        lambda x: 2 * mpmath.cos(2 * x),
    ),
    "squared_relu": Reference(
        lambda x: max(x, 0) ** 2,
        lambda x: 2 * max(x, 0),
        lambda x: mpmath.mpf(2 if x > 0 else 0),
    ),
    "bent_identity": Reference(
        _bent_value,
        lambda x: x / (2 * mpmath.sqrt(x**2 + 1)) + 1,
        lambda x: 1 / (2 * (x**2 + 1) ** mpmath.mpf(1.5)),
    ),
    "tanh_exp": Reference(
        lambda x: x * _tanh_exp_parts(x)[0],
        lambda x: sum(_tanh_exp_parts(x)),
        _tanh_exp_curvature,
    ),
}


def softmin_rows(rows):
    """Softmin of each row and its Jacobian diagonal -s (1 - s)."""
    values, slopes = [], []
    with mpmath.workprec(PRECISION):
        for row in rows:
            e = [mpmath.exp(-mpmath.mpf(x)) for x in row]
            total = mpmath.fsum(e)
            s = [v / total for v in e]
            rest = [mpmath.fsum(e[:i] + e[i + 1:]) / total for i in range(len(e))]
            values.append(s)
            slopes.append([-a * b for a, b in zip(s, rest)])
    return values, slopes


def as_double_double(values):
    """mpf values -> (hi, lo) float64 arrays with hi + lo within 2^-106."""
    with mpmath.workprec(PRECISION):
        hi = np.array([float(v) for v in values], dtype=np.float64)
        lo = np.array(
            [float(v - mpmath.mpf(h)) if np.isfinite(h) else 0.0
             for v, h in zip(values, hi)],
            dtype=np.float64,
        )
    return hi, lo


def evaluate(fn, xs):
    """`fn` over float inputs at PRECISION bits, as a double-double pair."""
    with mpmath.workprec(PRECISION):
        values = [fn(mpmath.mpf(float(x))) for x in xs]
    return as_double_double(values)


# Multiples of the smallest normal number below which ULPs are that floor.
FLUSH_FLOOR = {"float32": 2.0**23, "bfloat16": 2.0**23, "float64": 2.0**52}


def ulp(magnitude, dtype):
    """Spacing of `dtype` at each magnitude; the flush threshold below it.

    TensorFlow flushes subnormals to zero on CPU, so below the smallest
    normal number the unit is that number itself. float32 and bfloat16
    results are computed in float32 and float64 ones in float64, whose
    intermediates turn subnormal (and flush) while the result is up to
    2^23 (float32) or 2^52 (float64) times the smallest normal: below that
    the unit is that floor. float16 results are computed in float32, whose
    intermediates stay normal at float16's magnitudes.
    """
    info = ml_dtypes.finfo(dtype)
    tiny = float(info.smallest_normal) * FLUSH_FLOOR.get(dtype, 1)
    _, exponent = np.frexp(np.maximum(np.abs(magnitude), tiny))
    spacing = np.ldexp(1.0, exponent - 1 - info.nmant)
    return np.where(np.abs(magnitude) < tiny, tiny, spacing)


def ulp_error(y, ref, dtype):
    """|y - ref| in ULP of dtype; inf where y does not overflow like ref."""
    hi, lo = ref
    y = keras.ops.convert_to_numpy(y).astype(np.float64)
    error = np.abs((y - hi) - lo) / ulp(hi, dtype)
    overflow = np.abs(hi) > float(ml_dtypes.finfo(dtype).max)
    good_overflow = np.isinf(y) & (np.sign(y) == np.sign(hi))
    return np.where(overflow, np.where(good_overflow, 0.0, np.inf), error)


def nearest_ulp_error(y, refs, dtype):
    """ulp_error to the nearest of several references (e.g. exact and with
    subnormal inputs flushed); NaN, where no reference is NaN, counts as inf."""
    y = np.reshape(keras.ops.convert_to_numpy(y).astype(np.float64), -1)
    error = np.min([ulp_error(y, ref, dtype) for ref in refs], axis=0)
    return np.where(np.isnan(error), np.inf, error)
