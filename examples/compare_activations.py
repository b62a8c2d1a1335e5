"""Activation comparison: the same MLP trained with each activation, several seeds.

    python examples/compare_activations.py --epochs 10 --seeds 3
    python examples/compare_activations.py --dataset mnist --data-dir ~/tensorflow_datasets

The classic experiment: a 784-500-10 MLP (one hidden Dense layer of 500
units with the activation under test, softmax output), Adam with learning
rate 1e-3, sparse categorical cross-entropy, batch 32. The default data is
`sklearn_digits` with its 8x8 images resized to 28x28 (784 inputs, like
MNIST); `--dataset mnist` uses MNIST itself through TFDS. After every epoch
the model is evaluated on the test split. Writes to the output folder:

- `runs.csv`: one row per activation, seed and epoch (train loss, test loss,
  test accuracy, seconds for the epoch);
- `summary.md` / `summary.csv`: per activation, final test accuracy and loss
  (mean and standard deviation over seeds) and mean seconds per epoch;
- `learning_curves.png`: mean test accuracy per epoch, one line per
  activation, the band spanning the seeds.
"""

import argparse
import csv
import pathlib
import time

import keras
import numpy as np

import example_utils
import keras_activations  # noqa: F401  (opens Keras' activation strings to its names)

DEFAULT_ACTIVATIONS = ["relu", "leaky_relu", "leaky_relu_plus", "prelu", "elu",
                       "gelu_tanh", "swish_beta"]
IMAGE_SIDE = 28
LOSS = "sparse_categorical_crossentropy"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    example_utils.add_common_arguments(parser, dataset="sklearn_digits", epochs=10,
                                       batch_size=32, output_dir="runs/compare_activations")
    parser.add_argument("--activations", nargs="+", default=DEFAULT_ACTIVATIONS,
                        help="names to compare, ours or Keras' (default: %(default)s)")
    parser.add_argument("--seeds", type=int, default=3,
                        help="seeds 0 .. N-1 per activation (default: %(default)s)")
    parser.add_argument("--hidden-units", type=int, default=500,
                        help="units of the MLP's hidden layers (default: %(default)s)")
    return parser.parse_args(argv)


def load_data(args):
    x_train, y_train = example_utils.load_split(args.dataset, "train", args.data_dir)
    x_test, y_test = example_utils.load_split(args.dataset, "test", args.data_dir)
    return (example_utils.image_inputs(x_train, IMAGE_SIDE), y_train,
            example_utils.image_inputs(x_test, IMAGE_SIDE), y_test)


def build_model(activation, hidden_units, num_inputs, num_classes):
    return keras.Sequential([
        keras.Input((num_inputs,)),
        keras.layers.Dense(hidden_units, activation=activation),
        keras.layers.Dense(num_classes, activation="softmax", dtype="float32"),
    ], name=f"mlp_{activation}")


def train_one_epoch(model, strategy, x, y, args, epoch):
    """Mean training loss of one epoch."""
    if example_utils.is_multi_worker(strategy):
        return example_utils.fit_across_workers(model, strategy, x, y, args.batch_size, 1, LOSS)[0]
    # The pipeline shuffles (seeded); fit's own shuffle does not apply to it.
    history = model.fit(example_utils.batched(x, y, args.batch_size, shuffle_seed=epoch),
                        shuffle=False)
    return history.history["loss"][0]


def run(activation, seed, args, strategy, data):
    """Rows (dicts) of one training run, one per epoch."""
    x_train, y_train, x_test, y_test = data
    keras.utils.set_random_seed(seed)
    with strategy.scope():
        model = build_model(activation, args.hidden_units, x_train.shape[1],
                            int(y_train.max()) + 1)
        model.compile(optimizer=keras.optimizers.Adam(1e-3), loss=LOSS,
                      jit_compile=args.jit_compile)
    rows = []
    for epoch in range(1, args.epochs + 1):
        print(f"{activation}, seed {seed}, epoch {epoch}/{args.epochs}")
        start = time.perf_counter()
        train_loss = train_one_epoch(model, strategy, x_train, y_train, args, epoch)
        seconds = time.perf_counter() - start
        test_loss, test_accuracy = example_utils.classification_scores(model, x_test, y_test)
        rows.append({
            "activation": activation, "seed": seed, "epoch": epoch,
            "train_loss": train_loss, "test_loss": test_loss,
            "test_accuracy": test_accuracy, "epoch_seconds": seconds,
        })
    return rows


def summarize(rows, activations, epochs):
    """Per activation: final test accuracy and loss (mean, std over seeds), s/epoch."""
    summary = []
    for activation in activations:
        final = [r for r in rows if r["activation"] == activation and r["epoch"] == epochs]
        timed = [r["epoch_seconds"] for r in rows if r["activation"] == activation]
        accuracy = [r["test_accuracy"] for r in final]
        loss = [r["test_loss"] for r in final]
        summary.append({"activation": activation, "seeds": len(final),
                        "test_accuracy_mean": np.mean(accuracy), "test_accuracy_std": np.std(accuracy),
                        "test_loss_mean": np.mean(loss), "test_loss_std": np.std(loss),
                        "seconds_per_epoch": np.mean(timed)})
    return summary


def write_csv(path, rows):
    with open(path, "w", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def plot_learning_curves(path, rows, activations, epochs):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(7, 4.5))
    epoch_axis = np.arange(1, epochs + 1)
    for activation in activations:
        curves = np.array([[r["test_accuracy"] for r in rows
                            if r["activation"] == activation and r["seed"] == seed]
                           for seed in sorted({r["seed"] for r in rows})])
        axes.plot(epoch_axis, curves.mean(axis=0), label=activation)
        axes.fill_between(epoch_axis, curves.min(axis=0), curves.max(axis=0), alpha=0.15)
    axes.set_xlabel("epoch")
    axes.set_ylabel("test accuracy")
    axes.set_title("784-500-10 MLP, Adam 1e-3 (mean over seeds, band: min-max)")
    axes.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)


def main(argv=None):
    args = parse_args(argv)
    strategy = example_utils.configure(args)
    print(example_utils.describe_run(strategy))
    data = load_data(args)
    print(f"dataset {args.dataset}: {len(data[0])} train, {len(data[2])} test examples, "
          f"{data[0].shape[1]} inputs")
    rows = [row for activation in args.activations for seed in range(args.seeds)
            for row in run(activation, seed, args, strategy, data)]
    output_dir = pathlib.Path(args.output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    write_csv(output_dir / "runs.csv", rows)
    summary = summarize(rows, args.activations, args.epochs)
    write_csv(output_dir / "summary.csv", summary)
    table = example_utils.write_table(
        output_dir / "summary.md",
        ["activation", "seeds", "test accuracy", "test loss", "s/epoch"],
        [[s["activation"], s["seeds"],
          f"{s['test_accuracy_mean']:.4f} ± {s['test_accuracy_std']:.4f}",
          f"{s['test_loss_mean']:.4f} ± {s['test_loss_std']:.4f}",
          f"{s['seconds_per_epoch']:.2f}"] for s in summary])
    plot_learning_curves(output_dir / "learning_curves.png", rows, args.activations, args.epochs)
    print(f"\n{args.dataset}, {args.epochs} epochs, seeds 0-{args.seeds - 1}\n\n{table}\n"
          f"wrote runs.csv, summary.md, summary.csv and learning_curves.png to {output_dir}")


if __name__ == "__main__":
    main()
