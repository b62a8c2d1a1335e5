"""TFLite: every registered name and layer converts with builtin ops only and
runs in the TFLite interpreter with Keras' results; the README table is current."""

import numpy as np
import pytest

import keras_activations
from keras_activations import tflite
from tests import deployment_models
from tests.test_readme import README
from tools import readme_tables

README_ROWS = readme_tables.block(
    README, readme_tables.TFLITE_BEGIN, readme_tables.TFLITE_END).splitlines()


def test_readme_tflite_table_has_a_row_per_catalogued_name():
    # The catalogue, checked in a fresh process by test_readme, holds the
    # package's own names, without those other tests register.
    catalog = readme_tables.block(README, readme_tables.CATALOG_BEGIN, readme_tables.CATALOG_END)
    catalogued = [row.split("`")[1] for row in catalog.splitlines()[2:]]
    assert README_ROWS[:2] == readme_tables.TFLITE_HEADER.splitlines()
    assert [row.split("`")[1] for row in README_ROWS[2:]] == catalogued


@pytest.mark.parametrize("activation_id", deployment_models.activation_ids())
def test_converts_with_builtins_only_and_matches_keras(activation_id):
    model = deployment_models.single_activation_model(activation_id)
    x, _ = deployment_models.data(samples=32)
    conversion, row = readme_tables.tflite_row(activation_id, lambda: model)
    if activation_id in keras_activations.names():
        assert row in README_ROWS, (
            "README TFLite table is stale: run `python tools/readme_tables.py --write README.md`")
    assert not conversion.needs_select_tf_ops
    assert not [op for op in conversion.op_names() if op.startswith("Flex")]
    # Both compute in float32, with TensorFlow's and TFLite's own kernels.
    np.testing.assert_allclose(conversion.predict(x), model.predict(x, verbose=0),
                               rtol=1e-5, atol=1e-5)


def test_float64_working_precision_needs_select_tf_ops():
    model = deployment_models.single_activation_model("gelu_tanh")
    with keras_activations.working_precision("float64"):
        conversion = tflite.convert(model)
    assert conversion.needs_select_tf_ops
    assert any(op.startswith("Flex") for op in conversion.op_names())


def test_prelu_exported_outside_convert_is_not_fused(tmp_path):
    # `convert` traces Keras' expression for PRELU (the README table); a plain
    # export carries the faster TensorFlow form, which TFLite does not fuse.
    model = deployment_models.single_activation_model("prelu")
    model.export(str(tmp_path), format="tf_saved_model", verbose=False)
    flatbuffer = tflite._convert_saved_model(str(tmp_path), select_tf_ops=False)
    op_names = set(tflite.Conversion(flatbuffer, False).op_names())
    assert "PRELU" not in op_names
    assert {"GREATER", "SELECT_V2", "MUL"} <= op_names
