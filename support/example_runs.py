"""Running the examples from tests: as scripts, with or without TensorFlow."""

import json
import os
import pathlib
import subprocess
import sys

import keras
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
WITHOUT_TENSORFLOW = ROOT / "support" / "without_tensorflow.py"
# The backend the runs without TensorFlow use: this process' own, which
# `.ci/run` makes JAX and then PyTorch.
BACKEND = keras.backend.backend()


def skip_unless_another_backend():
    if BACKEND == "tensorflow":
        pytest.skip("runs without TensorFlow on the JAX and PyTorch runs of .ci/run")


def run_without_tensorflow(script, *args):
    """`script` (a path, or a file of examples/) on this process' backend, in
    a process where TensorFlow cannot be imported; the CompletedProcess."""
    skip_unless_another_backend()
    path = pathlib.Path(script) if os.path.isabs(script) else EXAMPLES / script
    return subprocess.run(
        [sys.executable, str(WITHOUT_TENSORFLOW), str(path), *map(str, args)],
        capture_output=True, text=True, timeout=600, cwd=str(ROOT),
        env={**os.environ, "KERAS_BACKEND": BACKEND, "PYTHONPATH": str(ROOT)})


def check_losses_results(output_dir, epochs):
    """What `examples/losses.py` must have written to `output_dir`."""
    results = {r["task"]: r for r in json.loads((output_dir / "results.json").read_text())}
    assert set(results) == {"mean_squared_error", "binary_crossentropy_mean",
                            "binary_crossentropy_sum", "categorical_crossentropy",
                            "sparse_categorical_crossentropy"}
    assert results["binary_crossentropy_sum"]["reduction"] == "sum"
    assert results["binary_crossentropy_mean"]["reduction"] == "sum_over_batch_size"
    # Same data and loss, summed over the test set instead of averaged.
    assert results["binary_crossentropy_sum"]["test_loss"] > 10 * results[
        "binary_crossentropy_mean"]["test_loss"]
    # The same loss on one-hot and on integer labels, seeded alike.
    assert results["categorical_crossentropy"]["test_loss"] == pytest.approx(
        results["sparse_categorical_crossentropy"]["test_loss"], rel=1e-5)
    for result in results.values():
        assert result["first_epoch_s"] > 0
        assert (result["epoch_s"] is None) == (epochs == 1)
    assert "| sparse_categorical_crossentropy | sklearn_digits |" in (
        output_dir / "results.md").read_text()
