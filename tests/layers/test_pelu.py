import mpmath
import numpy as np
import keras
import pytest

from keras_activations.layers import PELU
from support import accuracy
from support import backend
from support import references

# Where ELU's textbook form exp(x) - 1 cancels (just below 0) and where it
# does not, down to where exp(x) underflows.
X = np.concatenate([-np.logspace(-30, 2, 4001), np.arange(-20.0, 0.0, 2.0**-9)]).astype(np.float32)


def _exact_and_condition():
    exact = references.evaluate(mpmath.expm1, X)
    x = X.astype(np.float64)
    # kappa of expm1: |x e^x / (e^x - 1)|, at most 1 for x <= 0.
    kappa = np.abs(x * np.exp(x) / np.expm1(x))
    return exact, kappa


@pytest.mark.parametrize("mode", backend.modes())
def test_negative_branch_is_accurate_just_below_zero(mode):
    """With a = b = 1, PELU is ELU: a * expm1(x / b) within the float32 bound
    4 (1 + kappa) ULP, in every execution mode (Keras' own elu is 1.7e7 ULP
    off there)."""
    layer = PELU()
    layer.build((None, 1))
    exact, kappa = _exact_and_condition()
    y = keras.ops.convert_to_numpy(backend.in_mode(layer, mode)(backend.tensor(X[:, None])))[:, 0]
    accuracy.assert_within(y, [exact], "float32", accuracy.condition_bound("float32", "value", kappa),
                           f"PELU ({mode})", x=X)
