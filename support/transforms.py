"""Every differentiation transform of the backend Keras runs on, as the
transform matrix (`tests/test_transforms.py`) applies them.

Each transform takes `fn(x, *weights) -> y`, the input `x`, the trainable
`weights`, a `probe` shaped like `y` (the scalar loss is `sum(probe * y)`)
and a `direction` shaped like `x` (the tangent of forward mode), and
returns the arrays it computes. Input Jacobians and Hessians (what a
physics-informed network takes) are with respect to `x`; gradients, second
order and per-example gradients with respect to `x` and the weights.
"""

import keras
import numpy as np

from support import backend


def _loss(fn, probe):
    return lambda x, *weights: keras.ops.sum(probe * fn(x, *weights))


def _per_example_loss(fn, probe):
    """The loss of one example (a row of `x` and of `probe`)."""
    def loss(row, probe_row, *weights):
        return keras.ops.sum(probe_row * fn(row[None], *weights)[0])
    return loss


def _jax_transforms():
    import jax

    def grad(fn, x, weights, probe, direction):
        argnums = tuple(range(1 + len(weights)))
        return jax.grad(_loss(fn, probe), argnums=argnums)(x, *weights)

    def jvp(fn, x, weights, probe, direction):
        return jax.jvp(lambda x: fn(x, *weights), (x,), (direction,))

    def jacfwd(fn, x, weights, probe, direction):
        return [jax.jacfwd(lambda x: fn(x, *weights))(x)]

    def jacrev(fn, x, weights, probe, direction):
        return [jax.jacrev(lambda x: fn(x, *weights))(x)]

    def hessian(fn, x, weights, probe, direction):
        return [jax.hessian(lambda x: _loss(fn, probe)(x, *weights))(x)]

    def linearize(fn, x, weights, probe, direction):
        y, tangent_map = jax.linearize(lambda x: fn(x, *weights), x)
        return [y, tangent_map(direction)]

    def vmap_grad(fn, x, weights, probe, direction):
        argnums = (0,) + tuple(range(2, 2 + len(weights)))
        per_example = jax.grad(_per_example_loss(fn, probe), argnums=argnums)
        return jax.vmap(per_example, in_axes=(0, 0) + (None,) * len(weights))(
            x, probe, *weights)

    transforms = dict(grad=grad, jvp=jvp, jacfwd=jacfwd, jacrev=jacrev, hessian=hessian,
                      linearize=linearize, vmap_grad=vmap_grad)
    jitted = {f"jit_{name}": _jitted(transform, jax.jit)
              for name, transform in transforms.items()}
    return {**transforms, **jitted}


def _jitted(transform, compile_):
    """`transform` with everything it computes compiled as one function."""
    def apply(fn, x, weights, probe, direction):
        return compile_(lambda x, weights, probe, direction: transform(
            fn, x, list(weights), probe, direction))(x, tuple(weights), probe, direction)
    return apply


def _torch_transforms():
    import torch
    import torch.autograd.forward_ad as forward_ad

    def second_order(fn, x, weights, probe, direction):
        """Gradients, then those of sum(g) + sum(g^2) for g = dL/dx: a
        Hessian-vector sum and a gradient penalty, with create_graph=True."""
        args = [a.detach().requires_grad_(True) for a in (x, *weights)]
        loss = _loss(fn, probe)(*args)
        gradients = torch.autograd.grad(loss, args, create_graph=True, allow_unused=True)
        slope = gradients[0]
        penalty = torch.sum(slope) + torch.sum(slope * slope)
        if not penalty.requires_grad:  # a constant slope: the steps, Maxout
            return [*gradients, *(torch.zeros_like(a) for a in args)]
        second = torch.autograd.grad(penalty, args, allow_unused=True)
        return [*gradients, *(torch.zeros_like(a) if g is None else g
                              for a, g in zip(args, second))]

    def forward_mode(fn, x, weights, probe, direction):
        with forward_ad.dual_level():
            y = fn(forward_ad.make_dual(x, direction), *weights)
            tangent = forward_ad.unpack_dual(y).tangent
        return [y, torch.zeros_like(y) if tangent is None else tangent]

    def func_grad(fn, x, weights, probe, direction):
        argnums = tuple(range(1 + len(weights)))
        return torch.func.grad(_loss(fn, probe), argnums=argnums)(x, *weights)

    def func_jvp(fn, x, weights, probe, direction):
        return torch.func.jvp(lambda x: fn(x, *weights), (x,), (direction,))

    def func_jacfwd(fn, x, weights, probe, direction):
        return [torch.func.jacfwd(lambda x: fn(x, *weights))(x)]

    def func_jacrev(fn, x, weights, probe, direction):
        return [torch.func.jacrev(lambda x: fn(x, *weights))(x)]

    def func_hessian(fn, x, weights, probe, direction):
        return [torch.func.hessian(lambda x: _loss(fn, probe)(x, *weights))(x)]

    def func_vmap_grad(fn, x, weights, probe, direction):
        argnums = (0,) + tuple(range(2, 2 + len(weights)))
        per_example = torch.func.grad(_per_example_loss(fn, probe), argnums=argnums)
        return torch.func.vmap(per_example, in_dims=(0, 0) + (None,) * len(weights))(
            x, probe, *weights)

    def compiled_gradient(fn, x, weights, probe, direction):
        """Value and gradients of a `torch.compile`d function."""
        args = [a.detach().requires_grad_(True) for a in (x, *weights)]
        loss = torch.compile(_loss(fn, probe), fullgraph=False)(*args)
        gradients = torch.autograd.grad(loss, args, allow_unused=True)
        return [loss, *(torch.zeros_like(a) if g is None else g
                        for a, g in zip(args, gradients))]

    return dict(autograd_second_order=second_order, forward_ad=forward_mode,
                func_grad=func_grad, func_jvp=func_jvp, func_jacfwd=func_jacfwd,
                func_jacrev=func_jacrev, func_hessian=func_hessian,
                func_vmap_grad=func_vmap_grad, compile_gradient=compiled_gradient)


def _tensorflow_transforms():
    import tensorflow as tf

    def nested_tapes(fn, x, weights, probe, direction):
        """Gradients, then those of sum(g) + sum(g^2) for g = dL/dx."""
        args = [x, *weights]
        zero = tf.UnconnectedGradients.ZERO
        with tf.GradientTape() as outer:
            outer.watch(args)
            with tf.GradientTape() as inner:
                inner.watch(args)
                loss = _loss(fn, probe)(*args)
            gradients = inner.gradient(loss, args, unconnected_gradients=zero)
            penalty = tf.reduce_sum(gradients[0]) + tf.reduce_sum(tf.square(gradients[0]))
        return [*gradients, *outer.gradient(penalty, args, unconnected_gradients=zero)]

    def forward_accumulator(fn, x, weights, probe, direction):
        with tf.autodiff.ForwardAccumulator(x, direction) as accumulator:
            y = fn(x, *weights)
        tangent = accumulator.jvp(y, unconnected_gradients=tf.UnconnectedGradients.ZERO)
        return [y, tangent]

    def jacobian(fn, x, weights, probe, direction):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = fn(x, *weights)
        return [tape.jacobian(y, x, unconnected_gradients=tf.UnconnectedGradients.ZERO)]

    def batch_jacobian(fn, x, weights, probe, direction):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = fn(x, *weights)
        return [tape.batch_jacobian(y, x, unconnected_gradients=tf.UnconnectedGradients.ZERO)]

    transforms = dict(nested_tapes=nested_tapes, forward_accumulator=forward_accumulator,
                      jacobian=jacobian, batch_jacobian=batch_jacobian)
    modes = {"eager": None, "graph": lambda f: tf.function(f),
             "xla": lambda f: tf.function(f, jit_compile=True)}
    return {name if mode == "eager" else f"{mode}_{name}":
            transform if compile_ is None else _jitted(transform, compile_)
            for mode, compile_ in modes.items() for name, transform in transforms.items()}


def transforms():
    """The transforms of Keras' backend, by name."""
    return {"jax": _jax_transforms, "torch": _torch_transforms,
            "tensorflow": _tensorflow_transforms}[backend.BACKEND]()


def as_numpy(results):
    return [np.asarray(keras.ops.convert_to_numpy(r), dtype=np.float64) for r in results]
