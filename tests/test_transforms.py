"""Every registered name and every layer under every differentiation
transform of the backend (`support/transforms.py`), against the same
transform of the plain formula.

JAX: grad, jvp, jacfwd, jacrev, hessian, linearize and vmap of grad, each
also under `jax.jit`. PyTorch: `torch.autograd.grad(create_graph=True)` to
second order, `forward_ad`, `torch.func`'s grad, jvp, jacfwd, jacrev,
hessian and vmap of grad, and gradients of a `torch.compile`d function.
TensorFlow: nested tapes, `ForwardAccumulator`, `jacobian` and
`batch_jacobian`, eagerly, in `tf.function` and under XLA.
"""

import numpy as np
import pytest
from keras import ops

import keras_activations
from support import backend
from support import transforms
from tests.layers.cases import CASES
from tests.layers.layer_contract import assign_weights
from tests.layers.layer_contract import plain_formula

_GELU_SCALE = np.sqrt(2 / np.pi)

# The textbook formulas, autodiffed by the backend.
PLAIN = {
    "leaky_relu_plus": lambda x: ops.maximum(x, 0.0) - 0.01 * ops.minimum(x, 0.0),
    "binary_step": lambda x: ops.stop_gradient(ops.cast(x > 0, x.dtype)) + 0.0 * x,
    "binary_step_ste": lambda x: (ops.clip(x, -1.0, 1.0) + ops.stop_gradient(
        ops.cast(x > 0, x.dtype) - ops.clip(x, -1.0, 1.0))),
    "gelu_tanh": lambda x: 0.5 * x * (1 + ops.tanh(_GELU_SCALE * (x + 0.044715 * x**3))),
    "lisht": lambda x: x * ops.tanh(x),
    "snake": lambda x: x + ops.sin(x) ** 2,
    "softmin": lambda x: ops.softmax(-x, axis=-1),
    "squared_relu": lambda x: ops.maximum(x, 0.0) ** 2,
    "bent_identity": lambda x: (ops.sqrt(x * x + 1) - 1) / 2 + x,
    "tanh_exp": lambda x: x * ops.tanh(ops.exp(x)),
}
TRANSFORMS = transforms.transforms()
# Compiling every subject under every transform is slow: eager transforms run
# in the README's test command, compiled ones with the large tests.
COMPILED = ("jit_", "graph_", "xla_", "compile_")
SHAPE = (2, 3, 6)


def _inputs():
    """Inputs away from the kinks at 0 and +-1, where one-sided slopes differ."""
    rng = np.random.default_rng(11)
    magnitude = np.where(rng.random(SHAPE) < 0.5, rng.uniform(0.1, 0.9, SHAPE),
                         rng.uniform(1.1, 2.0, SHAPE))
    return (magnitude * rng.choice([-1.0, 1.0], SHAPE)).astype("float32")


def _stateless_subject(name):
    ours, plain = keras_activations.get(name), PLAIN[name]
    return (lambda x: ours(x)), (lambda x: plain(x)), []


def _layer_subject(case):
    layer = case.cls(**case.kwargs)
    layer.build(SHAPE)
    assign_weights(layer, case.weights)
    return backend.stateless(layer), plain_formula(case, layer), backend.trainable_values(layer)


# subject -> (function making (ours, plain, weights), its argument)
SUBJECTS = {**{name: (_stateless_subject, name) for name in PLAIN},
            **{case.id: (_layer_subject, case) for case in CASES}}


def test_every_name_and_layer_is_a_subject():
    # The package's own names: other tests register names of their own.
    names = {n for n in keras_activations.names()
             if keras_activations.get(n).__module__.startswith("keras_activations.")}
    stateless = {n for n in names if not keras_activations.describe(n)["stateful"]}
    assert stateless == set(PLAIN)
    layers = {type(keras_activations.get(n)).__name__ for n in names - stateless}
    assert layers <= set(SUBJECTS)


def _params():
    params = []
    for transform in TRANSFORMS:
        marks = [pytest.mark.large] if transform.startswith(COMPILED) else []
        for subject in SUBJECTS:
            params.append(pytest.param(subject, transform, marks=marks,
                                       id=f"{subject}-{transform}"))
    return params


@pytest.mark.parametrize("subject, transform", _params())
def test_transform_matches_the_plain_formula(subject, transform):
    make, argument = SUBJECTS[subject]
    ours, plain, weights = make(argument)
    x = backend.tensor(_inputs())
    y_shape = tuple(ops.shape(ours(x, *weights)))
    rng = np.random.default_rng(12)
    probe = backend.tensor(rng.standard_normal(y_shape).astype("float32"))
    direction = backend.tensor(rng.standard_normal(SHAPE).astype("float32"))
    apply = TRANSFORMS[transform]
    got = transforms.as_numpy(apply(ours, x, weights, probe, direction))
    if subject == "binary_step_ste" and transform in ("graph_forward_accumulator",
                                                      "xla_forward_accumulator"):
        # TensorFlow's forward mode uses custom gradients only eagerly
        # (docs/accuracy.md): in a tf.function, the step's own derivative, 0.
        plain = PLAIN["binary_step"]
    want = transforms.as_numpy(apply(plain, x, weights, probe, direction))
    assert len(got) == len(want)
    for index, (g, w) in enumerate(zip(got, want)):
        np.testing.assert_allclose(g, w, rtol=2e-4, atol=1e-5 * max(1.0, np.max(np.abs(w))),
                                   err_msg=f"{subject} under {transform}, result {index}")
