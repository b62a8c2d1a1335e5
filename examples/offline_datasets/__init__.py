"""TFDS builders over the real datasets scikit-learn ships, for offline examples.

Importing this package (next to the examples, which import it) registers
three TensorFlow Datasets builders, so that `tfds.load` works on a machine
with no network (the `examples` extra installs tensorflow-datasets and
scikit-learn). It is a package, not a module, because TFDS reads a builder's
resources from its package:

- `sklearn_digits`: 1,797 handwritten digits, 8x8 grey images (uint8,
  0-255) with labels 0-9 (UCI optical recognition of handwritten digits).
- `sklearn_breast_cancer`: 569 tumours, 30 float32 features, label
  malignant (0) or benign (1) (Wisconsin diagnostic breast cancer).
- `sklearn_diabetes`: 442 patients, 10 standardised float32 features, a
  float32 target (disease progression after one year).

Each has a `train` (80%) and a `test` (20%) split, fixed by a seeded
(stratified, for the classification sets) shuffle: the splits of
`offline_arrays`, which serves them without TensorFlow.

Example:

>>> import tensorflow_datasets as tfds
>>> import offline_datasets  # from examples/
>>> train = tfds.load("sklearn_digits", split="train", as_supervised=True)
"""

import numpy as np
import tensorflow_datasets as tfds

import offline_arrays


class _SklearnBuilder(tfds.core.GeneratorBasedBuilder, skip_registration=True):
    """Examples `{input_key: x, target_key: y}` from arrays, numbered in order."""

    VERSION = tfds.core.Version("1.0.0")
    RELEASE_NOTES = {"1.0.0": "Initial release."}
    INPUT_KEY = "features"
    TARGET_KEY = "label"

    def _log_download_bytes(self):
        # TFDS' message here reads "Downloading and preparing dataset Unknown
        # size"; these builders download nothing.
        print(f"Preparing {self.name} from scikit-learn's bundled copy (no download) "
              f"in {self.data_dir}...")

    def _log_download_done(self):
        # TFDS' message here reads "Dataset ... downloaded and prepared".
        print(f"Prepared {self.name} in {self.data_dir}; later runs reuse it.")

    def _split_generators(self, dl_manager):
        train, test = offline_arrays.load(self.name)
        return {"train": self._generate_examples(*train), "test": self._generate_examples(*test)}

    def _generate_examples(self, inputs, targets):
        for index, (x, y) in enumerate(zip(inputs, targets)):
            yield index, {self.INPUT_KEY: x, self.TARGET_KEY: y}

    def _describe(self, features, description, homepage):
        return self.dataset_info_from_configs(
            description=description, features=tfds.features.FeaturesDict(features),
            supervised_keys=(self.INPUT_KEY, self.TARGET_KEY), homepage=homepage)


class SklearnDigits(_SklearnBuilder):
    """scikit-learn's digits as 8x8x1 uint8 images with labels 0-9."""

    INPUT_KEY = "image"

    def _info(self):
        return self._describe(
            {"image": tfds.features.Image(shape=(8, 8, 1)),
             "label": tfds.features.ClassLabel(num_classes=10)},
            "Optical recognition of handwritten digits (UCI), as shipped by "
            "scikit-learn: 8x8 images, 0-16 scaled to 0-255.",
            "https://archive.ics.uci.edu/dataset/80")


class SklearnBreastCancer(_SklearnBuilder):
    """scikit-learn's breast cancer set: 30 features, malignant (0) or benign (1)."""

    def _info(self):
        return self._describe(
            {"features": tfds.features.Tensor(shape=(30,), dtype=np.float32),
             "label": tfds.features.ClassLabel(names=["malignant", "benign"])},
            "Breast cancer Wisconsin (diagnostic), as shipped by scikit-learn.",
            "https://archive.ics.uci.edu/dataset/17")


class SklearnDiabetes(_SklearnBuilder):
    """scikit-learn's diabetes set: 10 standardised features, a float target."""

    TARGET_KEY = "target"

    def _info(self):
        return self._describe(
            {"features": tfds.features.Tensor(shape=(10,), dtype=np.float32),
             "target": tfds.features.Scalar(dtype=np.float32)},
            "Diabetes progression (Efron et al., 2004), as shipped by scikit-learn.",
            "https://www4.stat.ncsu.edu/~boos/var.select/diabetes.html")
