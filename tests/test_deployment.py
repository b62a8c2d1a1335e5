"""Deployment paths, checked for every registered name and layer at once.

- `.keras`: a fresh process with only `import keras_activations` reloads a
  model with identical weights and predictions (golden files and other
  backends: tests/test_keras_files.py).
- SavedModel: a fresh process that imports TensorFlow but not
  keras_activations serves the export through TF Serving's loader path, and
  the graph holds only ops registered in core TensorFlow.
- The REST client example builds TF Serving's `{"instances": ...}` request.
"""

import json
import pathlib
import subprocess
import sys
import textwrap
import threading
from http.server import BaseHTTPRequestHandler
from http.server import HTTPServer

import numpy as np
import pytest

from support import deployment_models

# SavedModel export and TF Serving.
pytestmark = pytest.mark.tensorflow_only

EXAMPLES = pathlib.Path(__file__).resolve().parents[1] / "examples"


def _run_python(script, *args):
    result = subprocess.run([sys.executable, "-c", script, *map(str, args)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-4000:]
    return result.stdout


@pytest.fixture(scope="module")
def trained(tmp_path_factory, trained_every_activation_model):
    """The every-activation model, trained, with its .keras file and export."""
    directory = tmp_path_factory.mktemp("deployment")
    model = trained_every_activation_model
    x, _ = deployment_models.data(samples=16, seed=1)
    model.save(directory / "model.keras")
    model.export(directory / "saved_model", format="tf_saved_model", verbose=False)
    np.save(directory / "x.npy", x)
    np.save(directory / "predictions.npy", model.predict(x, verbose=0))
    np.savez(directory / "weights.npz", *model.get_weights())
    return directory


FRESH_KERAS_RELOAD = textwrap.dedent("""
    import sys
    import keras
    import numpy as np
    import keras_activations

    # The one import is enough for the submodules users call too.
    assert callable(keras_activations.tflite.convert)
    directory = sys.argv[1]
    model = keras.saving.load_model(f"{directory}/model.keras")
    saved = np.load(f"{directory}/weights.npz")
    weights = model.get_weights()
    assert len(weights) == len(saved.files)
    for i, weight in enumerate(weights):
        np.testing.assert_array_equal(weight, saved[f"arr_{i}"])
    predictions = model.predict(np.load(f"{directory}/x.npy"), verbose=0)
    np.testing.assert_array_equal(predictions, np.load(f"{directory}/predictions.npy"))
    print("identical", len(weights))
""")


def test_keras_file_reloads_identically_in_a_fresh_process(trained):
    assert _run_python(FRESH_KERAS_RELOAD, trained).startswith("identical")


SERVE_WITHOUT_KERAS_ACTIVATIONS = textwrap.dedent("""
    import sys
    import numpy as np
    import tensorflow as tf
    from tensorflow.python.framework import op_def_registry

    directory = sys.argv[1]
    path = f"{directory}/saved_model"
    x = np.load(f"{directory}/x.npy")
    expected = np.load(f"{directory}/predictions.npy")

    # TF Serving's path: a v1 session, the "serve" tag, the signature's tensors.
    with tf.compat.v1.Session(graph=tf.Graph()) as session:
        meta_graph = tf.compat.v1.saved_model.loader.load(session, ["serve"], path)
        signature = meta_graph.signature_def["serving_default"]
        (input_info,) = signature.inputs.values()
        (output_info,) = signature.outputs.values()
        served = session.run(output_info.name, {input_info.name: x})
    np.testing.assert_allclose(served, expected, rtol=1e-5, atol=1e-6)

    serving_default = tf.saved_model.load(path).signatures["serving_default"]
    (loaded,) = serving_default(tf.constant(x)).values()
    np.testing.assert_allclose(loaded.numpy(), expected, rtol=1e-5, atol=1e-6)

    graph = meta_graph.graph_def
    op_types = {node.op for node in graph.node}
    for function in graph.library.function:
        op_types |= {node.op for node in function.node_def}
    function_names = {function.signature.name for function in graph.library.function}
    kernels = op_types - function_names
    unregistered = sorted(op for op in kernels if op_def_registry.get(op) is None)
    assert not unregistered, unregistered
    python_ops = sorted(kernels & {"PyFunc", "PyFuncStateless", "EagerPyFunc"})
    assert not python_ops, python_ops
    assert "keras_activations" not in sys.modules
    print("served", len(kernels), "op types:", " ".join(sorted(kernels)))
""")


def test_saved_model_serves_in_a_process_without_keras_activations(trained):
    output = _run_python(SERVE_WITHOUT_KERAS_ACTIVATIONS, trained)
    assert output.startswith("served")


class _FakeServing(BaseHTTPRequestHandler):
    """Answers TF Serving's REST predict API from a loaded SavedModel."""

    predict = None
    requests = []

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.requests.append((self.path, body))
        predictions = type(self).predict(np.asarray(body["instances"], "float32"))
        reply = json.dumps({"predictions": predictions.tolist()}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, *args):
        pass


def test_serving_client_sends_instances_and_reads_predictions(trained):
    import tensorflow as tf

    signature = tf.saved_model.load(str(trained / "saved_model")).signatures["serving_default"]
    _FakeServing.predict = lambda x: next(iter(signature(tf.constant(x)).values())).numpy()
    server = HTTPServer(("127.0.0.1", 0), _FakeServing)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/v1/models/every_activation:predict"
        result = subprocess.run(
            [sys.executable, str(EXAMPLES / "serving_client.py"),
             "--examples", str(trained / "x.npy"), "--count", "3", "--url", url],
            check=True, capture_output=True, text=True, timeout=120)
    finally:
        server.shutdown()
    path, body = _FakeServing.requests[-1]
    assert path == "/v1/models/every_activation:predict"
    x = np.load(trained / "x.npy")
    np.testing.assert_allclose(body["instances"], x[:3])
    printed = json.loads(result.stdout)
    np.testing.assert_allclose(printed["predictions"],
                               np.load(trained / "predictions.npy")[:3], rtol=1e-5, atol=1e-6)


def test_serving_client_prints_the_request_body_without_url(trained):
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / "serving_client.py"),
         "--examples", str(trained / "x.npy"), "--count", "2"],
        check=True, capture_output=True, text=True, timeout=120)
    body = json.loads(result.stdout)
    assert list(body) == ["instances"]
    np.testing.assert_allclose(body["instances"], np.load(trained / "x.npy")[:2])
