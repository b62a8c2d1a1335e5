import numpy as np
import pytest

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
