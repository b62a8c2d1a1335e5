import numpy as np
import pytest
import tensorflow as tf

from keras_activations import layers


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("training", [True, False], ids=["training", "inference"])
def test_gradient_at_zero_is_the_slope_in_every_dtype_and_mode(dtype, training):
    layer = layers.RReLU(lower=0.2, upper=0.2, dtype=dtype)
    x = tf.constant([0.0, -1.0, 1.0], dtype)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = layer(x, training=training)
    np.testing.assert_allclose(tape.gradient(y, x), [0.2, 0.2, 1.0], rtol=1e-6)
    np.testing.assert_allclose(y, [0.0, -0.2, 1.0], rtol=1e-6)
