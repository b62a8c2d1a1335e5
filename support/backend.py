"""What the backend-neutral tests need from the backend Keras runs on:
execution modes and autodiff, nestable for derivatives of any order.

On TensorFlow the modes are eager, graph (`tf.function`) and XLA; on JAX,
eager and `jax.jit`. The tests that need TensorFlow itself are marked
`tensorflow_only` (see conftest.py).
"""

import keras

BACKEND = keras.backend.backend()
# Keras' other backends round 64-bit results of ops such as sin and tanh to
# 32 bits (its type promotion maps float64 to float32 there, as JAX does by
# default), so float64 is checked on TensorFlow only; elsewhere the checks
# that would run in float64 run in float32, with float32 tolerances.
FLOAT64 = BACKEND == "tensorflow"
CHECK_DTYPE = "float64" if FLOAT64 else "float32"
# Keras' leaky_relu is where(x >= 0, ...) on JAX: its gradient at exactly 0
# (and at subnormals, flushed to 0) is the x >= 0 branch's there, where
# TensorFlow's LeakyRelu kernel takes the x < 0 branch's.
LEAKY_RELU_SLOPE_AT_ZERO_IS_POSITIVE_BRANCH = BACKEND == "jax"
# rtol, atol of one derivative against another of the same function.
DERIVATIVE_TOLERANCE = (1e-8, 1e-10) if FLOAT64 else (2e-4, 1e-5)


def modes():
    """The execution modes of this backend, by name."""
    return ("eager", "graph", "xla") if BACKEND == "tensorflow" else ("eager", "jit")


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
    import tensorflow as tf

    def gradient(*args):
        with tf.GradientTape() as tape:
            tape.watch(args)
            value = fn(*args)
        return tuple(tape.gradient(value, args,
                                   unconnected_gradients=tf.UnconnectedGradients.ZERO))

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
