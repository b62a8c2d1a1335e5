"""Keras callbacks that watch activations during training.

They need TensorFlow (gradient tapes, TensorBoard summaries), imported where
used so that the activations themselves also import on other Keras backends.
"""

import importlib.util

import keras
import numpy as np

from keras_activations import backends
from keras_activations import diagnostics
from keras_activations.arguments import positive_int


def _is_dataset(data):
    import tensorflow as tf

    return isinstance(data, tf.data.Dataset)


_NUMERIC_DTYPES = ("float", "bfloat", "int", "uint", "bool")


def _is_numeric(dtype):
    try:
        return keras.backend.standardize_dtype(dtype).startswith(_NUMERIC_DTYPES)
    except ValueError:  # strings, objects
        return False


def _checked_arrays(name, data):
    """`data` (an array, or a list or dict of them, as `fit` takes) with every
    leaf a numeric array of the same length; `TypeError` or `ValueError`
    otherwise."""
    leaves = [leaf if hasattr(leaf, "shape") else np.asarray(leaf)
              for leaf in keras.tree.flatten(data)]
    if not leaves:
        raise ValueError(f"`{name}` holds no arrays.")
    for leaf in leaves:
        if not _is_numeric(leaf.dtype):
            raise TypeError(
                f"`{name}` must be numeric arrays (or a list or dict of them) or a "
                f"tf.data.Dataset, got an array of {leaf.dtype}.")
        if len(leaf.shape) == 0:
            raise ValueError(f"`{name}` needs a batch axis, got a scalar.")
    lengths = sorted({leaf.shape[0] for leaf in leaves})
    if len(lengths) > 1:
        raise ValueError(f"The arrays of `{name}` have different lengths: {lengths}.")
    return data


def _first_batch(dataset):
    """The first `(x, y)` of a Dataset that yields `(x, y)` or `(x, y, w)`."""
    x, y, _ = keras.utils.unpack_x_y_sample_weight(next(iter(dataset)))
    if y is None:
        raise ValueError("The Dataset must yield (inputs, targets) pairs.")
    return x, y


class GradientFlowMonitor(keras.callbacks.Callback):
    """Logs the gradient norm of every layer's kernel at the end of each epoch.

    The norms of `d loss / d kernel` on a fixed batch are added to the epoch
    logs as `gradient_norm/<layer name>` (so they appear in `History`), and
    written to TensorBoard when `log_dir` is given. The model runs as in a
    training step (`training=True`), and its moving statistics and random
    seeds are restored afterwards: a model trains to the same weights with
    and without the monitor.

    Args:
        x: The batch of inputs: an array, a list or dict of arrays, or a
            `tf.data.Dataset` yielding `(inputs, targets)` (its first batch is
            used).
        y: The matching targets; `None` when `x` is a Dataset.
        loss: Loss to differentiate. Defaults to the model's compiled loss
            (`model.compute_loss`, with regularization losses).
        log_dir: Optional TensorBoard log directory.

    Example:

    >>> monitor = GradientFlowMonitor(x_train[:256], y_train[:256])
    >>> history = model.fit(x_train, y_train, callbacks=[monitor])
    >>> history.history["gradient_norm/dense"]
    """

    def __init__(self, x, y=None, loss=None, log_dir=None):
        super().__init__()
        backends.require_tensorflow("GradientFlowMonitor", "it takes gradients with tf.GradientTape")
        if log_dir is not None and importlib.util.find_spec("tensorboard") is None:
            raise ImportError(
                "Writing to `log_dir` needs TensorBoard: "
                "pip install 'keras_activations[diagnostics]'."
            )
        if _is_dataset(x):
            if y is not None:
                raise ValueError("A Dataset carries its targets: pass `y=None`.")
            x, y = _first_batch(x)
        elif y is None:
            raise ValueError("GradientFlowMonitor needs targets `y` for array inputs.")
        _checked_arrays("x and y", [x, y])
        self.x = x
        self.y = y
        self.loss = loss
        self.log_dir = log_dir
        self._writer = None

    def on_train_begin(self, logs=None):
        if self.loss is None and getattr(self.model, "_compile_loss", None) is None:
            raise ValueError(
                "GradientFlowMonitor needs a loss: compile the model with one or "
                "pass `loss=`."
            )

    def on_epoch_end(self, epoch, logs=None):
        norms = diagnostics.kernel_gradient_norms(self.model, self.x, self.y, self.loss)
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
    Needs a model with defined inputs (functional, or Sequential with an
    `Input`).

    Args:
        x: Inputs to probe, typically the training data or a sample of it: an
            array, a list or dict of arrays (for a multi-input model), or a
            `tf.data.Dataset` yielding inputs or `(inputs, targets)` batches.
        batch_size: Batch size for the probe pass over arrays.

    Example:

    >>> monitor = DeadUnitMonitor(x_train)
    >>> history = model.fit(x_train, y_train, callbacks=[monitor])
    >>> history.history["dead_fraction/dense"]
    """

    def __init__(self, x, batch_size=256):
        super().__init__()
        self.batch_size = positive_int("batch_size", batch_size)
        self.x = x if _is_dataset(x) else _checked_arrays("x", x)

    def _watched_layers(self):
        kinds = (keras.layers.Dense, keras.layers.Conv1D, keras.layers.Conv2D,
                 keras.layers.Conv3D)
        return [layer for layer in self.model.layers if isinstance(layer, kinds)]

    def _batches(self):
        if _is_dataset(self.x):
            for element in self.x:
                yield keras.utils.unpack_x_y_sample_weight(element)[0]
            return
        length = len(keras.tree.flatten(self.x)[0])
        for start in range(0, length, self.batch_size):
            yield keras.tree.map_structure(
                lambda array: array[start:start + self.batch_size], self.x)

    def dead_fractions(self):
        """{layer name: fraction of its units with all-zero outputs on x}."""
        layers = self._watched_layers()
        inputs = self.model.inputs
        # The model's own input structure: one tensor, or its list or dict.
        probe_inputs = inputs[0] if len(inputs) == 1 else self.model.input
        probe = keras.Model(probe_inputs, [layer.output for layer in layers])
        ever_active = None
        for batch in self._batches():
            outputs = keras.tree.flatten(probe(batch))
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
