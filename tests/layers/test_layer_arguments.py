"""Bad constructor arguments raise ValueError at construction, saying why."""

import pytest

from keras_activations import constraints
from keras_activations import layers

BAD_ARGUMENTS = [
    (layers.PReLU, {"shared_axes": [0]}, "shared_axes"),
    (layers.SwishBeta, {"shared_axes": ["x"]}, "shared_axes"),
    (layers.RReLU, {"lower": 0.5, "upper": 0.1}, "lower <= upper"),
    (layers.RReLU, {"lower": float("nan")}, "finite"),
    (layers.Maxout, {"pieces": 0}, "pieces"),
    (layers.LeakyReLUPlus, {"negative_slope": float("nan")}, "negative_slope"),
    (layers.APL, {"hinges": 0}, "hinges"),
    (layers.ActivationMixture, {"activations": ["relu"]}, "at least two"),
    (layers.ActivationMixture, {"activations": ["relu", "prelu"]}, "stateful"),
    (layers.ActivationMixture, {"activations": ["relu", "no_such"]}, "Unknown activation"),
    (layers.Compose, {"activations": []}, "non-empty list"),
    (layers.Compose, {"activations": "relu"}, "non-empty list"),
    (layers.AdaptiveActivation, {"scale_factor": 0.0}, "scale_factor"),
    (layers.AdaptiveActivation, {"activation": "prelu"}, "stateful"),
    (layers.MetaACON, {"reduction": 0}, "reduction"),
    (constraints.AtLeast, {"min_value": float("inf")}, "min_value"),
]


@pytest.mark.parametrize("cls, kwargs, message", BAD_ARGUMENTS,
                         ids=lambda value: getattr(value, "__name__", None))
def test_bad_arguments_raise_value_error(cls, kwargs, message):
    with pytest.raises(ValueError, match=message):
        cls(**kwargs)


def test_maxout_needs_channels_divisible_by_pieces():
    with pytest.raises(ValueError, match="divisible by pieces=4"):
        layers.Maxout(4).build((None, 6))


@pytest.mark.parametrize("cls", [layers.PReLU, layers.APL, layers.MetaACON,
                                 layers.ActivationMixture])
def test_per_channel_layers_need_a_known_channel_axis(cls):
    with pytest.raises(ValueError, match="last axis|channel"):
        cls().build((None, None))
