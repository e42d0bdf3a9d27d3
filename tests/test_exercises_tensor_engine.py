"""Chapter 8's checkers accept correct answers and explain wrong ones, never raising."""

from __future__ import annotations

import numpy as np
from exercise_suite import standard_exercise_tests

from backprop_course import Tensor
from backprop_course.exercises import check
from backprop_course.tensor import unbroadcast


# ------------------------------------------------------------ correct answers
def unbroadcast_by_hand(grad, shape):
    while grad.ndim > len(shape):
        grad = grad.sum(axis=0)
    for i, n in enumerate(shape):
        if n == 1:
            grad = grad.sum(axis=i, keepdims=True)
    return grad


def matmul_backward(A, B, G):
    return G @ B.T, A.T @ G


def _softmax(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def log_softmax_backward(x, g):
    return g - _softmax(x) * g.sum(axis=-1, keepdims=True)


def _squared_difference(a, b, reduce=True, factor=2.0):
    diff = a.data - b.data
    out = Tensor.from_op(diff**2, (a, b), "sqdiff")

    def _backward(grad):
        da, db = factor * diff * grad, -factor * diff * grad
        if reduce:
            da, db = unbroadcast(da, a.shape), unbroadcast(db, b.shape)
        a.accumulate_grad(da)
        b.accumulate_grad(db)

    out._backward = _backward
    return out


def tensor_squared_difference(a, b):
    return _squared_difference(a, b)


SOLUTIONS = {
    "unbroadcast_by_hand": unbroadcast_by_hand,
    "matmul_backward": matmul_backward,
    "log_softmax_backward": log_softmax_backward,
    "tensor_squared_difference": tensor_squared_difference,
}


# -------------------------------------------------------------- wrong answers
def _only_leading_axes(grad, shape):  # forgets the size-1 axes
    while grad.ndim > len(shape):
        grad = grad.sum(axis=0)
    return grad


WRONG = {
    "unbroadcast_by_hand": [
        (lambda grad, shape: grad, "expected an array of shape"),  # forgot the sum
        (_only_leading_axes, "expected an array of shape"),
        (lambda grad, shape: 2 * unbroadcast_by_hand(grad, shape), "2 times the right one"),
    ],
    "matmul_backward": [
        (lambda A, B, G: (G @ B.T, -(A.T @ G)), "wrong sign"),
        (lambda A, B, G: (2 * G @ B.T, A.T @ G), "2 times the right one"),
        (lambda A, B, G: G @ B.T, "tuple of 2"),
    ],
    "log_softmax_backward": [
        (lambda x, g: g - _softmax(x) * g, "expected"),  # forgot the sum over k
        (lambda x, g: g, "expected"),
    ],
    "tensor_squared_difference": [
        (lambda a, b: (a - b) ** 2, "one new node"),
        (lambda a, b: _squared_difference(a, b, reduce=False), "not summed back"),
        (lambda a, b: _squared_difference(a, b, factor=1.0), "expected"),
        (lambda a, b: (a.data - b.data) ** 2, "expected a Tensor"),
    ],
}


def test_squared_difference_covers_every_kind_of_broadcasting() -> None:
    """Across its cases, the trial broadcasts a, b, both, neither, and a 0-d a."""
    from backprop_course.exercises.tensor_engine import _PAIRS

    stretched_a = [a != np.broadcast_shapes(a, b) for a, b in _PAIRS]
    stretched_b = [b != np.broadcast_shapes(a, b) for a, b in _PAIRS]
    assert any(x and not y for x, y in zip(stretched_a, stretched_b, strict=True))
    assert any(y and not x for x, y in zip(stretched_a, stretched_b, strict=True))
    assert any(x and y for x, y in zip(stretched_a, stretched_b, strict=True))
    assert any(not x and not y for x, y in zip(stretched_a, stretched_b, strict=True))


def test_unbroadcast_checker_reaches_both_kinds_of_reduction() -> None:
    """Forgetting either the leading-axis sum or the keepdims sum is caught on the default seed."""
    assert not check("unbroadcast_by_hand", _only_leading_axes, quiet=True, seed=0).passed
    assert not check("unbroadcast_by_hand", lambda g, s: g, quiet=True, seed=0).passed


# Seeds whose first case is not a shape of one entry, where "2 times the right one" cannot show.
globals().update(standard_exercise_tests(8, SOLUTIONS, WRONG, wrong_seeds=(0, 2, 3)))
