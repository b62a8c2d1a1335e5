"""ONNX: a model with every registered name and layer exports through Keras'
exporter and runs in onnxruntime, without Keras, with Keras' results; ops
ONNX lacks are named, not written into an invalid file; the table of
docs/deploying.md is current (large)."""

import subprocess
import sys
import textwrap

import keras
import numpy as np
import pytest

from keras_activations import onnx as onnx_export
from support import deployment_models
from tools import doc_tables

# Keras exports ONNX through tf2onnx on TensorFlow (jax2onnx on JAX is not tested).
pytestmark = pytest.mark.tensorflow_only

TABLE_ROWS = doc_tables.block(
    doc_tables.DEPLOYING.read_text(), doc_tables.ONNX_BEGIN, doc_tables.ONNX_END).splitlines()

RUN_WITHOUT_KERAS = textwrap.dedent("""
    import sys
    import numpy as np
    import onnxruntime

    session = onnxruntime.InferenceSession(sys.argv[1], providers=["CPUExecutionProvider"])
    (inputs,) = session.get_inputs()
    np.save(sys.argv[3], session.run(None, {inputs.name: np.load(sys.argv[2])})[0])
    loaded = {"keras", "keras_activations", "tensorflow"} & set(sys.modules)
    assert not loaded, loaded
""")


def test_onnx_table_has_a_row_per_catalogued_name():
    catalog = doc_tables.block(doc_tables.README.read_text(), doc_tables.CATALOG_BEGIN,
                               doc_tables.CATALOG_END)
    catalogued = [row.split("`")[1] for row in catalog.splitlines()[2:]]
    assert TABLE_ROWS[:2] == doc_tables.ONNX_HEADER.splitlines()
    assert [row.split("`")[1] for row in TABLE_ROWS[2:]] == catalogued


def test_every_activation_runs_in_onnxruntime_without_keras(
        trained_every_activation_model, tmp_path):
    model = trained_every_activation_model
    x, _ = deployment_models.data(samples=32, seed=1)
    path = tmp_path / "every_activation.onnx"
    model.export(path, format="onnx", verbose=False)  # Keras' own exporter, as users call it
    np.save(tmp_path / "x.npy", x)

    subprocess.run([sys.executable, "-c", RUN_WITHOUT_KERAS, str(path), str(tmp_path / "x.npy"),
                    str(tmp_path / "y.npy")], check=True, timeout=300)

    np.testing.assert_allclose(np.load(tmp_path / "y.npy"), model.predict(x, verbose=0),
                               rtol=1e-5, atol=1e-5)
    assert onnx_export.OnnxModel(str(path)).op_types()  # a valid graph, read back


def test_an_op_onnx_lacks_is_named_with_its_layer_and_no_file_is_left(tmp_path):
    def textbook_elu(x):
        return keras.ops.expm1(keras.ops.minimum(x, 0.0)) + keras.ops.relu(x)

    inputs = keras.Input((3,))
    model = keras.Model(inputs, keras.layers.Dense(2, activation=textbook_elu,
                                                   name="dense_textbook_elu")(inputs))
    model(np.zeros((1, 3), "float32"))
    path = tmp_path / "model.onnx"
    with pytest.raises(ValueError, match=r"op\(s\) Expm1 used by .*dense_textbook_elu"):
        onnx_export.export(model, path)
    assert not path.exists()


def test_a_model_fresh_from_load_model_exports(tmp_path):
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, activation="prelu"),
                              keras.layers.Dense(2, activation="gelu_tanh")])
    x = np.random.default_rng(0).standard_normal((4, 3)).astype("float32")
    expected = model.predict(x, verbose=0)
    model.save(tmp_path / "model.keras")
    reloaded = keras.saving.load_model(tmp_path / "model.keras")
    exported = onnx_export.export(reloaded, tmp_path / "model.onnx")
    np.testing.assert_allclose(exported.predict(x), expected, rtol=1e-5, atol=1e-6)


def test_keras_without_an_onnx_exporter_is_refused_clearly(monkeypatch, tmp_path):
    monkeypatch.setattr(keras, "__version__", "3.7.0")
    with pytest.raises(RuntimeError, match="needs Keras >= 3.8"):
        onnx_export.export(deployment_models.single_activation_model("prelu"),
                           tmp_path / "model.onnx")


@pytest.mark.large
@pytest.mark.parametrize("activation_id", deployment_models.activation_ids())
def test_each_activation_exports_as_its_table_row_says(activation_id, tmp_path):
    model = deployment_models.single_activation_model(activation_id)
    x, _ = deployment_models.data(samples=32)
    model(x[:1])
    exported, row = doc_tables.onnx_row(activation_id, model, tmp_path)
    if activation_id in doc_tables.package_names():
        assert row in TABLE_ROWS, (
            "docs/deploying.md ONNX table is stale: run `python tools/doc_tables.py --write`")
    np.testing.assert_allclose(exported.predict(x), model.predict(x, verbose=0),
                               rtol=1e-5, atol=1e-5)
