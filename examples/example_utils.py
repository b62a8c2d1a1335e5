"""What the examples share: command-line flags, devices, distribution, data.

On the TensorFlow backend every example loads its data with `tfds.load`. The
default datasets are the offline builders of `offline_datasets`
(scikit-learn's bundled data); any other TFDS name (`--dataset mnist`) goes
through TFDS' normal path, which needs a network or a `--data-dir` where it
was prepared. Where TensorFlow is not installed (Keras' JAX or PyTorch
backend), the offline datasets come as arrays from `offline_arrays`, with
the same splits, and training batches come from `ArrayBatches`.
"""

import contextlib
import json
import math
import os
import pathlib
import sys
import tempfile

import keras
import numpy as np

import offline_arrays

# Quiet unless --verbose (read before the flags are parsed, as TFDS logs on
# import): TFDS' absl notes, such as "Variant folder ... has no
# dataset_info.json" for a data directory it has not prepared yet.
VERBOSE = "--verbose" in sys.argv[1:]

try:
    import tensorflow as tf
    import tensorflow_datasets as tfds

    import offline_datasets  # noqa: F401  (registers the offline builders)
except ImportError:  # Keras' JAX or PyTorch backend without TensorFlow
    tf = tfds = None
else:
    if not VERBOSE:  # TFDS' absl notes ("Variant folder ... has no dataset_info.json")
        from absl import logging as absl_logging

        absl_logging.set_verbosity(absl_logging.ERROR)

STRATEGIES = ("default", "mirrored", "multi-worker")


def add_common_arguments(parser, dataset, epochs, batch_size, output_dir):
    if dataset is not None:
        parser.add_argument("--dataset", default=dataset,
                            help="TFDS name; the sklearn_* sets work offline "
                                 "(default: %(default)s)")
    parser.add_argument("--data-dir", default=None,
                        help="where TFDS writes and reads the prepared datasets "
                             "(default: TFDS' own, ~/tensorflow_datasets)")
    parser.add_argument("--epochs", type=int, default=epochs,
                        help="training epochs (default: %(default)s)")
    parser.add_argument("--batch-size", type=int, default=batch_size,
                        help="examples per training step (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=0,
                        help="seed of weights, shuffling and dropout, through "
                             "keras.utils.set_random_seed (default: %(default)s)")
    parser.add_argument("--output-dir", default=output_dir,
                        help="where models, metrics and plots go (default: %(default)s)")
    parser.add_argument("--verbose", action="store_true",
                        help="show TFDS' log notes, hidden by default")
    parser.add_argument("--mixed-precision", action="store_true",
                        help="mixed_float16 on GPU, mixed_bfloat16 on CPU")
    parser.add_argument("--jit-compile", action="store_const", const=True, default="auto",
                        help="compile training and inference steps with XLA (default: "
                             "Keras' choice, XLA on GPUs and always on JAX)")
    parser.add_argument("--strategy", choices=STRATEGIES, default="default",
                        help="mirrored: all local GPUs (or CPUs); multi-worker: "
                             "the cluster in TF_CONFIG (default: %(default)s)")
    parser.add_argument("--logical-cpus", type=int, default=None,
                        help="split the CPU into this many devices, to try "
                             "--strategy mirrored without GPUs (default: one)")


def configure(args):
    """Devices and precision from the flags; returns the strategy.

    Examples seed right before building each model, after loading data:
    preparing a TFDS dataset the first time draws random numbers.
    """
    strategy = _strategy(args.strategy, args.logical_cpus)
    if args.jit_compile is True and args.strategy == "multi-worker":
        raise SystemExit("--jit-compile is not supported with --strategy multi-worker.")
    if (args.jit_compile is True and strategy.num_replicas_in_sync > 1
            and not gpu_names()):
        raise SystemExit(
            "--jit-compile needs one replica per GPU: XLA cannot reach a "
            "replica's variables on another logical CPU device (a TensorFlow "
            "limitation). Drop --jit-compile or run on GPUs.")
    if args.mixed_precision:
        keras.mixed_precision.set_global_policy(
            "mixed_float16" if gpu_names() else "mixed_bfloat16")
    return strategy


class SingleDevice:
    """The part of a `tf.distribute` strategy the examples use, for the
    backends without one: Keras places the model on the first GPU, if any."""

    num_replicas_in_sync = 1

    def scope(self):
        return contextlib.nullcontext()


def _strategy(name, logical_cpus):
    if keras.backend.backend() != "tensorflow":
        if name != "default" or logical_cpus:
            raise SystemExit(f"--strategy {name} and --logical-cpus need Keras' TensorFlow "
                             f"backend (tf.distribute), not {keras.backend.backend()}.")
        return SingleDevice()
    if logical_cpus:
        (cpu,) = tf.config.list_physical_devices("CPU")
        tf.config.set_logical_device_configuration(
            cpu, [tf.config.LogicalDeviceConfiguration()] * logical_cpus)
    if name == "mirrored":
        gpus = tf.config.list_logical_devices("GPU")
        devices = gpus or tf.config.list_logical_devices("CPU")
        return tf.distribute.MirroredStrategy([device.name for device in devices])
    if name == "multi-worker":
        return tf.distribute.MultiWorkerMirroredStrategy()
    return tf.distribute.get_strategy()


def gpu_names():
    """The names of the GPUs the backend sees (empty on a CPU-only machine)."""
    backend = keras.backend.backend()
    if backend == "tensorflow":
        return [tf.config.experimental.get_device_details(gpu).get("device_name", gpu.name)
                for gpu in tf.config.list_physical_devices("GPU")]
    if backend == "jax":
        import jax

        return [device.device_kind for device in jax.devices() if device.platform == "gpu"]
    if backend == "torch":
        import torch

        return [torch.cuda.get_device_name(index) for index in range(torch.cuda.device_count())]
    return []


def describe_run(strategy):
    """One line: devices, replicas, precision policy, Keras backend."""
    gpus = gpu_names()
    devices = "GPU: " + ", ".join(gpus) if gpus else "CPU"
    return (f"devices: {devices}; {strategy.num_replicas_in_sync} replica(s) "
            f"({type(strategy).__name__}); policy {keras.mixed_precision.global_policy().name}; "
            f"Keras backend {keras.backend.backend()}")


def is_multi_worker(strategy):
    return tf is not None and isinstance(strategy, tf.distribute.MultiWorkerMirroredStrategy)


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
    loss = keras.ops.convert_to_numpy(
        keras.losses.sparse_categorical_crossentropy(labels, probabilities))
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
    """`(inputs, targets)` numpy arrays of a TFDS split (`as_supervised`); from
    `offline_arrays` where TensorFlow is not installed."""
    if tfds is None:
        return _offline_split(name, split)
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
            f"{', '.join(offline_arrays.OFFLINE_DATASETS)}.") from error
    # Concatenated batches rather than batch_size=-1, which needs a known size.
    batches = list(tfds.as_numpy(dataset.batch(4096)))
    return tuple(np.concatenate(parts) for parts in zip(*batches))


def _offline_split(name, split):
    if name not in offline_arrays.OFFLINE_DATASETS:
        raise DatasetUnavailableError(
            f"'{name}' needs TensorFlow Datasets, which needs TensorFlow; without "
            f"it the examples offer {', '.join(offline_arrays.OFFLINE_DATASETS)}.")
    train, test = offline_arrays.load(name)
    return {"train": train, "test": test}[split]


def batched(inputs, targets, batch_size, shuffle_seed=None):
    """Batches of (inputs, targets), reshuffled each epoch if `shuffle_seed` is
    given: a tf.data pipeline, sharded by example across the workers of a
    multi-worker cluster, where TensorFlow is installed, else `ArrayBatches`."""
    if tf is None:
        return ArrayBatches(inputs, targets, batch_size, shuffle_seed)
    dataset = tf.data.Dataset.from_tensor_slices((inputs, targets))
    if shuffle_seed is not None:
        dataset = dataset.shuffle(len(inputs), seed=shuffle_seed)
    options = tf.data.Options()
    options.experimental_distribute.auto_shard_policy = tf.data.experimental.AutoShardPolicy.DATA
    return dataset.batch(batch_size).with_options(options)


class ArrayBatches(keras.utils.PyDataset):
    """Batches of (inputs, targets) from numpy arrays, in an order that a
    seeded generator draws anew for every epoch (in array order without a
    seed); the last batch may be smaller."""

    def __init__(self, inputs, targets, batch_size, shuffle_seed=None):
        super().__init__()
        self.inputs, self.targets, self.batch_size = inputs, targets, batch_size
        self._generator = None if shuffle_seed is None else np.random.default_rng(shuffle_seed)
        self._order = np.arange(len(inputs))
        self.on_epoch_end()

    def __len__(self):
        return math.ceil(len(self.inputs) / self.batch_size)

    def __getitem__(self, index):
        part = self._order[index * self.batch_size:(index + 1) * self.batch_size]
        return self.inputs[part], self.targets[part]

    def on_epoch_end(self):
        if self._generator is not None:
            self._order = self._generator.permutation(len(self.inputs))


def validation_split(inputs, targets, fraction=0.1):
    """The last `fraction` of a split held out for validation."""
    cut = len(inputs) - int(len(inputs) * fraction)
    return (inputs[:cut], targets[:cut]), (inputs[cut:], targets[cut:])


def image_inputs(images, side=None):
    """uint8 images -> float32 rows in [0, 1], resized (bilinear) to side x side first if given."""
    images = images.astype(np.float32) / 255.0
    if side is not None and images.shape[1] != side:
        images = keras.ops.convert_to_numpy(keras.ops.image.resize(images, (side, side)))
    return images.reshape(len(images), -1)


def write_table(path, header, rows):
    """A markdown table of `rows` (lists of cells) under `header`."""
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join("---" for _ in header) + " |"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    text = "\n".join(lines) + "\n"
    with open(path, "w") as file:
        file.write(text)
    return text
