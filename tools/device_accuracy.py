"""float32 ULP error of every stateless activation on another device or backend.

The test suite checks accuracy on the CPU with TensorFlow. This tool checks
the same grid, against the same mpmath references, wherever Keras runs (e.g.
a GPU through the JAX backend, where TensorFlow may not be installed):

    python tools/device_accuracy.py write runs/accuracy_references.npz   # here
    KERAS_BACKEND=jax JAX_ENABLE_X64=1 python tools/device_accuracy.py \
        check runs/accuracy_references.npz                               # there

`write` evaluates the references (slow, needs the test dependencies); `check`
needs only Keras and numpy and prints the worst forward and gradient error,
in float32 ULP, of plain and jit-compiled calls.
"""

import argparse
import pathlib
import sys

import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from support.references import nearest_ulp_error  # noqa: E402


def write(path):
    from support import accuracy

    arrays = {"x": accuracy.grid("float32")}
    for name in accuracy.ELEMENTWISE:
        for which in ("value", "slope"):
            (hi, lo), (flushed_hi, flushed_lo) = accuracy.reference(name, "float32", which)
            arrays.update({f"{name}/{which}/hi": hi, f"{name}/{which}/lo": lo,
                           f"{name}/{which}/flushed_hi": flushed_hi,
                           f"{name}/{which}/flushed_lo": flushed_lo})
    np.savez_compressed(path, **arrays)
    print(f"wrote references for {len(accuracy.ELEMENTWISE)} functions to {path}")


def _worst_error(y, references, name, which):
    refs = [(references[f"{name}/{which}/{p}hi"], references[f"{name}/{which}/{p}lo"])
            for p in ("", "flushed_")]
    return float(np.max(nearest_ulp_error(y, refs, "float32")))


def _value_and_gradient(fn, x, jit):
    import jax

    def value_and_slope(x):
        y, pullback = jax.vjp(fn, x)
        return y, pullback(jax.numpy.ones_like(y))[0]

    return (jax.jit(value_and_slope) if jit else value_and_slope)(x)


def check(path):
    import keras

    import keras_activations

    if keras.backend.backend() != "jax":
        raise SystemExit("check runs on the JAX backend: set KERAS_BACKEND=jax.")
    references = np.load(path)
    x = keras.ops.convert_to_tensor(references["x"].astype(np.float32))
    names = sorted({key.split("/")[0] for key in references.files if "/" in key})
    print(f"device: {x.devices() if hasattr(x, 'devices') else 'unknown'}")
    print("| function | forward ULP | gradient ULP | forward ULP (jit) | gradient ULP (jit) |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name in names:
        fn = keras_activations.get(name)
        cells = []
        for jit in (False, True):
            y, slope = _value_and_gradient(fn, x, jit)
            cells += [_worst_error(y, references, name, "value"),
                      _worst_error(slope, references, name, "slope")]
        eager, jitted = cells[:2], cells[2:]
        print(f"| {name} | {eager[0]:.2f} | {eager[1]:.2f} | {jitted[0]:.2f} | {jitted[1]:.2f} |")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["write", "check"])
    parser.add_argument("path")
    args = parser.parse_args(argv)
    write(args.path) if args.command == "write" else check(args.path)


if __name__ == "__main__":
    main()
