import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_activations import callbacks
from keras_activations import diagnostics

# GradientFlowMonitor takes gradients with tf.GradientTape.
pytestmark = pytest.mark.tensorflow_only


def _data(rows=32, features=4):
    rng = np.random.default_rng(0)
    return (rng.uniform(0, 1, (rows, features)).astype("float32"),
            rng.standard_normal((rows, 1)).astype("float32"))


def test_gradient_flow_monitor_logs_norms_each_epoch(tmp_path):
    x, y = _data()
    model = diagnostics.deep_mlp("leaky_relu_plus", depth=3, width=8, input_dim=4)
    model.compile(optimizer="sgd", loss="mse")
    monitor = callbacks.GradientFlowMonitor(x, y, log_dir=tmp_path)
    history = model.fit(x, y, epochs=2, batch_size=8, verbose=0, callbacks=[monitor])
    keys = {f"gradient_norm/{name}" for name in ("dense_0", "dense_1", "dense_2", "output")}
    assert keys <= set(history.history)
    final = diagnostics.kernel_gradient_norms(model, x, y, loss="mse")
    for name, norm in final.items():
        values = history.history[f"gradient_norm/{name}"]
        assert len(values) == 2 and all(v > 0 for v in values)
        assert values[-1] == pytest.approx(norm, rel=1e-5)
    assert list(tmp_path.glob("events.out.tfevents.*"))


def test_gradient_flow_monitor_needs_a_loss_before_training():
    x, y = _data()
    model = diagnostics.deep_mlp("relu", depth=1, width=2, input_dim=4)
    monitor = callbacks.GradientFlowMonitor(x, y)
    monitor.set_model(model)
    with pytest.raises(ValueError, match="needs a loss"):
        monitor.on_train_begin()


def _stateful_model():
    keras.utils.set_random_seed(3)
    model = keras.Sequential([
        keras.Input((4,)),
        keras.layers.Dense(8, kernel_regularizer="l2"),
        keras.layers.BatchNormalization(),
        keras.layers.Dense(8, activation="rrelu"),
        keras.layers.Dropout(0.3, seed=1),
        keras.layers.Dense(1),
    ])
    model.compile(optimizer="adam", loss="mse")
    return model


def test_gradient_flow_monitor_does_not_change_the_model_it_watches():
    x, y = _data()
    weights = []
    for monitors in ([], [callbacks.GradientFlowMonitor(x[:8], y[:8])]):
        model = _stateful_model()
        model.fit(x, y, epochs=3, batch_size=8, shuffle=False, verbose=0,
                  callbacks=monitors)
        weights.append(model.get_weights())
    for without, with_monitor in zip(*weights):
        np.testing.assert_array_equal(without, with_monitor)


def test_gradient_flow_monitor_differentiates_the_compiled_loss_with_regularization():
    x, y = _data()
    model = _stateful_model()
    model(x[:8])
    plain = diagnostics.kernel_gradient_norms(model, x[:8], y[:8], loss="mse")
    compiled = diagnostics.kernel_gradient_norms(model, x[:8], y[:8])
    # Only the first kernel carries an L2 penalty.
    assert compiled[model.layers[0].name] != pytest.approx(plain[model.layers[0].name])


def test_gradient_flow_monitor_takes_a_dataset_and_dict_inputs():
    x, y = _data()
    model = diagnostics.deep_mlp("relu", depth=1, width=4, input_dim=4)
    model.compile(optimizer="sgd", loss="mse")
    dataset = tf.data.Dataset.from_tensor_slices((x, y)).batch(8)
    history = model.fit(dataset, epochs=1, verbose=0,
                        callbacks=[callbacks.GradientFlowMonitor(dataset)])
    assert history.history["gradient_norm/output"][0] > 0

    inputs = {"a": keras.Input((2,), name="a"), "b": keras.Input((2,), name="b")}
    joined = keras.layers.Concatenate()([inputs["a"], inputs["b"]])
    two_inputs = keras.Model(inputs, keras.layers.Dense(1, name="out")(joined))
    two_inputs.compile(optimizer="sgd", loss="mse")
    features = {"a": x[:, :2], "b": x[:, 2:]}
    history = two_inputs.fit(features, y, epochs=1, verbose=0, callbacks=[
        callbacks.GradientFlowMonitor(features, y), callbacks.DeadUnitMonitor(features)])
    assert history.history["gradient_norm/out"][0] > 0
    assert history.history["dead_fraction/out"] == [0.0]


@pytest.mark.parametrize("make, error, message", [
    (lambda x, y: callbacks.GradientFlowMonitor(x), ValueError, "needs targets"),
    (lambda x, y: callbacks.GradientFlowMonitor(x, y[:5]), ValueError, "different lengths"),
    (lambda x, y: callbacks.GradientFlowMonitor("x", y), TypeError, "numeric arrays"),
    (lambda x, y: callbacks.GradientFlowMonitor(
        tf.data.Dataset.from_tensor_slices(x).batch(4)), ValueError, "yield"),
    (lambda x, y: callbacks.GradientFlowMonitor(
        tf.data.Dataset.from_tensor_slices((x, y)), y), ValueError, "carries its targets"),
    (lambda x, y: callbacks.DeadUnitMonitor({"a": x, "b": np.array(["text"] * 32)}),
     TypeError, "numeric arrays"),
    (lambda x, y: callbacks.DeadUnitMonitor(np.float32(1.0)), ValueError, "batch axis"),
])
def test_callbacks_check_their_inputs_when_constructed(make, error, message):
    x, y = _data()
    with pytest.raises(error, match=message):
        make(x, y)


def test_dead_unit_monitor_reports_forced_dead_and_live_layers():
    x, y = _data()
    model = keras.Sequential([
        keras.Input((4,)),
        keras.layers.Dense(8, activation="relu", name="dead",
                           bias_initializer=keras.initializers.Constant(-1e3)),
        keras.layers.Dense(6, activation="tanh", name="alive"),
        keras.layers.Dense(1, name="output"),
    ])
    half = keras.layers.Dense(4, activation="relu", name="half", trainable=False)
    inputs = keras.Input((4,))
    model_half = keras.Model(inputs, half(inputs))
    half.kernel.assign(np.zeros((4, 4)))
    half.bias.assign([-1.0, -1.0, 1.0, 1.0])

    model.compile(optimizer="sgd", loss="mse")
    monitor = callbacks.DeadUnitMonitor(x, batch_size=10)
    history = model.fit(x, y, epochs=1, verbose=0, callbacks=[monitor])
    assert history.history["dead_fraction/dead"] == [1.0]
    assert history.history["dead_fraction/alive"] == [0.0]

    half_monitor = callbacks.DeadUnitMonitor(x)
    half_monitor.set_model(model_half)
    assert half_monitor.dead_fractions() == {"half": 0.5}


def test_dead_unit_monitor_takes_a_dataset():
    x, y = _data()
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(
        3, activation="relu", name="dead", bias_initializer=keras.initializers.Constant(-1e3))])
    model.compile(optimizer="sgd", loss="mse")
    dataset = tf.data.Dataset.from_tensor_slices((x, y[:, :1].repeat(3, axis=1))).batch(8)
    history = model.fit(dataset, epochs=1, verbose=0,
                        callbacks=[callbacks.DeadUnitMonitor(dataset)])
    assert history.history["dead_fraction/dead"] == [1.0]


def test_dead_unit_monitor_handles_convolutions():
    x = np.ones((5, 6, 6, 2), "float32")
    inputs = keras.Input((6, 6, 2))
    conv = keras.layers.Conv2D(4, 3, activation="relu", name="conv",
                               kernel_initializer="zeros",
                               bias_initializer=keras.initializers.Constant(-1.0))
    monitor = callbacks.DeadUnitMonitor(x)
    monitor.set_model(keras.Model(inputs, conv(inputs)))
    assert monitor.dead_fractions() == {"conv": 1.0}


def test_dead_unit_monitor_rejects_bad_batch_size():
    with pytest.raises(ValueError, match="batch_size"):
        callbacks.DeadUnitMonitor(np.ones((2, 2)), batch_size=0)
    with pytest.raises(TypeError, match="batch_size"):
        callbacks.DeadUnitMonitor(np.ones((2, 2)), batch_size=2.5)
