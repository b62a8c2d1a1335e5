"""Known derivatives of elementwise functions, for every autodiff transform.

Most activations get their derivatives from autodiff of a forward form that
does not cancel. The smooth functions (`bent_identity`, `gelu_tanh`,
`lisht`, `snake`, `tanh_exp`) have slope formulas more accurate than
autodiff of their values (or, for `bent_identity`, half as many kernels in
graph mode), and `binary_step_ste` a surrogate slope; `elementwise(value,
slope)` gives them that slope through each backend's public extension API,
which every transform of that backend accepts:

- JAX: `jax.custom_jvp` (forward mode; reverse mode, `vmap`, `jit` and every
  order follow from it);
- PyTorch: a `torch.autograd.Function` with `setup_context`, `backward`,
  `jvp` and `generate_vmap_rule` (`torch.func` transforms, `forward_ad`,
  `create_graph=True` and `torch.compile`);
- TensorFlow: `tf.custom_gradient` (nested tapes, jacobians, `tf.function`
  and XLA; `ForwardAccumulator` differentiates the forward ops instead, as
  it does for every custom gradient).

Keras' `ops.custom_gradient` maps to a custom VJP on JAX and to an
`autograd.Function` without `setup_context` on PyTorch, which forward mode
and `torch.func` reject; hence this module. The slope is written with
differentiable ops, so second and higher derivatives are autodiff of it.
"""

import keras
from keras import ops

from keras_activations import precision


def elementwise(value, slope):
    """The unary function `value` with derivative `slope`.

    Both are written for the working dtype of the input (see
    `keras_activations.precision`); the result and the slope are rounded
    once to the input's dtype.

    Args:
        value: Function of a tensor in working precision.
        slope: Its derivative, a function of the same tensor.

    Returns:
        A function of a float tensor, differentiable by every transform of
        Keras' backend.
    """

    def rounded(fn):
        def apply(x):
            return ops.cast(fn(precision.widen(x)), ops.dtype(x))

        return apply

    # Keras' backends without autodiff (numpy, openvino) need only the value.
    with_slope = _BACKENDS.get(keras.backend.backend(), lambda value, slope: value)
    return with_slope(rounded(value), rounded(slope))


def derivative(slope):
    """The public derivative callable of a slope written in working precision."""

    def apply(x, **kwargs):
        x = precision.float_tensor(x)
        return ops.cast(slope(precision.widen(x), **kwargs), ops.dtype(x))

    return apply


def _jax(value, slope):
    import jax

    function = jax.custom_jvp(value)

    @function.defjvp
    def _(primals, tangents):
        (x,), (tangent,) = primals, tangents
        return function(x), slope(x) * tangent

    return function


def _tensorflow(value, slope):
    import tensorflow as tf

    @tf.custom_gradient
    def function(x):
        return value(x), lambda upstream: upstream * slope(x)

    return function


def _torch(value, slope):
    import torch

    class Elementwise(torch.autograd.Function):
        generate_vmap_rule = True

        @staticmethod
        def forward(x):
            return value(x)

        @staticmethod
        def setup_context(ctx, inputs, output):
            ctx.save_for_backward(*inputs)
            ctx.save_for_forward(*inputs)

        @staticmethod
        def backward(ctx, upstream):
            (x,) = ctx.saved_tensors
            return upstream * slope(x)

        @staticmethod
        def jvp(ctx, tangent):
            (x,) = ctx.saved_tensors
            return slope(x) * tangent

    return Elementwise.apply


_BACKENDS = {"jax": _jax, "tensorflow": _tensorflow, "torch": _torch}
