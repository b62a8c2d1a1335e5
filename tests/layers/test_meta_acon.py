import numpy as np
import pytest
import tensorflow as tf
from keras import ops

from keras_activations.layers import MetaACON


def _plain_meta_acon(layer, x):
    """MetaACON's formula in keras.ops, differentiated by autodiff."""
    spatial = tuple(range(1, len(x.shape) - 1))
    context = ops.mean(x, axis=spatial, keepdims=True)
    beta = ops.sigmoid(ops.matmul(ops.matmul(context, layer.w1) + layer.c1, layer.w2) + layer.c2)
    difference = (layer.p1 - layer.p2) * x
    return difference * ops.sigmoid(beta * difference) + layer.p2 * x


@pytest.mark.parametrize("shape", [(3, 5, 4), (2, 3, 2, 4)])
def test_gradients_with_beta_shared_over_spatial_axes(shape):
    rng = np.random.default_rng(0)
    layer = MetaACON(reduction=2, min_hidden=2, dtype="float64")
    layer.build(shape)
    for weight in layer.weights:
        weight.assign(rng.normal(size=weight.shape) * 0.5)
    x = tf.constant(rng.normal(size=shape) * 2)
    upstream = tf.constant(rng.normal(size=shape))

    def gradients(fn):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = fn(x)
        return [y] + tape.gradient(
            y, [x] + [w.value for w in layer.trainable_weights], output_gradients=upstream)

    ours = gradients(layer)
    plain = gradients(lambda x: _plain_meta_acon(layer, x))
    for name, got, expected in zip(["y", "x"] + [w.name for w in layer.trainable_weights],
                                   ours, plain):
        np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-12, err_msg=name)
