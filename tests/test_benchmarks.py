"""Smoke tests: the benchmark scripts run on tiny sizes and write their tables.

Timings are not asserted; docs/benchmarks.md holds the measured numbers.
Each script starts TensorFlow in its own process, so the module is `large`.
"""

import json
import os
import pathlib
import subprocess
import sys

import pytest

# The benchmarks time TensorFlow's graph mode and XLA.
pytestmark = [pytest.mark.large, pytest.mark.tensorflow_only]

BENCHMARKS = pathlib.Path(__file__).resolve().parents[1] / "benchmarks"


def _run(script, *args, env=None):
    result = subprocess.run([sys.executable, str(BENCHMARKS / script), *args],
                            check=True, capture_output=True, text=True, timeout=300,
                            env={**os.environ, **(env or {})})
    return result.stdout


def test_activation_speed_prints_ratios_for_every_mode(tmp_path):
    output = tmp_path / "speed.json"
    stdout = _run("activation_speed.py", "--sizes", "2048", "--repeats", "1",
                  "--names", "leaky_relu_plus", "prelu", "gelu_tanh",
                  "--json", str(output))
    for mode in ("eager", "graph", "xla"):
        assert f"**{mode}, 2,048 float32 elements**" in stdout
    rows = json.loads(output.read_text())["results"]
    timed = {(r["name"], r["variant"], r["mode"]) for r in rows}
    assert ("relu", "keras", "xla") in timed
    assert ("prelu", "keras", "graph") in timed
    assert ("leaky_relu_plus", "naive", "eager") in timed
    assert all(r["ms"] > 0 for r in rows)
    assert len([line for line in stdout.splitlines() if line.startswith("| gelu_tanh |")]) == 3


def test_activation_speed_runs_layers_in_training_on_jax_as_the_gpu_run_does(tmp_path):
    output = tmp_path / "speed.json"
    _run("activation_speed.py", "--sizes", "2048", "--repeats", "1", "--modes", "xla",
         "--names", "rrelu", "prelu", "learnable_snake", "--json", str(output),
         env={"KERAS_BACKEND": "jax", "JAX_ENABLE_X64": "1"})
    rows = json.loads(output.read_text())["results"]
    assert {(r["name"], r["mode"]) for r in rows} >= {("rrelu", "xla"), ("prelu", "xla"),
                                                       ("learnable_snake", "xla")}
    assert all(r["ms"] > 0 for r in rows)


def test_model_throughput_compares_both_models_with_relu(tmp_path):
    output = tmp_path / "models.json"
    stdout = _run("model_throughput.py", "--model", "mlp", "conv2d",
                  "--activations", "leaky_relu_plus", "prelu",
                  "--samples", "64", "--epochs", "1", "--rounds", "1",
                  "--json", str(output))
    assert "| relu |" in stdout and "| prelu |" in stdout
    rates = json.loads(output.read_text())["steps_per_second"]
    assert set(rates) == {"mlp", "conv2d"}
    for model_rates in rates.values():
        assert set(model_rates) == {"relu", "leaky_relu_plus", "prelu"}
        assert all(rate > 0 for rate in model_rates.values())


def test_kernel_costs_prints_a_ratio_per_kernel_and_mode(tmp_path):
    output = tmp_path / "kernels.json"
    stdout = _run("kernel_costs.py", "--size", "2048", "--repeats", "1",
                  "--modes", "graph", "xla", "--json", str(output))
    assert "| Relu | " in stdout and "| Sum over axis 0 | " in stdout
    times = json.loads(output.read_text())["ms"]
    assert set(times) == {"graph", "xla"}
    rows = [line for line in stdout.splitlines() if line.startswith("| ")]
    assert len(rows) == sum(len(t) + 2 for t in times.values())  # header and rule each
    assert all(ms > 0 for t in times.values() for ms in t.values())


def test_activation_speed_in_float64_working_precision(tmp_path):
    output = tmp_path / "speed.json"
    stdout = _run("activation_speed.py", "--sizes", "2048", "--repeats", "1",
                  "--modes", "graph", "--names", "gelu_tanh",
                  "--working-precision", "float64", "--json", str(output))
    assert "Working precision: float64; forward and backward pass." in stdout
    assert json.loads(output.read_text())["working_precision"] == "float64"


def test_activation_speed_times_inference_alone(tmp_path):
    output = tmp_path / "speed.json"
    stdout = _run("activation_speed.py", "--sizes", "2048", "--repeats", "1",
                  "--modes", "graph", "--names", "prelu", "softmin", "--inference",
                  "--json", str(output))
    assert "forward pass only" in stdout
    report = json.loads(output.read_text())
    assert report["inference"] is True
    assert {(r["name"], r["variant"]) for r in report["results"]} >= {
        ("prelu", "keras"), ("softmin", "keras"), ("softmin", "ours")}


def test_memory_passes_counts_relu_at_five_passes_and_sets_measured_ratios_beside(tmp_path):
    size = 8192  # per-channel parameters are an eighth of a tensor: not counted as passes
    speed = tmp_path / "speed.json"
    speed.write_text(json.dumps({"results": [
        {"name": "relu", "variant": "keras", "mode": "xla", "size": size, "ms": 2.0},
        {"name": "prelu", "variant": "ours", "mode": "xla", "size": size, "ms": 5.0}]}))
    output = tmp_path / "passes.json"
    stdout = _run("memory_passes.py", "--size", str(size), "--names", "prelu", "gelu_tanh",
                  "--speed-json", str(speed), "--json", str(output))
    rows = {(r["name"], r["variant"], r["mode"]): r
            for r in json.loads(output.read_text())["results"]}
    for mode in ("graph", "xla"):
        # relu's step reads x, writes y, reads x and dy, writes dx.
        assert rows[("relu", "keras", mode)]["passes"] == 5
        assert rows[("relu", "keras", mode)]["transcendentals"] == 0
        # A parameter gradient reads x and dy once more at least.
        assert rows[("prelu", "ours", mode)]["passes"] >= 7
        assert rows[("gelu_tanh", "keras", mode)]["transcendentals"] >= 1
        assert rows[("gelu_tanh", "ours", mode)]["transcendentals"] >= 1
    assert "| prelu | " in stdout and stdout.count("| gelu_tanh (Keras) | ") == 2
    xla_prelu = [line for line in stdout.split("**xla**")[1].splitlines()
                 if line.startswith("| prelu | ")]
    assert xla_prelu[0].endswith("| 2.50 |")
