"""Exercises of the chapter "A tensor autodiff engine".

Every expected answer is computed with central differences of a definition
(a broadcast, a matrix product, a log-softmax), never from the backward formula
the learner is asked to write.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..gradcheck import numerical_gradient
from ..tensor import Tensor
from .comparison import _close
from .core import Output, ReferenceExercise, TrialExercise
from .reference_inputs import _rows

__all__ = ["CHAPTER", "EXERCISES", "log_softmax_rows"]

CHAPTER = 8
"""The chapter that sets these exercises."""


# ---------------------------------------------------------- unbroadcast_by_hand
def _unbroadcast_case(rng: np.random.Generator) -> tuple:
    """A gradient of a random shape, and an operand shape that broadcasts to it.

    The operand loses some leading axes and has some of the remaining ones set
    to 1, so both kinds of broadcasting occur (and sometimes neither).
    """
    out_ndim = int(rng.integers(1, 4))
    out_shape = tuple(int(n) for n in rng.integers(2, 5, size=out_ndim))
    dropped = int(rng.integers(0, out_ndim + 1))
    shape = [1 if rng.random() < 0.4 else n for n in out_shape[dropped:]]
    return rng.normal(size=out_shape), tuple(shape)


def _unbroadcast_expected(grad: np.ndarray, shape: Any) -> tuple:
    # run_check hands expected() a copy of the arguments: the shape arrives as an array.
    shape = tuple(int(n) for n in np.atleast_1d(np.asarray(shape)))

    def f(x: np.ndarray) -> float:  # the operand broadcast, then weighted by grad
        return float(np.sum(np.broadcast_to(x, grad.shape) * grad))

    return (numerical_gradient(f, np.zeros(shape)),)


# --------------------------------------------------------------- matmul_backward
def _matmul_case(rng: np.random.Generator) -> tuple:
    n, k, m = (int(v) for v in rng.integers(1, 5, size=3))
    return rng.normal(size=(n, k)), rng.normal(size=(k, m)), rng.normal(size=(n, m))


def _matmul_expected(A: np.ndarray, B: np.ndarray, G: np.ndarray) -> tuple:
    dA = numerical_gradient(lambda A_: np.sum((A_ @ B) * G), A)
    dB = numerical_gradient(lambda B_: np.sum((A @ B_) * G), B)
    return dA, dB


# ---------------------------------------------------------- log_softmax_backward
def log_softmax_rows(x: np.ndarray) -> np.ndarray:
    """``x_k - log Σ_j exp(x_j)`` along the last axis (the definition, made overflow-free).

    Raises
    ------
    TypeError
        If ``x`` is not real numbers (a Tensor: pass ``.data``).
    ValueError
        If ``x`` is a single number or its last axis is empty, or it holds NaN or
        infinite values.
    """
    x = _rows(x, "x", "log_softmax_rows")
    return x - np.logaddexp.reduce(x, axis=-1, keepdims=True)


def _log_softmax_case(rng: np.random.Generator) -> tuple:
    n, c = int(rng.integers(1, 5)), int(rng.integers(2, 6))
    return rng.normal(0.0, 2.0, size=(n, c)), rng.normal(size=(n, c))


def _log_softmax_expected(x: np.ndarray, g: np.ndarray) -> tuple:
    return (numerical_gradient(lambda x_: np.sum(log_softmax_rows(x_) * g), x),)


# ----------------------------------------------------- tensor_squared_difference
_PAIRS = [  # (shape of a, shape of b): broadcasting on either side, or on both
    ((4, 3), (3,)),
    ((4, 3), (1, 3)),
    ((4, 1), (4, 3)),
    ((3,), (2, 3)),
    ((2, 1), (1, 3)),
    ((2, 3), (2, 3)),
    ((), (2, 3)),
]


def _squared_difference_trial(fn: Any, rng: np.random.Generator) -> str | None:
    shape_a, shape_b = _PAIRS[int(rng.integers(len(_PAIRS)))]
    a0, b0 = rng.normal(size=shape_a), rng.normal(size=shape_b)
    a, b = Tensor(a0, requires_grad=True), Tensor(b0, requires_grad=True)
    out = fn(a, b)
    if not isinstance(out, Tensor):
        return f"expected a Tensor, got {type(out).__name__}."
    want = (a0 - b0) ** 2
    if out.shape != want.shape:
        return (
            f"expected an output of shape {want.shape} for a {shape_a} and b {shape_b}, "
            f"got {out.shape}."
        )
    if not np.allclose(out.data, want, rtol=1e-12, atol=1e-12):
        return "the forward values are wrong: expected (a - b) ** 2 entry by entry."
    if {id(p) for p in out._prev} != {id(a), id(b)}:
        return (
            f"expected one new node whose inputs are a and b, got a node whose inputs are "
            f"{len(out._prev)} other tensor(s): build it with Tensor.from_op(data, (a, b), "
            "'sqdiff') and give it its own _backward, instead of composing - and **."
        )
    r = rng.normal(size=want.shape)
    out.backward(r)  # seed dL/d(out) = r, i.e. L = sum(out * r)
    for name, t, x0 in (("a", a, a0), ("b", b, b0)):
        if t.grad is None:
            return f"{name}.grad is None: your _backward never accumulated into {name}."
        grad = np.asarray(t.grad)
        if grad.shape != x0.shape:
            return (
                f"{name}.grad has shape {grad.shape} but {name} has shape {x0.shape}: expected "
                "the gradient summed over the axes broadcasting stretched."
            )
        if name == "a":
            num = numerical_gradient(lambda x: np.sum((x - b0) ** 2 * r), a0)
        else:
            num = numerical_gradient(lambda x: np.sum((a0 - x) ** 2 * r), b0)
        if not _close(grad, num):
            idx = tuple(int(i) for i in np.unravel_index(np.argmax(np.abs(grad - num)), num.shape))
            return (
                f"entry {idx} of {name}.grad (with a {shape_a}, b {shape_b}): expected "
                f"{num[idx]:.6g}, got {grad[idx]:.6g}."
            )
    return None


EXERCISES = [
    ReferenceExercise(
        name="unbroadcast_by_hand",
        chapter=CHAPTER,
        task="Return grad summed down to `shape`: over the leading axes broadcasting added, "
        "and (keeping them) over the axes where `shape` has a 1 and grad does not.",
        signature="unbroadcast_by_hand(grad, shape)",
        outputs=(Output("the reduced gradient"),),
        make_inputs=_unbroadcast_case,
        expected=_unbroadcast_expected,
        hint="First sum over axis 0 while grad has more dimensions than `shape`; then, for "
        "every axis i with shape[i] == 1, sum over it with keepdims=True.",
        nudge="Undo what broadcasting did on two kinds of axes: the leading axes it added, and "
        "the axes of size 1 in `shape` that it stretched. A gradient adds up over every copy.",
        n_cases=8,
    ),
    ReferenceExercise(
        name="matmul_backward",
        chapter=CHAPTER,
        task="For C = A @ B and G = dL/dC, return (dL/dA, dL/dB).",
        signature="matmul_backward(A, B, G)",
        outputs=(Output("dL/dA"), Output("dL/dB")),
        make_inputs=_matmul_case,
        expected=_matmul_expected,
        hint="dL/dA = G @ B.T and dL/dB = A.T @ G. Check the shapes: dL/dA must be shaped "
        "like A, (N, K), and G (N, M) times B.T (M, K) is the only product that gives it.",
        nudge="Each gradient has the shape of its matrix: write down the shapes of A, B and G, "
        "and see which product of G with the other matrix gives that shape.",
    ),
    ReferenceExercise(
        name="log_softmax_backward",
        chapter=CHAPTER,
        task="For y = log_softmax(x) along the last axis and g = dL/dy, return dL/dx.",
        signature="log_softmax_backward(x, g)",
        outputs=(Output("dL/dx"),),
        make_inputs=_log_softmax_case,
        expected=_log_softmax_expected,
        hint="y_k = x_k - log sum_j exp(x_j), so dy_k/dx_i = [k == i] - softmax(x)_i. Summing "
        "over k: dL/dx = g - softmax(x) * g.sum(axis=-1, keepdims=True).",
        nudge="Write y_k as x_k minus the log of a sum and differentiate it with respect to x_i; "
        "then apply the chain rule with g, summing over k. Every row is separate.",
    ),
    TrialExercise(
        name="tensor_squared_difference",
        chapter=CHAPTER,
        task="Return a new Tensor node for (a - b) ** 2, with a and b of shapes that "
        "broadcast, and a _backward that accumulates the correctly reduced gradient into "
        "a and b.",
        signature="tensor_squared_difference(a, b)",
        hint="out = Tensor.from_op((a.data - b.data) ** 2, (a, b), 'sqdiff'); in _backward(grad) "
        "the local derivatives are 2 (a - b) for a and -2 (a - b) for b; pass each product "
        "through unbroadcast(..., a.shape) (or b.shape) before a.accumulate_grad(...).",
        nudge="Follow the pattern of the engine's own operations: the output records a and b as "
        "its inputs, and since either may have been broadcast, each gradient is reduced to its "
        "tensor's shape before it is accumulated.",
        trial=_squared_difference_trial,
        n_cases=7,
    ),
]
