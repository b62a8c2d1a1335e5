import keras
import numpy as np
import pytest

from keras_activations.layers import APL


def _traced_op_count(hinges):
    import tensorflow as tf

    layer = APL(hinges=hinges)
    layer.build((None, 3))
    graph = tf.function(layer).get_concrete_function(
        tf.TensorSpec((None, 3), tf.float32)).graph
    return len(graph.get_operations())


@pytest.mark.tensorflow_only  # counts the ops of a traced graph
def test_every_hinge_is_one_tensor_expression():
    assert _traced_op_count(2) == _traced_op_count(64)


def test_many_hinges_match_the_formula():
    rng = np.random.default_rng(0)
    layer = APL(hinges=300)
    layer.build((None, 3))
    a, b = rng.normal(size=(300, 3)) * 0.1, rng.normal(size=(300, 3))
    layer.a.assign(a)
    layer.b.assign(b)
    x = rng.normal(size=(4, 3)).astype("float32")
    expected = np.maximum(x, 0) + np.sum(a * np.maximum(b - x[:, None, :], 0), axis=1)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(layer(x)), expected,
                               rtol=1e-5, atol=1e-5)
