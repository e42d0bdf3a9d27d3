"""Exercises of the chapter "Gradient checking and debugging".

Three exercises plant bugs in a small :class:`~backprop_course.tensor.Tensor`
operation (the chapter shows the buggy code) and the learner writes the fixed
operation: ``sigmoid_node``, ``linear_node`` and ``softmax_node``. Their checks
never trust a gradient formula. Each trial builds the learner's operation into
several random graphs, some of which use a tensor twice, runs ``backward()``,
and compares every leaf's ``.grad`` with central differences of the same graph
evaluated with a trusted forward pass (NumPy or the package's forward code; no
backward function is involved). The fourth exercise, ``relative_error``, is
compared with :func:`~backprop_course.gradcheck.rel_error` on inputs with zeros
and entries of very different sizes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ..gradcheck import rel_error
from ..graph import topological_order
from ..tensor import Tensor
from .comparison import _allowed_error
from .core import Output, ReferenceExercise, TrialExercise, gradients_by_differences
from .reference_inputs import _rows

__all__ = ["CHAPTER", "EXERCISES", "softmax_rows"]

CHAPTER = 10
"""The chapter that sets these exercises."""


def softmax_rows(z: np.ndarray) -> np.ndarray:
    """The softmax of every row of ``z``, computed without overflow (the checkers' reference).

    Rows are along the last axis; a 1-D ``z`` is one row.

    Raises
    ------
    TypeError
        If ``z`` is not real numbers (a Tensor: pass ``.data``).
    ValueError
        If ``z`` is a single number or its last axis is empty, or it holds NaN or
        infinite values.
    """
    z = _rows(z, "z", "softmax_rows")
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def _worst_entry(got: np.ndarray, expected: np.ndarray) -> tuple[int, ...] | None:
    """The index of the worst entry outside the tolerance, or None if all are within it."""
    score = np.abs(got - expected) / _allowed_error(got, expected)
    if score.size == 0 or score.max() <= 1.0:
        return None
    return tuple(int(i) for i in np.unravel_index(int(score.argmax()), score.shape))


def _forward_problem(
    fn: Callable[..., Any],
    arrays: Sequence[np.ndarray],
    expected: np.ndarray,
    call: str,
    where: str = "",
) -> str | None:
    """Check the output of ``fn`` on fresh leaves: a Tensor, right values, inputs recorded."""
    leaves = [Tensor(a, requires_grad=True) for a in arrays]
    out = fn(*leaves)
    if not isinstance(out, Tensor):
        return f"{call} should return a Tensor, got {type(out).__name__}."
    got = np.asarray(out.data, dtype=np.float64)
    if got.shape != expected.shape:
        return f"{call}{where}: expected an output of shape {expected.shape}, got {got.shape}."
    if not np.isfinite(got).all():
        idx = tuple(int(i) for i in np.argwhere(~np.isfinite(got))[0])
        return f"{call}{where}: entry {idx} of the output is {got[idx]} (not a finite number)."
    idx = _worst_entry(got, expected)
    if idx is not None:
        return (
            f"The forward pass is wrong: {call}{where}, entry {idx}: expected "
            f"{expected[idx]:.6g}, got {got[idx]:.6g}."
        )
    for leaf, a in zip(leaves, arrays, strict=True):
        if not np.array_equal(leaf.data, a):
            return f"{call} changed its input's data; an operation must only build a new Tensor."
    reached = {id(node) for node in topological_order(out)}
    missing = [i for i, leaf in enumerate(leaves) if id(leaf) not in reached]
    if missing:
        return (
            f"The output of {call} is not connected to its input number {missing[0] + 1} "
            "(counting from 1) in the graph, so backward() can never reach it. Make the "
            "output with Tensor.from_op(data, (inputs...), op)."
        )
    return None


def _gradient_problem(
    fn: Callable[..., Any],
    reference: Callable[..., Any],
    build: Callable[..., Tensor],
    text: str,
    arrays: Sequence[np.ndarray],
    names: Sequence[str],
) -> str | None:
    """Build ``build(fn, *leaves)``, backpropagate, and compare each leaf's .grad numerically.

    The numerical gradient differentiates ``build(reference, ...)``: the same graph
    with the trusted forward operation in place of the learner's.
    """
    leaves = [Tensor(a, requires_grad=True) for a in arrays]
    loss = build(fn, *leaves)
    loss.backward()
    expected_grads = gradients_by_differences(
        lambda *a: build(reference, *[Tensor(x) for x in a]).item(), arrays
    )
    for leaf, name, expected in zip(leaves, names, expected_grads, strict=True):
        got = leaf.grad
        if got is None:
            return (
                f"On L = {text}, no gradient arrived at {name} ({name}.grad is None): does "
                "your _backward pass the gradient on with accumulate_grad, and is it set as "
                "out._backward?"
            )
        got = np.asarray(got, dtype=np.float64)
        if got.shape != expected.shape:
            return (
                f"On L = {text}, {name}.grad has shape {got.shape}, expected {expected.shape}."
            )
        if not np.isfinite(got).all():
            idx = tuple(int(k) for k in np.argwhere(~np.isfinite(got))[0])
            return f"On L = {text}, entry {idx} of {name}.grad is {got[idx]} (not a finite number)."
        idx = _worst_entry(got, expected)
        if idx is not None:
            return (
                f"On L = {text}, entry {idx} of {name}.grad: expected {expected[idx]:.6g} "
                f"(central differences), got {got[idx]:.6g}."
            )
    return None


_USED_TWICE = (
    " The graphs that use each tensor once were right, so a contribution is lost where "
    "a tensor is used twice: add into the inputs' gradients with accumulate_grad, never "
    "assign .grad."
)

# ------------------------------------------------------------------ sigmoid_node


def _sigmoid_trial(fn: Callable[[Tensor], Tensor], rng: np.random.Generator) -> str | None:
    shape = (int(rng.integers(2, 4)), int(rng.integers(2, 5)))
    x0 = rng.uniform(-3.0, 3.0, size=shape)
    c = rng.normal(size=shape)
    problem = _forward_problem(fn, [x0], 1.0 / (1.0 + np.exp(-x0)), "sigmoid_node(x)")
    if problem:
        return problem

    graphs: list[tuple[str, Callable[..., Tensor], bool]] = [
        ("sum(c * sigmoid(x))", lambda s, x: (s(x) * c).sum(), False),
        ("sum(c * sigmoid(2 x + 1))", lambda s, x: (s(x * 2.0 + 1.0) * c).sum(), False),
        ("sum(c * sigmoid(sigmoid(x)))", lambda s, x: (s(s(x)) * c).sum(), False),
        ("sum(c * sigmoid(x) * x)", lambda s, x: (s(x) * x * c).sum(), True),
        ("sum(c * (sigmoid(x) + sigmoid(x)))", lambda s, x: ((s(x) + s(x)) * c).sum(), True),
        ("sum(c * sigmoid(h) * h) with h = 1.5 x", lambda s, x: _times_itself(s, x * 1.5, c), True),
    ]
    for text, build, twice in graphs:
        problem = _gradient_problem(fn, Tensor.sigmoid, build, text, [x0], ["x"])
        if problem:
            if twice:
                return problem + _USED_TWICE
            if text == graphs[0][0]:
                problem += _sigmoid_diagnosis(fn, x0, c)
            return problem
    return None


def _times_itself(s: Callable[[Tensor], Tensor], h: Tensor, c: np.ndarray) -> Tensor:
    return (s(h) * h * c).sum()


def _sigmoid_diagnosis(fn: Callable[[Tensor], Tensor], x0: np.ndarray, c: np.ndarray) -> str:
    """Recognise the slope written with the input x instead of the output sigma(x)."""
    x = Tensor(x0, requires_grad=True)
    (fn(x) * c).sum().backward()
    if x.grad is not None and np.allclose(x.grad, c * x0 * (1.0 - x0)):
        return (
            " Your gradient is x (1 - x) times the incoming gradient: the slope of the "
            "sigmoid is s (1 - s) with s = sigma(x), the output, not the input x."
        )
    return ""


# ------------------------------------------------------------------- linear_node


def _linear_trial(fn: Callable[..., Tensor], rng: np.random.Generator) -> str | None:
    # Three different sizes, so that no wrong product or reduction has the right shape.
    n, d_in, d_out = (int(v) for v in rng.permutation(np.arange(2, 6))[:3])
    x0, W0, b0 = rng.normal(size=(n, d_in)), rng.normal(size=(d_in, d_out)), rng.normal(size=d_out)
    V0, v0 = rng.normal(size=(d_out, 2)), rng.normal(size=2)
    c = rng.normal(size=(n, d_out))
    problem = _forward_problem(fn, [x0, W0, b0], x0 @ W0 + b0, "linear_node(x, W, b)")
    if problem:
        return problem

    def reference(x: Tensor, W: Tensor, b: Tensor) -> Tensor:
        return x @ W + b

    one = (
        "sum(c * tanh(linear(x, W, b)))",
        lambda lin, x, W, b: (lin(x, W, b).tanh() * c).sum(),
        [x0, W0, b0],
        ["x", "W", "b"],
        False,
    )
    two_layers = (
        "sum(linear(tanh(linear(x, W, b)), V, v) ** 2)",
        lambda lin, x, W, b, V, v: (lin(lin(x, W, b).tanh(), V, v) ** 2).sum(),
        [x0, W0, b0, V0, v0],
        ["x", "W", "b", "V", "v"],
        False,
    )
    twice = (
        "sum(c * linear(x, W, b) * linear(x, W, b))",
        lambda lin, x, W, b: (lin(x, W, b) * lin(x, W, b) * c).sum(),
        [x0, W0, b0],
        ["x", "W", "b"],
        True,
    )
    for text, build, arrays, names, uses_twice in (one, two_layers, twice):
        problem = _gradient_problem(fn, reference, build, text, arrays, names)
        if problem:
            return problem + (_USED_TWICE if uses_twice else "")
    return None


# ------------------------------------------------------------------ softmax_node


def _softmax_trial(fn: Callable[[Tensor], Tensor], rng: np.random.Generator) -> str | None:
    shape = (int(rng.integers(2, 4)), int(rng.integers(3, 6)))
    c, d = rng.normal(size=shape), rng.normal(size=shape)
    z_small = rng.normal(0.0, 2.0, size=shape)
    # Large logits that are close together: naive exp overflows, yet the softmax is not
    # saturated, so its gradient is far from zero.
    sign = 1.0 if rng.random() < 0.5 else -1.0
    z_large = sign * 1000.0 + rng.normal(0.0, 2.0, size=shape)
    for z0, where in [(z_small, ""), (z_large, f" at logits near {sign * 1000:+.0f}")]:
        problem = _forward_problem(fn, [z0], softmax_rows(z0), "softmax_node(z)", where)
        if problem:
            if where and "not a finite number" in problem:
                problem += (
                    " np.exp of a logit above about 709 overflows to inf (and inf / inf "
                    "is nan). Subtract each row's largest logit before exponentiating: "
                    "the softmax does not change."
                )
            return problem

    def reference(z: Tensor) -> Tensor:
        return Tensor(softmax_rows(z.data))  # forward only: used for central differences

    graphs: list[tuple[str, Callable[..., Tensor], bool]] = [
        ("sum(c * softmax(z))", lambda s, z: (s(z) * c).sum(), False),
        ("sum(c * softmax(z) ** 2)", lambda s, z: (s(z) ** 2 * c).sum(), False),
        (
            "sum(c * softmax(z) + d * softmax(z / 2))",
            lambda s, z: (s(z) * c + s(z * 0.5) * d).sum(),
            True,
        ),
    ]
    for z0, where in [(z_small, ""), (z_large, f", logits near {sign * 1000:+.0f}")]:
        for text, build, twice in graphs:
            problem = _gradient_problem(fn, reference, build, text + where, [z0], ["z"])
            if problem:
                return problem + (_USED_TWICE if twice else "")
    return None


# ---------------------------------------------------------------- relative_error


def _rel_error_case(rng: np.random.Generator) -> tuple:
    """Two arrays with entries from 1e-3 to 1e5, a 0/0 pair, and sometimes a lone zero.

    The smallest entry carries the largest relative difference, so that an
    answer dominated by the large entries (a ratio of norms, an absolute error)
    is caught.
    """
    shape = (int(rng.integers(3, 7)),) if rng.random() < 0.5 else (2, int(rng.integers(2, 4)))
    a = rng.choice([-1.0, 1.0], size=shape) * 10.0 ** rng.uniform(-3.0, 5.0, size=shape)
    b = a * (1.0 + rng.normal(0.0, 1e-3, size=shape))
    flat_a, flat_b = a.reshape(-1), b.reshape(-1)
    smallest = int(np.argmin(np.abs(flat_a)))
    flat_b[smallest] = flat_a[smallest] * (1.0 + rng.uniform(0.05, 0.5))
    zero = (smallest + 1) % flat_a.size
    flat_a[zero] = flat_b[zero] = 0.0  # 0 against 0: no error at all
    if rng.random() < 0.5:
        lone = (smallest + 2) % flat_a.size
        if lone != zero:
            flat_b[lone] = 0.0  # a gradient entry that is zero in one array only
    return a, b


def _rel_error_expected(a: np.ndarray, b: np.ndarray) -> tuple:
    return (np.asarray(rel_error(a, b)),)


EXERCISES = [
    TrialExercise(
        name="sigmoid_node",
        chapter=CHAPTER,
        task="Fix the two planted bugs of sigmoid_node_buggy: return sigma(x) as one Tensor "
        "node whose backward pass gives the right gradient, also when x is used twice.",
        signature="sigmoid_node(x)",
        hint="The slope of the sigmoid is s (1 - s) where s = sigma(x) is the output; and "
        "the backward function must add into x's gradient with x.accumulate_grad(...), "
        "never assign x.grad.",
        nudge="One bug is in the slope, the other in how the gradient is stored: x may be used "
        "twice, so its gradients must add up.",
        trial=_sigmoid_trial,
    ),
    TrialExercise(
        name="linear_node",
        chapter=CHAPTER,
        task="Fix the two planted bugs of linear_node_buggy: return x @ W + b as one Tensor "
        "node, for x (N, D_in), W (D_in, D_out) and b (D_out,).",
        signature="linear_node(x, W, b)",
        hint="A gradient has the shape of its tensor: dx = delta W^T is (N, D_in), "
        "dW = x^T delta is (D_in, D_out), and db, of shape (D_out,), is the sum of "
        "delta over the batch (axis 0), since b is used once per example.",
        nudge="Compare the shape of every gradient with the shape of its tensor. The bias is used "
        "once per example of the batch.",
        trial=_linear_trial,
    ),
    TrialExercise(
        name="softmax_node",
        chapter=CHAPTER,
        task="Fix softmax_node_buggy: return the softmax of every row of z as one Tensor "
        "node that stays finite and correct for logits as large as 1000.",
        signature="softmax_node(z)",
        hint="softmax(z - m) = softmax(z) for any constant m per row: subtract the row's "
        "largest logit before np.exp. The backward pass p * (g - sum(g * p)) is right; "
        "it only needs a finite p.",
        nudge="The softmax of a row does not change when the same number is subtracted from every "
        "logit: pick the number that keeps np.exp from overflowing.",
        trial=_softmax_trial,
    ),
    ReferenceExercise(
        name="relative_error",
        chapter=CHAPTER,
        task="Return the largest entrywise relative error |a - b| / max(|a|, |b|) of two "
        "arrays of the same shape, counting 0 against 0 as no error.",
        signature="relative_error(a, b)",
        outputs=(Output("relative error"),),
        make_inputs=_rel_error_case,
        expected=_rel_error_expected,
        hint="Divide entry by entry by np.maximum(np.abs(a), np.abs(b)), not by |b| alone "
        "(b may be 0 where a is not), use np.where to make 0/0 count as 0, and return the "
        "largest value (a float).",
        nudge="Divide by the larger of the two magnitudes, not by one side alone, and decide what "
        "0 against 0 gives before you divide.",
        n_cases=8,
        verified_by="bc.rel_error",
    ),
]
