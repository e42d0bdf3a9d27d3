"""Chapter 10's checkers accept correct fixes and explain wrong ones, never raising.

The buggy operations are those the chapter gives the learner to fix; each must
fail its check, and so must each half-fixed version (one planted bug left).
"""

from __future__ import annotations

import numpy as np
import pytest
from exercise_suite import standard_exercise_tests

import backprop_course as bc
from backprop_course import Tensor
from backprop_course.exercises import check
from backprop_course.exercises.gradient_checking import softmax_rows

NAMES = ["sigmoid_node", "linear_node", "softmax_node", "relative_error"]
SEEDS = [0, 1, 2, 3, 4]


def _node(data, inputs, op, backward):
    out = Tensor.from_op(data, inputs, op)
    out._backward = backward
    return out


# ------------------------------------------------------------------ sigmoid_node
def sigmoid_node(x):
    s = 1 / (1 + np.exp(-x.data))
    return _node(s, (x,), "sigmoid", lambda grad: x.accumulate_grad(grad * s * (1 - s)))


def sigmoid_node_by_tanh(x):
    """Another correct answer: sigma(x) = (1 + tanh(x / 2)) / 2, which never overflows."""
    s = 0.5 * (1.0 + np.tanh(0.5 * x.data))
    out = Tensor.from_op(s, (x,), "sigmoid")

    def _backward(grad):
        if x.requires_grad:
            x.accumulate_grad(grad * s * (1.0 - s))

    out._backward = _backward
    return out


def sigmoid_node_from_package(x):
    return x.sigmoid()


def sigmoid_node_buggy(x):  # the chapter's planted bugs: slope of x, and = for +=
    s = 1 / (1 + np.exp(-x.data))
    out = Tensor.from_op(s, (x,), "sigmoid")

    def _backward(grad):
        x.grad = grad * x.data * (1 - x.data)

    out._backward = _backward
    return out


def sigmoid_node_assigns(x):  # the slope fixed, the assignment left
    s = 1 / (1 + np.exp(-x.data))
    out = Tensor.from_op(s, (x,), "sigmoid")

    def _backward(grad):
        x.grad = grad * s * (1 - s)

    out._backward = _backward
    return out


def sigmoid_node_wrong_slope(x):  # the assignment fixed, the slope left
    s = 1 / (1 + np.exp(-x.data))
    return _node(s, (x,), "sigmoid", lambda grad: x.accumulate_grad(grad * x.data * (1 - x.data)))


def sigmoid_node_no_backward(x):
    return Tensor.from_op(1 / (1 + np.exp(-x.data)), (x,), "sigmoid")


def sigmoid_node_detached(x):
    return Tensor(1 / (1 + np.exp(-x.data)))


# ------------------------------------------------------------------- linear_node
def linear_node(x, W, b):
    def _backward(grad):
        x.accumulate_grad(grad @ W.data.T)
        W.accumulate_grad(x.data.T @ grad)
        b.accumulate_grad(grad.sum(axis=0))

    return _node(x.data @ W.data + b.data, (x, W, b), "linear", _backward)


def linear_node_from_ops(x, W, b):
    return x @ W + b


def linear_node_buggy(x, W, b):  # the chapter's planted bugs: no transpose, no sum
    def _backward(grad):
        x.accumulate_grad(grad @ W.data)
        W.accumulate_grad(x.data.T @ grad)
        b.accumulate_grad(grad)

    return _node(x.data @ W.data + b.data, (x, W, b), "linear", _backward)


def linear_node_no_sum(x, W, b):  # the transpose fixed, the sum left
    def _backward(grad):
        x.accumulate_grad(grad @ W.data.T)
        W.accumulate_grad(x.data.T @ grad)
        b.accumulate_grad(grad)

    return _node(x.data @ W.data + b.data, (x, W, b), "linear", _backward)


def linear_node_assigns(x, W, b):
    def _backward(grad):
        x.grad = grad @ W.data.T
        W.grad = x.data.T @ grad
        b.grad = grad.sum(axis=0)

    return _node(x.data @ W.data + b.data, (x, W, b), "linear", _backward)


def linear_node_mean(x, W, b):  # a mean where a sum belongs: right shape, wrong values
    def _backward(grad):
        x.accumulate_grad(grad @ W.data.T)
        W.accumulate_grad(x.data.T @ grad)
        b.accumulate_grad(grad.mean(axis=0))

    return _node(x.data @ W.data + b.data, (x, W, b), "linear", _backward)


# ------------------------------------------------------------------ softmax_node
def _softmax_backward(z, p):
    def _backward(grad):
        z.accumulate_grad(p * (grad - (grad * p).sum(axis=-1, keepdims=True)))

    return _backward


def softmax_node(z):
    e = np.exp(z.data - z.data.max(axis=-1, keepdims=True))
    p = e / e.sum(axis=-1, keepdims=True)
    return _node(p, (z,), "softmax", _softmax_backward(z, p))


def softmax_node_from_package(z):
    return z.log_softmax().exp()


def softmax_node_buggy(z):  # the chapter's planted bug: exp overflows
    e = np.exp(z.data)
    p = e / e.sum(axis=-1, keepdims=True)
    return _node(p, (z,), "softmax", _softmax_backward(z, p))


def softmax_node_wrong_backward(z):  # stable, but the Jacobian's off-diagonal is missing
    p = softmax_rows(z.data)
    return _node(p, (z,), "softmax", lambda grad: z.accumulate_grad(grad * p * (1 - p)))


def softmax_node_assigns(z):
    p = softmax_rows(z.data)

    def _backward(grad):
        z.grad = p * (grad - (grad * p).sum(axis=-1, keepdims=True))

    return _node(p, (z,), "softmax", _backward)


def softmax_node_wrong_axis(z):  # normalises the columns
    e = np.exp(z.data - z.data.max(axis=0, keepdims=True))
    p = e / e.sum(axis=0, keepdims=True)
    return _node(p, (z,), "softmax", _softmax_backward(z, p))


# ---------------------------------------------------------------- relative_error
def relative_error(a, b):
    diff, scale = np.abs(a - b), np.maximum(np.abs(a), np.abs(b))
    return float(np.max(np.where(scale > 0, diff / np.where(scale > 0, scale, 1), 0.0)))


def relative_error_over_b(a, b):
    return float(np.max(np.abs(a - b) / np.abs(b)))


def relative_error_of_norms(a, b):
    return float(np.linalg.norm(a - b) / np.linalg.norm(a))


def relative_error_absolute(a, b):
    return float(np.max(np.abs(a - b)))


def relative_error_mean(a, b):
    scale = np.maximum(np.abs(a), np.abs(b))
    return float(np.mean(np.where(scale > 0, np.abs(a - b) / np.where(scale > 0, scale, 1), 0)))


def relative_error_sum_scale(a, b):
    scale = np.abs(a) + np.abs(b)
    return float(np.max(np.where(scale > 0, np.abs(a - b) / np.where(scale > 0, scale, 1), 0)))


SOLUTIONS = {
    "sigmoid_node": [sigmoid_node, sigmoid_node_by_tanh, sigmoid_node_from_package],
    "linear_node": [linear_node, linear_node_from_ops],
    "softmax_node": [softmax_node, softmax_node_from_package],
    "relative_error": [relative_error, bc.rel_error],
}

WRONG = [  # (exercise, wrong answer, a phrase the verdict must contain)
    ("sigmoid_node", sigmoid_node_buggy, "expected"),
    ("sigmoid_node", sigmoid_node_wrong_slope, "the output, not the input"),
    ("sigmoid_node", sigmoid_node_assigns, "used twice"),
    ("sigmoid_node", sigmoid_node_no_backward, "no gradient arrived"),
    ("sigmoid_node", sigmoid_node_detached, "not connected"),
    ("linear_node", linear_node_buggy, "raised ValueError"),
    ("linear_node", linear_node_no_sum, "gradient of shape"),
    ("linear_node", linear_node_assigns, "used twice"),
    ("linear_node", linear_node_mean, "entry"),
    ("softmax_node", softmax_node_buggy, "overflows"),
    ("softmax_node", softmax_node_wrong_backward, "expected"),
    ("softmax_node", softmax_node_assigns, "used twice"),
    ("softmax_node", softmax_node_wrong_axis, "forward pass is wrong"),
    ("relative_error", relative_error_over_b, "not a finite number"),
    ("relative_error", relative_error_of_norms, "expected"),
    ("relative_error", relative_error_absolute, "expected"),
    ("relative_error", relative_error_mean, "expected"),
    ("relative_error", relative_error_sum_scale, "expected"),
]


def test_relative_error_names_what_it_was_compared_with() -> None:
    result = check("relative_error", relative_error, seed=0, quiet=True)
    assert "bc.rel_error" in result.message


@pytest.mark.parametrize("name", ["sigmoid_node", "linear_node", "softmax_node"])
def test_a_function_that_returns_an_array_is_told_to_return_a_tensor(name: str) -> None:
    result = check(name, lambda *args: np.zeros(3), seed=0, quiet=True)
    assert not result.passed
    assert "should return a Tensor" in result.message


def test_an_operation_that_changes_its_input_is_caught() -> None:
    def sigmoid_in_place(x):
        out = sigmoid_node(Tensor(x.data.copy(), requires_grad=True))
        x.data *= 2.0
        return out

    result = check("sigmoid_node", sigmoid_in_place, seed=0, quiet=True)
    assert not result.passed


def test_the_reference_softmax_is_a_distribution_at_huge_logits() -> None:
    z = np.array([[1000.0, 999.0, 998.0], [-1000.0, -1001.0, -1e4]])
    p = softmax_rows(z)
    assert np.isfinite(p).all() and np.allclose(p.sum(axis=1), 1.0)
    assert np.allclose(p[0], softmax_rows(z[:1] - 1000.0)[0])


# The book's solution of each exercise first; the others are other correct answers.
WRONG_BY_EXERCISE = {name: [(fn, phrase) for n, fn, phrase in WRONG if n == name] for name in NAMES}
globals().update(standard_exercise_tests(
    10, {name: answers[0] for name, answers in SOLUTIONS.items()}, WRONG_BY_EXERCISE,
    {name: answers[1:] for name, answers in SOLUTIONS.items() if answers[1:]}, wrong_seeds=SEEDS,
))
