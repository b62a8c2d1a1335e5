"""Which Keras backend runs, for the features that need TensorFlow itself.

Functions, layers, strings, saving and `replace_activations` work on every
backend Keras runs them on (tested on TensorFlow, JAX and PyTorch). TFLite
conversion, the diagnostics' gradient tapes, `GradientFlowMonitor` and
float64 working precision need the TensorFlow backend, and say so.
"""

import keras


def require_tensorflow(feature, reason=None):
    """Raises `RuntimeError` naming `feature` unless Keras runs on TensorFlow."""
    backend = keras.backend.backend()
    if backend != "tensorflow":
        because = f" ({reason})" if reason else ""
        raise RuntimeError(
            f"{feature} needs Keras' TensorFlow backend{because}; Keras runs on "
            f"{backend} here. Set KERAS_BACKEND=tensorflow before importing Keras.")
