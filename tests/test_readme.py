import inspect
import pathlib
import re

import keras

import keras_activations

from tools import doc_tables

ROOT = pathlib.Path(__file__).resolve().parents[1]
README = doc_tables.README.read_text()


def quickstart_lines():
    section = README.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", section, flags=re.S)
    assert len(blocks) == 1, "Quickstart holds exactly one sh block"
    return blocks[0].strip().splitlines()


def test_quickstart_is_two_lines_main_job_then_tests():
    main_job, tests = quickstart_lines()
    assert "examples/quickstart.py" in main_job
    assert "pytest" in tests


def test_catalogue_in_readme_is_regenerated():
    # Names other tests register are not the package's, and not catalogued.
    block = doc_tables.block(README, doc_tables.CATALOG_BEGIN, doc_tables.CATALOG_END)
    assert block == doc_tables.catalog_table(), (
        "README catalogue is stale: run `python tools/doc_tables.py --write`")


def test_user_registered_names_are_not_catalogued():
    keras_activations.register("readme_test_cube", _cube, formula="x^3")
    assert "readme_test_cube" in keras_activations.names()
    assert "readme_test_cube" not in doc_tables.package_names()
    assert doc_tables.package_names() == [
        row.split("`")[1] for row in doc_tables.catalog_table().splitlines()[2:]]


def _cube(x):
    return x * x * x


def test_every_stateless_name_with_arguments_has_a_configured_form():
    for name in keras_activations.names():
        activation = keras_activations.get(name)
        if isinstance(activation, keras.layers.Layer):
            continue
        arguments = list(inspect.signature(activation).parameters)[1:]
        if arguments:
            layer = getattr(keras_activations, doc_tables.CONFIGURED_FORMS[name])
            assert set(arguments) <= set(inspect.signature(layer).parameters)
