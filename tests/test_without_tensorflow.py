"""What runs where TensorFlow is not installed, as on a JAX-only GPU machine:
every name and layer, and the training examples on arrays of the offline
splits. Each test runs a fresh process on this run's backend (JAX or PyTorch)
in which TensorFlow cannot be imported (`support/without_tensorflow.py`)."""

import sys

import numpy as np
import pytest

from support import example_runs

sys.path.insert(0, str(example_runs.EXAMPLES))

import example_utils  # noqa: E402

EVERY_ACTIVATION = """
import sys
import keras, numpy as np
from support import deployment_models

model = deployment_models.every_activation_model()
x, y = deployment_models.data()
model.compile(optimizer="adam", loss="mse")
model.fit(x, y, epochs=1, verbose=0)
model.save(sys.argv[1])
reloaded = keras.saving.load_model(sys.argv[1])
np.testing.assert_allclose(reloaded.predict(x, verbose=0), model.predict(x, verbose=0),
                           rtol=1e-6, atol=1e-6)
assert "tensorflow" not in sys.modules
print("trained, saved and reloaded on", keras.backend.backend())
"""


def _succeeded(result):
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result.stdout


@pytest.mark.large
def test_every_activation_trains_saves_and_reloads(tmp_path):
    script = tmp_path / "every_activation.py"
    script.write_text(EVERY_ACTIVATION)
    stdout = _succeeded(example_runs.run_without_tensorflow(script, tmp_path / "model.keras"))
    assert f"trained, saved and reloaded on {example_runs.BACKEND}" in stdout


@pytest.mark.large
def test_losses_example_fits_from_arrays(tmp_path):
    stdout = _succeeded(example_runs.run_without_tensorflow(
        "losses.py", "--epochs", 2, "--output-dir", tmp_path))
    assert ("devices: CPU; 1 replica(s) (SingleDevice); policy float32; "
            f"Keras backend {example_runs.BACKEND}") in stdout
    example_runs.check_losses_results(tmp_path, epochs=2)


@pytest.mark.large
@pytest.mark.parametrize("script, args, output", [
    ("swap_activations.py", ["--epochs", 1, "--fine-tune-epochs", 1], "fine_tuned.keras"),
    ("compare_activations.py", ["--epochs", 1, "--seeds", 1, "--activations", "prelu"],
     "summary.md"),
])
def test_other_training_examples_run(script, args, output, tmp_path):
    stdout = _succeeded(example_runs.run_without_tensorflow(
        script, *args, "--output-dir", tmp_path))
    assert f"Keras backend {example_runs.BACKEND}" in stdout
    assert (tmp_path / output).is_file()


@pytest.mark.large
def test_quickstart_and_tf_distribute_say_they_need_tensorflow(tmp_path):
    quickstart = example_runs.run_without_tensorflow("quickstart.py", "--output-dir", tmp_path)
    assert quickstart.returncode != 0
    assert "exports a SavedModel for TF Serving, which needs TensorFlow" in quickstart.stderr
    mirrored = example_runs.run_without_tensorflow(
        "losses.py", "--strategy", "mirrored", "--output-dir", tmp_path)
    assert mirrored.returncode != 0
    assert "--strategy mirrored and --logical-cpus need Keras' TensorFlow backend" in (
        mirrored.stderr)


def test_array_batches_cover_every_example_once_per_epoch_in_a_seeded_order():
    inputs, targets = np.arange(10.0)[:, None], np.arange(10)

    def epochs(seed, count=2):
        batches = example_utils.ArrayBatches(inputs, targets, batch_size=4, shuffle_seed=seed)
        orders = []
        for _ in range(count):
            parts = [batches[index] for index in range(len(batches))]
            assert [len(x) for x, _ in parts] == [4, 4, 2]
            assert all(np.array_equal(x[:, 0], y) for x, y in parts)
            orders.append(np.concatenate([y for _, y in parts]))
            batches.on_epoch_end()
        return orders

    first, second = epochs(seed=0)
    assert sorted(first) == sorted(second) == list(range(10))
    assert not np.array_equal(first, second)
    assert all(np.array_equal(a, b) for a, b in zip(epochs(seed=0), (first, second)))
    assert all(np.array_equal(order, np.arange(10)) for order in epochs(seed=None))
