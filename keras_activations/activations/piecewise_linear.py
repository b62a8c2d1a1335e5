"""Piecewise-linear activations (and squared_relu), exact or one rounding in
the input dtype, each registered under its own name."""

from keras import ops

from keras_activations import derivatives
from keras_activations import precision
from keras_activations.arguments import float_in_dtype
from keras_activations.precision import float_tensor
from keras_activations.registry import register_activation


def _heaviside(x):
    """1 where x > 0, else 0; NaN stays NaN (relu, minimum and ceil keep it
    on every backend, where PyTorch's sign gives 0). TensorFlow gives ceil no
    gradient at all, so the steps give their slopes through
    `keras_activations.derivatives`."""
    return ops.ceil(ops.minimum(ops.relu(x), 1.0))


# The true derivative, zeros (not TensorFlow's `None`, so that optimizers
# see a defined gradient).
_step_with_zero_slope = derivatives.elementwise(_heaviside, ops.zeros_like)


def _checked_negative_slope(negative_slope, x):
    """`negative_slope` as a float, finite in the working dtype of `x`."""
    return float_in_dtype("negative_slope", negative_slope,
                          precision.working_dtype(ops.dtype(x)))


def _leaky_relu_plus_slope(x, negative_slope=0.01):
    negative_slope = _checked_negative_slope(negative_slope, x)
    return ops.where(x > 0, ops.ones_like(x), ops.full_like(x, -negative_slope))


@register_activation(
    derivative_fn=derivatives.derivative(_leaky_relu_plus_slope),
    formula=r"\max(0, x) + s \max(0, -x)",
    derivative=r"1 \text{ if } x > 0 \text{ else } -s",
    parameters="s = negative_slope = 0.01 (argument; LeakyReLUPlus saves another)",
    range=r"[0, \infty)",
    monotonic=False,
    smooth=False,
    reference="https://arxiv.org/abs/1505.00853",
)
def leaky_relu_plus(x, negative_slope=0.01):
    """Rectifier that mirrors negative inputs with a slope `s`: V-shaped.

    `leaky_relu_plus(x) = max(0, x) + s * max(0, -x)`, `s = negative_slope`

    Unlike `leaky_relu` (`s * x` for x < 0, negative outputs), negative inputs
    give the *positive* value `s * |x|`: the output is never negative, and the
    slope for x <= 0 is `-s`. At x = 0 the gradient takes the x <= 0 branch,
    as ReLU's does, on TensorFlow; on JAX, whose `leaky_relu` tests x >= 0,
    it is 1 there. For float16, bfloat16 and float32 it runs as Keras'
    `leaky_relu` (TensorFlow's `LeakyRelu` kernel) each way (slope `-s`). The string "leaky_relu_plus"
    takes the default slope; `keras_activations.LeakyReLUPlus` is the layer
    that saves another.

    Args:
        x: Input tensor of a float dtype.
        negative_slope: Finite slope magnitude for negative inputs (Keras' name,
            as in `leaky_relu`). Defaults to 0.01.

    Returns:
        A tensor of the shape and dtype of `x`.

    Example:

    >>> leaky_relu_plus(np.array([-2.0, 0.0, 3.0]))
    array([0.02, 0.  , 3.  ])

    Reference:
        - [Xu et al., 2015, Empirical Evaluation of Rectified Activations in
          Convolutional Network](https://arxiv.org/abs/1505.00853)
    """
    x = float_tensor(x)
    negative_slope = _checked_negative_slope(negative_slope, x)
    if ops.dtype(x) == "float64":
        # The LeakyRelu kernel's slope attribute is a float32.
        return ops.where(x > 0, x, -negative_slope * x)
    return ops.leaky_relu(x, negative_slope=-negative_slope)


@register_activation(
    derivative_fn=derivatives.derivative(ops.zeros_like),
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
    return _step_with_zero_slope(float_tensor(x))


def _straight_through_slope(x):
    return ops.cast(ops.abs(x) <= 1, ops.dtype(x))


# The surrogate slope goes through keras_activations.derivatives rather than
# a zero-valued `c - stop_gradient(c)` term, which every forward pass (at
# inference too) would compute.
_step_straight_through = derivatives.elementwise(_heaviside, _straight_through_slope)


@register_activation(
    derivative_fn=derivatives.derivative(_straight_through_slope),
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
    return _step_straight_through(float_tensor(x))


def _squared_relu_slope(x):
    return 2.0 * ops.relu(x)


@register_activation(
    derivative_fn=derivatives.derivative(_squared_relu_slope),
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
    return ops.square(ops.relu(float_tensor(x)))

