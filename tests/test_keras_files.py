""".keras files across releases and backends: the golden file of every
release loads and predicts as when it was saved (on TensorFlow), and a file
saved on this backend loads on the other one with the same predictions."""

import importlib.util
import os
import pathlib
import subprocess
import sys
import textwrap

import keras
import numpy as np
import pytest

from support import backend
from support import deployment_models

DATA = pathlib.Path(__file__).resolve().parent / "data"


def _release(path):
    return tuple(int(part) for part in path.stem.removeprefix("golden-").split("."))


GOLDEN = sorted(DATA.glob("golden-*.keras"), key=_release)
OTHER_BACKEND = "jax" if backend.BACKEND == "tensorflow" else "tensorflow"

RELOAD_ON_OTHER_BACKEND = textwrap.dedent("""
    import sys
    import keras
    import numpy as np
    import keras_activations

    assert keras.backend.backend() == sys.argv[2], keras.backend.backend()
    model = keras.saving.load_model(sys.argv[1] + "/model.keras")
    np.save(sys.argv[1] + "/reloaded.npy", model.predict(np.load(sys.argv[1] + "/x.npy"), verbose=0))
""")


def test_golden_files_exist_for_this_release():
    import keras_activations

    assert DATA / f"golden-{keras_activations.__version__}.keras" in GOLDEN


@pytest.mark.parametrize("path", GOLDEN, ids=lambda p: p.stem)
def test_golden_file_loads_and_predicts_as_when_saved(path):
    model = keras.saving.load_model(path)
    expected = np.load(path.parent / f"{path.stem}.npz")
    np.testing.assert_allclose(model.predict(expected["x"], verbose=0),
                               expected["predictions"], rtol=1e-5, atol=1e-6)


def test_golden_model_covers_every_activation():
    model = keras.saving.load_model(GOLDEN[-1])
    layer_names = {layer.name for layer in model.layers}
    for activation_id in deployment_models.activation_ids():
        assert f"dense_{activation_id}" in layer_names


@pytest.mark.large
@pytest.mark.skipif(importlib.util.find_spec(OTHER_BACKEND) is None,
                    reason=f"{OTHER_BACKEND} is not installed")
def test_a_file_saved_here_loads_on_the_other_backend(trained_every_activation_model, tmp_path):
    model = trained_every_activation_model
    x, _ = deployment_models.data(samples=16, seed=1)
    model.save(tmp_path / "model.keras")
    np.save(tmp_path / "x.npy", x)

    subprocess.run([sys.executable, "-c", RELOAD_ON_OTHER_BACKEND, str(tmp_path), OTHER_BACKEND],
                   check=True, timeout=300, env={**os.environ, "KERAS_BACKEND": OTHER_BACKEND})

    # Both compute in float32, with each backend's own kernels.
    np.testing.assert_allclose(np.load(tmp_path / "reloaded.npy"), model.predict(x, verbose=0),
                               rtol=1e-5, atol=1e-6)


DEPLOYING = pathlib.Path(__file__).resolve().parents[1] / "docs" / "deploying.md"


@pytest.mark.parametrize("activation, located", [
    ("leaky_relu_plus", "Could not locate function 'keras_activations>leaky_relu_plus'"),
    ("prelu_layer", "Could not locate class 'PReLU'"),
])
def test_the_error_of_a_reload_without_the_import_is_quoted_in_the_docs(
        activation, located, tmp_path, monkeypatch):
    import keras_activations

    layer = (keras_activations.PReLU() if activation == "prelu_layer"
             else keras.layers.Activation(activation))
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2), layer])
    model.save(tmp_path / "model.keras")
    # As in a process that has not imported keras_activations.
    for key in [k for k in keras.saving.get_custom_objects() if k.startswith("keras_activations>")]:
        monkeypatch.delitem(keras.saving.get_custom_objects(), key)
    with pytest.raises(TypeError, match=located):
        keras.saving.load_model(tmp_path / "model.keras")
    assert located in DEPLOYING.read_text()
