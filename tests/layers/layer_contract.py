"""The contract every keras_activations layer honours, as one reusable check.

Modelled on keras-hub's `run_layer_test`: config round trip, build with
unknown dimensions, symbolic and eager calls against the plain formula with
assigned weights, masking pass-through, one fit step under XLA that changes
the weights, mixed precision, gradients checked in float64, and second-order
gradients against autodiff of the plain formula.
"""

import dataclasses
import inspect
import json

import keras
import numpy as np
import tensorflow as tf

CHANNELS = 6


@dataclasses.dataclass
class LayerCase:
    """A layer under test: how to build it and what it must compute.

    `weights` maps weight names to values assigned before the eager call;
    `reference(x, weights)` is the plain formula in `keras.ops`: the expected
    output for float64 numpy inputs, and an autodiff reference for tensors.
    """

    cls: type
    kwargs: dict
    weights: dict
    reference: callable
    trainable_weights: int

    @property
    def id(self):
        return self.cls.__name__


def _inputs(shape=(3, 4, CHANNELS), seed=0):
    return np.random.default_rng(seed).uniform(-3, 3, shape).astype("float32")


def _assign(layer, weights):
    by_name = {w.name: w for w in layer.weights}
    for name, value in weights.items():
        by_name[name].assign(np.broadcast_to(value, by_name[name].shape))


def check_config_round_trip(case):
    layer = case.cls(**case.kwargs)
    config = layer.get_config()
    json.dumps(config)
    assert case.cls.from_config(config).get_config() == config
    restored = keras.layers.deserialize(keras.layers.serialize(layer))
    assert type(restored) is case.cls


_BASE_CONFIG_KEYS = set(keras.layers.Layer().get_config())


def _config_without_name(layer):
    return {key: value for key, value in layer.get_config().items() if key != "name"}


def check_constructor_arguments_are_explicit(case):
    """Every config entry is a named constructor argument kept as an
    attribute, and passing `None` for an argument means its default."""
    layer = case.cls(**case.kwargs)
    arguments = inspect.signature(case.cls.__init__).parameters
    for key in set(layer.get_config()) - _BASE_CONFIG_KEYS:
        assert key in arguments, f"{case.id}: `{key}` is not a constructor argument"
        assert hasattr(layer, key), f"{case.id}: `{key}` is not kept as an attribute"
    nones = {name: None for name, argument in arguments.items()
             if argument.default is None and name not in case.kwargs}
    if nones:
        explicit_defaults = case.cls(**case.kwargs, **nones)
        assert _config_without_name(explicit_defaults) == _config_without_name(layer)


def check_build_with_unknown_dims(case):
    layer = case.cls(**case.kwargs)
    assert not layer.weights, "weights are created in build, not __init__"
    layer.build((None, None, CHANNELS))
    assert len(layer.trainable_weights) == case.trainable_weights
    symbolic = layer(keras.Input((None, CHANNELS)))
    assert tuple(symbolic.shape) == tuple(
        layer.compute_output_shape((None, None, CHANNELS)))


def check_eager_call_matches_reference(case):
    layer = case.cls(**case.kwargs)
    x = _inputs()
    layer.build(x.shape)
    _assign(layer, case.weights)
    weights = {w.name: np.asarray(w.numpy(), np.float64) for w in layer.weights}
    expected = case.reference(x.astype(np.float64), weights)
    np.testing.assert_allclose(np.asarray(layer(x)), expected, rtol=1e-5, atol=1e-6)


def check_masking_passes_through(case):
    layer = case.cls(**case.kwargs)
    assert layer.supports_masking
    x = _inputs()
    x[:, -1] = 0.0
    inputs = keras.Input((None, CHANNELS))
    masked = keras.layers.Masking(0.0)(inputs)
    model = keras.Model(inputs, layer(masked))
    mask = model.layers[-1].compute_mask(x, keras.ops.any(x != 0, axis=-1))
    np.testing.assert_array_equal(np.asarray(mask), np.any(x != 0, axis=-1))


def check_fit_step_under_xla_changes_weights(case):
    model = keras.Sequential([
        keras.Input((None, CHANNELS)),
        keras.layers.Dense(CHANNELS),
        case.cls(**case.kwargs),
        keras.layers.Dense(1),
    ])
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse", jit_compile=True)
    x = _inputs((8, 4, CHANNELS))
    y = np.random.default_rng(1).standard_normal((8, 4, 1)).astype("float32")
    layer = model.layers[1]
    before = [w.numpy().copy() for w in layer.trainable_weights]
    model.fit(x, y, epochs=1, batch_size=8, verbose=0)
    after = [w.numpy() for w in layer.trainable_weights]
    assert all(not np.array_equal(b, a) for b, a in zip(before, after))


def check_mixed_precision(case):
    for policy in ("mixed_float16", "mixed_bfloat16"):
        layer = case.cls(**case.kwargs, dtype=policy)
        x = tf.constant(_inputs())
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = layer(x)
        assert keras.backend.standardize_dtype(y.dtype) == policy.split("_")[1]
        assert all(w.dtype == "float32" for w in layer.weights)
        assert np.all(np.isfinite(np.asarray(y, np.float32)))
        gradients = tape.gradient(y, [x] + [w.value for w in layer.trainable_weights])
        for gradient in gradients:
            assert gradient.dtype == "float32"
            assert np.all(np.isfinite(gradient.numpy()))


def _numerical_jacobian(fn, weight, delta=1e-6):
    """d fn() / d weight by central differences, shaped output + weight."""
    initial = weight.numpy()
    columns = []
    for index in np.ndindex(initial.shape):
        shifted = []
        for sign in (1.0, -1.0):
            value = initial.copy()
            value[index] += sign * delta
            weight.assign(value)
            shifted.append(np.asarray(fn()))
        columns.append((shifted[0] - shifted[1]) / (2 * delta))
    weight.assign(initial)
    jacobian = np.stack(columns, axis=-1)
    return jacobian.reshape(jacobian.shape[:-1] + initial.shape)


def check_float64_gradients(case):
    layer = case.cls(**case.kwargs, dtype="float64")
    x = tf.constant(_inputs((2, CHANNELS)).astype(np.float64) + 0.01)
    layer.build(x.shape)
    _assign(layer, case.weights)
    theoretical, numerical = tf.test.compute_gradient(layer, [x])
    np.testing.assert_allclose(theoretical[0], numerical[0], rtol=1e-5, atol=1e-6)
    for weight in layer.trainable_weights:
        with tf.GradientTape() as tape:
            y = layer(x)
        theoretical = tape.jacobian(y, weight.value)
        numerical = _numerical_jacobian(lambda: layer(x), weight)
        np.testing.assert_allclose(np.asarray(theoretical), numerical,
                                   rtol=1e-5, atol=1e-6, err_msg=weight.name)


def _second_order(layer_fn, x, kernel, weights, probe):
    """For y = layer_fn(x @ kernel) and g = d sum(probe y) / dx: g itself, the
    Hessian-vector sum d sum(g) / dx, and the gradients of the gradient
    penalty sum(g^2) with respect to the kernel and `weights`."""
    with tf.GradientTape(persistent=True) as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = layer_fn(tf.matmul(x, kernel))
            total = tf.reduce_sum(probe[..., : y.shape[-1]] * y)
        slope = inner.gradient(total, x)
        penalty = tf.reduce_sum(tf.square(slope))
        curvature = tf.reduce_sum(slope)
    zero = tf.UnconnectedGradients.ZERO
    return ([slope, outer.gradient(curvature, x, unconnected_gradients=zero)]
            + outer.gradient(penalty, [kernel, *weights], unconnected_gradients=zero))


def check_second_order_matches_plain_formula(case):
    layer = case.cls(**case.kwargs, dtype="float64")
    rng = np.random.default_rng(5)
    x = tf.constant(rng.uniform(-2, 2, (3, 4, CHANNELS)))
    kernel = tf.Variable(rng.standard_normal((CHANNELS, CHANNELS)) * 0.7 + np.eye(CHANNELS))
    probe = tf.constant(rng.standard_normal((3, 4, CHANNELS)), tf.float64)
    layer.build((None, 4, CHANNELS))
    _assign(layer, case.weights)
    variables = [w.value for w in layer.trainable_weights]
    by_name = {w.name: w.value for w in layer.weights}
    plain = lambda h: case.reference(h, by_name)
    for mode in ("eager", "function", "xla"):
        def quantities(layer_fn):
            fn = lambda: _second_order(layer_fn, x, kernel, variables, probe)
            return fn() if mode == "eager" else tf.function(fn, jit_compile=(mode == "xla"))()
        names = ["slope", "curvature", "penalty / kernel"] + [
            f"penalty / {w.name}" for w in layer.trainable_weights]
        for got, want, what in zip(quantities(layer), quantities(plain), names):
            np.testing.assert_allclose(got, want, rtol=1e-8, atol=1e-10,
                                       err_msg=f"{what} ({mode})")


CHECKS = [
    check_config_round_trip,
    check_build_with_unknown_dims,
    check_eager_call_matches_reference,
    check_constructor_arguments_are_explicit,
    check_masking_passes_through,
    check_fit_step_under_xla_changes_weights,
    check_mixed_precision,
    check_float64_gradients,
    check_second_order_matches_plain_formula,
]
