import pathlib
import re
import subprocess
import sys

from keras_activations import catalog

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
    table = subprocess.run(
        [sys.executable, "-m", "keras_activations.catalog"],
        check=True, capture_output=True, text=True, timeout=300,
    ).stdout.strip()
    block = README.split(catalog.BEGIN, 1)[1].split(catalog.END, 1)[0].strip()
    assert block == table, (
        "README catalogue is stale: run "
        "`python -m keras_activations.catalog --write README.md`"
    )


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    assert "README.md" in ci and "sed -n 2p" in ci
