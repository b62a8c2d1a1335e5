import keras
import numpy as np

from keras_activations.layers import APL


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
