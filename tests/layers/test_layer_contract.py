"""The shared layer contract, applied to every layer, and the checks that need
a fresh process: reload of `.keras` files and tf.distribute."""

import pathlib
import subprocess
import sys
import textwrap

import pytest

from tests.layers import layer_contract
from tests.layers.cases import CASES


@pytest.mark.parametrize("check", layer_contract.CHECKS, ids=lambda c: c.__name__)
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_layer_contract(case, check):
    check(case)


MIRRORED_ROUND_TRIP = textwrap.dedent("""
    import sys
    import numpy as np
    import tensorflow as tf
    cpu = tf.config.list_physical_devices("CPU")[0]
    tf.config.set_logical_device_configuration(
        cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
    import keras
    from tests.layers.cases import CASES

    directory = sys.argv[1]
    strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
    assert strategy.num_replicas_in_sync == 2
    x = np.random.default_rng(0).uniform(-2, 2, (16, 5, 6)).astype("float32")
    y = np.random.default_rng(1).standard_normal((16, 5, 1)).astype("float32")
    for case in CASES:
        name = case.id
        with strategy.scope():
            model = keras.Sequential([
                keras.Input((5, 6)),
                keras.layers.Dense(6),
                case.cls(**case.kwargs),
                keras.layers.Conv1D(4, 3, padding="same", activation="prelu"),
                keras.layers.Dense(1),
            ])
            model.compile(optimizer="adam", loss="mse")
        model.fit(x, y, epochs=1, batch_size=8, verbose=0)
        path = f"{directory}/{name}.keras"
        model.save(path)
        np.save(f"{directory}/{name}.npy", model.predict(x, verbose=0))
        np.savez(f"{directory}/{name}-weights.npz", *model.get_weights())
        with strategy.scope():
            reloaded = keras.saving.load_model(path)
        np.testing.assert_allclose(reloaded.predict(x, verbose=0),
                                   np.load(f"{directory}/{name}.npy"), rtol=1e-6)
    print("mirrored ok")
""")

FRESH_RELOAD = textwrap.dedent("""
    import sys
    import numpy as np
    import keras
    import keras_activations

    directory, names = sys.argv[1], sys.argv[2:]
    x = np.random.default_rng(0).uniform(-2, 2, (16, 5, 6)).astype("float32")
    for name in names:
        model = keras.saving.load_model(f"{directory}/{name}.keras")
        saved = np.load(f"{directory}/{name}-weights.npz")
        for index, weight in enumerate(model.get_weights()):
            np.testing.assert_array_equal(weight, saved[f"arr_{index}"])
        # Weights reload bitwise; predictions in another process may round
        # differently where threads split sums differently.
        np.testing.assert_allclose(model.predict(x, verbose=0),
                                   np.load(f"{directory}/{name}.npy"), rtol=1e-5, atol=1e-6)
    print("fresh reload ok")
""")


ROOT = pathlib.Path(__file__).resolve().parents[2]


def _run(script, *args):
    result = subprocess.run([sys.executable, "-c", script, *map(str, args)],
                            capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


@pytest.mark.large
@pytest.mark.tensorflow_only  # tf.distribute
def test_every_layer_trains_mirrored_and_reloads_in_a_fresh_process(tmp_path):
    names = [case.id for case in CASES]
    assert "mirrored ok" in _run(MIRRORED_ROUND_TRIP, tmp_path)
    assert "fresh reload ok" in _run(FRESH_RELOAD, tmp_path, *names)
