"""What the backend-neutral tests need from the backend Keras runs on:
execution modes and autodiff (reverse mode, nestable for derivatives of any
order, and forward mode).

On TensorFlow the modes are eager, graph (`tf.function`) and XLA; on JAX,
eager and `jax.jit`; on PyTorch, eager (Keras' default there). The tests
that need TensorFlow itself are marked `tensorflow_only` (see conftest.py).
"""

import keras

BACKEND = keras.backend.backend()
# Keras' other backends round 64-bit results of some ops to 32 bits (on JAX
# its type promotion maps float64 to float32 for sin, tanh, ..., as JAX does
# by default; on PyTorch ceil, and minimum with a Python float, return
# float32), so float64 is checked on TensorFlow only; elsewhere the checks
# that would run in float64 run in float32, with float32 tolerances.
FLOAT64 = BACKEND == "tensorflow"
CHECK_DTYPE = "float64" if FLOAT64 else "float32"
# Keras' leaky_relu is where(x >= 0, ...) on JAX: its gradient at exactly 0
# (and at subnormals, flushed to 0) is the x >= 0 branch's there, where
# TensorFlow's LeakyRelu kernel takes the x < 0 branch's.
LEAKY_RELU_SLOPE_AT_ZERO_IS_POSITIVE_BRANCH = BACKEND == "jax"
# softmin is Keras' softmax of -x, whose float32 kernel is within 4 (1 + κ)
# ULP of the exact value on TensorFlow and JAX, and 4.5 (1 + κ) on PyTorch
# (measured; it rounds once more).
SOFTMIN_VALUE_ULP = 5 if BACKEND == "torch" else 4
# TensorFlow's ForwardAccumulator differentiates the ops a function runs and
# ignores `tf.custom_gradient` (a custom identity with gradient 2u gets the
# tangent 1, in eager, graph and XLA alike); JAX's custom_jvp and PyTorch's
# autograd.Function.jvp give forward mode the custom derivative.
FORWARD_MODE_USES_CUSTOM_DERIVATIVES = BACKEND != "tensorflow"
# `jit_compile` of the layer contract's fit step: XLA on TensorFlow and JAX;
# on PyTorch eager, Keras' default there (the large fit of every name in
# test_activations.py compiles with torch.compile).
FIT_JIT_COMPILE = BACKEND != "torch"
# rtol, atol of one derivative against another of the same function.
DERIVATIVE_TOLERANCE = (1e-8, 1e-10) if FLOAT64 else (2e-4, 1e-5)


def modes():
    """The execution modes of this backend, by name."""
    if BACKEND == "tensorflow":
        return ("eager", "graph", "xla")
    if BACKEND == "jax":
        return ("eager", "jit")
    # Keras runs PyTorch eagerly unless asked for torch.compile.
    return ("eager",)


def in_mode(fn, mode):
    """`fn` run eagerly or compiled as `mode` (one of `modes()`)."""
    if mode == "eager":
        return fn
    if BACKEND == "tensorflow":
        import tensorflow as tf

        return tf.function(fn, jit_compile=(mode == "xla"))
    import jax

    return jax.jit(fn)


def grad(fn):
    """The gradient of a scalar `fn(*args)` with respect to every argument:
    a function returning a tuple, itself differentiable by `grad`."""
    if BACKEND == "jax":
        import jax

        return lambda *args: jax.grad(fn, argnums=tuple(range(len(args))))(*args)
    if BACKEND == "torch":
        return _torch_grad(fn)
    import tensorflow as tf

    def gradient(*args):
        with tf.GradientTape() as tape:
            tape.watch(args)
            value = fn(*args)
        return tuple(tape.gradient(value, args,
                                   unconnected_gradients=tf.UnconnectedGradients.ZERO))

    return gradient


def forward_derivative(fn):
    """Forward mode: `x -> the tangent of fn(x)` along a tangent of ones,
    the derivative of an elementwise fn."""
    if BACKEND == "jax":
        import jax
        import jax.numpy as jnp

        return lambda x: jax.jvp(fn, (x,), (jnp.ones_like(x),))[1]
    if BACKEND == "torch":
        import torch

        return lambda x: torch.func.jvp(fn, (x,), (torch.ones_like(x),))[1]
    import tensorflow as tf

    def tangent(x):
        with tf.autodiff.ForwardAccumulator(x, tf.ones_like(x)) as accumulator:
            y = fn(x)
        return accumulator.jvp(y, unconnected_gradients=tf.UnconnectedGradients.ZERO)

    return tangent


def _torch_grad(fn):
    import torch

    def gradient(*args):
        # An argument that is already part of a graph (the outer derivative's)
        # stays connected to it, so that gradients nest.
        args = [a if a.requires_grad else a.detach().requires_grad_(True) for a in args]
        with torch.enable_grad():
            value = fn(*args)
            if not value.requires_grad:  # a constant, such as a step's zero slope
                return tuple(torch.zeros_like(a) for a in args)
            grads = torch.autograd.grad(value, args, create_graph=True, allow_unused=True)
        return tuple(torch.zeros_like(a) if g is None else g for a, g in zip(args, grads))

    return gradient


def tensor(x, dtype=None):
    return keras.ops.convert_to_tensor(x, dtype=dtype)


def stateless(layer):
    """`layer` as a function of `(inputs, *trainable values)`, for autodiff
    with respect to its weights on every backend."""
    non_trainable = [variable.value for variable in layer.non_trainable_variables]

    def call(inputs, *trainable):
        outputs, _ = layer.stateless_call(list(trainable), non_trainable, inputs)
        return outputs

    return call


def trainable_values(layer):
    return [variable.value for variable in layer.trainable_variables]
