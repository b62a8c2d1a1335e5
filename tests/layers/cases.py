"""One LayerCase per keras_activations layer, checked by the shared contract."""

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
