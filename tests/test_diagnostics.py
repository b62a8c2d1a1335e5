import numpy as np
import pytest

from keras_activations import diagnostics

# the diagnostics take gradients with tf.GradientTape.
pytestmark = pytest.mark.tensorflow_only


def test_sigmoid_vanishes_and_relu_family_does_not():
    flow = diagnostics.gradient_flow(
        ["sigmoid", "relu", "leaky_relu_plus"], depth=12, width=32, batch_size=64)
    ratio = {name: norms[0] / norms[-1] for name, norms in flow.items()}
    assert ratio["sigmoid"] < 1e-4
    assert 0.1 < ratio["relu"] < 10
    assert 0.1 < ratio["leaky_relu_plus"] < 10


def test_kernel_gradient_norms_match_a_hand_computed_case():
    model = diagnostics.deep_mlp("linear", depth=1, width=1, input_dim=1)
    model.layers[0].kernel.assign([[2.0]])
    model.layers[0].bias.assign([0.0])
    model.layers[1].kernel.assign([[3.0]])
    x, y = np.array([[1.0]], "float32"), np.array([[0.0]], "float32")
    # loss = (3 * 2 * x)^2 = 36; dL/dw0 = 2 * 6 * 3 = 36, dL/dw1 = 2 * 6 * 2 = 24
    norms = diagnostics.kernel_gradient_norms(model, x, y, loss="mse")
    assert norms == pytest.approx({"dense_0": 36.0, "output": 24.0})


def test_deep_mlp_rejects_empty_shapes():
    with pytest.raises(ValueError, match="depth and width"):
        diagnostics.deep_mlp("relu", depth=0)
