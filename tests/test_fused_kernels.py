"""The fused CPU kernels: built here, used exactly where they should be, and
equal to the keras.ops forms they replace."""

import os
import subprocess
import sys

import keras
import numpy as np
import pytest
import tensorflow as tf

import keras_activations
from keras_activations import activations
from keras_activations import fused_kernels
from keras_activations.layers import PReLU
from tests.test_accuracy import grid

SPECIAL_VALUES = [0.0, -0.0, 1.0, -1.0, np.nextafter(1.0, 2.0), np.nextafter(-1.0, -2.0),
                  np.inf, -np.inf, np.nan, 1e-30, -1e-30]


@pytest.fixture
def fused_calls(monkeypatch):
    """Counts the calls that take the fused kernels."""
    calls = []
    for name in ("prelu", "binary_step_ste", "gelu_tanh", "softmin"):
        original = getattr(fused_kernels, name)
        monkeypatch.setattr(fused_kernels, name,
                            lambda *args, original=original, name=name:
                            calls.append(name) or original(*args))
    return calls


def test_the_library_builds_and_loads_on_this_machine():
    assert fused_kernels.library() is not None


def test_a_failed_build_warns_and_falls_back(monkeypatch, tmp_path):
    monkeypatch.setenv("CXX", str(tmp_path / "no-such-compiler"))
    monkeypatch.setenv(fused_kernels.CACHE_VARIABLE, str(tmp_path / "cache"))
    with pytest.raises(OSError):
        fused_kernels.build()
    with pytest.warns(RuntimeWarning, match="fused CPU kernels are unavailable"):
        assert fused_kernels.library.__wrapped__() is None


def test_builds_are_cached_per_source_and_tensorflow(tmp_path):
    first = fused_kernels.build(tmp_path)
    modified = first.stat().st_mtime_ns
    assert fused_kernels.build(tmp_path) == first
    assert first.stat().st_mtime_ns == modified
    assert [p.name for p in tmp_path.iterdir()] == [first.name]


def _inputs(shape, dtype, seed=0):
    rng = np.random.default_rng(seed)
    values = rng.normal(scale=2.0, size=shape)
    flat = values.reshape(-1)
    flat[:len(SPECIAL_VALUES)] = SPECIAL_VALUES
    return tf.constant(values, dtype), tf.constant(rng.normal(size=shape), dtype)


def _prelu_value_and_gradients(layer, x, upstream):
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = layer(x)
    return [y, *tape.gradient(y, [x, layer.alpha.value], output_gradients=upstream)]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("shared_axes, shape", [
    (None, (40, 7)), (None, (4, 6, 5)), ([1], (4, 6, 5)), ([], (4, 6, 5)), ([1, 2], (4, 6, 5)),
])
def test_prelu_matches_the_keras_ops_form(fused_calls, monkeypatch, dtype, shared_axes, shape):
    layer = PReLU(shared_axes=shared_axes, dtype=dtype)
    layer.build((None, *shape[1:]))
    layer.alpha.assign(np.random.default_rng(1).uniform(-0.5, 1.5, layer.alpha.shape))
    x, upstream = _inputs(shape, dtype)
    fused = _prelu_value_and_gradients(layer, x, upstream)
    assert fused_calls == ["prelu"]
    monkeypatch.setenv(fused_kernels.ENABLE_VARIABLE, "0")
    plain = _prelu_value_and_gradients(layer, x, upstream)
    assert fused_calls == ["prelu"]
    np.testing.assert_array_equal(fused[0], plain[0])
    np.testing.assert_array_equal(fused[1], plain[1])
    # The slope gradient sums in another order; NaN from x = nan in both.
    tolerance = {"float32": 1e-5, "float64": 1e-12}[dtype]
    np.testing.assert_allclose(fused[2], plain[2], rtol=tolerance, atol=tolerance)


def test_prelu_slope_gradient_of_many_rows_is_accurate():
    layer = PReLU()
    layer.build((None, 64))
    x, upstream = _inputs((20000, 64), "float32", seed=2)
    x = tf.where(tf.math.is_finite(x), x, 0.0)
    _, _, alpha_gradient = _prelu_value_and_gradients(layer, x, upstream)
    exact = np.sum(np.minimum(np.float64(x), 0) * np.float64(upstream), axis=0)
    np.testing.assert_allclose(alpha_gradient, exact, rtol=2e-6, atol=1e-4)


def test_prelu_second_order_gradients_match_autodiff():
    layer = PReLU(dtype="float64")
    layer.build((None, 3))
    layer.alpha.assign([0.2, -0.3, 1.5])
    x, upstream = _inputs((5, 3), "float64", seed=3)
    x = tf.where(tf.math.is_finite(x) & (tf.abs(x) > 1e-3), x, 0.5)
    alpha = layer.alpha.value

    def penalty(forward):
        with tf.GradientTape(persistent=True) as outer:
            outer.watch([x, upstream])
            with tf.GradientTape() as inner:
                inner.watch(x)
                y = forward(x)
            x_gradient, alpha_gradient = inner.gradient(
                y, [x, alpha], output_gradients=upstream)
            total = tf.reduce_sum(x_gradient ** 2) + tf.reduce_sum(alpha_gradient ** 2)
        return outer.gradient(total, [upstream, x, alpha])

    fused = penalty(layer)
    reference = penalty(lambda x: tf.nn.relu(x) + alpha * tf.minimum(x, 0.0))
    for ours, theirs in zip(fused, reference):
        np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-12)


def _fused_and_plain(function, x, upstream, monkeypatch):
    """(value, input gradient) of `function` with the kernels on, then off."""

    def value_and_gradient():
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = function(x)
        return y, tape.gradient(y, x, output_gradients=upstream)

    fused = value_and_gradient()
    monkeypatch.setenv(fused_kernels.ENABLE_VARIABLE, "0")
    return fused, value_and_gradient()


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_binary_step_ste_matches_the_keras_ops_form(fused_calls, monkeypatch, dtype):
    x, upstream = _inputs((50, 8), dtype)
    upstream = tf.tensor_scatter_nd_update(upstream, [[3, 0], [4, 0]], [np.inf, np.nan])
    fused, plain = _fused_and_plain(activations.binary_step_ste, x, upstream, monkeypatch)
    assert fused_calls == ["binary_step_ste"]
    for ours, theirs in zip(fused, plain):
        np.testing.assert_array_equal(ours, theirs)
    assert np.isnan(fused[0][1, 0])  # the NaN input


def test_straight_through_second_order_gradient():
    x = tf.constant([-2.0, -1.0, 0.5, 1.0, 3.0], tf.float64)
    with tf.GradientTape() as outer:
        upstream = tf.ones_like(x)
        outer.watch(upstream)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = activations.binary_step_ste(x)
        x_gradient = inner.gradient(y, x, output_gradients=upstream)
    np.testing.assert_array_equal(outer.gradient(x_gradient, upstream), [0, 1, 1, 1, 0])


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_gelu_tanh_matches_the_float64_keras_ops_form_bitwise(fused_calls, monkeypatch, dtype):
    # The accuracy grid (every binade, subnormals, the edges) and dense values.
    dense = np.random.default_rng(4).normal(scale=4.0, size=20000)
    x = tf.constant(np.concatenate([grid("float32"), dense]), dtype)
    upstream = tf.constant(np.random.default_rng(5).normal(size=x.shape), dtype)
    fused, plain = _fused_and_plain(activations.gelu_tanh, x, upstream, monkeypatch)
    assert fused_calls == ["gelu_tanh"]
    for ours, theirs in zip(fused, plain):
        np.testing.assert_array_equal(ours, theirs)


# Keras warns of a softmax over an axis of size 1, which the last shape tests.
@pytest.mark.filterwarnings("ignore:You are using a softmax over axis")
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("shape", [(64, 10), (3, 5, 7), (2, 70000), (4, 1)])
def test_softmin_matches_the_float64_keras_ops_form(fused_calls, monkeypatch, dtype, shape):
    rng = np.random.default_rng(6)
    x = tf.constant(rng.normal(scale=30.0, size=shape), dtype)
    upstream = tf.constant(rng.normal(size=shape), dtype)
    fused, plain = _fused_and_plain(activations.softmin, x, upstream, monkeypatch)
    assert fused_calls == ["softmin"]
    for ours, theirs in zip(fused, plain):
        if dtype == "float32":
            np.testing.assert_array_equal(ours, theirs)
        else:  # TensorFlow's float64 reductions sum in another order
            np.testing.assert_allclose(ours, theirs, rtol=1e-15, atol=1e-300)


@pytest.mark.parametrize("name", ["gelu_tanh", "softmin"])
def test_smooth_functions_gradient_of_gradient_as_the_keras_ops_form(monkeypatch, name):
    function = getattr(activations, name)
    rng = np.random.default_rng(7)
    x, upstream = (tf.constant(rng.normal(size=(4, 6)), "float32") for _ in range(2))

    def penalty_gradient():
        with tf.GradientTape() as outer:
            outer.watch(upstream)
            with tf.GradientTape() as inner:
                inner.watch(x)
                y = function(x)
            total = tf.reduce_sum(inner.gradient(y, x, output_gradients=upstream) ** 2)
        return outer.gradient(total, upstream)

    fused = penalty_gradient()
    monkeypatch.setenv(fused_kernels.ENABLE_VARIABLE, "0")
    np.testing.assert_allclose(fused, penalty_gradient(), rtol=1e-6, atol=1e-7)


def test_softmin_over_another_axis_keeps_the_keras_ops_form(fused_calls):
    x = tf.ones((3, 4))
    with tf.GradientTape() as tape:
        tape.watch(x)
        activations.softmin(x, axis=0)
    assert fused_calls == []


def test_the_softmin_kernel_rejects_a_scalar():
    with pytest.raises(tf.errors.InvalidArgumentError, match="at least one axis"):
        fused_kernels.library().keras_activations_softmin(tf.constant(1.0))


@pytest.mark.parametrize("name", ["gelu_tanh", "softmin"])
def test_float32_working_precision_keeps_the_keras_ops_form(fused_calls, name):
    x = tf.constant([[0.5, -2.0]])
    with keras_activations.float32_working_precision(), tf.GradientTape() as tape:
        tape.watch(x)
        getattr(activations, name)(x)
    assert fused_calls == []


def _trained_step(layer, jit_compile):
    @tf.function(jit_compile=jit_compile)
    def step(x):
        with tf.GradientTape() as tape:
            y = layer(x)
        return tape.gradient(y, layer.trainable_variables)

    return step


@pytest.mark.parametrize("jit_compile, expected", [(False, ["prelu"]), (True, [])])
def test_training_steps_fuse_outside_xla_only(fused_calls, jit_compile, expected):
    layer = PReLU()
    layer.build((None, 4))
    _trained_step(layer, jit_compile)(tf.ones((2, 4)))
    assert fused_calls == expected


def test_inference_keeps_the_keras_ops_form(fused_calls):
    layer = PReLU()
    layer.build((None, 4))
    layer(tf.ones((2, 4)))
    tf.function(layer)(tf.ones((2, 4)))
    assert fused_calls == []


@pytest.mark.parametrize("case", ["bfloat16", "float16", "untiled"])
def test_unsupported_calls_keep_the_keras_ops_form(fused_calls, case):
    if case == "untiled":  # one slope per row of each sample: not trailing axes
        layer = PReLU(shared_axes=[2])
        shape = (2, 3, 4)
    else:
        layer = PReLU(dtype=case)
        shape = (2, 4)
    layer.build((None, *shape[1:]))
    _trained_step(layer, jit_compile=False)(tf.ones(shape))
    assert fused_calls == []


def test_fit_uses_the_kernels_and_the_export_does_not(fused_calls, tmp_path):
    model = keras.Sequential([keras.Input((6,)),
                              keras.layers.Dense(8, activation="prelu"),
                              keras.layers.Dense(8, activation="binary_step_ste"),
                              keras.layers.Dense(1)])
    model.compile("adam", "mse")
    x = np.random.default_rng(0).normal(size=(32, 6)).astype("float32")
    model.fit(x, x[:, :1], epochs=1, batch_size=16, verbose=0)
    assert {"prelu", "binary_step_ste"} <= set(fused_calls)
    fused_calls.clear()
    model.export(tmp_path / "export", format="tf_saved_model")  # Keras 3.5: no verbose
    assert fused_calls == []
    assert b"KerasActivations" not in (tmp_path / "export" / "saved_model.pb").read_bytes()


def test_the_switch_is_read_at_call_time(fused_calls, monkeypatch):
    monkeypatch.setenv(fused_kernels.ENABLE_VARIABLE, "0")
    layer = keras_activations.get("prelu")
    layer.build((None, 4))
    _trained_step(layer, jit_compile=False)(tf.ones((2, 4)))
    assert fused_calls == []


def test_a_process_with_the_switch_off_never_builds(tmp_path):
    script = ("import tensorflow as tf, keras_activations\n"
              "from keras_activations import fused_kernels\n"
              "layer = keras_activations.get('prelu')\n"
              "with tf.GradientTape() as tape:\n"
              "    tape.watch(x := tf.ones((2, 4)))\n"
              "    layer(x)\n"
              "assert fused_kernels.library() is None\n")
    environment = {**os.environ, fused_kernels.ENABLE_VARIABLE: "0",
                   fused_kernels.CACHE_VARIABLE: str(tmp_path)}
    subprocess.run([sys.executable, "-c", script], env=environment, check=True, timeout=300)
    assert not any(tmp_path.iterdir())
