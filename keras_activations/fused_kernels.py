"""Fused CPU kernels for training: one pass over memory each way.

Without XLA, TensorFlow runs every op of an activation as its own kernel, a
pass over memory each. For `PReLU` and `binary_step_ste` that made a
training step 1.5-2.8x as slow as relu's, and the float64 graphs of
`gelu_tanh` and `softmin` about 2x as slow as Keras' float32 kernels
(docs/benchmarks.md), so on the CPU their forward and backward passes run
as single kernels from `fused_kernels.cc`, which compute what the
`keras.ops` forms compute (bitwise for float32 inputs).

The kernels serve only calls whose gradient is being recorded (a training
step) on a CPU-only TensorFlow, outside XLA, in float32 or float64. Inference,
`model.export`, TFLite conversion and XLA trace the `keras.ops` forms, so
exported models need nothing but TensorFlow's own ops, and TF Serving runs
them unchanged.

The library is compiled on first use with the C++ compiler (`$CXX`, default
`c++`) against the installed TensorFlow's headers, once per TensorFlow
version, and cached under `$KERAS_ACTIVATIONS_CACHE` (default
`~/.cache/keras_activations`). Where that fails (no compiler, say), one
warning says why and the `keras.ops` forms run. Set
`KERAS_ACTIVATIONS_FUSED_KERNELS=0` to turn the kernels off.
"""

import functools
import hashlib
import os
import pathlib
import platform
import subprocess
import tempfile
import warnings

import keras

ENABLE_VARIABLE = "KERAS_ACTIVATIONS_FUSED_KERNELS"
CACHE_VARIABLE = "KERAS_ACTIVATIONS_CACHE"
SOURCE = pathlib.Path(__file__).with_name("fused_kernels.cc")
DTYPES = ("float32", "float64")
# No -march: the cached library must run on any CPU that runs TensorFlow,
# whose x86-64 wheels require AVX (and no more). -fno-trapping-math lets the
# compiler vectorize the kernels' selects; it changes no result, only whether
# comparisons with NaN may raise floating-point exceptions, which TensorFlow
# never traps.
OPTIMIZATION_FLAGS = ("-O3", "-fno-trapping-math")
X86_FLAGS = ("-mavx",)


def cache_directory():
    default = pathlib.Path(os.environ.get("XDG_CACHE_HOME", pathlib.Path.home() / ".cache"))
    return pathlib.Path(os.environ.get(CACHE_VARIABLE, default / "keras_activations"))


def build(directory=None):
    """Compiles `fused_kernels.cc` unless a build for this TensorFlow, compiler
    and source is cached in `directory`; returns the shared library's path.

    Raises:
        OSError: the compiler is missing or the directory is not writable.
        subprocess.CalledProcessError: the compiler failed (its stderr attached).
    """
    import tensorflow as tf

    directory = pathlib.Path(directory or cache_directory())
    compiler = os.environ.get("CXX", "c++")
    flags = [*OPTIMIZATION_FLAGS, *tf.sysconfig.get_compile_flags(),
             *tf.sysconfig.get_link_flags()]
    if platform.machine().lower() in ("x86_64", "amd64"):
        flags += X86_FLAGS
    key = hashlib.sha256("\0".join(
        [SOURCE.read_text(), tf.__version__, platform.machine(), compiler, *flags]).encode())
    target = directory / f"fused_kernels-{key.hexdigest()[:16]}.so"
    if target.exists():
        return target
    directory.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=directory) as scratch:
        built = pathlib.Path(scratch) / target.name
        subprocess.run([compiler, "-shared", "-fPIC", str(SOURCE), "-o", str(built), *flags],
                       check=True, capture_output=True, text=True)
        # Atomic: concurrent first uses each build, and one build wins.
        os.replace(built, target)
    return target


def _enabled():
    # Read at each call, so the switch also works after the library loaded.
    return os.environ.get(ENABLE_VARIABLE, "1") != "0"


@functools.cache
def library():
    """The loaded op library, or None where the kernels are off or cannot be
    built (after one warning saying why)."""
    if not _enabled() or keras.backend.backend() != "tensorflow":
        return None
    import tensorflow as tf

    try:
        loaded = tf.load_op_library(str(build()))
    except (OSError, subprocess.CalledProcessError, tf.errors.NotFoundError) as error:
        details = getattr(error, "stderr", None) or error
        warnings.warn(
            f"keras_activations: fused CPU kernels are unavailable, using the keras.ops "
            f"forms ({str(details).strip()[-2000:]}). Set {ENABLE_VARIABLE}=0 to silence "
            "this.", RuntimeWarning, stacklevel=2)
        return None
    _register_second_order_gradients(tf)
    return loaded


@functools.cache
def _cpu_only():
    import tensorflow as tf

    return all(device.device_type == "CPU" for device in tf.config.list_logical_devices())


def _recording_outside_xla(tensors):
    """True when a gradient tape records `tensors` and no XLA compilation
    encloses the trace; False where TensorFlow's internals cannot tell."""
    import tensorflow as tf

    try:
        from tensorflow.python.eager import record
        from tensorflow.python.ops import control_flow_util
    except ImportError:
        return False
    in_xla = control_flow_util.GraphOrParentsInXlaContext(tf.compat.v1.get_default_graph())
    return not in_xla and record.should_record_backprop(tensors)


def fusable(*tensors):
    """Whether the fused kernels serve a call on `tensors`: TensorFlow on a
    CPU-only machine, float32 or float64, a gradient being recorded, no XLA."""
    return (
        keras.backend.backend() == "tensorflow"
        and _enabled()
        and all(keras.backend.standardize_dtype(t.dtype) in DTYPES for t in tensors)
        and _cpu_only()
        and _recording_outside_xla(list(tensors))
        and library() is not None
    )


def tiles_trailing_axes(input_shape, parameter_shape):
    """Whether a parameter broadcast against the input is, leading 1s
    dropped, the input's trailing axes (the layout the PReLU kernel takes)."""
    dims = list(parameter_shape)
    while dims and dims[0] == 1:
        dims.pop(0)
    return len(dims) <= len(input_shape) - 1 and (
        not dims or tuple(input_shape[-len(dims):]) == tuple(dims))


def prelu(x, alpha):
    """`x * where(x > 0, 1, alpha)` and its gradients, one kernel each way.
    `alpha` must tile the trailing axes of `x` (`tiles_trailing_axes`)."""
    import tensorflow as tf

    kernels = library()

    @tf.custom_gradient
    def apply(x, alpha):
        block = tf.reshape(alpha, [-1])

        def grad(upstream):
            x_gradient, alpha_gradient = kernels.keras_activations_prelu_grad(upstream, x, block)
            return x_gradient, tf.reshape(alpha_gradient, tf.shape(alpha))

        return kernels.keras_activations_prelu(x, block), grad

    return apply(x, alpha)


def gelu_tanh(x):
    """`gelu_tanh` and its gradient in double, rounded once, one kernel each
    way; the forward kernel keeps its float64 sigmoid for the backward one."""
    import tensorflow as tf

    kernels = library()

    @tf.custom_gradient
    def apply(x):
        y, sigmoid = kernels.keras_activations_gelu_tanh(x)

        def grad(upstream):
            return kernels.keras_activations_gelu_tanh_grad(upstream, x, sigmoid)

        return y, grad

    return apply(x)


def softmin(x):
    """`softmin` over the last axis in double, rounded once, and its gradient
    `y * (sum(upstream * y) - upstream)` from the rounded output."""
    import tensorflow as tf

    kernels = library()

    @tf.custom_gradient
    def apply(x):
        y = kernels.keras_activations_softmin(x)

        def grad(upstream):
            return kernels.keras_activations_softmin_grad(upstream, y)

        return y, grad

    return apply(x)


def binary_step_ste(x):
    """The Heaviside step (NaN kept) with the straight-through gradient
    `upstream * (|x| <= 1)`, one kernel each way."""
    import tensorflow as tf

    kernels = library()

    @tf.custom_gradient
    def apply(x):
        def grad(upstream):
            return kernels.keras_activations_straight_through_grad(upstream, x)

        return kernels.keras_activations_step(x), grad

    return apply(x)


def _register_second_order_gradients(tf):
    """Gradients of the backward kernels, for gradients of gradients
    (gradient penalties), written with TensorFlow's own ops."""

    @tf.RegisterGradient("KerasActivationsPreluGrad")
    def _prelu_grad_grad(op, x_gradient_upstream, alpha_gradient_upstream):
        upstream, x, alpha = op.inputs
        as_rows = lambda t: tf.reshape(t, [-1, tf.size(alpha)])
        upstream_rows, x_rows = as_rows(upstream), as_rows(x)
        second_rows = as_rows(x_gradient_upstream)
        negative = x_rows <= 0
        slope = tf.where(negative, alpha, tf.ones_like(alpha))
        zeros = tf.zeros_like(x_rows)
        upstream_gradient = (second_rows * slope
                             + tf.minimum(x_rows, 0) * alpha_gradient_upstream)
        x_gradient = tf.where(negative, upstream_rows * alpha_gradient_upstream, zeros)
        alpha_gradient = tf.reduce_sum(
            tf.where(negative, second_rows * upstream_rows, zeros), axis=0)
        return (tf.reshape(upstream_gradient, tf.shape(upstream)),
                tf.reshape(x_gradient, tf.shape(x)), alpha_gradient)

    # Both backward kernels are linear in `upstream` with a symmetric
    # Jacobian, so the kernel itself gives the gradient with respect to it.
    # Like the keras.ops forms, whose gradients use tensors saved by the
    # forward pass, they pass no second-order gradient on to x.
    @tf.RegisterGradient("KerasActivationsGeluTanhGrad")
    def _gelu_tanh_grad_grad(op, x_gradient_upstream):
        _, x, sigmoid = op.inputs
        gradient = library().keras_activations_gelu_tanh_grad(x_gradient_upstream, x, sigmoid)
        return gradient, None, None

    @tf.RegisterGradient("KerasActivationsSoftminGrad")
    def _softmin_grad_grad(op, x_gradient_upstream):
        _, y = op.inputs
        return library().keras_activations_softmin_grad(x_gradient_upstream, y), None

    @tf.RegisterGradient("KerasActivationsStraightThroughGrad")
    def _straight_through_grad_grad(op, x_gradient_upstream):
        _, x = op.inputs
        window = tf.cast(tf.abs(x) <= 1, x.dtype)
        return x_gradient_upstream * window, tf.zeros_like(x)
