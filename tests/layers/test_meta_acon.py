import keras
import numpy as np
import pytest
from keras import ops

from keras_activations.layers import MetaACON
from support import backend


def _plain_meta_acon(w, x):
    """MetaACON's formula in keras.ops, differentiated by autodiff."""
    spatial = tuple(range(1, len(x.shape) - 1))
    context = ops.mean(x, axis=spatial, keepdims=True)
    beta = ops.sigmoid(ops.matmul(ops.matmul(context, w["w1"]) + w["c1"], w["w2"]) + w["c2"])
    difference = (w["p1"] - w["p2"]) * x
    return difference * ops.sigmoid(beta * difference) + w["p2"] * x


@pytest.mark.parametrize("shape", [(3, 5, 4), (2, 3, 2, 4)])
def test_gradients_with_beta_shared_over_spatial_axes(shape):
    rng = np.random.default_rng(0)
    dtype = backend.CHECK_DTYPE
    layer = MetaACON(reduction=2, min_hidden=2, dtype=dtype)
    layer.build(shape)
    for weight in layer.weights:
        weight.assign(rng.normal(size=weight.shape) * 0.5)
    x = backend.tensor(rng.normal(size=shape) * 2, dtype)
    upstream = backend.tensor(rng.normal(size=shape), dtype)
    names = [w.name for w in layer.trainable_variables]
    values = backend.trainable_values(layer)

    def outputs_and_gradients(fn):
        total = lambda *args: ops.sum(upstream * fn(*args))
        return [fn(x, *values), *backend.grad(total)(x, *values)]

    ours = outputs_and_gradients(backend.stateless(layer))
    plain = outputs_and_gradients(lambda x, *weights: _plain_meta_acon(dict(zip(names, weights)), x))
    rtol, atol = (1e-12, 1e-12) if backend.FLOAT64 else backend.DERIVATIVE_TOLERANCE
    for name, got, expected in zip(["y", "x", *names], ours, plain, strict=True):
        np.testing.assert_allclose(ops.convert_to_numpy(got), ops.convert_to_numpy(expected),
                                   rtol=rtol, atol=atol, err_msg=name)


def _generator_kernels(seed):
    keras.utils.set_random_seed(seed)
    layers = [MetaACON(reduction=1), MetaACON(reduction=1)]
    for layer in layers:
        layer.build((None, 8))
    return [(layer.w1.numpy(), layer.w2.numpy()) for layer in layers]


def test_generator_kernels_are_random_per_layer_and_reproducible_by_seed():
    first, second = _generator_kernels(seed=3)
    assert not np.array_equal(first[0], second[0])
    # W1 and W2 (both 8 x 8 here) draw from streams of their own.
    assert not np.array_equal(first[0], first[1])
    again, _ = _generator_kernels(seed=3)
    np.testing.assert_array_equal(first[0], again[0])
    np.testing.assert_array_equal(first[1], again[1])
