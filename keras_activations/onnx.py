"""Export models to ONNX with Keras' own exporter, checked, and run them.

`export` calls `model.export(path, format="onnx")` (tf2onnx on the
TensorFlow backend) and then checks what it wrote: tf2onnx leaves a
TensorFlow op it cannot translate in the graph and writes the file anyway,
which onnxruntime then refuses to load. `export` names such ops and the
layers they come from instead.
"""

import collections
import dataclasses
import importlib
import os

import keras

from keras_activations import model_editing

# Keras' `export(format="onnx")` exists from 3.8 on.
_MIN_KERAS = (3, 8)


@dataclasses.dataclass
class OnnxModel:
    """An exported ONNX file: its path, its operators and an onnxruntime session.

    `op_types` reads the file with `onnx`; `session` and `predict` run it with
    onnxruntime (`pip install 'keras_activations[onnx]'`).
    """

    path: str

    def op_types(self):
        """The ONNX operators of the graph, sorted."""
        return sorted(self.op_counts())

    def op_counts(self):
        """How many nodes of the graph use each ONNX operator."""
        return collections.Counter(node.op_type for node in _module("onnx").load(self.path).graph.node)

    def session(self):
        """An onnxruntime `InferenceSession` over the file, on the CPU."""
        return _module("onnxruntime").InferenceSession(
            self.path, providers=["CPUExecutionProvider"])

    def predict(self, x):
        """The outputs of the model's single output for the inputs `x`."""
        session = self.session()
        (inputs,) = session.get_inputs()
        return session.run(None, {inputs.name: x})[0]


def _module(name):
    try:
        return importlib.import_module(name)
    except ImportError as error:
        raise ImportError(
            f"Reading or running an ONNX model needs {name}: "
            "pip install 'keras_activations[onnx]'.") from error


def export(model, filepath, **kwargs):
    """Exports `model` to ONNX with `model.export(filepath, format="onnx")`.

    Args:
        model: A Keras model. A Sequential or functional model is called
            once on zeros first, since Keras' exporter refuses a model never
            called (one fresh from `load_model`); a subclassed model must
            have been called on data, or take `input_signature`.
        filepath: Where to write the `.onnx` file.
        **kwargs: Passed to `model.export` (e.g. `opset_version`,
            `input_signature`).

    Every name and layer of this package exports with standard ONNX
    operators (the table in docs/deploying.md lists them); `PReLU` becomes
    `Greater`, `Mul` and `Add`, since tf2onnx has no PReLU pattern to fuse
    into ONNX's `PRelu`.

    Returns:
        An `OnnxModel` for the file.

    Raises:
        ValueError: the exporter could not express some TensorFlow ops in
            ONNX (the message names them and their layers); the invalid file
            is removed.
        RuntimeError: Keras older than 3.8, which has no ONNX exporter.
    """
    if tuple(int(part) for part in keras.__version__.split(".")[:2]) < _MIN_KERAS:
        raise RuntimeError(
            f"ONNX export needs Keras >= {'.'.join(map(str, _MIN_KERAS))} "
            f"(`model.export(format='onnx')`); this is Keras {keras.__version__}.")
    if "input_signature" not in kwargs:
        model_editing.call_on_zeros(model)
    model.export(filepath, format="onnx", **{"verbose": False, **kwargs})
    exported = OnnxModel(os.fspath(filepath))
    unsupported = _unsupported_nodes(exported.path)
    if unsupported:
        os.remove(exported.path)
        ops = sorted({op_type for op_type, _ in unsupported})
        nodes = ", ".join(name for _, name in unsupported)
        raise ValueError(
            f"The ONNX exporter cannot express the TensorFlow op(s) {', '.join(ops)} "
            f"used by {nodes}; ONNX has no such operator. Write that activation with "
            "other ops (see docs/deploying.md) or leave it out of ONNX exports.")
    return exported


def _unsupported_nodes(path):
    """(op type, node name) of every node that is no ONNX operator."""
    onnx = _module("onnx")
    return [(node.op_type, node.name) for node in onnx.load(path).graph.node
            if not onnx.defs.has(node.op_type, node.domain)]
