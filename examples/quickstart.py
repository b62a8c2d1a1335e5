"""Quickstart: train, evaluate, save, reload and export a model that uses
keras_activations by string, on data loaded through TFDS (offline by default).

    python examples/quickstart.py --epochs 5 --output-dir runs/quickstart
    python examples/quickstart.py --strategy mirrored --mixed-precision
    python examples/quickstart.py --jit-compile

The model is `Dense(64, activation="leaky_relu_plus")`, `Dense(64,
activation="prelu")` (a stateful name: its own learnable slopes) and a
softmax layer, trained with sparse categorical cross-entropy on
`sklearn_digits` (scikit-learn's bundled digits through the TFDS builder of
`offline_datasets`) or any TFDS image-classification set.
"""

import argparse

import keras
import numpy as np

try:
    import tensorflow as tf
except ImportError as error:
    raise SystemExit("quickstart.py exports a SavedModel for TF Serving, which needs "
                     "TensorFlow (pip install tensorflow). examples/losses.py, "
                     "swap_activations.py and compare_activations.py run without it.") from error

import example_utils
import keras_activations


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    example_utils.add_common_arguments(parser, dataset="sklearn_digits", epochs=5,
                                       batch_size=32, output_dir="runs/quickstart")
    return parser.parse_args(argv)


def load_data(args):
    """Flattened images in [0, 1] and integer labels, train and test."""
    x_train, y_train = example_utils.load_split(args.dataset, "train", args.data_dir)
    x_test, y_test = example_utils.load_split(args.dataset, "test", args.data_dir)
    return (example_utils.image_inputs(x_train), y_train,
            example_utils.image_inputs(x_test), y_test)


def build_model(num_features, num_classes):
    return keras.Sequential([
        keras.Input((num_features,)),
        keras.layers.Dense(64, activation="leaky_relu_plus"),
        keras.layers.Dense(64, activation="prelu"),
        # float32 probabilities also under mixed precision.
        keras.layers.Dense(num_classes, activation="softmax", dtype="float32"),
    ], name="quickstart")


LOSS = "sparse_categorical_crossentropy"


def train(args, strategy, data):
    x_train, y_train, x_test, y_test = data
    keras.utils.set_random_seed(args.seed)
    with strategy.scope():
        model = build_model(x_train.shape[1], int(y_train.max()) + 1)
        model.compile(optimizer=keras.optimizers.Adam(1e-3), loss=LOSS,
                      metrics=["accuracy"], jit_compile=args.jit_compile)
    if example_utils.is_multi_worker(strategy):
        example_utils.fit_across_workers(model, strategy, x_train, y_train,
                                         args.batch_size, args.epochs, LOSS)
    else:
        train_part, validation_part = example_utils.validation_split(x_train, y_train)
        model.fit(example_utils.batched(*train_part, args.batch_size, shuffle_seed=args.seed),
                  validation_data=example_utils.batched(*validation_part, args.batch_size),
                  epochs=args.epochs, shuffle=False)
    loss, accuracy = example_utils.classification_scores(model, x_test, y_test)
    print(f"test loss {loss:.4f}, test accuracy {accuracy:.4f}")
    return model


def save_reload_export(model, x_test, output_dir):
    expected, tolerance = example_utils.save_and_check_reload(
        model, output_dir / "model.keras", x_test)

    export_path = output_dir / "saved_model"
    model.export(export_path, format="tf_saved_model", verbose=False)
    serving = tf.saved_model.load(str(export_path))
    served = serving.serve(tf.constant(x_test)).numpy()
    np.testing.assert_allclose(served, expected, rtol=max(tolerance, 1e-5), atol=max(tolerance, 1e-6))
    print(f"exported SavedModel for TF Serving to {export_path}; "
          "serving signature gives the same predictions")
    examples_path = output_dir / "examples.npy"
    np.save(examples_path, x_test[:8])
    print(f"saved 8 test examples for examples/serving_client.py to {examples_path}")


def main(argv=None):
    args = parse_args(argv)
    strategy = example_utils.configure(args)
    print(example_utils.describe_run(strategy))
    data = load_data(args)
    print(f"dataset {args.dataset}: {len(data[0])} train, {len(data[2])} test examples")
    model = train(args, strategy, data)
    save_reload_export(model, data[2], example_utils.output_directory(args.output_dir))
    print(f"activations used: leaky_relu_plus, prelu "
          f"(keras_activations {keras_activations.__version__})")


if __name__ == "__main__":
    main()
