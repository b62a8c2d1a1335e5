"""The `large` marker, as in keras-hub: tests that take many seconds each
(end-to-end examples, distributed training, fresh processes, benchmark
scripts, the per-name TFLite table) run only with `--run_large`. `.ci/run`
runs them after the README's test command:

    python -m pytest -q tests --run_large -m large
"""

import pytest


def pytest_addoption(parser):
    parser.addoption("--run_large", action="store_true", default=False,
                     help="also run the tests marked large")


def pytest_configure(config):
    config.addinivalue_line("markers", "large: many seconds each; run with --run_large")


def pytest_collection_modifyitems(config, items):
    if config.getoption("--run_large"):
        return
    skip_large = pytest.mark.skip(reason="large; run with --run_large")
    for item in items:
        if "large" in item.keywords:
            item.add_marker(skip_large)


@pytest.fixture(scope="session")
def trained_every_activation_model():
    """The model with a branch per registered name and layer, trained two
    seeded epochs; shared by the deployment and TFLite tests."""
    from support import deployment_models

    return deployment_models.trained_every_activation_model()
