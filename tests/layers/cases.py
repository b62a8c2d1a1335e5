"""One LayerCase per keras_activations layer, checked by the shared contract."""

import keras
import numpy as np

from keras_activations import layers
from tests.layers.layer_contract import CHANNELS
from tests.layers.layer_contract import LayerCase

CASES = [
    LayerCase(
        cls=layers.PReLU,
        kwargs={},
        weights={"alpha": np.linspace(0.1, 0.6, CHANNELS)},
        reference=lambda x, w: np.maximum(x, 0) + w["alpha"] * np.minimum(x, 0),
        trainable_weights=1,
    ),
]


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


def _pelu(x, w):
    a, b = w["a"], w["b"]
    return np.where(x >= 0, a / b * x, a * np.expm1(np.minimum(x, 0) / b))


def _aconc(x, w):
    d = (w["p1"] - w["p2"]) * x
    return d * _sigmoid(w["beta"] * d) + w["p2"] * x


def _srelu(x, w):
    left = w["t_left"] + w["a_left"] * (x - w["t_left"])
    right = w["t_right"] + w["a_right"] * (x - w["t_right"])
    return np.where(x <= w["t_left"], left, np.where(x >= w["t_right"], right, x))


_ramp = lambda low, high: np.linspace(low, high, CHANNELS)

CASES += [
    LayerCase(layers.PELU, {}, {"a": _ramp(0.5, 2.0), "b": _ramp(0.3, 1.5)},
              _pelu, 2),
    LayerCase(layers.SwishBeta, {}, {"beta": _ramp(0.2, 3.0)},
              lambda x, w: x * _sigmoid(w["beta"] * x), 1),
    LayerCase(layers.ACONC, {},
              {"p1": _ramp(0.5, 1.5), "p2": _ramp(-0.2, 0.3), "beta": _ramp(0.5, 2.0)},
              _aconc, 3),
    # a_right starts at 1 by default, where t_right has no gradient yet.
    LayerCase(layers.SReLU, {"a_right_initializer": keras.initializers.Constant(0.8)},
              {"t_left": _ramp(-1.0, -0.2), "a_left": _ramp(0.0, 0.5),
               "t_right": _ramp(0.5, 2.0), "a_right": _ramp(0.5, 1.5)},
              _srelu, 4),
    LayerCase(layers.Snake, {}, {"alpha": _ramp(-1.0, 2.0)},
              lambda x, w: x + np.sin(w["alpha"] * x) ** 2 / w["alpha"], 1),
]
