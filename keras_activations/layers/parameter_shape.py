"""Shapes of per-channel activation parameters."""

import functools
import operator




def normalize_shared_axes(shared_axes):
    """`None` (share all axes but the last) or a tuple of positive ints."""
    if shared_axes is None:
        return None
    axes = (shared_axes,) if isinstance(shared_axes, int) else tuple(shared_axes)
    if not all(isinstance(a, int) and not isinstance(a, bool) and a >= 1 for a in axes):
        raise ValueError(
            "`shared_axes` must be None or positive axis indices (the batch "
            f"axis 0 is always shared), got {shared_axes!r}."
        )
    return axes


def channel_count(input_shape, layer_name):
    """The size of the last (channel) axis; `ValueError` for a scalar input
    or an unknown size."""
    if len(input_shape) == 0 or input_shape[-1] is None:
        raise ValueError(
            f"{layer_name} needs inputs with a known channel (last) axis, got "
            f"input shape {tuple(input_shape)}.")
    return input_shape[-1]


def parameter_shape(input_shape, shared_axes, layer_name):
    """Shape of a parameter broadcast against inputs of `input_shape`.

    With `shared_axes=None` the parameter has one value per channel (last
    axis), shape `(channels,)`; otherwise one value per element of the
    non-batch axes not in `shared_axes`, as in `keras.layers.PReLU`.
    """
    if shared_axes is None:
        return (channel_count(input_shape, layer_name),)
    if len(input_shape) < 2:
        raise ValueError(
            f"{layer_name} needs inputs with a batch axis and at least one more, "
            f"got input shape {tuple(input_shape)}.")
    shape = list(input_shape[1:])
    for axis in shared_axes:
        if axis >= len(input_shape):
            raise ValueError(
                f"shared axis {axis} is out of range for input shape {input_shape}."
            )
        shape[axis - 1] = 1
    if any(dim is None for dim in shape):
        raise ValueError(
            f"Axes with unknown size must be shared, got input shape "
            f"{input_shape} and shared_axes {shared_axes}."
        )
    return tuple(shape)


def add_all(terms):
    """The sum of same-shaped tensors, with the tensors' own `+`: Keras'
    TensorFlow `ops.add` takes a (0, n) operand for a bias vector and fails on
    an empty batch."""
    return functools.reduce(operator.add, terms)

