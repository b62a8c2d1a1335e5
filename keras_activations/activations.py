"""Stateless activation functions, each registered under its own name.

Accuracy: piecewise-linear functions are computed in the input dtype and are
exact (or one rounding). Smooth functions are computed in a wider working
precision (float32 for float16 inputs, float64 for the others) and rounded once to the input dtype; their gradients are analytic
(`keras.ops.custom_gradient`) and written in forms that do not cancel, so a
float32 result is within a few ULP of the exact value everywhere. Where the
working precision holds x^2 (by default, every input type but float64), some
use cheaper forms whose error in the working precision stays below that final
rounding.
"""

import contextlib
import contextvars
import numbers

from keras import ops

from keras_activations import fused_kernels
from keras_activations.arguments import finite_float
from keras_activations.registry import register_activation

_FLOAT_DTYPES = ("float16", "bfloat16", "float32", "float64")
_GELU_SCALE = 0.7978845608028654  # sqrt(2 / pi)
_GELU_CUBIC = 0.044715


def _float_tensor(x):
    """`x` as a tensor; raises TypeError unless it has a float dtype."""
    x = ops.convert_to_tensor(x)
    if ops.dtype(x) not in _FLOAT_DTYPES:
        raise TypeError(
            f"keras_activations functions take floating-point tensors, got "
            f"dtype {ops.dtype(x)}. Cast first, e.g. "
            "`keras.ops.cast(x, 'float32')`."
        )
    return x


def _finite_parameter(name, value):
    """`value` as a Python float; raises unless it is a finite real number."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(
            f"`{name}` must be a finite real number, got "
            f"{type(value).__name__} {value!r}."
        )
    return finite_float(name, value)


_FLOAT32_WORKING_PRECISION = contextvars.ContextVar(
    "float32_working_precision", default=False
)


@contextlib.contextmanager
def float32_working_precision():
    """Within this context, smooth functions are traced in float32, not float64.

    For targets without float64 kernels, such as TFLite's builtin ops
    (`keras_activations.tflite.convert` uses it): a model exported inside the
    context computes `gelu_tanh`, `lisht`, ... in float32 for float32,
    bfloat16 and float16 inputs. The ULP bounds of the README do not hold for
    such a graph; float64 inputs still compute in float64.

    Example:

    >>> with keras_activations.float32_working_precision():
    ...     model.export("saved_model_for_tflite")
    """
    token = _FLOAT32_WORKING_PRECISION.set(True)
    try:
        yield
    finally:
        _FLOAT32_WORKING_PRECISION.reset(token)


def _widen(x):
    """`x` in working precision: float32 for float16, float64 otherwise.

    bfloat16 needs float64 for its float32-sized exponent range: float32
    intermediates of its smallest results would be flushed to zero.
    """
    narrow = ops.dtype(x) == "float16" or (
        _FLOAT32_WORKING_PRECISION.get() and ops.dtype(x) != "float64")
    return ops.cast(x, "float32" if narrow else "float64")


# Largest binary exponent of each float dtype.
_MAX_EXPONENT = {"float16": 15, "bfloat16": 127, "float32": 127, "float64": 1023}


def _holds_squares(working_dtype, dtype):
    """Whether `working_dtype` holds x^2 for every finite x of `dtype`.

    True for float16 in float32 and float32 or bfloat16 in float64, which also
    have more than twice the precision; not for bfloat16 in float32.
    """
    return _MAX_EXPONENT[working_dtype] > 2 * _MAX_EXPONENT[dtype]


def _elementwise(value, slope, working=_widen, narrow=None):
    """A unary function with gradient `slope`, both evaluated on `working(x)`
    and rounded once to the dtype of `x`.

    `narrow`, optional, is a cheaper (value, slope) pair used where the
    working precision holds x^2 (`_holds_squares`): forms that rely on x^2
    being finite, or whose extra error stays below the rounding to `x`'s dtype.
    """

    @ops.custom_gradient
    def apply(x):
        wide = working(x)
        exact = narrow is None or not _holds_squares(ops.dtype(wide), ops.dtype(x))
        f, df = (value, slope) if exact else narrow

        def grad(*args, upstream=None):
            upstream = args[0] if upstream is None else upstream
            return upstream * ops.cast(df(wide), ops.dtype(x))

        return ops.cast(f(wide), ops.dtype(x)), grad

    return apply


def _fused_in_float64(x):
    """Whether a smooth function's fused kernels, which work in float64, serve
    this call: they do unless the float32 working precision is in force."""
    return not _FLOAT32_WORKING_PRECISION.get() and fused_kernels.fusable(x)


def _derivative(slope):
    """The public derivative callable for a slope written in working precision."""

    def derivative(x, **kwargs):
        x = _float_tensor(x)
        return ops.cast(slope(_widen(x), **kwargs), ops.dtype(x))

    return derivative


def _sech_squared(x):
    """sech(x)^2 = 4e / (1 + e)^2 with e = exp(-2|x|): no overflow, no 1 - tanh^2."""
    e = ops.exp(-2.0 * ops.abs(x))
    return 4.0 * e / ops.square(1.0 + e)


def _tanh_and_sech_squared(x):
    """(tanh(x), 1 - tanh(x)^2), for slopes rounded to a narrower dtype.

    1 - tanh^2 loses relative precision where sech^2 is tiny, but its
    absolute error stays near the working epsilon, and these slopes add
    x sech^2 to a term near 1: rounded to a narrower dtype, the error does not
    show. It shares the forward pass's tanh, two kernels instead of the five
    of `_sech_squared`.
    """
    t = ops.tanh(x)
    return t, 1.0 - ops.square(t)


def _heaviside(x):
    """1 where x > 0, else 0; NaN stays NaN (relu and sign both keep it)."""
    return ops.sign(ops.relu(x))


def _leaky_relu_plus_slope(x, alpha=0.01):
    return ops.where(x > 0, ops.ones_like(x), ops.full_like(x, -alpha))


@register_activation(
    derivative_fn=_derivative(_leaky_relu_plus_slope),
    formula=r"\max(0, x) + \alpha \max(0, -x)",
    derivative=r"1 \text{ if } x > 0 \text{ else } -\alpha",
    parameters="alpha = 0.01 (argument)",
    range=r"[0, \infty)",
    monotonic=False,
    smooth=False,
    reference="https://arxiv.org/abs/1505.00853",
)
def leaky_relu_plus(x, alpha=0.01):
    """Rectifier that mirrors negative inputs with slope `alpha`: V-shaped.

    `leaky_relu_plus(x) = max(0, x) + alpha * max(0, -x)`

    Unlike `leaky_relu` (`alpha * x` for x < 0, negative outputs), negative
    inputs give the *positive* value `alpha * |x|`: the output is never
    negative, and the slope for x <= 0 is `-alpha`. At x = 0 the gradient
    takes the x <= 0 branch, as ReLU's does. For float16, bfloat16 and float32
    it runs as one fused `LeakyRelu` kernel each way (slope `-alpha`).

    Args:
        x: Input tensor of a float dtype.
        alpha: Finite slope magnitude for negative inputs. Defaults to 0.01.

    Returns:
        A tensor of the shape and dtype of `x`.

    Example:

    >>> leaky_relu_plus(np.array([-2.0, 0.0, 3.0]))
    array([0.02, 0.  , 3.  ])

    Reference:
        - [Xu et al., 2015, Empirical Evaluation of Rectified Activations in
          Convolutional Network](https://arxiv.org/abs/1505.00853)
    """
    alpha = _finite_parameter("alpha", alpha)
    x = _float_tensor(x)
    if ops.dtype(x) == "float64":
        # The LeakyRelu kernel's slope attribute is a float32.
        return ops.where(x > 0, x, -alpha * x)
    return ops.leaky_relu(x, negative_slope=-alpha)


@ops.custom_gradient
def _step_with_zero_gradient(x):
    # Zeros shaped like the upstream gradient, not upstream * 0: one write
    # instead of a zeros pass and a multiply.
    def grad(*args, upstream=None):
        upstream = args[0] if upstream is None else upstream
        return ops.zeros_like(upstream)

    return _heaviside(x), grad


@register_activation(
    derivative_fn=_derivative(ops.zeros_like),
    formula=r"1 \text{ if } x > 0 \text{ else } 0",
    derivative=r"0",
    parameters="none",
    range=r"\{0, 1\}",
    monotonic=True,
    smooth=False,
    reference="https://en.wikipedia.org/wiki/Heaviside_step_function",
)
def binary_step(x):
    """Heaviside step: 1 for positive inputs, 0 otherwise.

    `binary_step(x) = 1 if x > 0 else 0`

    The gradient is the true derivative, zero everywhere (returned as zeros,
    not `None`, so optimizers see a defined gradient). Use `binary_step_ste`
    to train through the step.

    Args:
        x: Input tensor of a float dtype.

    Returns:
        A tensor of zeros and ones of the shape and dtype of `x`; NaN stays NaN.

    Example:

    >>> binary_step(np.array([-1.0, 0.0, 2.0]))
    array([0., 0., 1.])

    Reference:
        - [McCulloch & Pitts, 1943, A logical calculus of the ideas immanent
          in nervous activity](https://doi.org/10.1007/BF02478259)
    """
    return _step_with_zero_gradient(_float_tensor(x))


def _straight_through_slope(x):
    return ops.cast(ops.abs(x) <= 1, ops.dtype(x))


# Steps are exact in any dtype: no widening.
_step_straight_through = _elementwise(
    _heaviside, _straight_through_slope, working=ops.convert_to_tensor
)


@register_activation(
    derivative_fn=_derivative(_straight_through_slope),
    formula=r"1 \text{ if } x > 0 \text{ else } 0",
    derivative=r"1 \text{ if } |x| \le 1 \text{ else } 0 "
    r"\text{ (straight-through)}",
    parameters="none",
    range=r"\{0, 1\}",
    monotonic=True,
    smooth=False,
    reference="https://arxiv.org/abs/1308.3432",
)
def binary_step_ste(x):
    """Heaviside step with a straight-through (hard-tanh) gradient estimator.

    `binary_step_ste(x) = 1 if x > 0 else 0`, gradient `1 if |x| <= 1 else 0`

    Same forward pass as `binary_step`; the backward pass pretends the step
    was the identity clipped to [-1, 1], so networks with binary units train.
    Training steps on a CPU run both passes as single fused kernels
    (`keras_activations.fused_kernels`).

    Args:
        x: Input tensor of a float dtype.

    Returns:
        A tensor of zeros and ones of the shape and dtype of `x`; NaN stays NaN.

    Example:

    >>> binary_step_ste(np.array([-1.0, 0.0, 2.0]))
    array([0., 0., 1.])

    Reference:
        - [Bengio et al., 2013, Estimating or Propagating Gradients Through
          Stochastic Neurons](https://arxiv.org/abs/1308.3432)
    """
    x = _float_tensor(x)
    if fused_kernels.fusable(x):
        return fused_kernels.binary_step_ste(x)
    return _step_straight_through(x)


def _gelu_tanh_argument(x):
    """(2z, x^2) with 2z = 2 sqrt(2/pi) (x + 0.044715 x^3)."""
    square = x * x
    return x * (2.0 * _GELU_SCALE + (2.0 * _GELU_SCALE * _GELU_CUBIC) * square), square


def _gelu_tanh_value(x):
    # 0.5 x (1 + tanh(z)) = x sigmoid(2z): no cancellation for negative x.
    z2, _ = _gelu_tanh_argument(x)
    return x * ops.sigmoid(z2)


def _gelu_tanh_slope(x):
    # The value's ops up to x * s, which graph optimizers share between the
    # forward and the backward pass.
    z2, square = _gelu_tanh_argument(x)
    s = ops.sigmoid(z2)
    # Beyond |x| = 64, 1 - s or x s is 0 even in float64; capping x^2 there
    # only keeps dz2 finite (float64 inputs beyond 1e154). 1 - s cancels
    # where s is near 1, but there the term is below 1e-14 of the slope.
    dz2 = 2.0 * _GELU_SCALE + (6.0 * _GELU_SCALE * _GELU_CUBIC) * ops.minimum(square, 4096.0)
    return s + ((x * s) * (1.0 - s)) * dz2


_gelu_tanh = _elementwise(_gelu_tanh_value, _gelu_tanh_slope)


@register_activation(
    derivative_fn=_derivative(_gelu_tanh_slope),
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
    relative precision for negative inputs where `1 + tanh(z)` cancels.
    Training steps on a CPU run both passes as single fused kernels
    (`keras_activations.fused_kernels`), bitwise equal to the float64 graph
    for float32 inputs.

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
    x = _float_tensor(x)
    if _fused_in_float64(x):
        return fused_kernels.gelu_tanh(x)
    return _gelu_tanh(x)


def _lisht_value(x):
    return x * ops.tanh(x)


def _lisht_slope(x):
    return ops.tanh(x) + x * _sech_squared(x)


def _lisht_rounded_slope(x):
    t, sech_squared = _tanh_and_sech_squared(x)
    return t + x * sech_squared


_lisht = _elementwise(_lisht_value, _lisht_slope, narrow=(_lisht_value, _lisht_rounded_slope))


@register_activation(
    derivative_fn=_derivative(_lisht_slope),
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
    return _lisht(_float_tensor(x))


def _snake_value(x):
    return x + ops.square(ops.sin(x))


def _snake_slope(x):
    # Equal to 1 + sin(2x), which cancels near its zeros; the sum of two
    # small terms squared keeps relative accuracy there.
    return ops.square(ops.sin(x) + ops.cos(x))


_snake = _elementwise(_snake_value, _snake_slope)


@register_activation(
    derivative_fn=_derivative(_snake_slope),
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
    return _snake(_float_tensor(x))


def _softmin_slope(x, axis=-1):
    """Jacobian diagonal -s (1 - s) of softmin, with 1 - s free of cancellation."""
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
    derivative_fn=_derivative(_softmin_slope),
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

    Computed in working precision and rounded once. The gradient is the
    vector-Jacobian product `s * (sum(dy * s) - dy)` from the rounded `s`
    (in float32 for 16-bit inputs). `derivative("softmin")` gives the
    Jacobian diagonal `-s_i (1 - s_i)`. Training steps on a CPU over the
    last axis run both passes as single fused kernels
    (`keras_activations.fused_kernels`).

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
    x = _float_tensor(x)
    last_axis = len(x.shape) >= 1 and axis in (-1, len(x.shape) - 1)
    if last_axis and _fused_in_float64(x):
        return fused_kernels.softmin(x)
    return _softmin_along(axis)(x)


def _softmin_along(axis):
    @ops.custom_gradient
    def apply(x):
        dtype = ops.dtype(x)
        gradient_dtype = "float32" if dtype in ("float16", "bfloat16") else dtype
        s = ops.softmax(_widen(-x), axis=axis)  # negation is exact: do it narrow
        # The backward pass works on the rounded output: a dot product and
        # three elementwise ops, instead of the autodiff of the wide softmax.
        rounded = ops.cast(s, gradient_dtype)

        def grad(*args, upstream=None):
            upstream = args[0] if upstream is None else upstream
            upstream = ops.cast(upstream, gradient_dtype)
            dot = ops.sum(upstream * rounded, axis=axis, keepdims=True)
            return ops.cast(rounded * (dot - upstream), dtype)

        return ops.cast(s, dtype), grad

    return apply


def _squared_relu_slope(x):
    return 2.0 * ops.relu(x)


@register_activation(
    derivative_fn=_derivative(_squared_relu_slope),
    formula=r"\max(0, x)^2",
    derivative=r"2\max(0, x)",
    parameters="none",
    range=r"[0, \infty)",
    monotonic=True,
    smooth=False,
    reference="https://arxiv.org/abs/2109.08668",
)
def squared_relu(x):
    """Squared rectifier, the Primer feed-forward activation.

    `squared_relu(x) = max(0, x)**2`

    Args:
        x: Input tensor of a float dtype.

    Returns:
        A tensor of the shape and dtype of `x`.

    Example:

    >>> squared_relu(np.array([-1.0, 0.0, 3.0]))
    array([0., 0., 9.])

    Reference:
        - [So et al., 2021, Primer: Searching for Efficient Transformers for
          Language Modeling](https://arxiv.org/abs/2109.08668)
    """
    return _squared_relu(_float_tensor(x))


@ops.custom_gradient
def _squared_relu(x):
    # The gradient reuses relu(x) from the forward pass instead of
    # differentiating through square and relu.
    rectified = ops.relu(x)

    def grad(*args, upstream=None):
        upstream = args[0] if upstream is None else upstream
        return (rectified + rectified) * upstream

    return ops.square(rectified), grad


def _bent_parts(x):
    """(|x| / (sqrt(x^2+1) + 1), x / sqrt(x^2+1)), overflow-free for any x."""
    a = ops.abs(x)
    big = a > 1.0
    inv = 1.0 / ops.where(big, a, 1.0)
    root_big = ops.sqrt(1.0 + inv * inv)
    small = ops.where(big, 0.0, a)
    root_small = ops.sqrt(small * small + 1.0)
    ratio = ops.where(big, 1.0 / (root_big + inv), small / (root_small + 1.0))
    slope = ops.sign(x) * ops.where(big, 1.0 / root_big, small / root_small)
    return ratio, slope


def _bent_identity_value(x):
    # (sqrt(x^2+1) - 1) / 2 = |x| * ratio / 2 without cancellation near 0.
    ratio, _ = _bent_parts(x)
    return x + 0.5 * ops.abs(x) * ratio


def _bent_identity_slope(x):
    _, slope = _bent_parts(x)
    return 1.0 + 0.5 * slope


def _bent_identity_rounded_value(x):
    # x^2 is finite in the working precision of a narrower x (float32 in
    # float64: at most 1.2e77), so no scaling is needed; x^2 / (r + 1) is
    # (r - 1) without its cancellation near 0.
    square = ops.square(x)
    return x + 0.5 * square / (ops.sqrt(square + 1.0) + 1.0)


def _bent_identity_rounded_slope(x):
    return 1.0 + 0.5 * x / ops.sqrt(ops.square(x) + 1.0)


_bent_identity = _elementwise(
    _bent_identity_value, _bent_identity_slope,
    narrow=(_bent_identity_rounded_value, _bent_identity_rounded_slope),
)


@register_activation(
    derivative_fn=_derivative(_bent_identity_slope),
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
    return _bent_identity(_float_tensor(x))


def _tanh_exp_value(x):
    return x * ops.tanh(ops.exp(x))


def _tanh_exp_slope(x):
    u = ops.exp(x)
    # u sech^2(u) underflows to 0 once x > 6; clipping keeps u finite there.
    clipped = ops.exp(ops.minimum(x, 30.0))
    return ops.tanh(u) + x * (clipped * _sech_squared(clipped))


def _tanh_exp_rounded_slope(x):
    # The value's exp and tanh, shared. 1 - tanh(u)^2 is exactly 0 once
    # u > 19, so capping u there changes nothing but keeps e^x = inf from
    # making inf * 0.
    u = ops.exp(x)
    t, sech_squared = _tanh_and_sech_squared(u)
    return t + x * (ops.minimum(u, 30.0) * sech_squared)


_tanh_exp = _elementwise(
    _tanh_exp_value, _tanh_exp_slope, narrow=(_tanh_exp_value, _tanh_exp_rounded_slope)
)


@register_activation(
    derivative_fn=_derivative(_tanh_exp_slope),
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
    return _tanh_exp(_float_tensor(x))
