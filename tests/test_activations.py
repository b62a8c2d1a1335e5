"""Every registered name, used the ways Keras users use activations."""

import json

import keras
import numpy as np
import pytest

import keras_activations
from support import backend

NAMES = keras_activations.names()
STATELESS = [n for n in NAMES if not keras_activations.describe(n)["stateful"]]
STATEFUL = [n for n in NAMES if keras_activations.describe(n)["stateful"]]
FEATURES = 6


def _data(rows=8):
    return np.random.default_rng(0).standard_normal((rows, FEATURES)).astype("float32")


def _sequential(name):
    keras.utils.set_random_seed(0)
    return keras.Sequential([
        keras.Input((FEATURES,)),
        keras.layers.Dense(4, activation=name),
        keras.layers.Activation(name),
        keras.layers.Dense(1),
    ])


def _functional(name):
    keras.utils.set_random_seed(0)
    inputs = keras.Input((FEATURES,))
    hidden = keras.layers.Dense(4, activation=name)(inputs)
    outputs = keras.layers.Activation(name)(hidden)
    return keras.Model(inputs, outputs)


def _expected_functional(model, name, x):
    dense, activation = model.layers[1], model.layers[2]
    pre = backend.tensor(x @ keras.ops.convert_to_numpy(dense.kernel)
                         + keras.ops.convert_to_numpy(dense.bias))
    return keras.ops.convert_to_numpy(activation.activation(dense.activation(pre)))


@pytest.mark.parametrize("name", NAMES)
def test_keras_resolves_the_string(name):
    resolved = keras.activations.get(name)
    assert callable(resolved)
    if not keras_activations.describe(name)["stateful"]:
        assert resolved is getattr(keras_activations, name)
        assert keras.layers.Activation(name).activation is resolved


@pytest.mark.parametrize("name", NAMES)
def test_functional_model_applies_the_activation(name):
    model = _functional(name)
    x = _data()
    np.testing.assert_allclose(
        model.predict(x, verbose=0), _expected_functional(model, name, x),
        rtol=1e-6, atol=1e-6,
    )


@pytest.mark.parametrize("name", NAMES)
def test_config_json_round_trip(name):
    model = _sequential(name)
    x = _data()
    model(x)  # string-made activations get their weights on the first call
    clone = keras.models.model_from_json(model.to_json())
    assert json.loads(clone.to_json()) == json.loads(model.to_json())
    clone(x)
    clone.set_weights(model.get_weights())
    np.testing.assert_array_equal(clone.predict(x, verbose=0),
                                  model.predict(x, verbose=0))


@pytest.mark.parametrize("name", NAMES)
def test_keras_file_round_trip_in_safe_mode(name, tmp_path):
    model = _sequential(name)
    x = _data()
    model(x)
    path = tmp_path / f"{name}.keras"
    model.save(path)
    reloaded = keras.saving.load_model(path, safe_mode=True)
    np.testing.assert_array_equal(reloaded.predict(x, verbose=0),
                                  model.predict(x, verbose=0))


# MetaACON's generator kernels are drawn at random, as Keras' Dense kernels are.
@pytest.mark.parametrize("name", [n for n in NAMES if n != "meta_acon"])
def test_model_saved_before_its_first_call_reloads_identically(name, tmp_path):
    model = _sequential(name)
    path = tmp_path / f"{name}.keras"
    model.save(path)
    reloaded = keras.saving.load_model(path, safe_mode=True)
    x = _data()
    np.testing.assert_array_equal(reloaded.predict(x, verbose=0),
                                  model.predict(x, verbose=0))


@pytest.mark.large
def test_every_name_fits_and_runs_under_xla():
    # One branch per name in one model, as `_sequential` builds it: XLA
    # compiles the training and inference steps once for all of them. Large:
    # without it, the suite still compiles every function (test_accuracy)
    # and every layer (the layer contract's fit step) with XLA.
    keras.utils.set_random_seed(0)
    inputs = keras.Input((FEATURES,))
    branches = [keras.layers.Dense(1)(keras.layers.Activation(name)(
        keras.layers.Dense(4, activation=name)(inputs))) for name in NAMES]
    model = keras.Model(inputs, keras.layers.Concatenate()(branches))
    model.compile(optimizer="adam", loss="mse", jit_compile=True)
    x = _data(16)
    history = model.fit(x, np.repeat(x[:, :1], len(NAMES), axis=1), epochs=1,
                        batch_size=8, verbose=0)
    assert np.isfinite(history.history["loss"][0])
    compiled = backend.in_mode(model, backend.modes()[-1])
    xla, plain = keras.ops.convert_to_numpy(compiled(x)), keras.ops.convert_to_numpy(model(x))
    # XLA sums the final Dense in another order: outputs near 0 cancel, so the
    # bound is absolute, a few float32 ulps of the O(1) terms summed.
    differing = [name for i, name in enumerate(NAMES)
                 if not np.allclose(xla[:, i], plain[:, i], rtol=1e-5, atol=1e-5)]
    assert differing == []


@pytest.fixture(params=["mixed_float16", "mixed_bfloat16"])
def mixed_policy(request):
    keras.config.set_dtype_policy(request.param)
    yield request.param
    keras.config.set_dtype_policy("float32")


def _dtype(tensor):
    return keras.backend.standardize_dtype(tensor.dtype)


@pytest.mark.parametrize("name", NAMES)
def test_mixed_precision_dense(name, mixed_policy):
    layer = keras.layers.Dense(4, activation=name)
    y = layer(_data())
    assert _dtype(y) == mixed_policy.split("_")[1]
    assert layer.kernel.dtype == "float32"
    assert np.all(np.isfinite(keras.ops.convert_to_numpy(y).astype("float32")))


def test_one_dtype_rule_for_every_way_to_make_a_layer(mixed_policy):
    """As Keras' Activation layer: float32 inputs come out in the policy's
    compute dtype, whether the layer is made by class, by string, inside
    Compose or by reloading its config."""
    x = _data()
    made = {
        "class": keras_activations.PReLU(),
        "string": keras.activations.get("prelu"),
        "compose": keras_activations.Compose(["prelu", "tanh"]),
        "activation layer": keras.layers.Activation("prelu"),
    }
    made.update({f"{how}, reloaded": keras.layers.deserialize(keras.layers.serialize(layer))
                 for how, layer in made.items()})
    compute = mixed_policy.split("_")[1]
    assert {how: _dtype(layer(x)) for how, layer in made.items()} == dict.fromkeys(made, compute)


@pytest.mark.parametrize("name", STATELESS)
def test_integer_input_is_rejected(name):
    with pytest.raises(TypeError, match="floating-point"):
        keras_activations.get(name)(np.array([1, 2, 3]))


def test_leaky_relu_plus_differs_from_leaky_relu_for_negatives():
    x = np.array([-2.0, 0.0, 3.0], "float32")
    np.testing.assert_allclose(
        keras_activations.leaky_relu_plus(x, negative_slope=0.1), [0.2, 0.0, 3.0])
    np.testing.assert_allclose(
        keras.activations.leaky_relu(x, negative_slope=0.1), [-0.2, 0.0, 3.0])


@pytest.mark.parametrize("name", STATEFUL)
def test_stateful_string_gives_independent_trained_weights(name):
    model = _sequential(name)
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    x = _data(16)
    model.fit(x, x[:, :1], epochs=1, batch_size=8, verbose=0)  # builds them
    first, second = model.layers[0].activation, model.layers[1].activation
    assert first is not second
    if not first.trainable_weights:  # rrelu: nothing to learn, own sampler
        assert first.seed_generator is not second.seed_generator
        return
    own = lambda layer: {id(w) for w in layer.trainable_weights}
    assert own(first) and own(second) and not own(first) & own(second)
    before = [w.numpy().copy() for w in first.trainable_weights]
    model.fit(x, x[:, :1], epochs=1, batch_size=8, verbose=0)
    assert any(not np.array_equal(b, w.numpy())
               for b, w in zip(before, first.trainable_weights))
    counted = sum(int(np.prod(w.shape)) for w in model.trainable_weights)
    assert counted == model.count_params()
    assert own(first) <= {id(w) for w in model.trainable_weights}


def _float64_casts(fn):
    import tensorflow as tf

    graph = tf.function(fn).get_concrete_function(
        tf.TensorSpec([None, 4], "float32")).graph
    return [op for op in graph.get_operations()
            if op.type == "Cast" and op.get_attr("DstT") == tf.float64]


@pytest.mark.tensorflow_only
@pytest.mark.parametrize("name", ["gelu_tanh", "softmin"])
def test_float64_working_precision_is_scoped_to_its_context(name):
    fn = keras_activations.get(name)
    assert not _float64_casts(fn)
    with keras_activations.working_precision("float64"):
        assert keras_activations.get_working_precision() == "float64"
        assert _float64_casts(fn)
        x = backend.tensor([[-3.0, -0.5, 0.5, 3.0]])
        np.testing.assert_allclose(fn(x), keras_activations.get(name)(keras.ops.cast(x, "float64")),
                                   rtol=1e-6)
    assert not _float64_casts(fn)


@pytest.mark.tensorflow_only
def test_set_working_precision_applies_until_set_again():
    try:
        keras_activations.set_working_precision("float64")
        assert _float64_casts(keras_activations.gelu_tanh)
        with keras_activations.working_precision("float32"):
            assert not _float64_casts(keras_activations.gelu_tanh)
    finally:
        keras_activations.set_working_precision("float32")
    assert not _float64_casts(keras_activations.gelu_tanh)


@pytest.mark.parametrize("precision", ["float16", "double", None])
def test_unknown_working_precision_is_refused(precision):
    with pytest.raises(ValueError, match="working precision must be one of"):
        keras_activations.set_working_precision(precision)
    with pytest.raises(ValueError, match="working precision must be one of"):
        with keras_activations.working_precision(precision):
            pass


def _value_and_gradient(fn, x):
    (slope,) = backend.grad(lambda x: keras.ops.sum(keras.ops.cast(fn(x), "float32")))(x)
    as_float32 = lambda t: keras.ops.convert_to_numpy(keras.ops.cast(t, "float32"))
    return as_float32(fn(x)), as_float32(slope)


@pytest.mark.tensorflow_only  # float64 working precision
@pytest.mark.parametrize("name", STATELESS)
def test_bfloat16_extremes_match_float64_working_precision(name):
    # bfloat16 has float32's exponent range, so its float32 working precision
    # cannot hold x^2: the forms must not need it.
    x = backend.tensor([-3.0e38, -1.0e30, -1.0, 1.0, 1.0e30, 3.0e38], "bfloat16")
    fn = keras_activations.get(name)
    got = _value_and_gradient(fn, x)
    with keras_activations.working_precision("float64"):
        expected = _value_and_gradient(fn, x)
    for ours, exact in zip(got, expected):
        assert not np.any(np.isnan(ours))
        np.testing.assert_allclose(ours, exact, rtol=2e-2)
