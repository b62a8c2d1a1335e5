"""One LayerCase per keras_activations layer, checked by the shared contract.

References are the plain formulas in `keras.ops`, so that they take numpy
arrays (the eager check) and tensors (autodiff, in the second-order tests).
"""

import keras
import numpy as np
from keras import ops

from keras_activations import layers
from tests.layers.layer_contract import CHANNELS
from tests.layers.layer_contract import LayerCase

CASES = [
    LayerCase(
        cls=layers.PReLU,
        kwargs={},
        weights={"alpha": np.linspace(0.1, 0.6, CHANNELS)},
        reference=lambda x, w: ops.maximum(x, 0) + w["alpha"] * ops.minimum(x, 0),
        trainable_weights=1,
    ),
]


def _sigmoid(z):
    return 1 / (1 + ops.exp(-z))


def _pelu(x, w):
    a, b = w["a"], w["b"]
    return ops.where(x >= 0, a / b * x, a * ops.expm1(ops.minimum(x, 0) / b))


def _aconc(x, w):
    d = (w["p1"] - w["p2"]) * x
    return d * _sigmoid(w["beta"] * d) + w["p2"] * x


def _srelu(x, w):
    left = w["t_left"] + w["a_left"] * (x - w["t_left"])
    right = w["t_right"] + w["a_right"] * (x - w["t_right"])
    return ops.where(x <= w["t_left"], left, ops.where(x >= w["t_right"], right, x))


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
              lambda x, w: x + ops.sin(w["alpha"] * x) ** 2 / w["alpha"], 1),
]


def _gelu_tanh(x):
    return 0.5 * x * (1 + ops.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x**3)))


def _mixture(x, w):
    weights = ops.softmax(w["logits"], axis=0)
    bases = (ops.maximum(x, 0), ops.tanh(x), _gelu_tanh(x))
    return sum(weights[k] * f for k, f in enumerate(bases))


def _apl(x, w):
    hinges = ops.maximum(w["b"] - x[..., None, :], 0)
    return ops.maximum(x, 0) + ops.sum(w["a"] * hinges, axis=-2)


def _maxout(x, w):
    return ops.max(ops.reshape(x, tuple(x.shape[:-1]) + (CHANNELS // 2, 2)), axis=-1)


def _rrelu_inference(x, w):
    return ops.where(x >= 0, x, (1 / 8 + 1 / 3) / 2 * x)


CASES += [
    LayerCase(layers.APL, {},
              {"a": np.stack([_ramp(-0.5, 0.5), _ramp(0.2, 0.8)]),
               "b": np.stack([_ramp(-1.0, 1.0), _ramp(0.5, -0.5)])},
              _apl, 2),
    LayerCase(layers.RReLU, {"seed": 1}, {}, _rrelu_inference, 0),
    LayerCase(layers.Maxout, {"pieces": 2}, {}, _maxout, 0),
    LayerCase(layers.LeakyReLUPlus, {"negative_slope": 0.2}, {},
              lambda x, w: ops.maximum(x, 0) - 0.2 * ops.minimum(x, 0), 0),
    LayerCase(layers.Softmin, {"axis": 1}, {}, lambda x, w: ops.softmax(-x, axis=1), 0),
    LayerCase(layers.ActivationMixture, {},
              {"logits": np.stack([_ramp(-1, 1), _ramp(0.5, 0), _ramp(1, -1)])},
              _mixture, 1),
    LayerCase(layers.Compose, {"activations": ["prelu", "tanh"]},
              {"alpha": _ramp(0.1, 0.6)},
              lambda x, w: ops.tanh(ops.maximum(x, 0) + w["alpha"] * ops.minimum(x, 0)), 1),
    LayerCase(layers.AdaptiveActivation, {"activation": "tanh"},
              {"slope": _ramp(0.05, 0.2)},
              lambda x, w: ops.tanh(10 * w["slope"] * x), 1),
]


def _pau(x, w):
    a, b = w["numerator"], w["denominator"]
    numerator = sum(a[j] * x**j for j in range(6))
    return numerator / (1 + sum(ops.abs(b[k] * x ** (k + 1)) for k in range(4)))


def _meta_acon(x, w):
    context = ops.mean(x, axis=1, keepdims=True)
    beta = _sigmoid(ops.matmul(ops.matmul(context, w["w1"]) + w["c1"], w["w2"]) + w["c2"])
    d = (w["p1"] - w["p2"]) * x
    return d * _sigmoid(beta * d) + w["p2"] * x


_generator = np.random.default_rng(4)

CASES += [
    LayerCase(layers.PAU, {},
              {"numerator": [0.1, 0.5, 0.8, 0.3, 0.05, 0.01],
               "denominator": [0.5, 0.9, 0.2, 0.1]},
              _pau, 2),
    LayerCase(layers.MetaACON, {"reduction": 2, "min_hidden": 2},
              {"p1": _ramp(0.5, 1.5), "p2": _ramp(-0.2, 0.3),
               "w1": _generator.standard_normal((CHANNELS, 3)) * 0.3,
               "c1": _ramp(-0.1, 0.1)[:3],
               "w2": _generator.standard_normal((3, CHANNELS)) * 0.3,
               "c2": _ramp(-0.5, 0.5)},
              _meta_acon, 6),
]
