"""The documented losses, each with a Sequential model using keras_activations.

    python examples/losses.py --epochs 30 --output-dir runs/losses

One task per loss, with Keras' own loss classes and reductions, on the
offline datasets (TFDS builders of `offline_datasets`; where TensorFlow is
not installed, as on a JAX-only GPU machine, the same splits as arrays from
`offline_arrays`):

- regression, mean squared error: `sklearn_diabetes` (standardised target);
- binary classification, binary cross-entropy, mean-reduced (Keras' default
  `"sum_over_batch_size"`) and sum-reduced (`reduction="sum"`):
  `sklearn_breast_cancer`;
- multi-class, categorical cross-entropy (one-hot labels) and sparse
  categorical cross-entropy (integer labels): `sklearn_digits`.

Writes `results.md` and `results.json` (test loss and metric, time of the
first epoch, which includes compiling the step, and median time of the
others, per task) to the output folder. Runs on every Keras backend:

    KERAS_BACKEND=jax python examples/losses.py
"""

import argparse
import json
import pathlib
import statistics
import time

import keras
import numpy as np

import example_utils
import keras_activations  # noqa: F401  (opens Keras' activation strings to its names)


TASKS = {
    "mean_squared_error": dict(
        dataset="sklearn_diabetes", loss=lambda: keras.losses.MeanSquaredError(),
        head=lambda: keras.layers.Dense(1, dtype="float32"), metric="rmse"),
    "binary_crossentropy_mean": dict(
        dataset="sklearn_breast_cancer", loss=lambda: keras.losses.BinaryCrossentropy(),
        head=lambda: keras.layers.Dense(1, activation="sigmoid", dtype="float32"),
        metric="accuracy"),
    "binary_crossentropy_sum": dict(
        dataset="sklearn_breast_cancer",
        loss=lambda: keras.losses.BinaryCrossentropy(reduction="sum"),
        head=lambda: keras.layers.Dense(1, activation="sigmoid", dtype="float32"),
        metric="accuracy"),
    "categorical_crossentropy": dict(
        dataset="sklearn_digits", loss=lambda: keras.losses.CategoricalCrossentropy(),
        head=lambda: keras.layers.Dense(10, activation="softmax", dtype="float32"),
        metric="accuracy", one_hot=True),
    "sparse_categorical_crossentropy": dict(
        dataset="sklearn_digits", loss=lambda: keras.losses.SparseCategoricalCrossentropy(),
        head=lambda: keras.layers.Dense(10, activation="softmax", dtype="float32"),
        metric="accuracy"),
}


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    example_utils.add_common_arguments(parser, dataset=None, epochs=30,
                                       batch_size=32, output_dir="runs/losses")
    parser.add_argument("--tasks", nargs="+", choices=sorted(TASKS), default=list(TASKS),
                        help="losses to train with (default: all)")
    return parser.parse_args(argv)


def load_task_data(task, data_dir):
    """Train and test arrays, inputs as float32 rows, targets as the loss needs."""
    x_train, y_train = example_utils.load_split(task["dataset"], "train", data_dir)
    x_test, y_test = example_utils.load_split(task["dataset"], "test", data_dir)
    if x_train.dtype == np.uint8:
        x_train, x_test = example_utils.image_inputs(x_train), example_utils.image_inputs(x_test)
    if task["metric"] == "rmse":
        mean, std = y_train.mean(), y_train.std()
        y_train, y_test = (y_train - mean) / std, (y_test - mean) / std
    elif task.get("one_hot"):
        y_train, y_test = keras.utils.to_categorical(y_train), keras.utils.to_categorical(y_test)
    else:
        y_train, y_test = y_train.astype("float32"), y_test.astype("float32")
    return x_train.astype("float32"), y_train, x_test.astype("float32"), y_test


def build_model(task, x_train):
    normalize = keras.layers.Normalization()
    normalize.adapt(x_train)
    return keras.Sequential([
        keras.Input(x_train.shape[1:]),
        normalize,
        keras.layers.Dense(32, activation="leaky_relu_plus"),
        keras.layers.Dense(32, activation="prelu"),
        task["head"](),
    ])


def metric_value(task, targets, outputs):
    if task["metric"] == "rmse":
        return float(np.sqrt(np.mean((outputs[:, 0] - targets) ** 2)))
    if outputs.shape[-1] == 1:
        return float(np.mean((outputs[:, 0] > 0.5) == (targets > 0.5)))
    labels = targets.argmax(-1) if targets.ndim == 2 else targets
    return float(np.mean(outputs.argmax(-1) == labels))


class EpochTimes(keras.callbacks.Callback):
    """Wall-clock seconds of each training epoch."""

    def __init__(self):
        super().__init__()
        self.seconds = []

    def on_epoch_begin(self, epoch, logs=None):
        self._start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.seconds.append(time.perf_counter() - self._start)


def epoch_summary(seconds):
    """(first epoch, median of the later ones or None) in seconds; (None, None)
    when the epochs were not timed (multi-worker training)."""
    if not seconds:
        return None, None
    return seconds[0], statistics.median(seconds[1:]) if len(seconds) > 1 else None


def run_task(name, args, strategy):
    task = TASKS[name]
    x_train, y_train, x_test, y_test = load_task_data(task, args.data_dir)
    keras.utils.set_random_seed(args.seed)
    with strategy.scope():
        model = build_model(task, x_train)
        loss = task["loss"]()
        model.compile(optimizer=keras.optimizers.Adam(1e-3), loss=loss,
                      jit_compile=args.jit_compile)
    print(f"\n{name}: {task['dataset']}, {type(loss).__name__}(reduction={loss.reduction!r})")
    epoch_times = EpochTimes()
    if example_utils.is_multi_worker(strategy):
        example_utils.fit_across_workers(model, strategy, x_train, y_train,
                                         args.batch_size, args.epochs, loss)
    else:
        model.fit(example_utils.batched(x_train, y_train, args.batch_size, shuffle_seed=args.seed),
                  epochs=args.epochs, shuffle=False, callbacks=[epoch_times])
    outputs = example_utils.predict(model, x_test)
    first_epoch_s, epoch_s = epoch_summary(epoch_times.seconds)
    return {"task": name, "dataset": task["dataset"], "loss": type(loss).__name__,
            "reduction": loss.reduction, "test_loss": float(loss(y_test, outputs)),
            "metric": task["metric"], "test_metric": metric_value(task, y_test, outputs),
            "first_epoch_s": first_epoch_s, "epoch_s": epoch_s}


def seconds_cell(seconds):
    return "-" if seconds is None else f"{seconds:.3f}"


def main(argv=None):
    args = parse_args(argv)
    strategy = example_utils.configure(args)
    print(example_utils.describe_run(strategy))
    results = [run_task(name, args, strategy) for name in args.tasks]
    output_dir = pathlib.Path(args.output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    (output_dir / "results.json").write_text(json.dumps(results, indent=1))
    table = example_utils.write_table(
        output_dir / "results.md",
        ["task", "dataset", "loss", "reduction", "test loss", "test metric",
         "first epoch (s)", "later epochs (s, median)"],
        [[r["task"], r["dataset"], r["loss"], r["reduction"], f"{r['test_loss']:.4f}",
          f"{r['metric']} {r['test_metric']:.4f}", seconds_cell(r["first_epoch_s"]),
          seconds_cell(r["epoch_s"])] for r in results])
    print(f"\n{table}\nwrote {output_dir / 'results.md'} and results.json")


if __name__ == "__main__":
    main()
