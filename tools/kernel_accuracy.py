"""float32 ULP error of the functions that Keras also has a kernel for.

For `gelu_tanh` (Keras: `gelu(approximate=True)`) and `softmin` (Keras:
`softmax(-x)`) prints the worst forward and gradient error over the grids
of `support/accuracy.py` (the test suite's harness), in float32 ULP and in units of 4 (1 + kappa)
ULP (8 for gradients: the test suite's bound, 1 where it holds), for three
implementations: ours (float32 working precision, the default), ours in
float64 working precision and Keras' kernel. This is the accuracy side of
the speed comparison in docs/benchmarks.md.

    python tools/kernel_accuracy.py
"""

import pathlib
import sys

import keras
import numpy as np
import tensorflow as tf

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

import keras_activations  # noqa: E402
from support import accuracy  # noqa: E402
from support.references import nearest_ulp_error  # noqa: E402


def _float64_working_precision(fn):
    def traced(x):
        with keras_activations.working_precision("float64"):
            return fn(x)
    return traced


def implementations(name, keras_kernel):
    ours = keras_activations.get(name)
    return {"ours": ours,
            "ours, float64 working precision": _float64_working_precision(ours),
            "Keras": keras_kernel}


def _value_and_gradient(fn, x):
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = fn(x)
    return y, tape.gradient(y, x)


def _worst(y, references, x, bound):
    error = nearest_ulp_error(y, references, "float32")
    worst = int(np.argmax(error))
    return f"{error[worst]:.3g} (x = {x[worst]:.4g}); {np.max(error / bound):.3g} of the bound"


def gelu_tanh_rows():
    x = accuracy.grid("float32")
    value = accuracy.reference("gelu_tanh", "float32", "value")
    slope = accuracy.reference("gelu_tanh", "float32", "slope")
    value_bound = accuracy.bound("gelu_tanh", "float32", "value")
    slope_bound = accuracy.bound("gelu_tanh", "float32", "slope")
    keras_kernel = lambda t: keras.activations.gelu(t, approximate=True)
    for label, fn in implementations("gelu_tanh", keras_kernel).items():
        y, gradient = _value_and_gradient(fn, tf.constant(x, "float32"))
        yield ("gelu_tanh", label, _worst(y, value, x, value_bound),
               _worst(gradient, slope, x, slope_bound))


def softmin_rows():
    """Forward error only: the gradient is a vector-Jacobian product, checked
    against the dot-product error bound by the test suite."""
    x, values, _, kappa, _ = accuracy.softmin_case("float32")
    flat = np.reshape(x, -1)
    keras_kernel = lambda t: keras.activations.softmax(-t)
    for label, fn in implementations("softmin", keras_kernel).items():
        y = fn(tf.constant(x, "float32"))
        bound = accuracy.condition_bound("float32", "value", kappa)
        yield "softmin", label, _worst(y, [values], flat, bound), "–"


def main():
    print("| function | implementation | forward ULP (worst at) | gradient ULP (worst at) |")
    print("| --- | --- | ---: | ---: |")
    for row in [*gelu_tanh_rows(), *softmin_rows()]:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
