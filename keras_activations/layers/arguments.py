"""Validation of layer constructor arguments."""


def positive_int(name, value):
    """`value` if it is an integer >= 1; raises ValueError naming `name`."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"`{name}` must be an integer >= 1, got {value!r}.")
    return value
