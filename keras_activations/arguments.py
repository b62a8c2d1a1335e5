"""Validation of constructor and function arguments, shared by functions and layers.

Wrong types raise `TypeError`, wrong values `ValueError`, each naming the
argument.
"""

import math
import numbers

import numpy as np


def finite_float(name, value):
    """`value` as a Python float; `TypeError` unless it is a real number (not
    a bool), `ValueError` unless it is finite."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(
            f"`{name}` must be a finite real number, got {type(value).__name__} {value!r}.")
    if not math.isfinite(value):
        raise ValueError(f"`{name}` must be a finite number, got {value!r}.")
    return float(value)


def float_in_dtype(name, value, dtype):
    """`finite_float(name, value)`, also finite once rounded to `dtype` (a
    finite Python float can overflow a float32 parameter)."""
    value = finite_float(name, value)
    if abs(value) > float(np.finfo(dtype).max):
        raise ValueError(
            f"`{name}` = {value!r} overflows {dtype}, the dtype it computes in.")
    return value


def positive_int(name, value):
    """`value` if it is an integer >= 1 (`TypeError` for other types,
    `ValueError` for smaller integers)."""
    value = integer(name, value)
    if value < 1:
        raise ValueError(f"`{name}` must be an integer >= 1, got {value!r}.")
    return value


def integer(name, value):
    """`value` as an int; `TypeError` unless it is an integer (not a bool)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"`{name}` must be an integer, got {type(value).__name__} {value!r}.")
    return int(value)
