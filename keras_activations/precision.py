"""Working precision of the activations.

By default every function and layer computes in the dtype of its input;
float16 and bfloat16 inputs compute in float32 and are rounded once. Asking
for float64 working precision (`working_precision("float64")` or
`set_working_precision("float64")`) computes float32 and bfloat16 inputs of
the stateless functions in float64 too, at the price of float64 arithmetic.
The precision is read when a function is traced: a `tf.function`, an
exported model or a TFLite conversion keeps the precision that was in force
when it was traced.
"""

import contextlib
import contextvars

from keras import ops

from keras_activations import backends

WORKING_PRECISIONS = ("float32", "float64")
_FLOAT_DTYPES = ("float16", "bfloat16", "float32", "float64")

_default_precision = "float32"
_scoped_precision = contextvars.ContextVar("keras_activations_working_precision",
                                           default=None)


def _checked(precision):
    if precision not in WORKING_PRECISIONS:
        raise ValueError(
            f"The working precision must be one of {WORKING_PRECISIONS}, got {precision!r}.")
    if precision == "float64":
        backends.require_tensorflow(
            "float64 working precision",
            "Keras' other backends round float64 results of some ops, such as sin on JAX "
            "and ceil on PyTorch, to float32")
    return precision


def get_working_precision():
    """The working precision in force: `"float32"` (the default) or `"float64"`."""
    return _scoped_precision.get() or _default_precision


def set_working_precision(precision):
    """Sets the working precision for the rest of the program.

    Args:
        precision: `"float32"` (the default: compute in the input's dtype,
            16-bit inputs in float32) or `"float64"` (float32 and bfloat16
            inputs compute in float64 as well).

    Example:

    >>> keras_activations.set_working_precision("float64")
    """
    global _default_precision
    _default_precision = _checked(precision)


@contextlib.contextmanager
def working_precision(precision):
    """Within this context, activations compute in `precision`.

    Args:
        precision: `"float32"` or `"float64"`, as for `set_working_precision`.

    Example:

    >>> with keras_activations.working_precision("float64"):
    ...     model.export("saved_model_float64")
    """
    token = _scoped_precision.set(_checked(precision))
    try:
        yield
    finally:
        _scoped_precision.reset(token)


def float_tensor(x):
    """`x` as a tensor; raises TypeError unless it has a float dtype."""
    x = ops.convert_to_tensor(x)
    if ops.dtype(x) not in _FLOAT_DTYPES:
        raise TypeError(
            f"keras_activations functions and layers take floating-point tensors, got "
            f"dtype {ops.dtype(x)}. Cast first, e.g. "
            "`keras.ops.cast(x, 'float32')`."
        )
    return x


def in_layer_precision(compute, x, *parameters):
    """`compute(x, *parameters)` for a layer: `x` must have a float dtype;
    16-bit inputs and the parameters compute in float32 and the result is
    rounded once to the dtype of `x`. Layers keep float32 inputs in float32
    under the float64 option (the functions they call follow it), so that
    their exports convert to TFLite as before."""
    x = float_tensor(x)
    wide = ops.cast(x, "float32") if ops.dtype(x) in ("float16", "bfloat16") else x
    parameters = [ops.cast(p, ops.dtype(wide)) for p in parameters]
    return ops.cast(compute(wide, *parameters), ops.dtype(x))


def working_dtype(dtype):
    """The dtype that inputs of `dtype` compute in."""
    if dtype == "float64" or (dtype != "float16" and get_working_precision() == "float64"):
        return "float64"
    return "float32"


def widen(x):
    """`x` cast to its working dtype (no op where that is its own dtype)."""
    return ops.cast(x, working_dtype(ops.dtype(x)))
