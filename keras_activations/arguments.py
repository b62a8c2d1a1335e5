"""Validation of constructor and function arguments."""

import math
import numbers


def finite_float(name, value):
    """`value` as a float; raises ValueError naming `name` unless finite."""
    if not isinstance(value, numbers.Real) or not math.isfinite(value):
        raise ValueError(f"`{name}` must be a finite number, got {value!r}.")
    return float(value)


def positive_int(name, value):
    """`value` if it is an integer >= 1; raises ValueError naming `name`."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"`{name}` must be an integer >= 1, got {value!r}.")
    return value
