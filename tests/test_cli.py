import matplotlib.image
import pytest

import keras_activations
from keras_activations import cli
from keras_activations import registry

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def assert_png(path):
    assert path.read_bytes()[:8] == PNG_SIGNATURE
    height, width, _ = matplotlib.image.imread(path).shape
    assert height > 100 and width > 100


def test_list_prints_our_names_with_formula_then_keras_names(capsys):
    cli.main(["list"])
    lines = capsys.readouterr().out.splitlines()
    ours, keras_names = keras_activations.names(), registry.keras_builtin_names()
    assert [line.split()[0] for line in lines] == ours + keras_names
    assert {line.split()[1] for line in lines[:len(ours)]} == {"stateful", "stateless"}
    assert {line.split()[1] for line in lines[len(ours):]} == {"keras"}
    assert r"\max(0, x) + s \max(0, -x)" in "\n".join(lines)


def test_describe_prints_metadata(capsys):
    cli.main(["describe", "snake"])
    out = capsys.readouterr().out
    assert "formula: x + \\sin^2(x)" in out
    assert "reference: https://arxiv.org/abs/2006.08195" in out


def test_describe_knows_keras_names(capsys):
    cli.main(["describe", "relu"])
    out = capsys.readouterr().out
    assert "source: Keras (keras.activations.relu)" in out
    assert "Did you mean" not in out


def test_help_shows_defaults(capsys):
    with pytest.raises(SystemExit):
        cli.main(["gradient-flow", "--help"])
    assert "(default: 20)" in capsys.readouterr().out


def test_describe_unknown_name_exits_with_suggestion():
    with pytest.raises(SystemExit, match="Did you mean 'snake'"):
        cli.main(["describe", "snak"])


@pytest.mark.tensorflow_only  # plots slopes taken with tf.GradientTape
def test_plot_writes_png(tmp_path):
    out = tmp_path / "curves.png"
    cli.main(["plot", "leaky_relu_plus", "gelu_tanh", "relu", "--out", str(out)])
    assert_png(out)


@pytest.mark.tensorflow_only  # plots slopes taken with tf.GradientTape
def test_plot_writes_activations_png_by_default(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    cli.main(["plot", "snake"])
    assert_png(tmp_path / "activations.png")


@pytest.mark.tensorflow_only  # gradients taken with tf.GradientTape
def test_gradient_flow_prints_table_and_writes_png(tmp_path, capsys):
    out = tmp_path / "flow.png"
    cli.main(["gradient-flow", "--depth", "4", "--width", "8", "--batch-size", "16",
              "--activations", "sigmoid", "relu", "--out", str(out)])
    table = capsys.readouterr().out
    assert "| `sigmoid` |" in table and "| `relu` |" in table
    assert_png(out)


def test_gradient_flow_rejects_zero_depth(capsys):
    with pytest.raises(SystemExit):
        cli.main(["gradient-flow", "--depth", "0"])
    assert "expected an integer >= 1" in capsys.readouterr().err
