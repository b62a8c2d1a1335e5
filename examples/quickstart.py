"""Quickstart: train, evaluate, save, reload and export a model that uses
keras_activations by string, on scikit-learn's bundled digits (offline).

    python examples/quickstart.py --epochs 5 --output-dir runs/quickstart
"""

import argparse
import pathlib

import keras
import numpy as np
import tensorflow as tf
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

import keras_activations


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--output-dir", type=pathlib.Path,
                        default=pathlib.Path("runs/quickstart"))
    return parser.parse_args(argv)


def load_data(seed):
    """Digits (8x8 images, 10 classes) shipped with scikit-learn, in [0, 1]."""
    digits = load_digits()
    x = (digits.data / 16.0).astype("float32")
    return train_test_split(x, digits.target, test_size=0.2, random_state=seed,
                            stratify=digits.target)


def build_model(num_features, num_classes):
    return keras.Sequential([
        keras.Input((num_features,)),
        keras.layers.Dense(64, activation="leaky_relu_plus"),
        keras.layers.Dense(64, activation="gelu_tanh"),
        keras.layers.Dense(num_classes, activation="softmax"),
    ])


def main(argv=None):
    args = parse_args(argv)
    keras.utils.set_random_seed(args.seed)
    args.output_dir.mkdir(parents=True, exist_ok=True)
    x_train, x_test, y_train, y_test = load_data(args.seed)

    model = build_model(x_train.shape[1], 10)
    model.compile(optimizer=keras.optimizers.Adam(1e-3),
                  loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    model.fit(x_train, y_train, epochs=args.epochs,
              batch_size=args.batch_size, validation_split=0.1)
    loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
    print(f"test loss {loss:.4f}, test accuracy {accuracy:.4f}")

    keras_path = args.output_dir / "model.keras"
    model.save(keras_path)
    reloaded = keras.saving.load_model(keras_path, safe_mode=True)
    expected = model.predict(x_test, verbose=0)
    np.testing.assert_allclose(reloaded.predict(x_test, verbose=0), expected,
                               rtol=1e-6, atol=1e-7)
    print(f"saved {keras_path}; reloaded with safe_mode=True, same predictions")

    export_path = args.output_dir / "saved_model"
    model.export(export_path, format="tf_saved_model", verbose=False)
    serving = tf.saved_model.load(str(export_path))
    served = serving.serve(tf.constant(x_test)).numpy()
    np.testing.assert_allclose(served, expected, rtol=1e-5, atol=1e-6)
    print(f"exported SavedModel for TF Serving to {export_path}; "
          "serving signature gives the same predictions")
    examples_path = args.output_dir / "examples.npy"
    np.save(examples_path, x_test[:8])
    print(f"saved 8 test examples for examples/serving_client.py to {examples_path}")
    print(f"activations used: leaky_relu_plus, gelu_tanh "
          f"(keras_activations {keras_activations.__version__})")


if __name__ == "__main__":
    main()
