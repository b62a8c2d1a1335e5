"""Keras callbacks that watch activations during training.

They need TensorFlow (gradient tapes, TensorBoard summaries), imported where
used so that the activations themselves also import on other Keras backends.
"""

import importlib.util

import keras
import numpy as np

from keras_activations import diagnostics


class GradientFlowMonitor(keras.callbacks.Callback):
    """Logs the gradient norm of every layer's kernel at the end of each epoch.

    The norms of `d loss / d kernel` on a fixed batch `(x, y)` are added to the
    epoch logs as `gradient_norm/<layer name>` (so they appear in `History`),
    and written to TensorBoard when `log_dir` is given.

    Args:
        x: A batch of inputs.
        y: The matching targets.
        loss: Loss to differentiate. Defaults to the model's compiled loss.
        log_dir: Optional TensorBoard log directory.

    Example:

    >>> monitor = GradientFlowMonitor(x_train[:256], y_train[:256])
    >>> history = model.fit(x_train, y_train, callbacks=[monitor])
    >>> history.history["gradient_norm/dense"]
    """

    def __init__(self, x, y, loss=None, log_dir=None):
        super().__init__()
        if log_dir is not None and importlib.util.find_spec("tensorboard") is None:
            raise ImportError(
                "Writing to `log_dir` needs TensorBoard: "
                "pip install 'keras_activations[diagnostics]'."
            )
        self.x = x
        self.y = y
        self.loss = loss
        self.log_dir = log_dir
        self._writer = None

    def on_epoch_end(self, epoch, logs=None):
        loss = self.loss if self.loss is not None else self.model.loss
        if loss is None:
            raise ValueError(
                "GradientFlowMonitor needs a loss: compile the model or pass "
                "`loss=`."
            )
        norms = diagnostics.kernel_gradient_norms(self.model, self.x, self.y, loss)
        scalars = {f"gradient_norm/{name}": norm for name, norm in norms.items()}
        if logs is not None:
            logs.update(scalars)
        if self.log_dir is not None:
            self._write(scalars, epoch)

    def _write(self, scalars, step):
        import tensorflow as tf

        if self._writer is None:
            self._writer = tf.summary.create_file_writer(str(self.log_dir))
        with self._writer.as_default():
            for tag, value in scalars.items():
                tf.summary.scalar(tag, value, step=step)
        self._writer.flush()


class DeadUnitMonitor(keras.callbacks.Callback):
    """Logs, per Dense/Conv layer, the fraction of units never active.

    At the end of each epoch the layer outputs (after the activation) are
    computed on `x`; a unit (a channel, last axis) is dead when its output is
    exactly zero for every sample and position, as a ReLU unit whose
    pre-activation stays negative. Logged as `dead_fraction/<layer name>`.
    Needs a single-input model with defined inputs (functional, or
    Sequential with an `Input`).

    Args:
        x: Inputs to probe, typically the training data or a sample of it.
        batch_size: Batch size for the probe pass.

    Example:

    >>> monitor = DeadUnitMonitor(x_train)
    >>> history = model.fit(x_train, y_train, callbacks=[monitor])
    >>> history.history["dead_fraction/dense"]
    """

    def __init__(self, x, batch_size=256):
        super().__init__()
        if batch_size < 1:
            raise ValueError(f"batch_size must be >= 1, got {batch_size}.")
        self.x = x
        self.batch_size = batch_size

    def _watched_layers(self):
        kinds = (keras.layers.Dense, keras.layers.Conv1D, keras.layers.Conv2D,
                 keras.layers.Conv3D)
        return [layer for layer in self.model.layers if isinstance(layer, kinds)]

    def dead_fractions(self):
        """{layer name: fraction of its units with all-zero outputs on x}."""
        layers = self._watched_layers()
        inputs = self.model.inputs
        if len(inputs) != 1:
            raise ValueError("DeadUnitMonitor supports single-input models.")
        probe = keras.Model(inputs[0], [layer.output for layer in layers])
        ever_active = None
        for start in range(0, len(self.x), self.batch_size):
            outputs = keras.tree.flatten(probe(self.x[start:start + self.batch_size]))
            active = [_units_active(out) for out in outputs]
            ever_active = active if ever_active is None else [
                a | b for a, b in zip(ever_active, active)]
        return {layer.name: float(1.0 - np.mean(active))
                for layer, active in zip(layers, ever_active)}

    def on_epoch_end(self, epoch, logs=None):
        if logs is not None:
            logs.update({f"dead_fraction/{name}": value
                         for name, value in self.dead_fractions().items()})


def _units_active(outputs):
    """Boolean per unit (last axis): nonzero anywhere in the batch."""
    outputs = np.asarray(outputs)
    axes = tuple(range(outputs.ndim - 1))
    return np.any(outputs != 0, axis=axes)
