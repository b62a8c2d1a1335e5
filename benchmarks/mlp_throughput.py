"""Training throughput (steps/s) of the quickstart MLP with each activation.

The model is the quickstart's: Dense(64) - Dense(64) - Dense(10, softmax) on
64 features, both hidden layers using the activation under test, Adam, sparse
categorical cross-entropy, batch 32. Activations are timed in interleaved
rounds (so drift in machine speed hits all of them alike); each round times
`model.fit` over a fixed number of epochs after a warm-up epoch. Prints a
markdown table with the ratio to relu, writes JSON.

    python benchmarks/mlp_throughput.py
    python benchmarks/mlp_throughput.py --activations relu leaky_relu_plus prelu --jit-compile
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

FEATURES = 64
CLASSES = 10


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--activations", nargs="+", default=None,
                        help="default: relu and every registered name")
    parser.add_argument("--samples", type=int, default=2048)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--epochs", type=int, default=3, help="epochs per timed round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--jit-compile", action="store_true")
    parser.add_argument("--json", type=pathlib.Path,
                        default=pathlib.Path("runs/benchmarks/mlp_throughput.json"))
    return parser.parse_args(argv)


def build_model(activation, jit_compile):
    model = keras.Sequential([
        keras.Input((FEATURES,)),
        keras.layers.Dense(64, activation=activation),
        keras.layers.Dense(64, activation=activation),
        keras.layers.Dense(CLASSES, activation="softmax"),
    ])
    model.compile(optimizer=keras.optimizers.Adam(1e-3),
                  loss="sparse_categorical_crossentropy", jit_compile=jit_compile)
    return model


def measure(activations, args):
    """Median steps/s per activation over interleaved rounds."""
    rng = np.random.default_rng(0)
    x = rng.random((args.samples, FEATURES), dtype=np.float32)
    y = rng.integers(0, CLASSES, args.samples)
    steps = args.epochs * math.ceil(args.samples / args.batch_size)
    models = {}
    for activation in activations:
        keras.utils.set_random_seed(0)
        models[activation] = build_model(activation, args.jit_compile)
        models[activation].fit(x, y, batch_size=args.batch_size, epochs=1, verbose=0)
    rates = {activation: [] for activation in activations}
    for _ in range(args.rounds):
        for activation, model in models.items():
            start = time.perf_counter()
            model.fit(x, y, batch_size=args.batch_size, epochs=args.epochs, verbose=0)
            rates[activation].append(steps / (time.perf_counter() - start))
    return {activation: statistics.median(r) for activation, r in rates.items()}


def markdown_table(rates):
    relu = rates["relu"]
    lines = ["| activation | steps/s | × relu |", "| --- | ---: | ---: |"]
    for activation, rate in rates.items():
        lines.append(f"| {activation} | {rate:.0f} | {rate / relu:.2f} |")
    return "\n".join(lines)


def main(argv=None):
    args = parse_args(argv)
    activations = args.activations or ["relu"] + keras_activations.names()
    if "relu" not in activations:
        activations = ["relu"] + activations
    rates = measure(activations, args)
    compiled = args.jit_compile or keras.backend.backend() == "jax"
    mode = "XLA (jit_compile=True)" if compiled else "graph (tf.function)"
    print(f"quickstart MLP, batch {args.batch_size}, {mode}, keras {keras.__version__} "
          f"({keras.backend.backend()})\n")
    print(markdown_table(rates))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"mode": mode, "steps_per_second": rates}, indent=1))
    print(f"\nwrote {args.json}")


if __name__ == "__main__":
    main()
