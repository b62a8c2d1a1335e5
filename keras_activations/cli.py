"""Command line: `python -m keras_activations` or `keras-activations`.

    list                      every name, ours and Keras', with its formula
    describe NAME             all metadata of one name (a summary for Keras')
    plot NAME... [--out F]    function and derivative side by side
    gradient-flow             per-layer gradient norms of a deep MLP at init
"""

import argparse
import inspect
import pathlib

import keras

from keras_activations import diagnostics
from keras_activations import registry


def _keras_description(name):
    function = keras.activations.get(name)
    doc = inspect.getdoc(function) or ""
    return {"name": name, "source": f"Keras (keras.activations.{function.__name__})",
            "summary": doc.split("\n", 1)[0]}


def _list(args):
    rows = [(name, "stateful" if registry.describe(name)["stateful"] else "stateless",
             registry.describe(name)["formula"]) for name in registry.names()]
    rows += [(name, "keras", _keras_description(name)["summary"])
             for name in registry.keras_builtin_names()]
    width = max(len(name) for name, _, _ in rows)
    for name, kind, formula in rows:
        print(f"{name:<{width}}  {kind:<9}  {formula}")


def _describe(args):
    if args.name in registry.keras_builtin_names():
        description = _keras_description(args.name)
    else:
        description = registry.describe(args.name)
    for field, value in description.items():
        print(f"{field}: {value}")


def _plot(args):
    diagnostics.plot_activations(args.names, args.out)
    print(f"wrote {args.out}")


def _gradient_flow(args):
    flow = diagnostics.gradient_flow(args.activations, depth=args.depth,
                                     width=args.width, batch_size=args.batch_size,
                                     seed=args.seed)
    print(diagnostics.gradient_flow_table(flow))
    diagnostics.plot_gradient_flow(flow, args.out)
    print(f"wrote {args.out}")


def _positive_int(text):
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected an integer >= 1, got {text}")
    return value


def build_parser():
    parser = argparse.ArgumentParser(
        prog="keras-activations",
        description="Inspect keras_activations: list, describe, plot, gradient flow.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("list", help="every name, ours and Keras'").set_defaults(run=_list)

    describe = commands.add_parser("describe", help="metadata of one name",
                                   formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    describe.add_argument("name")
    describe.set_defaults(run=_describe)

    plot = commands.add_parser("plot", help="function and derivative, side by side",
                               formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    plot.add_argument("names", nargs="+", metavar="NAME")
    plot.add_argument("--out", type=pathlib.Path, default=pathlib.Path("activations.png"),
                      help="PNG path")
    plot.set_defaults(run=_plot)

    flow = commands.add_parser(
        "gradient-flow", help="per-layer gradient norms of a deep MLP at init",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    flow.add_argument("--activations", nargs="+", metavar="NAME",
                      default=list(diagnostics.DEFAULT_FLOW_ACTIVATIONS),
                      help="activations to compare, ours or Keras'")
    flow.add_argument("--depth", type=_positive_int, default=20, help="hidden layers")
    flow.add_argument("--width", type=_positive_int, default=64, help="units per layer")
    flow.add_argument("--batch-size", type=_positive_int, default=128,
                      help="random inputs per measurement")
    flow.add_argument("--seed", type=int, default=0, help="weights and inputs seed")
    flow.add_argument("--out", type=pathlib.Path, default=pathlib.Path("gradient_flow.png"),
                      help="PNG path")
    flow.set_defaults(run=_gradient_flow)
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    try:
        args.run(args)
    except (ValueError, TypeError) as error:
        raise SystemExit(f"keras-activations: error: {error}") from error
