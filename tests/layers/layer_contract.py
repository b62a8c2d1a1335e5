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
import pytest

from support import backend

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


def assign_weights(layer, weights):
    """Assigns `weights` (name -> value, broadcast) to a built layer."""
    by_name = {w.name: w for w in layer.weights}
    for name, value in weights.items():
        by_name[name].assign(np.broadcast_to(value, by_name[name].shape))


def plain_formula(case, layer):
    """`case.reference` as a function of `(x, *trainable values)` of the
    built `layer`, its other weights fixed: the autodiff reference for
    derivatives with respect to the input and the weights."""
    trainable = [w.name for w in layer.trainable_variables]
    fixed = {w.name: w.value for w in layer.weights if w.name not in trainable}
    return lambda x, *weights: case.reference(x, {**fixed, **dict(zip(trainable, weights))})


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
    assign_weights(layer, case.weights)
    weights = {w.name: backend.tensor(w.numpy(), "float64") for w in layer.weights}
    expected = keras.ops.convert_to_numpy(case.reference(backend.tensor(x, "float64"), weights))
    np.testing.assert_allclose(keras.ops.convert_to_numpy(layer(x)), expected, rtol=1e-5, atol=1e-6)


def check_masking_passes_through(case):
    layer = case.cls(**case.kwargs)
    assert layer.supports_masking
    x = _inputs()
    x[:, -1] = 0.0
    inputs = keras.Input((None, CHANNELS))
    masked = keras.layers.Masking(0.0)(inputs)
    model = keras.Model(inputs, layer(masked))
    mask = model.layers[-1].compute_mask(x, keras.ops.any(x != 0, axis=-1))
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(mask), np.any(x != 0, axis=-1))


def check_fit_step_under_xla_changes_weights(case):
    model = keras.Sequential([
        keras.Input((None, CHANNELS)),
        keras.layers.Dense(CHANNELS),
        case.cls(**case.kwargs),
        keras.layers.Dense(1),
    ])
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse",
                  jit_compile=backend.FIT_JIT_COMPILE)
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
        x = backend.tensor(_inputs())
        y = layer(x)
        assert keras.backend.standardize_dtype(y.dtype) == policy.split("_")[1]
        assert all(w.dtype == "float32" for w in layer.weights)
        assert np.all(np.isfinite(keras.ops.convert_to_numpy(y).astype(np.float32)))
        call = backend.stateless(layer)
        total = lambda x, *weights: keras.ops.sum(keras.ops.cast(call(x, *weights), "float32"))
        for gradient in backend.grad(total)(x, *backend.trainable_values(layer)):
            assert keras.backend.standardize_dtype(gradient.dtype) == "float32"
            assert np.all(np.isfinite(keras.ops.convert_to_numpy(gradient)))


def _directional_derivative(fn, args, index, direction, delta=1e-6):
    """d/dt fn(args with args[index] + t * direction) at t = 0, by central differences."""
    def at(t):
        shifted = list(args)
        shifted[index] = args[index] + t * backend.tensor(direction, "float64")
        return keras.ops.convert_to_numpy(fn(*shifted))
    return (at(delta) - at(-delta)) / (2 * delta)


def check_float64_gradients(case):
    """Gradients with respect to the input and each weight, projected on
    random directions, against central differences in float64."""
    if not backend.FLOAT64:
        pytest.skip(f"float64 computes in float32 on Keras' {backend.BACKEND} backend; "
                    "check_second_order_matches_plain_formula checks the gradients there")
    layer = case.cls(**case.kwargs, dtype="float64")
    x = backend.tensor(_inputs((2, CHANNELS)).astype(np.float64) + 0.01)
    layer.build(x.shape)
    assign_weights(layer, case.weights)
    call = backend.stateless(layer)
    args = [x, *backend.trainable_values(layer)]
    names = ["x"] + [w.name for w in layer.trainable_variables]
    rng = np.random.default_rng(2)
    for _ in range(2):
        probe = backend.tensor(rng.standard_normal(tuple(call(*args).shape)))
        total = lambda *args: keras.ops.sum(probe * call(*args))
        gradients = backend.grad(total)(*args)
        for index, (gradient, name) in enumerate(zip(gradients, names, strict=True)):
            direction = rng.standard_normal(tuple(args[index].shape))
            np.testing.assert_allclose(
                np.sum(keras.ops.convert_to_numpy(gradient) * direction),
                _directional_derivative(total, args, index, direction),
                rtol=1e-5, atol=1e-6, err_msg=name)


def _second_order(layer_fn, x, kernel, weights, probe):
    """For y = layer_fn(x @ kernel, weights) and t = sum(probe y): the
    gradients of t with respect to x, the kernel and `weights`, and those of
    sum(g) + sum(g^2) for g = dt / dx (a Hessian-vector sum and a gradient
    penalty) with respect to x, the kernel and `weights`."""
    def total(x, kernel, *weights):
        y = layer_fn(keras.ops.matmul(x, kernel), *weights)
        return keras.ops.sum(probe[..., : y.shape[-1]] * y)

    def curvature_and_penalty(*args):
        slope = backend.grad(total)(*args)[0]
        return keras.ops.sum(slope) + keras.ops.sum(keras.ops.square(slope))

    args = (x, kernel, *weights)
    return [*backend.grad(total)(*args), *backend.grad(curvature_and_penalty)(*args)]


def check_second_order_matches_plain_formula(case):
    dtype = backend.CHECK_DTYPE
    layer = case.cls(**case.kwargs, dtype=dtype)
    rng = np.random.default_rng(5)
    x = backend.tensor(rng.uniform(-2, 2, (3, 4, CHANNELS)), dtype)
    kernel = backend.tensor(rng.standard_normal((CHANNELS, CHANNELS)) * 0.7 + np.eye(CHANNELS),
                            dtype)
    probe = backend.tensor(rng.standard_normal((3, 4, CHANNELS)), dtype)
    layer.build((None, 4, CHANNELS))
    assign_weights(layer, case.weights)
    trainable = [w.name for w in layer.trainable_variables]
    plain = plain_formula(case, layer)
    names = [f"{order} / {n}" for order in ("gradient", "second order")
             for n in ["x", "kernel", *trainable]]
    rtol, atol = backend.DERIVATIVE_TOLERANCE
    for mode in backend.modes():
        def quantities(layer_fn):
            return backend.in_mode(
                lambda *args: _second_order(layer_fn, *args, probe), mode)(
                    x, kernel, backend.trainable_values(layer))
        got = map(keras.ops.convert_to_numpy, quantities(backend.stateless(layer)))
        want = map(keras.ops.convert_to_numpy, quantities(plain))
        for got, want, what in zip(got, want, names, strict=True):
            # Entries that are sums of larger terms cancelling are off by
            # rounding errors of the terms' size: atol scales with the largest.
            np.testing.assert_allclose(got, want, rtol=rtol,
                                       atol=atol * max(1.0, np.max(np.abs(want))),
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
