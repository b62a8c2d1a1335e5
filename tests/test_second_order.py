"""Second derivatives: the given slopes, and autodiff, are differentiable again.

Stateless names: d^2y/dx^2 by nested tapes against mpmath's exact second
derivative, in eager, graph and XLA, float32 and float64. Layers: the shared
contract (`tests/layers/layer_contract.py`) compares second-order gradients
with autodiff of each plain formula. A physics-informed network with
`AdaptiveActivation("tanh")`, whose loss uses d^2u/dx^2, trains step for step
like the same network written as a plain formula.
"""

import functools

import keras
import numpy as np
import pytest
import tensorflow as tf
from keras import ops

import keras_activations
from support import backend
from support import references

# The dense range where second derivatives are not 0 to working precision,
# plus the tails and huge inputs, where they must stay finite and right.
GRID = np.concatenate([np.arange(-12.0, 12.0, 1 / 16),
                       [-1e30, -1e4, -100.0, -30.0, 30.0, 100.0, 1e4, 1e30]])
# |error| <= TOLERANCE * (1 + |exact|): the slope formulas are autodiffed,
# not rewritten against cancellation, so the bound is absolute near zeros of
# the second derivative.
TOLERANCE = {"float32": 2e-4, "float64": 1e-10}


@functools.cache
def curvature(name, dtype):
    """The exact second derivative at the grid rounded to `dtype`."""
    x = GRID.astype(dtype).astype(np.float64)
    hi, lo = references.evaluate(references.ELEMENTWISE[name].curvature, x)
    return hi + lo


def second_derivative(fn, x):
    """d/dx of sum(d/dx sum(fn(x))): the elementwise second derivative of an
    elementwise fn."""
    slope = lambda x: ops.sum(backend.grad(lambda x: ops.sum(fn(x)))(x)[0])
    return backend.grad(slope)(x)[0]


DTYPES = ["float32", "float64"] if backend.FLOAT64 else ["float32"]


@pytest.mark.parametrize("mode", backend.modes())
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", sorted(references.ELEMENTWISE))
def test_second_derivative_matches_mpmath(name, dtype, mode):
    fn = keras_activations.get(name)
    x = backend.tensor(GRID, dtype)
    got = ops.convert_to_numpy(
        backend.in_mode(lambda t: second_derivative(fn, t), mode)(x)).astype(np.float64)
    exact = curvature(name, dtype)
    error = np.abs(got - exact) / (1 + np.abs(exact))
    worst = int(np.argmax(np.nan_to_num(error, nan=np.inf)))
    assert error[worst] <= TOLERANCE[dtype], (
        f"{name}'' at x={GRID[worst]}: got {got[worst]}, exact {exact[worst]}")


@pytest.mark.tensorflow_only  # its float64 reference needs float64 ops
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_softmin_hessian_vector_product_matches_the_plain_formula(dtype):
    rng = np.random.default_rng(6)
    x = rng.uniform(-3, 3, (4, 7)).astype(dtype)
    probe = rng.standard_normal((4, 7)).astype(dtype)
    plain = lambda t: ops.exp(-t) / ops.sum(ops.exp(-t), axis=-1, keepdims=True)

    def hessian_vector(fn, dtype):
        weights = backend.tensor(probe, dtype)
        return second_derivative(lambda t: weights * fn(t), backend.tensor(x, dtype))

    expected = hessian_vector(plain, "float64")
    np.testing.assert_allclose(hessian_vector(keras_activations.softmin, dtype), expected,
                               rtol=TOLERANCE[dtype], atol=TOLERANCE[dtype])


class PlainAdaptiveTanh(keras.layers.Layer):
    """tanh(n a x) with a per-channel slope, autodiffed: the LAAF formula."""

    def __init__(self, scale_factor=10.0, **kwargs):
        super().__init__(**kwargs)
        self.scale_factor = scale_factor

    def build(self, input_shape):
        self.slope = self.add_weight(
            name="slope", shape=(input_shape[-1],),
            initializer=keras.initializers.Constant(1 / self.scale_factor))

    def call(self, inputs):
        return ops.tanh(self.scale_factor * self.slope * inputs)


def _network(activation, seed):
    keras.utils.set_random_seed(seed)
    dense = lambda units: keras.layers.Dense(units, dtype="float64")
    return keras.Sequential([
        keras.Input((1,), dtype="float64"),
        dense(8), activation(dtype="float64"),
        dense(8), activation(dtype="float64"),
        dense(1),
    ])


def _poisson_step(model, optimizer, x, boundary):
    """One step on u'' = -pi^2 sin(pi x), u(+-1) = 0, whose loss needs d^2u/dx^2."""
    with tf.GradientTape() as tape:
        u_xx = second_derivative(model, x)
        residual = u_xx + np.pi**2 * tf.sin(np.pi * x)
        loss = tf.reduce_mean(tf.square(residual)) + tf.reduce_mean(tf.square(model(boundary)))
    gradients = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(gradients, model.trainable_variables))
    return loss


@pytest.mark.tensorflow_only  # trains with tf.GradientTape
@pytest.mark.parametrize("mode", ["eager", "graph"])
def test_physics_informed_network_trains_like_the_plain_formula(mode):
    ours = _network(lambda **kwargs: keras_activations.AdaptiveActivation("tanh", **kwargs),
                    seed=0)
    plain = _network(PlainAdaptiveTanh, seed=0)
    plain.set_weights(ours.get_weights())
    x = tf.constant(np.linspace(-1, 1, 33)[:, None])
    boundary = tf.constant([[-1.0], [1.0]], tf.float64)
    steps = [backend.in_mode(_poisson_step, mode) for _ in range(2)]
    optimizers = [keras.optimizers.Adam(0.01) for _ in range(2)]
    losses = []
    for _ in range(5):
        step_losses = [float(step(model, optimizer, x, boundary)) for step, model, optimizer
                       in zip(steps, (ours, plain), optimizers)]
        np.testing.assert_allclose(step_losses[0], step_losses[1], rtol=1e-10)
        for mine, theirs in zip(ours.get_weights(), plain.get_weights()):
            np.testing.assert_allclose(mine, theirs, rtol=1e-9, atol=1e-12)
        losses.append(step_losses[0])
    assert losses[-1] < losses[0]
