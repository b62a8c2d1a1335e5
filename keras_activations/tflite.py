"""Convert models to TFLite, preferring builtin ops, and report what was needed.

`convert` tries `TFLITE_BUILTINS` alone first, the set every TFLite runtime
has, and adds `SELECT_TF_OPS` (the Flex delegate, which the app must link)
only when the builtins cannot express the graph.
"""

import dataclasses
import importlib
import tempfile

import keras
from keras import ops

from keras_activations import backends
from keras_activations import model_editing
from keras_activations import precision
from keras_activations.layers.prelu import PReLU

# TFLite's PRELU has no kernel past rank 4 (its converter fails on Keras'
# expression there), and it fuses the expression only when the slope has
# the rank of one example (`(1, 1, channels)` after a Conv2D).
_PRELU_MAX_RANK = 4


@dataclasses.dataclass
class Conversion:
    """A converted model: its flatbuffer and whether it needs Select TF ops.

    `op_names` reads the flatbuffer; `predict` runs it in the LiteRT
    interpreter (`pip install 'keras_activations[tflite]'`).
    """

    flatbuffer: bytes
    needs_select_tf_ops: bool

    def interpreter(self):
        """A LiteRT interpreter over the flatbuffer."""
        return _litert("interpreter").Interpreter(model_content=self.flatbuffer)

    def op_names(self):
        """The TFLite ops of the graph, sorted (Flex ops as `FlexName`)."""
        schema = _litert("schema_py_generated")
        model = schema.Model.GetRootAs(self.flatbuffer, 0)
        builtin_names = {code: name for name, code in vars(schema.BuiltinOperator).items()
                         if not name.startswith("_")}
        names = set()
        for index in range(model.OperatorCodesLength()):
            code = model.OperatorCodes(index)
            # Codes past 127 live in `BuiltinCode`; older ones in the deprecated field.
            builtin = max(code.BuiltinCode(), code.DeprecatedBuiltinCode())
            custom = builtin == schema.BuiltinOperator.CUSTOM
            names.add(code.CustomCode().decode() if custom else builtin_names[builtin])
        return sorted(names)

    def predict(self, x):
        """Runs the LiteRT interpreter (builtin ops only: Python's interpreter
        has no Flex delegate)."""
        interpreter = self.interpreter()
        (inputs,), (outputs,) = interpreter.get_input_details(), interpreter.get_output_details()
        interpreter.resize_tensor_input(inputs["index"], x.shape)
        interpreter.allocate_tensors()
        interpreter.set_tensor(inputs["index"], x.astype(inputs["dtype"]))
        interpreter.invoke()
        return interpreter.get_tensor(outputs["index"])


def _litert(module):
    try:
        return importlib.import_module(f"ai_edge_litert.{module}")
    except ImportError as error:
        raise ImportError(
            "Reading or running a TFLite model needs LiteRT: "
            "pip install 'keras_activations[tflite]'.") from error


def convert(model):
    """Converts a Keras model to TFLite through its SavedModel export.

    Args:
        model: A Keras model. It is traced in the working precision in force
            (`keras_activations.working_precision`): float32, the default,
            lowers to builtin ops; float64, which TFLite's builtins lack,
            needs `SELECT_TF_OPS` for the smooth functions.

    In a Sequential or functional model (nested ones included), every
    `PReLU` is traced as Keras' expression `relu(x) + (-a) * relu(-x)`, the
    pattern the converter fuses into its PRELU builtin (inputs of rank 4 at
    most); `model` itself is not changed, but for being called once on
    zeros (which gives a string-made activation its weights, as Keras' own
    export would). A subclassed model is exported as it is, and its `PReLU`
    converts to GREATER, SELECT_V2 and MUL.

    Returns:
        A `Conversion`; `needs_select_tf_ops` is True when `TFLITE_BUILTINS`
        alone failed and `SELECT_TF_OPS` was added.
    """
    backends.require_tensorflow("keras_activations.tflite.convert")
    # Built first, as exporting it would build it: the rebuilt copy then
    # holds the same weights as `model`'s own string-made activations.
    model_editing.call_on_zeros(model)
    with tempfile.TemporaryDirectory() as directory:
        _with_fusable_prelu(model).export(directory, format="tf_saved_model", verbose=False)
        try:
            return Conversion(_convert_saved_model(directory, select_tf_ops=False), False)
        except Exception:  # ConverterError, or others, when builtins do not suffice
            return Conversion(_convert_saved_model(directory, select_tf_ops=True), True)


class _FusablePReLU(keras.layers.Layer):
    """Computes a `PReLU`'s output, with its weights, as Keras' expression."""

    def __init__(self, prelu):
        super().__init__(name=prelu.name, dtype=prelu.dtype_policy)
        self.prelu = prelu

    def build(self, input_shape):
        if not self.prelu.built:
            self.prelu.build(input_shape)

    def call(self, inputs):
        if len(inputs.shape) > _PRELU_MAX_RANK:
            return self.prelu(inputs)
        return precision.in_layer_precision(_keras_prelu, inputs, self.prelu.alpha)


def _keras_prelu(x, alpha):
    missing = len(x.shape) - 1 - len(alpha.shape)
    if missing > 0:
        alpha = ops.reshape(alpha, (1,) * missing + tuple(alpha.shape))
    return ops.relu(x) + (-alpha) * ops.relu(-x)


def _with_fusable_prelu(model):
    """A copy of `model` (see `model_editing.rebuild`) whose PReLUs, as
    layers or as another layer's activation, are `_FusablePReLU`s on the
    same weights; `model` itself when Keras cannot rebuild it."""
    def choose(applied):
        return _FusablePReLU(applied) if type(applied) is PReLU else None

    try:
        return model_editing.rebuild(model, choose)
    except ValueError:  # a subclassed model, which clone_model cannot rebuild
        return model


def _convert_saved_model(directory, select_tf_ops):
    import tensorflow as tf

    converter = tf.lite.TFLiteConverter.from_saved_model(directory)
    converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS] + (
        [tf.lite.OpsSet.SELECT_TF_OPS] if select_tf_ops else [])
    return converter.convert()
