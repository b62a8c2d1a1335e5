"""Writes this release's golden `.keras` file and the predictions it must give.

    python tools/make_golden_models.py

Writes `tests/data/golden-<version>.keras` (the model of
`support.deployment_models.trained_every_activation_model`: every registered
name and layer, trained two epochs) and `tests/data/golden-<version>.npz`
(inputs and predictions). Run it once per release and commit both files:
`tests/test_deployment.py` loads every golden file ever committed, so a
release that can no longer read an older release's models fails CI.
"""

import pathlib
import sys

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import keras_activations  # noqa: E402
from support import deployment_models  # noqa: E402


def main():
    stem = ROOT / "tests" / "data" / f"golden-{keras_activations.__version__}"
    model = deployment_models.trained_every_activation_model()
    x, _ = deployment_models.data(samples=16, seed=1)
    model.save(f"{stem}.keras")
    np.savez(f"{stem}.npz", x=x, predictions=model.predict(x, verbose=0))
    print(f"wrote {stem}.keras and {stem}.npz")


if __name__ == "__main__":
    main()
