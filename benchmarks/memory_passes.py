"""Passes over memory and transcendental ops of every activation's compiled step.

What bounds an elementwise activation on a CPU is how often its step reads
and writes tensors of the input's size, and how many transcendental ops it
evaluates per element. This script counts both, without timing anything, in
the program each mode runs for the step that `activation_speed.py` times
(forward and backward pass on a float32 tensor of shape (size / 1024, 1024)):

- `graph` (`tf.function`): every op that reads or writes a tensor of the
  input's size is a kernel of its own, which reads its inputs and writes its
  outputs. Counted in the traced graph, before TensorFlow's graph optimizer.
- `xla` (`jit_compile=True`): every instruction of XLA's optimized program (a
  fusion, a dot, a reduction) reads its operands and writes its result.
  Counted in `experimental_get_compiler_ir(stage="optimized_hlo")`.

`passes` is that traffic in tensors of the input's size (relu's training step
reads x, writes y, reads x and dy, writes dx: 5). Next to it, with
`--speed-json`, the time measured by `activation_speed.py` as a ratio to
relu: where it is close to the ratio of passes, memory traffic bounds the
step; where it is well above, the transcendental ops do. TensorFlow only.

    python benchmarks/memory_passes.py --speed-json runs/benchmarks/activation_speed.json
"""

import argparse
import json
import pathlib
import re

import keras
import numpy as np
import tensorflow as tf

from activation_speed import CHANNELS
from activation_speed import as_callable
from activation_speed import tensorflow_step
from activation_speed import default_names
from activation_speed import subjects


# Ops that move no data, or only a tensor's shape.
GRAPH_FREE_OPS = {"Placeholder", "Const", "Identity", "IdentityN", "NoOp", "Reshape",
                  "Shape", "ShapeN", "Size", "Rank", "StopGradient", "ReadVariableOp",
                  "ExpandDims", "Squeeze"}
GRAPH_TRANSCENDENTALS = {"Exp", "Expm1", "Log", "Log1p", "Tanh", "Sigmoid", "Sin", "Cos",
                         "Sqrt", "Rsqrt", "Softplus", "Softmax", "Erf", "Pow"}
HLO_FREE_OPS = {"parameter", "constant", "bitcast", "tuple", "get-tuple-element"}
HLO_TRANSCENDENTALS = {"exponential", "exponential-minus-one", "log", "log-plus-one", "tanh",
                       "logistic", "sine", "cosine", "sqrt", "rsqrt", "power", "erf"}
_HLO_INSTRUCTION = re.compile(
    r"^\s*(?:ROOT )?%(?P<name>[\w.\-]+) = (?P<shape>\([^=]*?\)|\S+) "
    r"(?P<opcode>[\w\-]+)\((?P<operands>[^)]*)\)(?P<attributes>.*)$")
_HLO_ARRAY = re.compile(r"(pred|s8|u8|s32|u32|s64|u64|bf16|f16|f32|f64)\[([\d,]*)\]")
_HLO_BYTES = {"pred": 1, "s8": 1, "u8": 1, "bf16": 2, "f16": 2, "s32": 4, "u32": 4, "f32": 4,
              "s64": 8, "u64": 8, "f64": 8}


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=1 << 22,
                        help="elements per tensor (a multiple of 1024)")
    parser.add_argument("--modes", nargs="+", default=["graph", "xla"], choices=["graph", "xla"])
    parser.add_argument("--names", nargs="+", default=None,
                        help="default: every name activation_speed.py times")
    parser.add_argument("--inference", action="store_true",
                        help="count the forward pass alone, as a served model runs it")
    parser.add_argument("--speed-json", type=pathlib.Path, default=None,
                        help="activation_speed.py's JSON, for a measured × relu column")
    parser.add_argument("--json", type=pathlib.Path,
                        default=pathlib.Path("runs/benchmarks/memory_passes.json"))
    return parser.parse_args(argv)


def graph_counts(function, x, dy):
    """(kernels, passes, transcendentals) of a tf.function's traced graph."""
    elements = x.shape.num_elements()
    kernels = traffic = transcendentals = 0
    for op in function.get_concrete_function(x, dy).graph.get_operations():
        if op.type in GRAPH_FREE_OPS:
            continue
        moved = sum(_graph_tensor_bytes(t, elements)
                    for t in list(op.inputs) + list(op.outputs))
        if moved:
            kernels += 1
            traffic += moved
            transcendentals += op.type in GRAPH_TRANSCENDENTALS
    return kernels, traffic / (elements * 4), transcendentals


def _graph_tensor_bytes(tensor, input_elements):
    """Bytes of a tensor with at least half as many elements as the input
    (a boolean mask too); 0 for smaller ones, such as parameters."""
    elements = tensor.shape.num_elements()
    if elements is None or tensor.dtype == tf.resource or 2 * elements < input_elements:
        return 0
    return elements * tensor.dtype.size


def xla_counts(function, x, dy):
    """(kernels, passes, transcendentals) of a step's optimized HLO."""
    hlo = function.experimental_get_compiler_ir(x, dy)(stage="optimized_hlo")
    computations = _hlo_computations(hlo)
    entry = next(body for name, body in computations.items() if name.startswith("ENTRY"))
    tensor_bytes = x.shape.num_elements() * 4
    shapes = {i["name"]: i["shape"] for i in entry}
    kernels = traffic = transcendentals = 0
    for instruction in entry:
        if instruction["opcode"] in HLO_FREE_OPS:
            continue
        operands = re.findall(r"%([\w.\-]+)", instruction["operands"])
        moved = _hlo_bytes(instruction["shape"]) + sum(_hlo_bytes(shapes[o]) for o in operands)
        kernels += 2 * moved >= tensor_bytes
        traffic += moved
        for called in re.findall(r"calls=%([\w.\-]+)", instruction["attributes"]):
            transcendentals += sum(i["opcode"] in HLO_TRANSCENDENTALS
                                   for i in computations[called])
    return kernels, traffic / tensor_bytes, transcendentals


def _hlo_computations(hlo):
    """Computation name (the entry's prefixed "ENTRY ") -> its instructions."""
    computations, current = {}, None
    for line in hlo.splitlines():
        header = re.match(r"^(ENTRY )?%([\w.\-]+) ", line)
        if header and line.rstrip().endswith("{"):
            current = computations.setdefault((header.group(1) or "") + header.group(2), [])
        elif current is not None and (match := _HLO_INSTRUCTION.match(line)):
            current.append(match.groupdict())
    return computations


def _hlo_bytes(shape):
    return sum(_HLO_BYTES[dtype] * int(np.prod([int(d) for d in dims.split(",") if d]))
               for dtype, dims in _HLO_ARRAY.findall(shape))


def count(args):
    shape = (args.size // CHANNELS, CHANNELS)
    x = tf.zeros(shape)
    dy = tf.zeros(shape)
    counters = {"graph": graph_counts, "xla": xla_counts}
    rows = []
    for name, variant, factory in subjects(args.names or default_names()):
        if variant == "naive":
            continue
        call, weights = as_callable(factory(), shape, training=not args.inference)
        for mode in args.modes:
            step = tensorflow_step(call, weights, mode, args.inference)
            kernels, passes, transcendentals = counters[mode](step, x, dy)
            rows.append({"name": name, "variant": variant, "mode": mode, "kernels": kernels,
                         "passes": passes, "transcendentals": transcendentals})
    return rows


def measured_ratios(speed_json, size):
    """(name, variant, mode) -> measured time as a ratio to relu's."""
    if speed_json is None:
        return {}
    results = [r for r in json.loads(speed_json.read_text())["results"] if r["size"] == size]
    relu = {r["mode"]: r["ms"] for r in results if r["name"] == "relu"}
    return {(r["name"], r["variant"], r["mode"]): r["ms"] / relu[r["mode"]] for r in results}


def markdown_tables(rows, measured):
    lines = []
    for mode in dict.fromkeys(r["mode"] for r in rows):
        in_mode = [r for r in rows if r["mode"] == mode]
        relu = next(r for r in in_mode if r["name"] == "relu")
        lines += ["", f"**{mode}** (relu: {relu['kernels']} kernels, "
                      f"{relu['passes']:.1f} passes)", "",
                  "| activation | kernels | passes | passes × relu | transcendentals "
                  "| measured × relu |",
                  "| --- | ---: | ---: | ---: | ---: | ---: |"]
        for row in in_mode:
            label = row["name"] if row["variant"] == "ours" else f"{row['name']} (Keras)"
            ratio = measured.get((row["name"], row["variant"], mode))
            lines.append(f"| {label} | {row['kernels']} | {row['passes']:.1f} | "
                         f"{row['passes'] / relu['passes']:.2f} | {row['transcendentals']} | "
                         f"{'–' if ratio is None else f'{ratio:.2f}'} |")
    return "\n".join(lines)


def main(argv=None):
    args = parse_args(argv)
    if keras.backend.backend() != "tensorflow":
        raise SystemExit("memory_passes.py reads TensorFlow's graphs and XLA's HLO: "
                         "run it with KERAS_BACKEND=tensorflow.")
    rows = count(args)
    print(f"{'Forward pass only' if args.inference else 'Forward and backward pass'}; "
          f"passes over memory in tensors of {args.size:,} float32 elements.")
    print(markdown_tables(rows, measured_ratios(args.speed_json, args.size)))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"size": args.size, "inference": args.inference,
                                     "results": rows}, indent=1))
    print(f"\nwrote {args.json}")


if __name__ == "__main__":
    main()
