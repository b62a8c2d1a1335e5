"""Markers, as in keras-hub.

`large`: tests that take many seconds each (end-to-end examples,
distributed training, fresh processes, benchmark scripts, the per-name
TFLite and ONNX tables) run only with `--run_large`. `.ci/run` runs them
after the README's test command:

    python -m pytest -q tests --run_large -m large

`tensorflow_only`: tests of what needs TensorFlow itself (SavedModel, TFLite,
ONNX through tf2onnx, tf.distribute, the TFDS examples, TensorBoard
callbacks, graph-level checks); skipped on the other backends. `.ci/run`
runs the rest of the suite on JAX and PyTorch too (`KERAS_BACKEND=jax`,
`KERAS_BACKEND=torch`).
"""

import keras
import pytest

if keras.backend.backend() == "jax":
    import jax

    # float64 layers, inputs and references: JAX computes float64 as float32 otherwise.
    jax.config.update("jax_enable_x64", True)


def pytest_addoption(parser):
    parser.addoption("--run_large", action="store_true", default=False,
                     help="also run the tests marked large")


def pytest_configure(config):
    config.addinivalue_line("markers", "large: many seconds each; run with --run_large")
    config.addinivalue_line("markers",
                            "tensorflow_only: needs TensorFlow as Keras' backend")


def pytest_collection_modifyitems(config, items):
    skip_large = pytest.mark.skip(reason="large; run with --run_large")
    backend = keras.backend.backend()
    skip_backend = pytest.mark.skip(reason=f"needs the TensorFlow backend, not {backend}")
    for item in items:
        if "large" in item.keywords and not config.getoption("--run_large"):
            item.add_marker(skip_large)
        if "tensorflow_only" in item.keywords and backend != "tensorflow":
            item.add_marker(skip_backend)


@pytest.fixture(scope="session")
def trained_every_activation_model():
    """The model with a branch per registered name and layer, trained two
    seeded epochs; shared by the deployment and TFLite tests."""
    from support import deployment_models

    return deployment_models.trained_every_activation_model()
