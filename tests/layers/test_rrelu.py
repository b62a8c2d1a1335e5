import numpy as np
import pytest
import keras

from keras_activations import layers
from support import backend


def _value_and_slope(dtype, training, x):
    layer = layers.RReLU(lower=0.2, upper=0.2, dtype=dtype)
    x = backend.tensor(x, dtype)
    (slope,) = backend.grad(lambda x: keras.ops.sum(layer(x, training=training)))(x)
    return (keras.ops.convert_to_numpy(layer(x, training=training)),
            keras.ops.convert_to_numpy(slope))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("training", [True, False], ids=["training", "inference"])
def test_gradient_is_the_slope_below_zero_and_one_above(dtype, training):
    y, slope = _value_and_slope(dtype, training, [-1.0, 1.0])
    np.testing.assert_allclose(slope, [0.2, 1.0], rtol=1e-6)
    np.testing.assert_allclose(y, [-0.2, 1.0], rtol=1e-6)


@pytest.mark.tensorflow_only  # JAX's leaky_relu, used at inference, has slope 1 at 0
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("training", [True, False], ids=["training", "inference"])
def test_gradient_at_zero_is_the_slope_in_every_dtype_and_mode(dtype, training):
    y, slope = _value_and_slope(dtype, training, [0.0])
    np.testing.assert_allclose(slope, [0.2], rtol=1e-6)
    np.testing.assert_array_equal(y, [0.0])
