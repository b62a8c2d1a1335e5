"""Send saved examples to TF Serving's REST API and print its predictions.

Builds the request body `{"instances": [...]}` of TF Serving's predict API
from a `.npy` file of inputs (the quickstart writes `runs/quickstart/
examples.npy`), posts it, and prints the JSON reply `{"predictions": ...}`.
Without `--url` it prints the request body instead, e.g. for curl.

    python examples/serving_client.py --examples runs/quickstart/examples.npy \
        --url http://localhost:8501/v1/models/quickstart:predict
"""

import argparse
import json
import pathlib
import urllib.error
import urllib.request

import numpy as np


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=pathlib.Path,
                        default=pathlib.Path("runs/quickstart/examples.npy"),
                        help=".npy file of model inputs, one example per row "
                             "(default: %(default)s, written by quickstart.py)")
    parser.add_argument("--count", type=int, default=3,
                        help="examples to send (default: %(default)s)")
    parser.add_argument("--url", default=None,
                        help="TF Serving predict URL (default: none, the request "
                             "is printed)")
    return parser.parse_args(argv)


def predict_request(examples):
    """TF Serving's row format: one JSON list per example."""
    return {"instances": np.asarray(examples, dtype=np.float32).tolist()}


def post(url, body):
    """The server's JSON reply; a one-line `SystemExit` when there is none."""
    request = urllib.request.Request(url, data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as reply:
            return json.loads(reply.read())
    except urllib.error.HTTPError as error:
        raise SystemExit(f"serving_client.py: {url} answered {error.code} {error.reason}: "
                         f"{error.read().decode(errors='replace')[:500]}") from None
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise SystemExit(f"serving_client.py: cannot reach {url} ({reason}); is TF "
                         "Serving running there?") from None


def main(argv=None):
    args = parse_args(argv)
    try:
        examples = np.load(args.examples)
    except OSError as error:  # missing, unreadable or not a .npy file
        raise SystemExit(f"serving_client.py: cannot read examples from {args.examples} "
                         f"({error.__class__.__name__}); examples/quickstart.py writes "
                         "runs/quickstart/examples.npy") from None
    body = predict_request(examples[:args.count])
    print(json.dumps(post(args.url, body) if args.url else body))


if __name__ == "__main__":
    main()
