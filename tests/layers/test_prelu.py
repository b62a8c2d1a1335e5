import numpy as np
import pytest
import tensorflow as tf

from keras_activations.layers import PReLU


def test_default_slope_is_a_quarter_per_channel():
    layer = PReLU()
    layer.build((None, 5, 3))
    np.testing.assert_array_equal(layer.alpha.numpy(), [0.25] * 3)


def test_shared_axes_like_keras():
    layer = PReLU(shared_axes=[1])
    layer.build((None, 5, 3))
    assert tuple(layer.alpha.shape) == (1, 3)
    per_element = PReLU(shared_axes=[])
    per_element.build((None, 5, 3))
    assert tuple(per_element.alpha.shape) == (5, 3)


@pytest.mark.parametrize("shared_axes", [[0], [-1], ["a"], [True]])
def test_bad_shared_axes_raise(shared_axes):
    with pytest.raises(ValueError, match="shared_axes"):
        PReLU(shared_axes=shared_axes)


def _sum_to(values, shape):
    """Sums `values` down to `shape`, numpy's broadcasting run backwards."""
    padded = (1,) * (values.ndim - len(shape)) + tuple(shape)
    axes = tuple(axis for axis, size in enumerate(padded) if size == 1)
    return np.sum(values, axis=axes, keepdims=True).reshape(shape)


@pytest.mark.tensorflow_only
@pytest.mark.parametrize("shared_axes", [None, [1], [], [1, 2]])
@pytest.mark.parametrize("dtype", ["float64", "float32", "bfloat16"])
def test_gradients_under_tf_function_with_unknown_batch(shared_axes, dtype):
    rng = np.random.default_rng(0)
    layer = PReLU(shared_axes=shared_axes, dtype=dtype)
    layer.build((None, 5, 3))
    alpha = rng.uniform(0.1, 0.9, layer.alpha.shape)
    layer.alpha.assign(alpha)
    x, upstream = (tf.cast(rng.normal(size=(6, 5, 3)), dtype) for _ in range(2))

    @tf.function(input_signature=[tf.TensorSpec((None, 5, 3), dtype)] * 2)
    def gradients(x, upstream):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = layer(x)
        return tape.gradient(y, [x, layer.alpha.value], output_gradients=upstream)

    x_gradient, alpha_gradient = gradients(x, upstream)
    x, upstream = (np.asarray(tf.cast(t, "float64")) for t in (x, upstream))
    alpha = np.asarray(tf.cast(tf.cast(alpha, dtype), "float64"))
    tolerance = {"float64": 1e-12, "float32": 1e-6, "bfloat16": 1e-2}[dtype]
    np.testing.assert_allclose(
        np.asarray(alpha_gradient, np.float64),
        _sum_to(np.minimum(x, 0) * upstream, alpha.shape), rtol=tolerance, atol=tolerance)
    np.testing.assert_allclose(
        np.asarray(tf.cast(x_gradient, "float64")),
        np.where(x > 0, 1.0, alpha) * upstream, rtol=tolerance, atol=tolerance)


@pytest.mark.parametrize("shared_axes, accepted, refused", [
    (None, (2, 7, 3), (2, 5, 4)),
    ([1], (4, 5, 3), (4, 5, 2)),
    ([], (1, 5, 3), (1, 6, 3)),
])
def test_input_spec_after_build_refuses_inputs_the_slopes_do_not_fit(
        shared_axes, accepted, refused):
    layer = PReLU(shared_axes=shared_axes)
    layer(np.ones((2, 5, 3), "float32"))
    layer(np.ones(accepted, "float32"))
    with pytest.raises(ValueError, match="incompatible"):
        layer(np.ones(refused, "float32"))
