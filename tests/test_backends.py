"""Features that need TensorFlow say so, by name, on Keras' other backends."""

import keras
import numpy as np
import pytest

import keras_activations
from keras_activations import diagnostics
from keras_activations import tflite


@pytest.fixture
def on_jax(monkeypatch):
    monkeypatch.setattr(keras.backend, "backend", lambda: "jax")


def _model():
    inputs = keras.Input((3,))
    return keras.Model(inputs, keras.layers.Dense(2, activation="prelu")(inputs))


@pytest.mark.parametrize("feature, call", [
    ("keras_activations.tflite.convert", lambda: tflite.convert(_model())),
    ("GradientFlowMonitor",
     lambda: keras_activations.GradientFlowMonitor(np.zeros((2, 3)), np.zeros((2, 2)))),
    ("kernel_gradient_norms",
     lambda: diagnostics.kernel_gradient_norms(_model(), np.zeros((2, 3)), np.zeros((2, 2)))),
    ("plot_activations", lambda: diagnostics.plot_activations(["prelu"], "unused.png")),
    ("float64 working precision", lambda: keras_activations.set_working_precision("float64")),
    ("float64 working precision",
     lambda: keras_activations.working_precision("float64").__enter__()),
])
def test_tensorflow_features_name_themselves_on_another_backend(on_jax, feature, call):
    with pytest.raises(RuntimeError, match=f"{feature} needs Keras' TensorFlow backend"):
        call()
    assert keras_activations.get_working_precision() == "float32"


def test_float32_working_precision_is_accepted_on_every_backend(on_jax):
    with keras_activations.working_precision("float32"):
        assert keras_activations.get_working_precision() == "float32"
