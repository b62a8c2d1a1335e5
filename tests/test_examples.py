"""Every example end to end with tiny settings, offline.

Examples run as scripts in subprocesses (each configures TensorFlow's devices
and precision for its own process), except where TFDS' mock data must be
active in the same process.
"""

import csv
import importlib
import json
import os
import pathlib
import re
import socket
import subprocess
import sys

import numpy as np
import pytest
import tensorflow_datasets as tfds

EXAMPLES = pathlib.Path(__file__).resolve().parents[1] / "examples"
sys.path.insert(0, str(EXAMPLES))

import compare_activations  # noqa: E402
import example_utils  # noqa: E402
import swap_activations  # noqa: E402
from support import example_runs  # noqa: E402

# the examples load data with TFDS and use tf.distribute.
pytestmark = pytest.mark.tensorflow_only


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    return str(tmp_path_factory.mktemp("tfds"))


def _run(script, *args, env=None, timeout=600):
    result = subprocess.run([sys.executable, str(EXAMPLES / script), *map(str, args)],
                            capture_output=True, text=True, timeout=timeout,
                            env={**os.environ, **(env or {})})
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result


def _run_example(script, *args, env=None, timeout=600):
    return _run(script, *args, env=env, timeout=timeout).stdout


def test_quickstart_trains_saves_reloads_and_exports(tmp_path):
    data_dir = tmp_path / "tfds"
    result = _run("quickstart.py", "--epochs", 1, "--output-dir", tmp_path,
                  "--data-dir", data_dir)
    stdout = result.stdout
    # Quiet by default, and true: no TFDS notes about a fresh data directory,
    # and the offline builder says it prepared (not downloaded) the data.
    assert "Variant folder" not in result.stderr
    assert f"Prepared sklearn_digits in {data_dir}" in stdout
    assert "downloaded and prepared" not in stdout
    assert "devices: CPU; 1 replica(s)" in stdout
    assert "same predictions" in stdout
    assert "serving signature gives the same predictions" in stdout
    for path in ("model.keras", "saved_model/saved_model.pb", "examples.npy"):
        assert (tmp_path / path).is_file()


@pytest.mark.large
def test_quickstart_mirrored_on_two_logical_cpus_with_mixed_precision(tmp_path, data_dir):
    stdout = _run_example("quickstart.py", "--epochs", 1, "--output-dir", tmp_path,
                          "--data-dir", data_dir, "--strategy", "mirrored",
                          "--logical-cpus", 2, "--mixed-precision")
    assert "2 replica(s) (MirroredStrategy); policy mixed_bfloat16" in stdout
    assert "same predictions" in stdout


@pytest.mark.large
def test_quickstart_with_xla(tmp_path, data_dir):
    stdout = _run_example("quickstart.py", "--epochs", 1, "--output-dir", tmp_path,
                          "--data-dir", data_dir, "--jit-compile")
    assert "serving signature gives the same predictions" in stdout


@pytest.mark.large
def test_xla_with_replicas_on_cpu_devices_is_refused(tmp_path):
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / "quickstart.py"), "--strategy", "mirrored",
         "--logical-cpus", "2", "--jit-compile", "--output-dir", str(tmp_path)],
        capture_output=True, text=True, timeout=300)
    assert result.returncode != 0
    assert "--jit-compile needs one replica per GPU" in result.stderr


def _free_ports(count):
    sockets = [socket.socket() for _ in range(count)]
    for s in sockets:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


@pytest.mark.large
def test_quickstart_multi_worker_on_two_local_workers(tmp_path, data_dir):
    workers = [f"127.0.0.1:{port}" for port in _free_ports(2)]
    processes = []
    for index in range(2):
        config = {"cluster": {"worker": workers}, "task": {"type": "worker", "index": index}}
        processes.append(subprocess.Popen(
            [sys.executable, str(EXAMPLES / "quickstart.py"), "--epochs", "1",
             "--strategy", "multi-worker", "--output-dir", str(tmp_path / "out"),
             "--data-dir", data_dir],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env={**os.environ, "TF_CONFIG": json.dumps(config)}))
    outputs = []
    try:
        for process in processes:
            stdout, stderr = process.communicate(timeout=300)
            assert process.returncode == 0, stderr[-3000:]
            outputs.append(stdout)
    finally:
        for process in processes:
            process.kill()
    for stdout in outputs:
        assert "2 replica(s) (CollectiveAllReduceStrategy)" in stdout
    # Synchronous training: both workers end with the same test metrics.
    assert [line for line in outputs[0].splitlines() if line.startswith("test loss")] == \
        [line for line in outputs[1].splitlines() if line.startswith("test loss")]
    assert (tmp_path / "out" / "model.keras").is_file()


@pytest.mark.large
def test_losses_example_fits_every_documented_loss(tmp_path, data_dir):
    _run_example("losses.py", "--epochs", 1, "--output-dir", tmp_path, "--data-dir", data_dir)
    example_runs.check_losses_results(tmp_path, epochs=1)


@pytest.mark.large
def test_comparison_writes_table_csv_and_learning_curves(tmp_path, data_dir):
    stdout = _run_example("compare_activations.py", "--epochs", 2, "--seeds", 2,
                          "--activations", "relu", "leaky_relu_plus", "prelu",
                          "--hidden-units", 32, "--output-dir", tmp_path,
                          "--data-dir", data_dir)
    assert "784 inputs" in stdout
    with open(tmp_path / "runs.csv") as file:
        rows = list(csv.DictReader(file))
    assert len(rows) == 3 * 2 * 2
    assert {row["activation"] for row in rows} == {"relu", "leaky_relu_plus", "prelu"}
    summary = (tmp_path / "summary.md").read_text()
    assert summary.count("\n") == 2 + 3
    assert (tmp_path / "learning_curves.png").read_bytes()[:4] == b"\x89PNG"


@pytest.mark.large
def test_swap_example_fine_tunes_the_swapped_model_and_reloads_it(tmp_path, data_dir):
    stdout = _run_example("swap_activations.py", "--epochs", 1, "--fine-tune-epochs", 1,
                          "--output-dir", tmp_path, "--data-dir", data_dir)
    assert "fine-tuning (relu -> prelu), 1 epochs" in stdout
    assert "reloaded with the same predictions" in stdout
    rows = (tmp_path / "summary.md").read_text().splitlines()[2:]
    assert [row.split(" | ")[0] for row in rows] == [
        "| pretrained (1 epochs, relu)", "| + 1 epochs fine-tuning, relu kept",
        "| + 1 epochs fine-tuning after relu -> prelu"]
    for path in ("pretrained.keras", "fine_tuned.keras"):
        assert (tmp_path / path).is_file()


def test_swap_example_refuses_a_malformed_replacement(capsys):
    with pytest.raises(SystemExit):
        swap_activations.parse_args(["--replace", "relu"])
    assert "OLD=NEW" in capsys.readouterr().err


def test_comparison_on_mnist_through_tfds_mock_data(tmp_path, capsys):
    with tfds.testing.mock_data(num_examples=64):
        compare_activations.main(["--dataset", "mnist", "--epochs", "1", "--seeds", "1",
                                  "--activations", "leaky_relu_plus", "--hidden-units", "16",
                                  "--output-dir", str(tmp_path)])
    assert "dataset mnist: 64 train, 64 test examples, 784 inputs" in capsys.readouterr().out
    assert (tmp_path / "summary.md").is_file()


def test_missing_dataset_gives_a_clear_error(tmp_path):
    with pytest.raises(example_utils.DatasetUnavailableError, match="--data-dir"):
        example_utils.load_split("mnist", "train", data_dir=str(tmp_path), download=False)


def _shared_flags():
    guide = (EXAMPLES.parent / "docs" / "examples.md").read_text()
    section = guide.split("Flags shared by the training examples", 1)[1].split("```sh", 1)[0]
    return sorted(set(re.findall(r"`(--[a-z-]+)", section)))


@pytest.mark.parametrize("module", ["quickstart", "losses", "compare_activations",
                                    "swap_activations"])
def test_every_flag_the_guide_calls_shared_exists_on_every_example(module, capsys):
    flags = _shared_flags()
    assert {"--data-dir", "--epochs", "--strategy", "--jit-compile"} <= set(flags)
    with pytest.raises(SystemExit):
        importlib.import_module(module).parse_args(["--help"])
    usage = capsys.readouterr().out
    assert [flag for flag in flags if flag not in usage] == []


@pytest.mark.parametrize("module", ["quickstart", "losses", "compare_activations",
                                    "swap_activations", "serving_client"])
def test_every_flag_has_help_with_its_default(module, capsys):
    with pytest.raises(SystemExit):
        importlib.import_module(module).parse_args(["--help"])
    usage = capsys.readouterr().out
    options = usage.split("options:")[1]
    # One block per option: its flags, then its help, wrapped or not.
    blocks = [" ".join(block.split()) for block in re.split(r"\n  (?=-)", options)]
    for block in blocks[1:]:
        flags_only = block.startswith(("-h", "--mixed-precision", "--verbose"))
        assert "(default: " in block or flags_only, block


def test_serving_client_with_missing_examples_says_so_in_one_line(tmp_path):
    import serving_client

    with pytest.raises(SystemExit) as exit_info:
        serving_client.main(["--examples", str(tmp_path / "missing.npy")])
    message = str(exit_info.value)
    assert "cannot read examples from" in message and "\n" not in message


def test_serving_client_without_a_server_says_so_in_one_line(tmp_path):
    import serving_client

    np.save(tmp_path / "examples.npy", np.zeros((2, 3), "float32"))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(SystemExit) as exit_info:
        serving_client.main(["--examples", str(tmp_path / "examples.npy"),
                             "--url", f"http://127.0.0.1:{port}/v1/models/m:predict"])
    message = str(exit_info.value)
    assert "cannot reach" in message and "\n" not in message
