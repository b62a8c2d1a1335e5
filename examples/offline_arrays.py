"""The offline datasets as numpy arrays, straight from scikit-learn.

The splits that the TFDS builders of `offline_datasets` serve, without
TensorFlow: the examples read them here on Keras' JAX or PyTorch backend
when TensorFlow is not installed. Each dataset has a `train` (80%) and a
`test` (20%) split, fixed by a seeded (stratified, for the classification
sets) shuffle; inputs and targets have the dtypes TFDS gives them.

- `sklearn_digits`: 1,797 8x8x1 uint8 images (0-255), int64 labels 0-9.
- `sklearn_breast_cancer`: 569 rows of 30 float32 features, int64 label
  malignant (0) or benign (1).
- `sklearn_diabetes`: 442 rows of 10 standardised float32 features, a float32
  target.

Example:

>>> import offline_arrays  # from examples/
>>> (x_train, y_train), (x_test, y_test) = offline_arrays.load("sklearn_digits")
"""

import numpy as np
from sklearn import datasets as sklearn_datasets
from sklearn.model_selection import train_test_split

OFFLINE_DATASETS = ("sklearn_digits", "sklearn_breast_cancer", "sklearn_diabetes")
_TEST_FRACTION = 0.2
_SPLIT_SEED = 0


def load(name):
    """`((train inputs, train targets), (test inputs, test targets))` of `name`."""
    if name not in OFFLINE_DATASETS:
        raise ValueError(f"Unknown offline dataset {name!r}; choose from "
                         f"{', '.join(OFFLINE_DATASETS)}.")
    inputs, targets, stratify = _LOADERS[name]()
    x_train, x_test, y_train, y_test = train_test_split(
        inputs, targets, test_size=_TEST_FRACTION, random_state=_SPLIT_SEED,
        stratify=targets if stratify else None)
    return (x_train, y_train), (x_test, y_test)


def _digits():
    digits = sklearn_datasets.load_digits()
    images = np.round(digits.images * (255 / 16)).astype(np.uint8)[..., None]
    return images, digits.target.astype(np.int64), True


def _breast_cancer():
    cancer = sklearn_datasets.load_breast_cancer()
    return cancer.data.astype(np.float32), cancer.target.astype(np.int64), True


def _diabetes():
    diabetes = sklearn_datasets.load_diabetes()
    return diabetes.data.astype(np.float32), diabetes.target.astype(np.float32), False


_LOADERS = {"sklearn_digits": _digits, "sklearn_breast_cancer": _breast_cancer,
            "sklearn_diabetes": _diabetes}
