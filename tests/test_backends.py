"""Features that need TensorFlow say so, by name, on Keras' other backends;
the rest works where TensorFlow is not installed at all."""

import os
import pathlib
import subprocess
import sys

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


WITHOUT_TENSORFLOW = pathlib.Path(__file__).resolve().parents[1] / "support" / "without_tensorflow.py"
# Every name and layer trains, saves and reloads on JAX with TensorFlow absent.
EVERY_ACTIVATION_ON_JAX = """
import sys
import keras, numpy as np
from support import deployment_models

model = deployment_models.every_activation_model()
x, y = deployment_models.data()
model.compile(optimizer="adam", loss="mse")
model.fit(x, y, epochs=1, verbose=0)
model.save(sys.argv[1])
reloaded = keras.saving.load_model(sys.argv[1])
np.testing.assert_allclose(reloaded.predict(x, verbose=0), model.predict(x, verbose=0),
                           rtol=1e-6, atol=1e-6)
assert "tensorflow" not in sys.modules
print("trained, saved and reloaded on", keras.backend.backend())
"""


@pytest.mark.large
def test_every_activation_trains_saves_and_reloads_without_tensorflow(tmp_path):
    script = tmp_path / "every_activation.py"
    script.write_text(EVERY_ACTIVATION_ON_JAX)
    root = str(WITHOUT_TENSORFLOW.parents[1])
    result = subprocess.run(
        [sys.executable, str(WITHOUT_TENSORFLOW), str(script), str(tmp_path / "model.keras")],
        capture_output=True, text=True, timeout=600, cwd=root,
        env={**os.environ, "KERAS_BACKEND": "jax", "PYTHONPATH": root})
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "trained, saved and reloaded on jax" in result.stdout
