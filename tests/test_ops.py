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


def t(*shape: int, positive: bool = False) -> Tensor:
    data = RNG.uniform(0.5, 2.0, shape) if positive else RNG.normal(size=shape)
    return Tensor(data, requires_grad=True)


# One expression per operation: each returns (output, inputs). Together they cover RULES.
CASES = {
    "+": lambda: (lambda a, b: (a + b, [a, b]))(t(3, 4), t(4)),
    "-": lambda: (lambda a, b: (a - b, [a, b]))(t(3, 1), t(4)),
    "*": lambda: (lambda a, b: (a * b, [a, b]))(t(3, 4), t(3, 1)),
    "/": lambda: (lambda a, b: (a / b, [a, b]))(t(3, 4), t(4, positive=True)),
    "**": lambda: (lambda a: (a ** 3, [a]))(t(3, 2)),
    "@": lambda: (lambda a, b: (a @ b, [a, b]))(t(2, 3, 4), t(4, 5)),
    "exp": lambda: (lambda a: (a.exp(), [a]))(t(3, 2)),
    "log": lambda: (lambda a: (a.log(), [a]))(t(3, 2, positive=True)),
    "tanh": lambda: (lambda a: (a.tanh(), [a]))(t(3, 2)),
    "sigmoid": lambda: (lambda a: (a.sigmoid(), [a]))(t(3, 2)),
    "relu": lambda: (lambda a: (a.relu(), [a]))(t(3, 2)),
    "silu": lambda: (lambda a: (a.silu(), [a]))(t(3, 2)),
    "log_softmax": lambda: (lambda a: (a.log_softmax(axis=1), [a]))(t(3, 4)),
    "sum": lambda: (lambda a: (a.sum(axis=0), [a]))(t(3, 4)),
    "reshape": lambda: (lambda a: (a.reshape(4, 3), [a]))(t(3, 4)),
    "transpose": lambda: (lambda a: (a.transpose(1, 0, 2), [a]))(t(2, 3, 4)),
    "index": lambda: (lambda a: (a[np.array([0, 2, 0])], [a]))(t(3, 4)),
    "scatter_add": lambda: (lambda a: (bc.ops.shape.scatter_add(a, np.array([0, 2, 0]), (3, 4)),
                                       [a]))(t(3, 4)),
    "linear": lambda: (lambda x, W, b: (nn.linear(x, W, b), [x, W, b]))(t(5, 3), t(3, 2), t(2)),
    "cross_entropy": lambda: (lambda z: (losses.cross_entropy(z, np.array([0, 2, 1])), [z]))(
        t(3, 4)),
    "binary_cross_entropy": lambda: (
        lambda z: (losses.binary_cross_entropy(z, np.array([0.0, 1.0, 1.0])), [z]))(t(3)),
}


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
    W = t(3, 3)
    x = Tensor(RNG.normal(size=(2, 3)))
    out = bc.checkpoint.checkpoint(lambda a: (a @ W).tanh(), x, params=[W]).sum()
    with pytest.raises(NotImplementedError, match="no higher-order rule for the operation"):
        higher.grad(out, [W])
