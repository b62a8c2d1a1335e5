"""Swap activations in a trained model, then fine-tune it.

    python examples/swap_activations.py
    python examples/swap_activations.py --replace relu=prelu --fine-tune-epochs 5

A small convolutional classifier (a functional backbone of Conv2D,
BatchNormalization and relu, nested in a functional model with a Dense
head, as a keras.applications backbone would be) is trained with relu on
`sklearn_digits` (8x8 images) and saved: the "pretrained" model. It is then
reloaded, `keras_activations.replace_activations` swaps its activations
(`--replace relu=prelu`: every relu, as an argument and as a layer, becomes
a PReLU with its own slopes) keeping every other weight, and the copy is
fine-tuned. As a control, the reloaded relu model is fine-tuned for the same
epochs. Writes to the output folder:

- `pretrained.keras`, `fine_tuned.keras` (the swapped, fine-tuned model,
  checked to reload with the same predictions);
- `summary.md`: test accuracy and loss of the pretrained model, of the relu
  control and of the swapped model after fine-tuning.
"""

import argparse

import keras

import example_utils
import keras_activations

LOSS = "sparse_categorical_crossentropy"
IMAGE_SHAPE = (8, 8, 1)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    example_utils.add_common_arguments(parser, dataset="sklearn_digits", epochs=8,
                                       batch_size=32, output_dir="runs/swap_activations")
    parser.add_argument("--replace", nargs="+", default=["relu=prelu"], metavar="OLD=NEW",
                        help="activation names to swap after pretraining "
                             "(default: %(default)s)")
    parser.add_argument("--fine-tune-epochs", type=int, default=4,
                        help="epochs of fine-tuning, with and without the swap "
                             "(default: %(default)s)")
    parser.add_argument("--fine-tune-learning-rate", type=float, default=3e-4,
                        help="Adam's learning rate when fine-tuning (default: %(default)s)")
    args = parser.parse_args(argv)
    args.replacements = dict(_pair(text, parser) for text in args.replace)
    return args


def _pair(text, parser):
    old, separator, new = text.partition("=")
    if not (separator and old and new):
        parser.error(f"--replace takes OLD=NEW pairs of activation names, got {text!r}")
    return old, new


def load_data(args):
    """8x8 single-channel images in [0, 1] and integer labels, train and test."""
    x_train, y_train = example_utils.load_split(args.dataset, "train", args.data_dir)
    x_test, y_test = example_utils.load_split(args.dataset, "test", args.data_dir)
    shape = (-1, *x_train.shape[1:3], 1)
    return (example_utils.image_inputs(x_train).reshape(shape), y_train,
            example_utils.image_inputs(x_test).reshape(shape), y_test)


def build_backbone(image_shape):
    # BatchNormalization momentum 0.9: moving statistics that settle within
    # the few hundred steps of the default run.
    images = keras.Input(image_shape, name="images")
    x = keras.layers.Conv2D(16, 3, padding="same", use_bias=False, name="conv1")(images)
    x = keras.layers.BatchNormalization(momentum=0.9, name="bn1")(x)
    x = keras.layers.ReLU(name="relu1")(x)
    x = keras.layers.Conv2D(32, 3, padding="same", activation="relu", name="conv2")(x)
    x = keras.layers.MaxPooling2D(name="pool")(x)
    x = keras.layers.Conv2D(32, 3, padding="same", use_bias=False, name="conv3")(x)
    x = keras.layers.BatchNormalization(momentum=0.9, name="bn3")(x)
    x = keras.layers.Activation("relu", name="relu3")(x)
    features = keras.layers.GlobalAveragePooling2D(name="features")(x)
    return keras.Model(images, features, name="backbone")


def build_classifier(image_shape, num_classes):
    images = keras.Input(image_shape, name="images")
    x = build_backbone(image_shape)(images)
    x = keras.layers.Dense(64, activation="relu", name="hidden")(x)
    # float32 probabilities also under mixed precision.
    probabilities = keras.layers.Dense(num_classes, activation="softmax", dtype="float32",
                                       name="probabilities")(x)
    return keras.Model(images, probabilities, name="classifier")


def fit(model, args, strategy, data, epochs):
    x_train, y_train, x_test, y_test = data
    if example_utils.is_multi_worker(strategy):
        example_utils.fit_across_workers(model, strategy, x_train, y_train,
                                         args.batch_size, epochs, LOSS)
    else:
        model.fit(example_utils.batched(x_train, y_train, args.batch_size,
                                        shuffle_seed=args.seed),
                  epochs=epochs, shuffle=False)
    return example_utils.classification_scores(model, x_test, y_test)


def compile_model(model, args, learning_rate):
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss=LOSS,
                  jit_compile=args.jit_compile)


def pretrain(args, strategy, data, path):
    keras.utils.set_random_seed(args.seed)
    with strategy.scope():
        model = build_classifier(data[0].shape[1:], int(data[1].max()) + 1)
        compile_model(model, args, 1e-3)
    print(f"pretraining with relu, {args.epochs} epochs")
    scores = fit(model, args, strategy, data, args.epochs)
    model.save(path)
    return scores


def fine_tune(args, strategy, data, pretrained_path, replacements):
    """Test (loss, accuracy) of the reloaded pretrained model, with
    `replacements` swapped in, after fine-tuning; and the model."""
    keras.utils.set_random_seed(args.seed + 1)
    with strategy.scope():
        model = keras.saving.load_model(pretrained_path)
        if replacements:
            model = keras_activations.replace_activations(model, replacements)
        compile_model(model, args, args.fine_tune_learning_rate)
    label = ", ".join(f"{old} -> {new}" for old, new in replacements.items()) or "unchanged"
    print(f"fine-tuning ({label}), {args.fine_tune_epochs} epochs")
    return fit(model, args, strategy, data, args.fine_tune_epochs), model


def main(argv=None):
    args = parse_args(argv)
    strategy = example_utils.configure(args)
    print(example_utils.describe_run(strategy))
    data = load_data(args)
    print(f"dataset {args.dataset}: {len(data[0])} train, {len(data[2])} test examples")
    output_dir = example_utils.output_directory(args.output_dir)
    pretrained_path = output_dir / "pretrained.keras"

    pretrained = pretrain(args, strategy, data, pretrained_path)
    control, _ = fine_tune(args, strategy, data, pretrained_path, {})
    swapped, model = fine_tune(args, strategy, data, pretrained_path, args.replacements)
    example_utils.save_and_check_reload(model, output_dir / "fine_tuned.keras", data[2])

    swap = ", ".join(f"{old} -> {new}" for old, new in args.replacements.items())
    rows = [[f"pretrained ({args.epochs} epochs, relu)", *_cells(pretrained)],
            [f"+ {args.fine_tune_epochs} epochs fine-tuning, relu kept", *_cells(control)],
            [f"+ {args.fine_tune_epochs} epochs fine-tuning after {swap}", *_cells(swapped)]]
    print(example_utils.write_table(output_dir / "summary.md",
                                    ["model", "test accuracy", "test loss"], rows))


def _cells(scores):
    loss, accuracy = scores
    return [f"{accuracy:.4f}", f"{loss:.4f}"]


if __name__ == "__main__":
    main()
