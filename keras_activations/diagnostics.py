"""See what an activation does to a network: curves and gradient flow.

`gradient_flow` measures, at initialisation, the gradient norm of every
layer's kernel in a deep MLP, once per activation: saturating activations
(sigmoid, tanh) show norms shrinking towards the input, the ReLU family does
not. The plotting helpers write PNG files with matplotlib (the `diagnostics`
extra). Gradients are taken with TensorFlow, imported where used so that the
activations themselves also import on other Keras backends.
"""

import keras
import numpy as np

from keras_activations import backends
from keras_activations import registry

DEFAULT_FLOW_ACTIVATIONS = ("sigmoid", "tanh", "relu", "leaky_relu_plus", "gelu_tanh")


def deep_mlp(activation, depth=20, width=64, input_dim=32, seed=0):
    """`depth` Dense layers of `width` units with `activation`, then Dense(1).

    Kernels use Glorot-uniform initialisation seeded by `seed`, so two
    activations are compared on identical starting weights.
    """
    if depth < 1 or width < 1:
        raise ValueError(f"depth and width must be >= 1, got {depth}, {width}.")
    layers = [keras.Input((input_dim,))]
    for index in range(depth):
        initializer = keras.initializers.GlorotUniform(seed=seed + index)
        layers.append(keras.layers.Dense(
            width, activation=activation, kernel_initializer=initializer,
            name=f"dense_{index}"))
    layers.append(keras.layers.Dense(
        1, kernel_initializer=keras.initializers.GlorotUniform(seed=seed + depth),
        name="output"))
    return keras.Sequential(layers)


def kernel_gradient_norms(model, x, y, loss=None):
    """{layer name: L2 norm of d loss / d kernel} for every layer with a kernel.

    The model runs with `training=True` (Dropout, BatchNormalization and RReLU
    as in a training step), and its state is put back afterwards: moving
    statistics and random seeds are as they were, so measuring does not
    change how the model trains.

    Args:
        model: A Keras model.
        x, y: A batch of inputs (array, list or dict, as `fit` takes them) and
            targets.
        loss: A loss identifier, or `None` for the compiled loss
            (`model.compute_loss`, regularization losses included).
    """
    backends.require_tensorflow("kernel_gradient_norms", "it takes gradients with tf.GradientTape")
    import tensorflow as tf

    layers = [layer for layer in model.layers if getattr(layer, "kernel", None) is not None]
    state = [keras.ops.convert_to_numpy(variable.value)
             for variable in model.non_trainable_variables]
    try:
        with tf.GradientTape() as tape:
            y_pred = model(x, training=True)
            if loss is None:
                value = model.compute_loss(x=x, y=y, y_pred=y_pred)
            else:
                value = keras.ops.mean(keras.losses.get(loss)(y, y_pred))
        gradients = tape.gradient(value, [layer.kernel for layer in layers])
    finally:
        for variable, saved in zip(model.non_trainable_variables, state):
            variable.assign(saved)
    return {
        layer.name: float(np.linalg.norm(np.asarray(g))) if g is not None else 0.0
        for layer, g in zip(layers, gradients)
    }


def gradient_flow(activations=DEFAULT_FLOW_ACTIVATIONS, depth=20, width=64,
                  batch_size=128, input_dim=32, seed=0):
    """Per-layer kernel gradient norms at initialisation for each activation.

    Returns:
        {activation: [norm of hidden layer 0, ..., norm of layer depth-1]},
        input side first; the output layer is left out.
    """
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((batch_size, input_dim)).astype("float32")
    y = rng.standard_normal((batch_size, 1)).astype("float32")
    flow = {}
    for activation in activations:
        model = deep_mlp(activation, depth, width, input_dim, seed)
        norms = kernel_gradient_norms(model, x, y, loss="mse")
        flow[activation] = [norms[f"dense_{index}"] for index in range(depth)]
    return flow


def gradient_flow_table(flow):
    """A markdown table: one row per activation, first/middle/last layer norms
    and the ratio of the first (input side) to the last hidden layer."""
    lines = ["| activation | layer 0 | middle layer | last layer | first / last |",
             "|---|---|---|---|---|"]
    for activation, norms in flow.items():
        first, middle, last = norms[0], norms[len(norms) // 2], norms[-1]
        ratio = first / last if last else float("inf")
        lines.append(f"| `{activation}` | {first:.3e} | {middle:.3e} | "
                     f"{last:.3e} | {ratio:.3g} |")
    return "\n".join(lines)


def _pyplot():
    try:
        import matplotlib
    except ImportError as error:
        raise ImportError(
            "Plotting needs matplotlib: pip install 'keras_activations[diagnostics]'."
        ) from error
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _curve_and_slope(name, x):
    """Values and derivative of activation `name` (a fresh layer if stateful)."""
    backends.require_tensorflow("plot_activations", "it takes gradients with tf.GradientTape")
    import tensorflow as tf

    fn = registry.get(name)
    inputs = tf.constant(x[:, None])
    with tf.GradientTape() as tape:
        tape.watch(inputs)
        outputs = fn(inputs)
    slope = tape.gradient(outputs, inputs)
    return np.asarray(outputs)[:, 0], np.asarray(slope)[:, 0]


def plot_activations(names, path, x_range=(-4.0, 4.0), points=801):
    """Writes a PNG with each activation (left) and its derivative (right)."""
    plt = _pyplot()
    x = np.linspace(*x_range, points).astype("float32")
    figure, (left, right) = plt.subplots(1, 2, figsize=(11, 4.5))
    for name in names:
        values, slopes = _curve_and_slope(name, x)
        left.plot(x, values, label=name)
        right.plot(x, slopes, label=name)
    for axis, title in ((left, "f(x)"), (right, "f'(x)")):
        axis.set_title(title)
        axis.set_xlabel("x")
        axis.axhline(0, color="grey", linewidth=0.5)
        axis.axvline(0, color="grey", linewidth=0.5)
        axis.grid(alpha=0.3)
        axis.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)


def plot_gradient_flow(flow, path):
    """Writes a PNG of per-layer kernel gradient norms (log scale)."""
    plt = _pyplot()
    figure, axis = plt.subplots(figsize=(8, 4.5))
    for activation, norms in flow.items():
        axis.semilogy(range(len(norms)), norms, marker="o", markersize=3,
                      label=activation)
    axis.xaxis.get_major_locator().set_params(integer=True)
    axis.set_xlabel("hidden layer (0 = input side)")
    axis.set_ylabel("||dL/dW|| at initialisation")
    axis.set_title(f"Gradient flow through a {len(next(iter(flow.values())))}-layer MLP")
    axis.grid(alpha=0.3, which="both")
    axis.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)
