"""What the examples share: command-line flags, devices, distribution, TFDS data.

Every example loads its data with `tfds.load`. The default datasets are the
offline builders of `offline_datasets` (scikit-learn's bundled
data); any other TFDS name (`--dataset mnist`) goes through TFDS' normal
path, which needs a network or a `--data-dir` where it was prepared.
"""

import json
import os
import pathlib
import tempfile

import keras
import numpy as np
import tensorflow as tf
import tensorflow_datasets as tfds

import offline_datasets  # registers the offline builders

STRATEGIES = ("default", "mirrored", "multi-worker")


def add_common_arguments(parser, dataset, epochs, batch_size, output_dir):
    if dataset is not None:
        parser.add_argument("--dataset", default=dataset,
                            help="TFDS name; the sklearn_* sets work offline")
    parser.add_argument("--data-dir", default=None,
                        help="TFDS data directory (default: TFDS' own)")
    parser.add_argument("--epochs", type=int, default=epochs)
    parser.add_argument("--batch-size", type=int, default=batch_size)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--output-dir", default=output_dir)
    parser.add_argument("--mixed-precision", action="store_true",
                        help="mixed_float16 on GPU, mixed_bfloat16 on CPU")
    parser.add_argument("--jit-compile", action="store_true",
                        help="compile training and inference steps with XLA")
    parser.add_argument("--strategy", choices=STRATEGIES, default="default",
                        help="mirrored: all local GPUs (or CPUs); multi-worker: "
                             "the cluster in TF_CONFIG")
    parser.add_argument("--logical-cpus", type=int, default=None,
                        help="split the CPU into this many devices (to try "
                             "--strategy mirrored without GPUs)")


def configure(args):
    """Devices and precision from the flags; returns the strategy.

    Examples seed right before building each model, after loading data:
    preparing a TFDS dataset the first time draws random numbers.
    """
    if args.logical_cpus:
        (cpu,) = tf.config.list_physical_devices("CPU")
        tf.config.set_logical_device_configuration(
            cpu, [tf.config.LogicalDeviceConfiguration()] * args.logical_cpus)
    strategy = _strategy(args.strategy)
    if args.jit_compile and args.strategy == "multi-worker":
        raise SystemExit("--jit-compile is not supported with --strategy multi-worker.")
    if (args.jit_compile and strategy.num_replicas_in_sync > 1
            and not tf.config.list_logical_devices("GPU")):
        raise SystemExit(
            "--jit-compile needs one replica per GPU: XLA cannot reach a "
            "replica's variables on another logical CPU device (a TensorFlow "
            "limitation). Drop --jit-compile or run on GPUs.")
    if args.mixed_precision:
        gpus = tf.config.list_physical_devices("GPU")
        keras.mixed_precision.set_global_policy(
            "mixed_float16" if gpus else "mixed_bfloat16")
    return strategy


def _strategy(name):
    if name == "mirrored":
        gpus = tf.config.list_logical_devices("GPU")
        devices = gpus or tf.config.list_logical_devices("CPU")
        return tf.distribute.MirroredStrategy([device.name for device in devices])
    if name == "multi-worker":
        return tf.distribute.MultiWorkerMirroredStrategy()
    return tf.distribute.get_strategy()


def describe_run(strategy):
    """One line: devices, replicas, precision policy."""
    gpus = tf.config.list_physical_devices("GPU")
    names = [tf.config.experimental.get_device_details(gpu).get("device_name", gpu.name)
             for gpu in gpus]
    devices = "GPU: " + ", ".join(names) if gpus else "CPU"
    return (f"devices: {devices}; {strategy.num_replicas_in_sync} replica(s) "
            f"({type(strategy).__name__}); policy {keras.mixed_precision.global_policy().name}")


def is_multi_worker(strategy):
    return isinstance(strategy, tf.distribute.MultiWorkerMirroredStrategy)


def fit_across_workers(model, strategy, inputs, targets, batch_size, epochs, loss):
    """`model.fit` for MultiWorkerMirroredStrategy, which Keras 3's own fit does
    not support (keras-team/keras#20585): a loop of `strategy.run` steps.

    Every worker runs the same number of full global batches (a partial last
    batch on one worker only would stall the collective all-reduce).

    Returns:
        The mean training loss of each epoch.
    """
    optimizer = model.optimizer
    with strategy.scope():
        model(inputs[:1])  # Dense creates a layer activation's weights on its first call.
        optimizer.build(model.trainable_variables)
    steps = len(inputs) // batch_size
    dataset = tf.data.Dataset.from_tensor_slices((inputs, targets)).repeat()
    iterator = iter(strategy.experimental_distribute_dataset(
        dataset.batch(batch_size, drop_remainder=True)))

    def replica_step(x, y):
        with tf.GradientTape() as tape:
            replica_loss = _replica_loss(loss, y, model(x, training=True))
            scaled = (optimizer.scale_loss(replica_loss) if hasattr(optimizer, "scale_loss")
                      else replica_loss)
        gradients = tape.gradient(scaled, model.trainable_variables)
        optimizer.apply_gradients(zip(gradients, model.trainable_variables))
        return replica_loss

    @tf.function
    def train_step():
        losses = strategy.run(replica_step, args=next(iterator))
        return strategy.reduce("SUM", losses, axis=None)

    epoch_losses = []
    for epoch in range(epochs):
        epoch_losses.append(sum(float(train_step()) for _ in range(steps)) / steps)
        print(f"Epoch {epoch + 1}/{epochs} - {steps} steps of {batch_size} - "
              f"loss: {epoch_losses[-1]:.4f}")
    return epoch_losses


def _replica_loss(loss, y, y_pred):
    """This replica's share of the global batch loss, for gradients that the
    optimizer sums across replicas: per-example losses summed for a
    `reduction="sum"` loss, else divided by the global batch size."""
    loss = keras.losses.get(loss)
    per_example = loss.call(y, y_pred) if isinstance(loss, keras.losses.Loss) else loss(y, y_pred)
    if getattr(loss, "reduction", None) == "sum":
        return tf.reduce_sum(per_example)
    return tf.nn.compute_average_loss(per_example)


def predict(model, inputs):
    """Outputs of a direct call: works under every strategy, unlike `predict`
    under MultiWorkerMirroredStrategy."""
    return keras.ops.convert_to_numpy(model(inputs, training=False))


def classification_scores(model, inputs, labels):
    """(sparse categorical cross-entropy, accuracy) of a softmax model on a split."""
    probabilities = predict(model, inputs)
    loss = keras.losses.sparse_categorical_crossentropy(labels, probabilities)
    return float(np.mean(loss)), float(np.mean(probabilities.argmax(-1) == labels))


def output_directory(path):
    """`path`, created, where the outputs go; on the non-chief workers of a
    multi-worker cluster a scratch folder, so that only the chief writes them."""
    directory = pathlib.Path(path) if is_chief() else pathlib.Path(tempfile.mkdtemp())
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def save_and_check_reload(model, path, inputs):
    """Saves `model` to `path`, reloads it with `safe_mode=True` and checks
    that it predicts as `model` does on `inputs`: to 1e-6, or 1e-2 under
    mixed precision, which computes in 16 bits.

    Returns:
        `(predictions of model, tolerance)`.
    """
    model.save(path)
    reloaded = keras.saving.load_model(path, safe_mode=True)
    expected = predict(model, inputs)
    tolerance = 1e-6 if keras.mixed_precision.global_policy().compute_dtype == "float32" else 1e-2
    np.testing.assert_allclose(predict(reloaded, inputs), expected, rtol=tolerance, atol=tolerance)
    print(f"saved {path}; reloaded with the same predictions (safe_mode=True)")
    return expected, tolerance


def is_chief():
    """True except on the non-chief workers of a multi-worker cluster."""
    task = json.loads(os.environ.get("TF_CONFIG", "{}")).get("task", {})
    return task.get("type", "chief") == "chief" or (
        task.get("type") == "worker" and task.get("index", 0) == 0)


class DatasetUnavailableError(RuntimeError):
    """A TFDS dataset could be neither read from `--data-dir` nor downloaded."""


def load_split(name, split, data_dir=None, download=True):
    """`(inputs, targets)` numpy arrays of a TFDS split (`as_supervised`)."""
    try:
        dataset = tfds.load(name, split=split, data_dir=data_dir, as_supervised=True,
                            download=download)
    except Exception as error:  # TFDS raises many types for missing data
        raise DatasetUnavailableError(
            f"TFDS could not load '{name}' ({type(error).__name__}: {error}). "
            f"It is neither prepared in --data-dir ({data_dir or 'TFDS default'}) "
            "nor downloadable here (no network?). Prepare it where a network "
            f"exists (`tfds build {name}`) and pass its --data-dir, or use an "
            "offline dataset: "
            f"{', '.join(offline_datasets.OFFLINE_DATASETS)}.") from error
    # Concatenated batches rather than batch_size=-1, which needs a known size.
    batches = list(tfds.as_numpy(dataset.batch(4096)))
    return tuple(np.concatenate(parts) for parts in zip(*batches))


def batched(inputs, targets, batch_size, shuffle_seed=None):
    """A tf.data pipeline of (inputs, targets) batches, sharded by example
    across the workers of a multi-worker cluster."""
    dataset = tf.data.Dataset.from_tensor_slices((inputs, targets))
    if shuffle_seed is not None:
        dataset = dataset.shuffle(len(inputs), seed=shuffle_seed)
    options = tf.data.Options()
    options.experimental_distribute.auto_shard_policy = tf.data.experimental.AutoShardPolicy.DATA
    return dataset.batch(batch_size).with_options(options)


def validation_split(inputs, targets, fraction=0.1):
    """The last `fraction` of a split held out for validation."""
    cut = len(inputs) - int(len(inputs) * fraction)
    return (inputs[:cut], targets[:cut]), (inputs[cut:], targets[cut:])


def image_inputs(images, side=None):
    """uint8 images -> float32 rows in [0, 1], resized to side x side first if given."""
    images = tf.convert_to_tensor(images, tf.float32) / 255.0
    if side is not None and images.shape[1] != side:
        images = tf.image.resize(images, (side, side))
    return images.numpy().reshape(len(images), -1)


def write_table(path, header, rows):
    """A markdown table of `rows` (lists of cells) under `header`."""
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join("---" for _ in header) + " |"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    text = "\n".join(lines) + "\n"
    with open(path, "w") as file:
        file.write(text)
    return text
