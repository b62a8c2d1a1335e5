"""Forward+backward time of every registered activation, as a ratio to relu.

For each registered name (functions, and a fresh layer for each stateful
name), each mode and each size, times one forward and backward pass (the
gradient with respect to the input and every weight) on a float32 tensor of
shape (size / 1024, 1024), and divides by relu's time measured in the same run.
Subjects are timed in interleaved rounds (one pass each per round, medians
over rounds), so drift in machine speed hits all of them alike.
Where Keras has a kernel for the same math, and for the naive composition of
the formula, their times are measured too. Prints markdown tables, writes JSON.
`--inference` times the forward pass alone, as TF Serving runs a model.

    python benchmarks/activation_speed.py --sizes 1048576 16777216
    KERAS_BACKEND=jax python benchmarks/activation_speed.py --modes eager xla

Modes: `eager` (op by op), `graph` (tf.function; TensorFlow only) and `xla`
(tf.function(jit_compile=True), or jax.jit). Each step returns the output and
the gradients. `GB/s` counts the least memory traffic of a forward+backward
pass fused into one kernel: read x and dy, write y and dx (4 tensors of the
input's size), so 100% of the device's bandwidth is the floor.
`page faults` counts the minor page faults of one step (where the platform
counts them): memory its buffers took fresh from the operating system,
zero-filled page by page on first touch, which the step pays for too.
`--working-precision float64` traces the activations in float64 working
precision (`keras_activations.working_precision("float64")`), the price of
that option.
"""

import argparse
import inspect
import json
import pathlib
import platform
import statistics
import time

try:
    import resource
except ImportError:  # Windows
    resource = None

import keras
import numpy as np
from keras import ops

import keras_activations

CHANNELS = 1024
TENSORS_MOVED = 4
TENSORS_MOVED_FORWARD = 2  # read x, write y


def _naive_leaky_relu_plus(x):
    return ops.relu(x) + 0.01 * ops.relu(-x)


# The same math written as a plain composition of keras.ops, autodiffed.
NAIVE = {
    "leaky_relu_plus": _naive_leaky_relu_plus,
    "squared_relu": lambda x: ops.square(ops.relu(x)),
    "gelu_tanh": lambda x: 0.5 * x * (1 + ops.tanh(
        0.7978845608028654 * (x + 0.044715 * x * x * x))),
    "lisht": lambda x: x * ops.tanh(x),
    "snake": lambda x: x + ops.square(ops.sin(x)),
    "bent_identity": lambda x: (ops.sqrt(x * x + 1) - 1) / 2 + x,
    "tanh_exp": lambda x: x * ops.tanh(ops.exp(x)),
    "softmin": lambda x: ops.exp(-x) / ops.sum(ops.exp(-x), axis=-1, keepdims=True),
}

# Learnable layers that no string names, timed under these labels.
UNNAMED_LAYERS = {
    "adaptive_activation_tanh": lambda: keras_activations.AdaptiveActivation("tanh"),
}

# Keras' own implementation of the same math, where it has one.
KERAS_KERNEL = {
    "gelu_tanh": lambda: (lambda x: keras.activations.gelu(x, approximate=True)),
    "softmin": lambda: (lambda x: keras.activations.softmax(-x)),
    "prelu": lambda: keras.layers.PReLU(),
}


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2**20, 2**24],
                        help="elements per tensor (multiples of 1024)")
    parser.add_argument("--modes", nargs="+", default=None,
                        choices=["eager", "graph", "xla"],
                        help="default: all the backend supports")
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--names", nargs="+", default=None,
                        help="default: every registered name and "
                        + ", ".join(UNNAMED_LAYERS))
    parser.add_argument("--bandwidth-gbs", type=float, default=None,
                        help="device memory bandwidth, for a percentage column")
    parser.add_argument("--inference", action="store_true",
                        help="time the forward pass alone, as a served model runs it")
    parser.add_argument("--working-precision", default="float32",
                        choices=keras_activations.precision.WORKING_PRECISIONS,
                        help="working precision of the activations (default: %(default)s)")
    parser.add_argument("--json", type=pathlib.Path,
                        default=pathlib.Path("runs/benchmarks/activation_speed.json"))
    return parser.parse_args(argv)


def as_callable(subject, shape, training):
    """A function of (x, weights) and the initial weights, for a function or
    layer; a layer runs as in training (RReLU draws its slopes) or inference."""
    if not isinstance(subject, keras.layers.Layer):
        return (lambda x, weights: subject(x)), []
    subject.build(shape)
    if keras.backend.backend() == "jax":
        # stateless_call passes keyword arguments to `call` as they are.
        kwargs = ({"training": training}
                  if "training" in inspect.signature(subject.call).parameters else {})

        def call(x, weights):
            y, _ = subject.stateless_call(weights, subject.non_trainable_variables, x, **kwargs)
            return y
        return call, [v.value for v in subject.trainable_variables]
    return (lambda x, weights: subject(x, training=training)), list(subject.trainable_variables)


def tensorflow_step(call, weights, mode, inference):
    import tensorflow as tf

    def step(x, dy):
        if inference:
            return call(x, weights), [x]
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = call(x, weights)
        return y, tape.gradient(y, [x] + weights, output_gradients=dy)

    if mode == "eager":
        return step
    return tf.function(step, jit_compile=(mode == "xla"))


def _jax_step(call, weights, mode, inference):
    import jax

    def step(x, dy):
        if inference:
            return call(x, weights), [x]
        y, pullback = jax.vjp(call, x, weights)
        return y, pullback(dy)

    return jax.jit(step) if mode == "xla" else step


def _synchronize(result):
    if keras.backend.backend() == "jax":
        import jax
        jax.block_until_ready(result)
    else:
        # Reading one element waits for asynchronous (GPU) kernels.
        ops.convert_to_numpy(result[0][0, 0])
        ops.convert_to_numpy(result[1][0][0, 0])


def warmed_up_step(subject, x, dy, mode, inference=False):
    """A callable that runs one synchronized forward+backward pass of
    `subject` (the forward pass alone for `inference`)."""
    call, weights = as_callable(subject, x.shape, training=not inference)
    make_step = _jax_step if keras.backend.backend() == "jax" else tensorflow_step
    step = make_step(call, weights, mode, inference)
    run = lambda: _synchronize(step(x, dy))
    for _ in range(2):
        run()
    return run


def interleaved_median_seconds(runs, repeats):
    """Median seconds per run, timing each run once per round so that drift in
    machine speed hits every run alike."""
    times = [[] for _ in runs]
    for _ in range(repeats):
        for run, samples in zip(runs, times):
            start = time.perf_counter()
            run()
            samples.append(time.perf_counter() - start)
    return [statistics.median(samples) for samples in times]


def minor_page_faults(run):
    """Minor page faults of one run (median of three), or None where the
    platform does not count them: pages the step's buffers took fresh from
    the operating system, each filled with zeros on its first touch."""
    if resource is None:
        return None
    faults = []
    for _ in range(3):
        before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        run()
        faults.append(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
    return statistics.median(faults)


def default_names():
    return keras_activations.names() + list(UNNAMED_LAYERS)


def subjects(names):
    """(name, variant, factory) for every subject timed; factories make fresh objects."""
    rows = [("relu", "keras", lambda: keras.activations.relu)]
    for name in names:
        rows.append((name, "ours", UNNAMED_LAYERS.get(
            name, lambda name=name: keras_activations.get(name))))
        if name in KERAS_KERNEL:
            rows.append((name, "keras", KERAS_KERNEL[name]))
        if name in NAIVE:
            rows.append((name, "naive", lambda name=name: NAIVE[name]))
    return rows


def default_modes():
    return ["eager", "xla"] if keras.backend.backend() == "jax" else ["eager", "graph", "xla"]


def run(args):
    names = args.names or default_names()
    modes = args.modes or default_modes()
    rng = np.random.default_rng(0)
    moved = TENSORS_MOVED_FORWARD if args.inference else TENSORS_MOVED
    results = []
    for size in args.sizes:
        shape = (size // CHANNELS, CHANNELS)
        x = ops.convert_to_tensor(rng.standard_normal(shape, dtype=np.float32) * 3)
        dy = ops.convert_to_tensor(rng.standard_normal(shape, dtype=np.float32))
        for mode in modes:
            timed = subjects(names)
            runs = [warmed_up_step(factory(), x, dy, mode, args.inference)
                    for _, _, factory in timed]
            medians = interleaved_median_seconds(runs, args.repeats)
            for (name, variant, _), seconds, step in zip(timed, medians, runs):
                results.append({"name": name, "variant": variant, "mode": mode,
                                "size": size, "ms": seconds * 1e3,
                                "gbs": moved * size * 4 / seconds / 1e9,
                                "page_faults": minor_page_faults(step)})
    return results


def _lookup(results, name, variant, mode, size):
    for row in results:
        if (row["name"], row["variant"], row["mode"], row["size"]) == (name, variant, mode, size):
            return row
    return None


def markdown_tables(results, bandwidth_gbs=None):
    """One table per (mode, size): our time, x relu, x Keras kernel, x naive,
    GB/s and page faults per step."""
    lines = []
    keys = sorted({(r["mode"], r["size"]) for r in results}, key=lambda k: (k[1], k[0]))
    for mode, size in keys:
        relu = _lookup(results, "relu", "keras", mode, size)
        header = "| activation | ms | × relu | × Keras kernel | × naive | GB/s | page faults |"
        rule = "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
        if bandwidth_gbs:
            header += " % of bandwidth |"
            rule += " ---: |"
        lines += ["", f"**{mode}, {size:,} float32 elements** (relu: {relu['ms']:.2f} ms, "
                      f"{_faults(relu)} page faults)", "", header, rule]
        for row in results:
            if (row["variant"], row["mode"], row["size"]) != ("ours", mode, size):
                continue
            cells = [row["name"], f"{row['ms']:.2f}", f"{row['ms'] / relu['ms']:.2f}"]
            for variant in ("keras", "naive"):
                other = _lookup(results, row["name"], variant, mode, size)
                cells.append(f"{row['ms'] / other['ms']:.2f}" if other else "–")
            cells.append(f"{row['gbs']:.1f}")
            cells.append(_faults(row))
            if bandwidth_gbs:
                cells.append(f"{100 * row['gbs'] / bandwidth_gbs:.0f}%")
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _faults(row):
    return "–" if row.get("page_faults") is None else f"{row['page_faults']:.0f}"


def machine_description():
    devices = [str(d) for d in _devices()]
    return {"backend": keras.backend.backend(), "keras": keras.__version__,
            "platform": platform.platform(), "processor": platform.processor(),
            "devices": devices}


def _devices():
    if keras.backend.backend() == "jax":
        import jax
        return jax.devices()
    import tensorflow as tf
    return [d.name for d in tf.config.list_logical_devices()]


def main(argv=None):
    args = parse_args(argv)
    with keras_activations.working_precision(args.working_precision):
        results = run(args)
    print(f"Working precision: {args.working_precision}; "
          f"{'forward pass only' if args.inference else 'forward and backward pass'}.")
    print(markdown_tables(results, args.bandwidth_gbs))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({
        "machine": machine_description(),
        "working_precision": args.working_precision,
        "inference": args.inference,
        "results": results}, indent=1))
    print(f"\nwrote {args.json}")


if __name__ == "__main__":
    main()
