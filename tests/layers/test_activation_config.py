"""Layers that wrap activations (`Compose`, `ActivationMixture`,
`AdaptiveActivation`) load in time linear in the size of their config."""

import keras
import numpy as np
import pytest

from keras_activations import layers

DEPTH = 12


def _nested_compose(depth):
    layer = layers.Compose(["prelu", "tanh"])
    for _ in range(depth - 1):
        layer = layers.Compose([layer, "tanh"])
    return layer


@pytest.fixture
def compose_constructions(monkeypatch):
    """A list that grows by one per `Compose.__init__` call."""
    calls = []
    original = layers.Compose.__init__

    def counting_init(self, *args, **kwargs):
        calls.append(1)
        original(self, *args, **kwargs)

    monkeypatch.setattr(layers.Compose, "__init__", counting_init)
    return calls


def test_nested_compose_loads_with_one_construction_per_level(tmp_path, compose_constructions):
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(4),
                              _nested_compose(DEPTH)])
    x = np.random.default_rng(0).standard_normal((3, 4)).astype("float32")
    expected = keras.ops.convert_to_numpy(model(x))
    path = tmp_path / "nested.keras"
    model.save(path)
    compose_constructions.clear()
    restored = keras.saving.load_model(path)
    assert len(compose_constructions) == DEPTH
    np.testing.assert_allclose(keras.ops.convert_to_numpy(restored(x)), expected, rtol=1e-6)


def test_nested_layer_takes_its_owners_dtype_policy(compose_constructions):
    layer = layers.Compose([_nested_compose(3), "tanh"], dtype="mixed_float16")
    restored = keras.layers.deserialize(keras.layers.serialize(layer))
    inner = restored.activations[0]
    while isinstance(inner, layers.Compose):
        assert inner.dtype_policy.name == "mixed_float16"
        inner = inner.activations[0]
    assert inner.dtype_policy.name == "mixed_float16"
