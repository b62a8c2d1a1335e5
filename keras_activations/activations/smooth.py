"""Smooth activations, computed in the working precision
(`keras_activations.precision`: the input's dtype by default, float32 for
16-bit inputs) with formulas that never cancel catastrophically, and rounded
once to the input dtype.

Autodiff of these forms would cancel in their derivatives (`tanh` and
`sigmoid` differentiate as 1 - t^2 and s (1 - s); snake's 1 + sin 2x has
double zeros), or take twice as many kernels in graph mode (bent_identity),
so each function's slope is given, written to keep its relative precision,
through `keras_activations.derivatives`, which every autodiff transform of
every backend accepts. The slopes are themselves differentiable, so second
and higher derivatives are autodiff of them; `softmin` is Keras' softmax,
differentiated by autodiff.
"""

import math

from keras import ops

from keras_activations import derivatives
from keras_activations import precision
from keras_activations.arguments import integer
from keras_activations.precision import float_tensor
from keras_activations.registry import register_activation

_GELU_SCALE = 0.7978845608028654  # sqrt(2 / pi)
_GELU_CUBIC = 0.044715
# Where sech^2 is below 1e-34: x sech^2(x) is invisible next to 1 in float64,
# and e^x and its square are still finite in float32.
_SECH_CLIP = 40.0
_LOG_SECH_CLIP = math.log(_SECH_CLIP)
# Largest magnitude whose square plus one is finite, per working dtype.
_SQUARE_SAFE = {"float32": 2.0**63, "float64": 2.0**511}


def _gelu_tanh_argument(x):
    """(2z, x^2 capped at 4096) with 2z = 2 sqrt(2/pi) (x + 0.044715 x^3).

    Past |x| = 64, sigmoid(2z) is 0 or 1 and s (1 - s) is 0 even in float64:
    capping x^2 there changes no value and keeps 2z's derivatives finite, so
    that no 0 * inf makes a NaN at any order. x is clipped before it is
    squared: forward mode multiplies the tangent of a capped x^2 by a mask,
    which would make inf * 0.
    """
    square = ops.square(ops.clip(x, -64.0, 64.0))
    return x * (2.0 * _GELU_SCALE + (2.0 * _GELU_SCALE * _GELU_CUBIC) * square), square


def _gelu_tanh_value(x):
    # 0.5 x (1 + tanh(z)) = x sigmoid(2z): no cancellation for negative x.
    z2, _ = _gelu_tanh_argument(x)
    return x * ops.sigmoid(z2)


def _gelu_tanh_slope(x):
    # s + x s (1 - s) dz2 with 1 - s = sigmoid(-2z), which keeps its relative
    # precision where s is near 1. The value's x * s is shared with it.
    z2, square = _gelu_tanh_argument(x)
    s = ops.sigmoid(z2)
    dz2 = 2.0 * _GELU_SCALE + (6.0 * _GELU_SCALE * _GELU_CUBIC) * square
    return s + ((x * s) * ops.sigmoid(-z2)) * dz2


_gelu_tanh = derivatives.elementwise(_gelu_tanh_value, _gelu_tanh_slope)


@register_activation(
    derivative_fn=derivatives.derivative(_gelu_tanh_slope),
    formula=r"\frac{x}{2}\left(1 + \tanh\left(\sqrt{2/\pi}"
    r"\,(x + 0.044715 x^3)\right)\right)",
    derivative=r"\sigma(2z) + x z' \,2\sigma(2z)\sigma(-2z),\ "
    r"z = \sqrt{2/\pi}(x + 0.044715x^3)",
    parameters="none",
    range=r"[-0.17, \infty)",
    monotonic=False,
    smooth=True,
    reference="https://arxiv.org/abs/1606.08415",
)
def gelu_tanh(x):
    """Gaussian error linear unit, tanh approximation (GPT-2, BERT).

    `gelu_tanh(x) = 0.5 * x * (1 + tanh(0.7978845608028654 * (x + 0.044715 * x**3)))`

    Evaluated as `x * sigmoid(2z)`, which equals the formula and keeps full
    relative precision for negative inputs where `1 + tanh(z)` cancels
    (Keras' float32 `gelu(approximate=True)` loses up to 157 ULP there).

    Args:
        x: Input tensor of a float dtype.

    Returns:
        A tensor of the shape and dtype of `x`.

    Example:

    >>> gelu_tanh(np.array([-1.0, 0.0, 1.0]))
    array([-0.15880801,  0.        ,  0.84119199])

    Reference:
        - [Hendrycks & Gimpel, 2016, Gaussian Error Linear Units
          (GELUs)](https://arxiv.org/abs/1606.08415)
    """
    return _gelu_tanh(float_tensor(x))


def _lisht_value(x):
    return x * ops.tanh(x)


def _sech_squared(x):
    """sech(x)^2 = 4 / (e^x + e^-x)^2 for |x| <= 40, accurate to a few ULP
    where 1 - tanh(x)^2 loses all its digits. (TensorFlow's cosh kernel is
    not vectorized: this form costs a third as much in graph mode.)"""
    e = ops.exp(x)
    return 4.0 / ops.square(e + 1.0 / e)


def _lisht_slope(x):
    # Past |x| = 40, x sech^2(x) is below 1e-32 of tanh(x) = +-1; clipping
    # there keeps e^x and the derivatives finite in float32, so that no
    # inf / inf makes a NaN at any order.
    clipped = ops.clip(x, -_SECH_CLIP, _SECH_CLIP)
    return ops.tanh(x) + clipped * _sech_squared(clipped)


_lisht = derivatives.elementwise(_lisht_value, _lisht_slope)


@register_activation(
    derivative_fn=derivatives.derivative(_lisht_slope),
    formula=r"x \tanh(x)",
    derivative=r"\tanh(x) + x\,\mathrm{sech}^2(x)",
    parameters="none",
    range=r"[0, \infty)",
    monotonic=False,
    smooth=True,
    reference="https://arxiv.org/abs/1901.05894",
)
def lisht(x):
    """Linearly scaled hyperbolic tangent: an even, non-negative tanh.

    `lisht(x) = x * tanh(x)`

    Args:
        x: Input tensor of a float dtype.

    Returns:
        A tensor of the shape and dtype of `x`.

    Example:

    >>> lisht(np.array([-1.0, 0.0, 1.0]))
    array([0.76159416, 0.        , 0.76159416])

    Reference:
        - [Roy et al., 2019, LiSHT: Non-Parametric Linearly Scaled Hyperbolic
          Tangent Activation Function](https://arxiv.org/abs/1901.05894)
    """
    return _lisht(float_tensor(x))


def _snake_value(x):
    return x + ops.square(ops.sin(x))


def _snake_slope(x):
    # Equal to 1 + sin(2x), which cancels near its zeros; the sum of two
    # small terms squared keeps relative accuracy there.
    return ops.square(ops.sin(x) + ops.cos(x))


_snake = derivatives.elementwise(_snake_value, _snake_slope)


@register_activation(
    derivative_fn=derivatives.derivative(_snake_slope),
    formula=r"x + \sin^2(x)",
    derivative=r"1 + \sin(2x)",
    parameters="none",
    range=r"(-\infty, \infty)",
    monotonic=True,
    smooth=True,
    reference="https://arxiv.org/abs/2006.08195",
)
def snake(x):
    """Snake with frequency 1: identity plus a periodic bump.

    `snake(x) = x + sin(x)**2`

    Monotonic, and able to extrapolate periodic signals. The layer `Snake`
    learns the frequency.

    Args:
        x: Input tensor of a float dtype.

    Returns:
        A tensor of the shape and dtype of `x`.

    Example:

    >>> snake(np.array([-1.0, 0.0, 1.0]))
    array([-0.29192658,  0.        ,  1.70807342])

    Reference:
        - [Liu Ziyin et al., 2020, Neural Networks Fail to Learn Periodic
          Functions and How to Fix It](https://arxiv.org/abs/2006.08195)
    """
    return _snake(float_tensor(x))


def _checked_axis(axis, x):
    """`axis` as an int naming an axis of `x`."""
    axis = integer("axis", axis)
    rank = len(x.shape)
    if rank == 0:
        raise ValueError("softmin normalizes over an axis; got a scalar input.")
    if not -rank <= axis < rank:
        raise ValueError(f"`axis` = {axis} is out of range for an input of rank {rank}.")
    return axis


def _softmin_slope(x, axis=-1):
    """Jacobian diagonal -s (1 - s) of softmin, with 1 - s free of cancellation."""
    axis = _checked_axis(axis, x)
    z = -x
    e = ops.exp(z - ops.max(z, axis=axis, keepdims=True))
    total = ops.sum(e, axis=axis, keepdims=True)
    s = e / total
    # Only a unique maximum can have s > 1/2; there 1 - s is the sum of the
    # other terms, summed directly rather than as total - e.
    is_top = z == ops.max(z, axis=axis, keepdims=True)
    top_count = ops.sum(ops.cast(is_top, "int32"), axis=axis, keepdims=True)
    unique_top = is_top & (top_count == 1)
    rest = ops.sum(ops.where(unique_top, 0.0, e), axis=axis, keepdims=True)
    rest = rest / total
    return -s * ops.where(unique_top, rest, 1.0 - s)


@register_activation(
    derivative_fn=derivatives.derivative(_softmin_slope),
    formula=r"\frac{e^{-x_i}}{\sum_j e^{-x_j}}",
    derivative=r"\frac{\partial s_i}{\partial x_j} = -s_i(\delta_{ij} - s_j)",
    parameters="axis = -1 (argument)",
    range=r"(0, 1)",
    monotonic=False,
    smooth=True,
    reference="https://doi.org/10.1007/978-3-642-76153-9_28",
)
def softmin(x, axis=-1):
    """Softmax of the negated input: a probability vector favouring small values.

    `softmin(x)_i = exp(-x_i) / sum_j exp(-x_j)` over `axis`

    Keras' softmax of `-x`, in working precision and rounded once; its
    gradient is the autodiff of that softmax. `derivative("softmin")` gives
    the Jacobian diagonal `-s_i (1 - s_i)`.

    Args:
        x: Input tensor of a float dtype.
        axis: Integer, the axis to normalize over. Defaults to -1.

    Returns:
        A tensor of the shape and dtype of `x` whose slices along `axis`
        sum to 1.

    Example:

    >>> softmin(np.array([0.0, 1.0, 2.0]))
    array([0.66524096, 0.24472847, 0.09003057])

    Reference:
        - [Bridle, 1990, Probabilistic Interpretation of Feedforward
          Classification Network Outputs](https://doi.org/10.1007/978-3-642-76153-9_28)
    """
    x = float_tensor(x)
    axis = _checked_axis(axis, x)
    return ops.cast(ops.softmax(-precision.widen(x), axis=axis), ops.dtype(x))


def _bent_parts(x):
    """(x clipped to where x^2 + 1 is finite, sqrt(clipped^2 + 1)).

    Beyond the clip, x / sqrt(x^2 + 1) and |x| / (sqrt(x^2 + 1) + 1) are 1
    to the working precision, so the clipped value serves for both.
    """
    bound = _SQUARE_SAFE[ops.dtype(x)]
    clipped = ops.clip(x, -bound, bound)
    return clipped, ops.sqrt(ops.square(clipped) + 1.0)


def _bent_identity_value(x):
    # (sqrt(x^2+1) - 1) / 2 = x ratio / 2, ratio = clipped / (sqrt(x^2+1) + 1),
    # without the cancellation of sqrt(x^2+1) - 1 near 0. x and clipped share
    # their sign, so x ratio is |x| |ratio| to the bit, without two abs passes.
    clipped, root = _bent_parts(x)
    return x + 0.5 * x * (clipped / (root + 1.0))


def _bent_identity_slope(x):
    clipped, root = _bent_parts(x)
    return 1.0 + 0.5 * clipped / root



_bent_identity = derivatives.elementwise(_bent_identity_value, _bent_identity_slope)


@register_activation(
    derivative_fn=derivatives.derivative(_bent_identity_slope),
    formula=r"\frac{\sqrt{x^2 + 1} - 1}{2} + x",
    derivative=r"\frac{x}{2\sqrt{x^2 + 1}} + 1",
    parameters="none",
    range=r"(-\infty, \infty)",
    monotonic=True,
    smooth=True,
    reference="https://en.wikipedia.org/wiki/Activation_function",
)
def bent_identity(x):
    """Bent identity: identity bent upward by half a hyperbola.

    `bent_identity(x) = (sqrt(x**2 + 1) - 1) / 2 + x`

    Args:
        x: Input tensor of a float dtype.

    Returns:
        A tensor of the shape and dtype of `x`.

    Example:

    >>> bent_identity(np.array([-1.0, 0.0, 1.0]))
    array([-0.79289322,  0.        ,  1.20710678])

    Reference:
        - [Activation function, comparison table](https://en.wikipedia.org/wiki/Activation_function)
    """
    return _bent_identity(float_tensor(x))


def _tanh_exp_parts(x):
    """(x capped at log 40, u = e^capped, tanh(u)).

    Past the cap tanh(u) = 1 in float64 and x u sech^2(u) is below 1e-31 of
    it, so the cap changes no value; it keeps e^x = inf out of every
    derivative, where 0 * inf would make a NaN, and sech^2(u) finite in
    float32.
    """
    capped = ops.minimum(x, _LOG_SECH_CLIP)
    u = ops.exp(capped)
    return capped, u, ops.tanh(u)


def _tanh_exp_value(x):
    _, _, t = _tanh_exp_parts(x)
    return x * t


def _tanh_exp_slope(x):
    capped, u, t = _tanh_exp_parts(x)
    return t + capped * (u * _sech_squared(u))


_tanh_exp = derivatives.elementwise(_tanh_exp_value, _tanh_exp_slope)


@register_activation(
    derivative_fn=derivatives.derivative(_tanh_exp_slope),
    formula=r"x \tanh(e^x)",
    derivative=r"\tanh(e^x) + x e^x \mathrm{sech}^2(e^x)",
    parameters="none",
    range=r"[-0.35, \infty)",
    monotonic=False,
    smooth=True,
    reference="https://arxiv.org/abs/2003.09855",
)
def tanh_exp(x):
    """TanhExp: a smooth rectifier with a steep positive branch.

    `tanh_exp(x) = x * tanh(exp(x))`

    Args:
        x: Input tensor of a float dtype.

    Returns:
        A tensor of the shape and dtype of `x`.

    Example:

    >>> tanh_exp(np.array([-1.0, 0.0, 1.0]))
    array([-0.35213549,  0.        ,  0.99132197])

    Reference:
        - [Liu & Di, 2020, TanhExp: A Smooth Activation Function with High
          Convergence Speed for Lightweight Neural
          Networks](https://arxiv.org/abs/2003.09855)
    """
    return _tanh_exp(float_tensor(x))
