import matplotlib.image
import pytest

import keras_activations
from keras_activations import cli

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def assert_png(path):
    assert path.read_bytes()[:8] == PNG_SIGNATURE
    height, width, _ = matplotlib.image.imread(path).shape
    assert height > 100 and width > 100


def test_list_prints_every_name_with_formula(capsys):
    cli.main(["list"])
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == keras_activations.names()
    assert all(line.split()[1] in ("stateful", "stateless") for line in lines)
    assert r"\max(0, x) + \alpha \max(0, -x)" in "\n".join(lines)


def test_describe_prints_metadata(capsys):
    cli.main(["describe", "snake"])
    out = capsys.readouterr().out
    assert "formula: x + \\sin^2(x)" in out
    assert "reference: https://arxiv.org/abs/2006.08195" in out


def test_describe_unknown_name_exits_with_suggestion():
    with pytest.raises(SystemExit, match="Did you mean 'snake'"):
        cli.main(["describe", "snak"])


def test_plot_writes_png(tmp_path):
    out = tmp_path / "curves.png"
    cli.main(["plot", "leaky_relu_plus", "gelu_tanh", "relu", "--out", str(out)])
    assert_png(out)


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
