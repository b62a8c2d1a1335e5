"""TFLite: every registered name and layer converts with builtin ops only and
runs in the LiteRT interpreter with Keras' results; PReLU lowers to PRELU
wherever TFLite has it; the table of docs/deploying.md is current (large)."""

import keras
import numpy as np
import pytest

import keras_activations
from keras_activations import tflite
from support import deployment_models
from tools import doc_tables

# TFLite converts TensorFlow graphs.
pytestmark = pytest.mark.tensorflow_only

TABLE_ROWS = doc_tables.block(
    doc_tables.DEPLOYING.read_text(), doc_tables.TFLITE_BEGIN, doc_tables.TFLITE_END).splitlines()


def test_tflite_table_has_a_row_per_catalogued_name():
    catalog = doc_tables.block(doc_tables.README.read_text(), doc_tables.CATALOG_BEGIN, doc_tables.CATALOG_END)
    catalogued = [row.split("`")[1] for row in catalog.splitlines()[2:]]
    assert TABLE_ROWS[:2] == doc_tables.TFLITE_HEADER.splitlines()
    assert [row.split("`")[1] for row in TABLE_ROWS[2:]] == catalogued


def test_every_activation_converts_with_builtins_only_and_matches_keras(
        trained_every_activation_model):
    # One conversion of the model with a branch per name and layer; the
    # per-name conversions of the table follow (large).
    model = trained_every_activation_model
    x, _ = deployment_models.data(samples=32, seed=1)
    conversion = tflite.convert(model)
    assert not conversion.needs_select_tf_ops
    assert not [op for op in conversion.op_names() if op.startswith("Flex")]
    # Both compute in float32, with TensorFlow's and TFLite's own kernels.
    np.testing.assert_allclose(conversion.predict(x), model.predict(x, verbose=0),
                               rtol=1e-5, atol=1e-5)


@pytest.mark.large
@pytest.mark.parametrize("activation_id", deployment_models.activation_ids())
def test_each_activation_converts_as_its_table_row_says(activation_id):
    model = deployment_models.single_activation_model(activation_id)
    x, _ = deployment_models.data(samples=32)
    conversion, row = doc_tables.tflite_row(activation_id, lambda: model)
    if activation_id in keras_activations.names():
        assert row in TABLE_ROWS, (
            "docs/deploying.md TFLite table is stale: run `python tools/doc_tables.py --write`")
    assert not conversion.needs_select_tf_ops
    np.testing.assert_allclose(conversion.predict(x), model.predict(x, verbose=0),
                               rtol=1e-5, atol=1e-5)


def test_float64_working_precision_needs_select_tf_ops():
    model = deployment_models.single_activation_model("gelu_tanh")
    with keras_activations.working_precision("float64"):
        conversion = tflite.convert(model)
    assert conversion.needs_select_tf_ops
    assert any(op.startswith("Flex") for op in conversion.op_names())


def test_prelu_exported_outside_convert_is_not_fused(tmp_path):
    # `convert` traces Keras' expression for PRELU; the layer's own, faster
    # TensorFlow form, which a plain export carries, TFLite does not fuse.
    model = deployment_models.single_activation_model("prelu")
    model.export(str(tmp_path), format="tf_saved_model", verbose=False)
    flatbuffer = tflite._convert_saved_model(str(tmp_path), select_tf_ops=False)
    op_names = set(tflite.Conversion(flatbuffer, False).op_names())
    assert "PRELU" not in op_names
    assert {"GREATER", "SELECT_V2", "MUL"} <= op_names


def _conv_model(shape, conv, activation=None, layer=None):
    inputs = keras.Input(shape)
    hidden = conv(4, 3, padding="same", activation=activation)(inputs)
    return keras.Model(inputs, layer(hidden) if layer is not None else hidden)


PRELU_PLACEMENTS = {
    "dense_layer": lambda: keras.Sequential(
        [keras.Input((8,)), keras.layers.Dense(4), keras_activations.PReLU()]),
    "conv1d_string": lambda: _conv_model((8, 3), keras.layers.Conv1D, "prelu"),
    "conv1d_shared": lambda: _conv_model((8, 3), keras.layers.Conv1D,
                                         layer=keras_activations.PReLU(shared_axes=[1])),
    "conv2d_string": lambda: _conv_model((6, 6, 3), keras.layers.Conv2D, "prelu"),
    "conv2d_per_element": lambda: _conv_model((6, 6, 3), keras.layers.Conv2D,
                                              layer=keras_activations.PReLU(shared_axes=[])),
    "conv2d_shared": lambda: _conv_model((6, 6, 3), keras.layers.Conv2D,
                                         layer=keras_activations.PReLU(shared_axes=[1, 2])),
    "nested_sequential": lambda: keras.Sequential([
        keras.Input((6, 6, 3)),
        keras.Sequential([keras.layers.Conv2D(4, 3, activation="prelu")]),
        keras.layers.Flatten(), keras.layers.Dense(2)]),
}


@pytest.mark.parametrize("placement", PRELU_PLACEMENTS)
def test_every_prelu_placement_lowers_to_tflite_prelu(placement):
    model = PRELU_PLACEMENTS[placement]()
    x = np.random.default_rng(0).standard_normal((2,) + model.input_shape[1:]).astype("float32")
    conversion = tflite.convert(model)
    assert "PRELU" in conversion.op_names() and not conversion.needs_select_tf_ops
    np.testing.assert_allclose(conversion.predict(x), model.predict(x, verbose=0),
                               rtol=1e-5, atol=1e-6)


def test_prelu_on_rank_5_inputs_converts_without_prelu():
    # TFLite's PRELU has no rank-5 kernel (Keras' own PReLU after a Conv3D
    # does not convert at all); ours converts to a select instead.
    model = _conv_model((4, 4, 4, 3), keras.layers.Conv3D, "prelu")
    x = np.random.default_rng(0).standard_normal((2, 4, 4, 4, 3)).astype("float32")
    conversion = tflite.convert(model)
    assert not conversion.needs_select_tf_ops and "PRELU" not in conversion.op_names()
    np.testing.assert_allclose(conversion.predict(x), model.predict(x, verbose=0),
                               rtol=1e-5, atol=1e-6)


def _prelu_weights(model):
    return {w.path: w.numpy() for w in model.weights}


@pytest.mark.parametrize("placement", PRELU_PLACEMENTS)
def test_convert_traces_the_same_values_and_leaves_the_model_alone(placement):
    model = PRELU_PLACEMENTS[placement]()
    x = np.random.default_rng(1).standard_normal((2,) + model.input_shape[1:]).astype("float32")
    before, weights = model.predict(x, verbose=0), _prelu_weights(model)
    fusable = tflite._with_fusable_prelu(model)
    # x * where(x > 0, 1, a) and relu(x) + (-a) relu(-x) round alike.
    np.testing.assert_array_equal(fusable.predict(x, verbose=0), before)
    tflite.convert(model)
    after = _prelu_weights(model)
    assert after.keys() == weights.keys()
    assert all(np.array_equal(after[path], weights[path]) for path in weights)
    assert [type(layer) for layer in model.layers] == [
        type(layer) for layer in PRELU_PLACEMENTS[placement]().layers]


class SubclassedModel(keras.Model):
    def __init__(self):
        super().__init__()
        self.dense = keras.layers.Dense(4, activation="prelu")

    def call(self, inputs):
        return self.dense(inputs)


def test_subclassed_model_converts_with_prelu_unfused():
    model = SubclassedModel()
    x = np.random.default_rng(0).standard_normal((2, 8)).astype("float32")
    model(x)
    conversion = tflite.convert(model)
    assert "PRELU" not in conversion.op_names() and not conversion.needs_select_tf_ops
    np.testing.assert_allclose(conversion.predict(x), model.predict(x, verbose=0),
                               rtol=1e-5, atol=1e-6)
