"""Training throughput (steps/s) of two small models with each activation.

`mlp` is the quickstart's model: Dense(64) - Dense(64) - Dense(10, softmax)
on 64 features. `conv2d` is a small image classifier on 32x32x3 inputs:
Conv2D(16, 3) - Conv2D(32, 3, strides 2) - GlobalAveragePooling2D -
Dense(10, softmax). Every hidden layer uses the activation under test; Adam,
sparse categorical cross-entropy. Activations are timed in interleaved
rounds (so drift in machine speed hits all of them alike); each round times
`model.fit` over a fixed number of epochs after a warm-up epoch. Prints a
markdown table with the ratio to relu, writes JSON.

    python benchmarks/model_throughput.py --model mlp conv2d
    python benchmarks/model_throughput.py --activations leaky_relu_plus prelu --jit-compile
"""

import argparse
import json
import math
import pathlib
import statistics
import time

import keras
import numpy as np

import keras_activations

CLASSES = 10
INPUT_SHAPES = {"mlp": (64,), "conv2d": (32, 32, 3)}


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", nargs="+", default=["mlp"], choices=sorted(INPUT_SHAPES),
                        help="models to time (default: %(default)s)")
    parser.add_argument("--activations", nargs="+", default=None,
                        help="default: relu and every registered name")
    parser.add_argument("--samples", type=int, default=2048)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--epochs", type=int, default=3, help="epochs per timed round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--jit-compile", action="store_true")
    parser.add_argument("--json", type=pathlib.Path,
                        default=pathlib.Path("runs/benchmarks/model_throughput.json"))
    return parser.parse_args(argv)


def hidden_layers(model, activation):
    if model == "mlp":
        return [keras.layers.Dense(64, activation=activation),
                keras.layers.Dense(64, activation=activation)]
    return [keras.layers.Conv2D(16, 3, padding="same", activation=activation),
            keras.layers.Conv2D(32, 3, strides=2, padding="same", activation=activation),
            keras.layers.GlobalAveragePooling2D()]


def build_model(model, activation, jit_compile):
    network = keras.Sequential([keras.Input(INPUT_SHAPES[model]),
                                *hidden_layers(model, activation),
                                keras.layers.Dense(CLASSES, activation="softmax")])
    network.compile(optimizer=keras.optimizers.Adam(1e-3),
                    loss="sparse_categorical_crossentropy", jit_compile=jit_compile)
    return network


def measure(model, activations, args):
    """Median steps/s per activation over interleaved rounds."""
    rng = np.random.default_rng(0)
    x = rng.random((args.samples,) + INPUT_SHAPES[model], dtype=np.float32)
    y = rng.integers(0, CLASSES, args.samples)
    steps = args.epochs * math.ceil(args.samples / args.batch_size)
    networks = {}
    for activation in activations:
        keras.utils.set_random_seed(0)
        networks[activation] = build_model(model, activation, args.jit_compile)
        networks[activation].fit(x, y, batch_size=args.batch_size, epochs=1, verbose=0)
    rates = {activation: [] for activation in activations}
    for _ in range(args.rounds):
        for activation, network in networks.items():
            start = time.perf_counter()
            network.fit(x, y, batch_size=args.batch_size, epochs=args.epochs, verbose=0)
            rates[activation].append(steps / (time.perf_counter() - start))
    return {activation: statistics.median(r) for activation, r in rates.items()}


def markdown_table(rates):
    relu = rates["relu"]
    lines = ["| activation | steps/s | × relu |", "| --- | ---: | ---: |"]
    for activation, rate in rates.items():
        lines.append(f"| {activation} | {rate:.0f} | {rate / relu:.2f} |")
    return "\n".join(lines)


def mode_name(jit_compile):
    if jit_compile or keras.backend.backend() == "jax":
        return "XLA (jit_compile=True)"
    return "graph (tf.function)"


def main(argv=None):
    args = parse_args(argv)
    activations = ["relu"] + [a for a in args.activations or keras_activations.names()
                              if a != "relu"]
    results = {}
    for model in args.model:
        results[model] = measure(model, activations, args)
        print(f"\n{model}, batch {args.batch_size}, {mode_name(args.jit_compile)}, "
              f"keras {keras.__version__} ({keras.backend.backend()})\n")
        print(markdown_table(results[model]))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"mode": mode_name(args.jit_compile),
                                     "steps_per_second": results}, indent=1))
    print(f"\nwrote {args.json}")


if __name__ == "__main__":
    main()
