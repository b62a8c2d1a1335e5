"""Models that use every registered name and every layer, for deployment tests.

`every_activation_model` is the one model the golden `.keras` files, the fresh
process reload and the SavedModel tests share; `single_activation_model` is
the small model converted to TFLite once per activation.
"""

import keras
import numpy as np

import keras_activations
from keras_activations import layers

FEATURES = 8
UNITS = 4

# Layers that take arguments and have no string name, with the arguments used.
ARGUMENT_LAYERS = {
    "Maxout": lambda: layers.Maxout(pieces=2),
    "Compose": lambda: layers.Compose(["prelu", "tanh"]),
    "AdaptiveActivation": lambda: layers.AdaptiveActivation("tanh"),
    "LeakyReLUPlus": lambda: layers.LeakyReLUPlus(negative_slope=0.2),
    "Softmin": lambda: layers.Softmin(axis=-1),
}


def activation_ids():
    """Every registered name, then every argument-taking layer."""
    return keras_activations.names() + sorted(ARGUMENT_LAYERS)


def _branch(inputs, activation_id):
    if activation_id in ARGUMENT_LAYERS:
        hidden = keras.layers.Dense(UNITS, name=f"dense_{activation_id}")(inputs)
        return ARGUMENT_LAYERS[activation_id]()(hidden)
    return keras.layers.Dense(UNITS, activation=activation_id,
                              name=f"dense_{activation_id}")(inputs)


def every_activation_model():
    """Input -> one Dense branch per activation -> concatenate -> Dense(1)."""
    inputs = keras.Input((FEATURES,), name="features")
    branches = [_branch(inputs, activation_id) for activation_id in activation_ids()]
    outputs = keras.layers.Dense(1, name="output")(keras.layers.Concatenate()(branches))
    return keras.Model(inputs, outputs, name="every_activation")


def single_activation_model(activation_id):
    inputs = keras.Input((FEATURES,), name="features")
    return keras.Model(inputs, _branch(inputs, activation_id), name=activation_id)


def data(samples=64, seed=0):
    """Inputs on [-3, 3] (both branches of every function) and a smooth target."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(-3, 3, (samples, FEATURES)).astype("float32")
    y = np.sin(x).sum(axis=1, keepdims=True).astype("float32")
    return x, y


def trained_every_activation_model(seed=0):
    """The model after two seeded epochs, so no weight keeps its initial value."""
    keras.utils.set_random_seed(seed)
    model = every_activation_model()
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="mse")
    x, y = data(seed=seed)
    model.fit(x, y, epochs=2, batch_size=16, verbose=0)
    return model
