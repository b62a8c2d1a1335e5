"""Convert models to TFLite, preferring builtin ops, and report what was needed.

`convert` tries `TFLITE_BUILTINS` alone first, the set every TFLite runtime
has, and adds `SELECT_TF_OPS` (the Flex delegate, which the app must link)
only when the builtins cannot express the graph.
"""

import dataclasses
import importlib
import tempfile

from keras_activations.layers import prelu



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

    `PReLU` is traced as Keras' expression, which the converter fuses into
    the PRELU builtin (see `keras_activations.layers.prelu.tflite_pattern`).

    Returns:
        A `Conversion`; `needs_select_tf_ops` is True when `TFLITE_BUILTINS`
        alone failed and `SELECT_TF_OPS` was added.
    """
    with tempfile.TemporaryDirectory() as directory:
        with prelu.tflite_pattern():
            model.export(directory, format="tf_saved_model", verbose=False)
        try:
            return Conversion(_convert_saved_model(directory, select_tf_ops=False), False)
        except Exception:  # ConverterError, or others, when builtins do not suffice
            return Conversion(_convert_saved_model(directory, select_tf_ops=True), True)


def _convert_saved_model(directory, select_tf_ops):
    import tensorflow as tf

    converter = tf.lite.TFLiteConverter.from_saved_model(directory)
    converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS] + (
        [tf.lite.OpsSet.SELECT_TF_OPS] if select_tf_ops else [])
    return converter.convert()
