"""Time of single TensorFlow kernels, as a ratio to Relu: what each mode costs.

Without XLA every op in a `tf.function` runs as its own kernel and makes its
own pass over memory, so an activation's graph costs about the sum of its
kernels' times (less where the executor runs independent kernels at the same
time). Under XLA elementwise ops fuse, so what is left is the cost of each
transcendental and of each reduction. This script times the ops the
package's activations are made of, one per `tf.function`, on a
(size / 1024, 1024) tensor (medians of interleaved rounds), plus
hand-written training steps that show the floor of a learnable layer: relu's
(forward and input gradient), and a per-channel slope's with one to four
parameter gradients summed over the batch. Prints a markdown table per mode;
docs/benchmarks.md adds them up. TensorFlow only.

    python benchmarks/kernel_costs.py --size 4194304 --repeats 21 --modes graph xla
"""

import argparse
import json
import pathlib

import numpy as np
import tensorflow as tf

from activation_speed import interleaved_median_seconds

CHANNELS = 1024


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=1 << 24,
                        help="elements per tensor (a multiple of 1024)")
    parser.add_argument("--repeats", type=int, default=21)
    parser.add_argument("--modes", nargs="+", default=["graph"], choices=["graph", "xla"],
                        help="graph (tf.function) and/or xla (jit_compile=True)")
    parser.add_argument("--json", type=pathlib.Path,
                        default=pathlib.Path("runs/benchmarks/kernel_costs.json"))
    return parser.parse_args(argv)


def kernels(rows):
    """name -> (op on x and y, dtype of x and y)."""
    ones = tf.ones([1, rows])
    per_channel = tf.fill([CHANNELS], 0.25)
    # Keras' TensorFlow backend draws with the default algorithm from a seed
    # held in a variable (RReLU's slopes in training).
    seed = tf.Variable([1, 2], dtype=tf.int64)
    return {
        "Relu": (lambda x, y: tf.nn.relu(x), "float32"),
        "ReluGrad": (lambda x, y: tf.raw_ops.ReluGrad(gradients=y, features=x), "float32"),
        "Neg": (lambda x, y: -x, "float32"),
        "Greater (x > 0)": (lambda x, y: x > 0, "float32"),
        "Minimum (x, 0)": (lambda x, y: tf.minimum(x, 0.0), "float32"),
        "Mul": (lambda x, y: x * y, "float32"),
        "Mul by a per-channel vector": (lambda x, y: x * per_channel, "float32"),
        "SelectV2 of per-channel vectors": (
            lambda x, y: tf.where(x > 0, tf.ones_like(per_channel), per_channel), "float32"),
        "Sum over axis 0": (lambda x, y: tf.reduce_sum(x, 0), "float32"),
        "MatMul with a row of ones": (lambda x, y: tf.matmul(ones, x), "float32"),
        "Sign": (lambda x, y: tf.sign(x), "float32"),
        "Tanh": (lambda x, y: tf.tanh(x), "float32"),
        "Sigmoid": (lambda x, y: tf.sigmoid(x), "float32"),
        "Exp": (lambda x, y: tf.exp(x), "float32"),
        "Sin": (lambda x, y: tf.sin(x), "float32"),
        "Cosh": (lambda x, y: tf.math.cosh(x), "float32"),
        "Uniform random numbers, default algorithm": (
            lambda x, y: tf.random.stateless_uniform(tf.shape(x), seed=seed), "float32"),
        "Uniform random numbers, philox": (
            lambda x, y: tf.random.stateless_uniform(tf.shape(x), seed=seed, alg="philox"),
            "float32"),
        "Softmax": (lambda x, y: tf.nn.softmax(x), "float32"),
        "Cast to float64": (lambda x, y: tf.cast(x, tf.float64), "float32"),
        "Cast float64 to float32": (lambda x, y: tf.cast(x, tf.float32), "float64"),
        "Mul, float64": (lambda x, y: x * y, "float64"),
        "Minimum (x, c), float64": (lambda x, y: tf.minimum(x, 64.0), "float64"),
        "Sigmoid, float64": (lambda x, y: tf.sigmoid(x), "float64"),
        "Exp, float64": (lambda x, y: tf.exp(x), "float64"),
        "Tanh, float64": (lambda x, y: tf.tanh(x), "float64"),
        "Sin, float64": (lambda x, y: tf.sin(x), "float64"),
        "Step: relu": (_relu_step, "float32"),
        **{f"Step: per-channel slope, {n} parameter gradient{'s' * (n > 1)}":
           (_slope_step(n), "float32") for n in range(1, 5)},
    }


def _relu_step(x, dy):
    return tf.nn.relu(x), tf.where(x > 0, dy, 0.0)


def _slope_step(gradients):
    """A PReLU-like training step written in one function: the output, the
    input gradient and `gradients` (1 to 4) sums over the batch axis, each of
    its own product of x and dy, as a layer with that many per-channel
    parameter gradients computes them."""

    def step(x, dy):
        negative = tf.minimum(x, 0.0)
        positive = tf.maximum(x, 0.0)
        products = [negative * dy, positive * dy, negative * negative * dy,
                    positive * positive * dy][:gradients]
        sums = [tf.reduce_sum(p, 0) for p in products]
        return positive + 0.25 * negative, tf.where(x > 0, dy, 0.25 * dy), sums

    return step


def warmed_up(op, x, y, mode):
    step = tf.function(op, jit_compile=(mode == "xla"))
    step(x, y)
    # Reading one element of each output waits for the whole computation.
    return lambda: [tf.reshape(t, [-1])[0].numpy() for t in tf.nest.flatten(step(x, y))]


def run(args, mode):
    """Median ms per kernel, timed in interleaved rounds."""
    rows = args.size // CHANNELS
    rng = np.random.default_rng(0)
    data = {
        dtype: [tf.constant(rng.standard_normal((rows, CHANNELS)).astype(dtype))
                for _ in range(2)]
        for dtype in ("float32", "float64")
    }
    steps = {name: warmed_up(op, *data[dtype], mode)
             for name, (op, dtype) in kernels(rows).items()}
    medians = interleaved_median_seconds(list(steps.values()), args.repeats)
    return {name: seconds * 1e3 for name, seconds in zip(steps, medians)}


def markdown_table(times, size, mode):
    relu = times["Relu"]
    lines = [f"**{mode}, {size:,} elements, one op per row** (Relu: {relu:.2f} ms)", "",
             "| kernel | ms | × Relu |", "| --- | ---: | ---: |"]
    lines += [f"| {name} | {ms:.2f} | {ms / relu:.2f} |" for name, ms in times.items()]
    return "\n".join(lines)


def main(argv=None):
    args = parse_args(argv)
    times = {mode: run(args, mode) for mode in args.modes}
    print("\n\n".join(markdown_table(t, args.size, mode) for mode, t in times.items()))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"size": args.size, "ms": times}, indent=2))
    print(f"\nwrote {args.json}")


if __name__ == "__main__":
    main()
