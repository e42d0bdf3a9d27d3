"""Every Tensor operation has its first-order backward and its rule, and the two agree.

The first-order backward pass (NumPy, in each operation's closure) and the rule (the same
derivative written with Tensor operations, for higher-order gradients) sit side by side in
``backprop_course/ops/`` (and ``nn.linear``, the losses). These tests fail when an operation
is added without a rule, or when the two disagree.
"""

from __future__ import annotations

import ast
import pathlib

import numpy as np
import pytest
from numeric import fd_hvp

import backprop_course as bc
from backprop_course import higher, losses, nn
from backprop_course.gradcheck import numerical_gradient
from backprop_course.graph import RULES
from backprop_course.tensor import Tensor

PACKAGE = pathlib.Path(bc.__file__).parent
RNG = np.random.default_rng(16)


def ops_made_by_the_package() -> set[str]:
    """The name of every operation the package makes: the third argument of each from_op call.

    An f-string name (``f"**{n:g}"``) counts by its fixed start (``"**"``). Not scanned: the
    scalar engine (``Value`` has no higher-order rules) and the exercises, whose reference
    operations are what a learner writes in chapters 8 and 10 (first order only).
    """
    names = set()
    for path in PACKAGE.rglob("*.py"):
        if path.name == "scalar.py" or "exercises" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "from_op" and len(node.args) >= 3
                    and not any(isinstance(a, ast.Starred) for a in node.args)):
                name = node.args[2]
                if isinstance(name, ast.JoinedStr):
                    name = name.values[0]
                assert isinstance(name, ast.Constant), f"{path}: an op name that is not literal"
                names.add(name.value)
    return names


def test_every_operation_the_package_makes_has_a_rule() -> None:
    names = ops_made_by_the_package()
    assert {"+", "*", "@", "relu", "linear", "cross_entropy", "index"} <= names  # the scan works
    without_rule = {
        "detach": "a leaf: nothing to differentiate",
        "checkpoint": "recomputes its segment in its backward pass; higher.grad refuses it",
    }
    missing = sorted(names - set(RULES) - set(without_rule))
    assert not missing, f"operations without a rule: {missing}"


def normal(*shape: int) -> np.ndarray:
    return RNG.normal(size=shape)


def positive(*shape: int) -> np.ndarray:
    return RNG.uniform(0.5, 2.0, shape)


IDX = np.array([0, 2, 0])

# One function per operation, with makers of its inputs (arrays that become Tensors that
# require a gradient). Together they cover RULES.
SPECS = {
    "+": (lambda a, b: a + b, [lambda: normal(3, 4), lambda: normal(4)]),
    "-": (lambda a, b: a - b, [lambda: normal(3, 1), lambda: normal(4)]),
    "*": (lambda a, b: a * b, [lambda: normal(3, 4), lambda: normal(3, 1)]),
    "/": (lambda a, b: a / b, [lambda: normal(3, 4), lambda: positive(4)]),
    "**": (lambda a: a ** 3, [lambda: normal(3, 2)]),
    "@": (lambda a, b: a @ b, [lambda: normal(2, 3, 4), lambda: normal(4, 5)]),
    "exp": (lambda a: a.exp(), [lambda: normal(3, 2)]),
    "log": (lambda a: a.log(), [lambda: positive(3, 2)]),
    "tanh": (lambda a: a.tanh(), [lambda: normal(3, 2)]),
    "sigmoid": (lambda a: a.sigmoid(), [lambda: normal(3, 2)]),
    "relu": (lambda a: a.relu(), [lambda: normal(3, 2)]),
    "silu": (lambda a: a.silu(), [lambda: normal(3, 2)]),
    "log_softmax": (lambda a: a.log_softmax(axis=1), [lambda: normal(3, 4)]),
    "sum": (lambda a: a.sum(axis=0), [lambda: normal(3, 4)]),
    "reshape": (lambda a: a.reshape(4, 3), [lambda: normal(3, 4)]),
    "transpose": (lambda a: a.transpose(1, 0, 2), [lambda: normal(2, 3, 4)]),
    "index": (lambda a: a[IDX], [lambda: normal(3, 4)]),
    "scatter_add": (lambda a: bc.ops.shape.scatter_add(a, IDX, (3, 4)), [lambda: normal(3, 4)]),
    "stack": (lambda a, b: bc.tensor.stack([a, b, a], axis=1),
              [lambda: normal(3, 2), lambda: normal(3, 2)]),
    "linear": (nn.linear, [lambda: normal(5, 3), lambda: normal(3, 2), lambda: normal(2)]),
    "cross_entropy": (lambda z: losses.cross_entropy(z, np.array([0, 2, 1])),
                      [lambda: normal(3, 4)]),
    "binary_cross_entropy": (lambda z: losses.binary_cross_entropy(z, np.array([0.0, 1.0, 1.0])),
                             [lambda: normal(3)]),
}


def case(op: str) -> tuple[Tensor, list[Tensor]]:
    """The operation's output on fresh random inputs, and the inputs."""
    f, makers = SPECS[op]
    inputs = [Tensor(make(), requires_grad=True) for make in makers]
    return f(*inputs), inputs


CASES = {op: (lambda op=op: case(op)) for op in SPECS}


def test_every_rule_has_a_case_here() -> None:
    assert sorted(set(RULES) - set(CASES)) == [], "add a case for each new operation"


@pytest.mark.parametrize("op", sorted(CASES))
def test_the_rule_agrees_with_the_first_order_backward(op: str) -> None:
    out, inputs = CASES[op]()
    assert out._op.startswith(op)
    seed = RNG.normal(size=out.shape)
    from_rules = higher.grad(out, inputs, grad_output=seed)
    out.backward(seed)
    for x, g in zip(inputs, from_rules, strict=True):
        np.testing.assert_allclose(g.data, x.grad, rtol=1e-12, atol=1e-12)


def test_silu_and_its_first_two_derivatives() -> None:
    """silu = x s, s = sigma(x); silu' = s (1 + x (1 - s)); silu'' = s (1 - s) (2 + x (1 - 2 s))."""
    x0 = np.array([-800.0, -3.0, -0.5, 0.0, 0.5, 3.0, 800.0])
    x = Tensor(x0, requires_grad=True)
    y = x.silu()
    s = 1.0 / (1.0 + np.exp(-x0[1:-1]))
    assert y.data[0] == 0.0 and y.data[-1] == 800.0
    np.testing.assert_allclose(y.data[1:-1], x0[1:-1] * s, rtol=1e-15)
    y.sum().backward()
    np.testing.assert_allclose(x.grad[1:-1], s * (1.0 + x0[1:-1] * (1.0 - s)), rtol=1e-14)
    assert x.grad[0] == 0.0 and x.grad[-1] == 1.0  # no overflow at +-800
    (dx,) = higher.grad(x.silu().sum(), [x], create_graph=True)
    (d2x,) = higher.grad(dx.sum(), [x])
    exact = s * (1.0 - s) * (2.0 + x0[1:-1] * (1.0 - 2.0 * s))
    np.testing.assert_allclose(d2x.data[1:-1], exact, rtol=1e-12, atol=1e-15)
    u = RNG.normal(size=5)
    numeric = numerical_gradient(lambda v: (v / (1.0 + np.exp(-v))).sum(), u)
    w = Tensor(u, requires_grad=True)
    w.silu().sum().backward()
    np.testing.assert_allclose(w.grad, numeric, rtol=1e-7)


def test_a_checkpointed_segment_is_refused_by_higher_grad_with_a_clear_error() -> None:
    W = Tensor(normal(3, 3), requires_grad=True)
    x = Tensor(normal(2, 3))
    out = bc.checkpoint.checkpoint(lambda a: (a @ W).tanh(), x, params=[W]).sum()
    with pytest.raises(NotImplementedError, match="no higher-order rule for the operation"):
        higher.grad(out, [W])


@pytest.mark.parametrize("op", sorted(SPECS))
def test_the_rule_gives_second_derivatives_that_match_finite_differences(op: str) -> None:
    """H v through the rules (higher.grad twice) against central differences of backward().

    A rule that reads arrays instead of Tensors gives the right first derivative and a wrong
    second one; this is where it shows.
    """
    f, makers = SPECS[op]
    xs = [make() for make in makers]
    seed = RNG.normal(size=f(*[Tensor(x) for x in xs]).shape)

    def loss(*leaves: Tensor) -> Tensor:
        return (f(*leaves) * seed).sum()

    vs = [RNG.normal(size=x.shape) for x in xs]
    exact = higher.hvp(loss, xs, vs)  # through the rules
    for got, approx in zip(exact, fd_hvp(loss, xs, vs), strict=True):
        np.testing.assert_allclose(got, approx, rtol=1e-5, atol=1e-6)
