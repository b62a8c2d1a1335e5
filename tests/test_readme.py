import inspect
import pathlib
import re
import subprocess
import sys

import keras

import keras_activations

from tools import readme_tables

ROOT = pathlib.Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()


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
    # A fresh process: names that other tests register are not in it.
    script = "from tools import readme_tables; print(readme_tables.catalog_table())"
    table = subprocess.run([sys.executable, "-c", script], cwd=ROOT, check=True,
                           capture_output=True, text=True, timeout=300).stdout.strip()
    block = readme_tables.block(README, readme_tables.CATALOG_BEGIN, readme_tables.CATALOG_END)
    assert block == table, (
        "README catalogue is stale: run `python tools/readme_tables.py --write README.md`")


def test_every_stateless_name_with_arguments_has_a_configured_form():
    for name in keras_activations.names():
        activation = keras_activations.get(name)
        if isinstance(activation, keras.layers.Layer):
            continue
        arguments = list(inspect.signature(activation).parameters)[1:]
        if arguments:
            layer = getattr(keras_activations, readme_tables.CONFIGURED_FORMS[name])
            assert set(arguments) <= set(inspect.signature(layer).parameters)
