"""The examples' offline TFDS builders over scikit-learn's bundled datasets."""

import pathlib
import sys

import numpy as np
import pytest
import tensorflow_datasets as tfds

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "examples"))

import offline_arrays  # noqa: E402
import offline_datasets  # noqa: E402, F401  (registers the builders)

# TFDS builders.
pytestmark = pytest.mark.tensorflow_only

EXPECTED = {
    # name: (train size, test size, input shape, input dtype, target dtype)
    "sklearn_digits": (1437, 360, (8, 8, 1), np.uint8, np.int64),
    "sklearn_breast_cancer": (455, 114, (30,), np.float32, np.int64),
    "sklearn_diabetes": (353, 89, (10,), np.float32, np.float32),
}


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    return str(tmp_path_factory.mktemp("tfds"))


@pytest.mark.parametrize("name", offline_arrays.OFFLINE_DATASETS)
def test_preparing_says_no_download(name, tmp_path, capfd):
    tfds.load(name, split="train", data_dir=str(tmp_path))
    out = capfd.readouterr().out
    assert "Downloading" not in out and "Unknown size" not in out
    assert f"Preparing {name} from scikit-learn's bundled copy (no download)" in out


@pytest.mark.parametrize("name", offline_arrays.OFFLINE_DATASETS)
def test_tfds_load_works_offline_with_fixed_splits(name, data_dir):
    train_size, test_size, shape, input_dtype, target_dtype = EXPECTED[name]
    splits = {}
    for split, size in (("train", train_size), ("test", test_size)):
        inputs, targets = tfds.as_numpy(tfds.load(name, split=split, data_dir=data_dir,
                                                  as_supervised=True, batch_size=-1))
        assert inputs.shape == (size,) + shape and inputs.dtype == input_dtype
        assert targets.shape == (size,) and targets.dtype == target_dtype
        splits[split] = inputs
    # Train and test are disjoint (no example appears in both).
    train_rows = {row.tobytes() for row in splits["train"]}
    assert not any(row.tobytes() in train_rows for row in splits["test"])


@pytest.mark.parametrize("name", offline_arrays.OFFLINE_DATASETS)
def test_the_arrays_without_tensorflow_are_the_tfds_splits(name, data_dir):
    def rows(inputs, targets):
        # TFDS stores examples in an order of its own: compare the sets of rows.
        return sorted(x.tobytes() + y.tobytes() for x, y in zip(inputs, targets))

    for split, arrays in zip(("train", "test"), offline_arrays.load(name)):
        served = tfds.as_numpy(tfds.load(name, split=split, data_dir=data_dir,
                                         as_supervised=True, batch_size=-1))
        assert [a.dtype for a in arrays] == [a.dtype for a in served]
        assert rows(*arrays) == rows(*served)


def test_digits_are_the_scikit_learn_images_scaled_to_bytes(data_dir):
    from sklearn.datasets import load_digits

    images, labels = tfds.as_numpy(tfds.load("sklearn_digits", split="train+test",
                                             data_dir=data_dir, as_supervised=True,
                                             batch_size=-1))
    assert images.max() == 255 and images.min() == 0
    assert sorted(np.bincount(labels)) == sorted(np.bincount(load_digits().target))


def test_stratified_classification_splits(data_dir):
    _, train = tfds.as_numpy(tfds.load("sklearn_breast_cancer", split="train",
                                       data_dir=data_dir, as_supervised=True, batch_size=-1))
    _, test = tfds.as_numpy(tfds.load("sklearn_breast_cancer", split="test",
                                      data_dir=data_dir, as_supervised=True, batch_size=-1))
    assert abs(train.mean() - test.mean()) < 0.01
