"""Runs a script as if TensorFlow were not installed, as on a JAX-only machine.

    KERAS_BACKEND=jax python support/without_tensorflow.py SCRIPT [ARGS...]

Every import of `tensorflow` or `tensorflow_datasets` (and their submodules)
raises ModuleNotFoundError and `importlib.util.find_spec` finds none of them
(PyTorch probes for TensorFlow so), as where they are absent; nothing is put
in `sys.modules`, whose entries Keras reads as "TensorFlow is loaded".
"""

import importlib.abc
import importlib.util
import os
import runpy
import sys

HIDDEN = ("tensorflow", "tensorflow_datasets")


class HideTensorFlow(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if _hidden(name):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None


def _hidden(name):
    return name.split(".")[0] in HIDDEN


def _find_spec_without(find_spec):
    def find_spec_of_installed(name, package=None):
        return None if _hidden(name) else find_spec(name, package)

    return find_spec_of_installed


def main():
    sys.meta_path.insert(0, HideTensorFlow())
    importlib.util.find_spec = _find_spec_without(importlib.util.find_spec)
    script, *args = sys.argv[1:]
    sys.path.insert(0, os.path.dirname(os.path.abspath(script)))
    sys.argv = [script, *args]
    runpy.run_path(script, run_name="__main__")


if __name__ == "__main__":
    main()
