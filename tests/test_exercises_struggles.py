"""Chapter 11's checkers accept correct answers and reject typical wrong ones, never raising."""

from __future__ import annotations

import numpy as np
from exercise_suite import standard_exercise_tests

from backprop_course import Value
from backprop_course.exercises import check


def he_std(n_in):
    return np.sqrt(2.0 / n_in)


def xavier_std(n_in, n_out):
    return np.sqrt(2.0 / (n_in + n_out))


def clip_by_global_norm(grads, max_norm):
    norm = np.sqrt(sum(np.sum(g**2) for g in grads))
    return [g * min(1.0, max_norm / norm) for g in grads]


def max_via_relu(a, b):
    return b + (a - b).relu()


SOLUTIONS = {
    "he_std": he_std,
    "xavier_std": xavier_std,
    "clip_by_global_norm": clip_by_global_norm,
    "max_via_relu": max_via_relu,
}

# Other correct answers: a learner need not write the book's solution.
ALTERNATIVES = {
    "he_std": lambda n_in: float(np.sqrt(2) / np.sqrt(n_in)),
    "xavier_std": lambda n_in, n_out: (1.0 / ((n_in + n_out) / 2)) ** 0.5,
    "clip_by_global_norm": lambda grads, m: [
        g * (m / n if (n := np.linalg.norm(np.concatenate([x.ravel() for x in grads]))) > m
             else 1.0) for g in grads],
    "max_via_relu": lambda a, b: a + (b - a).relu(),  # at a tie, the gradient goes to a
}


def _clip_each(grads, max_norm):
    return [g * min(1.0, max_norm / np.linalg.norm(g)) for g in grads]


WRONG = {
    "he_std": [
        (lambda n_in: np.sqrt(1.0 / n_in), "multiplied the variance"),  # LeCun: gain 1/2
        (lambda n_in: 2.0 / n_in, "expected about 1"),  # the variance, not the std
        (lambda n_in: -np.sqrt(2.0 / n_in), "positive"),
        (lambda n_in: "0.1", "got str"),
    ],
    "xavier_std": [
        (lambda n_in, n_out: np.sqrt(1.0 / n_in), "expected 1"),  # forward only
        (lambda n_in, n_out: np.sqrt(6.0 / (n_in + n_out)), "expected 1"),  # uniform limit
        (lambda n_in, n_out: np.sqrt(2.0 / n_in), "average"),  # He's
        (lambda n_in, n_out: None, "should return a number"),
    ],
    "clip_by_global_norm": [
        (_clip_each, "each array by its own norm"),
        (lambda grads, m: [np.clip(g, -m / 10, m / 10) for g in grads], "expected"),
        (lambda grads, m: list(grads), "unchanged"),
        (lambda grads, m: clip_by_global_norm(grads, m)[:-1], "list of"),
        (lambda grads, m: np.concatenate([g.ravel() for g in grads]), "list of"),
    ],
    "max_via_relu": [
        (lambda a, b: a.relu() + b.relu(), "expected"),
        (lambda a, b: Value(max(a.data, b.data)), "no inputs in the graph"),
        (lambda a, b: (a - b).relu(), "expected max"),
        (lambda a, b: max(a.data, b.data), "should return a Value"),
    ],
}


globals().update(standard_exercise_tests(11, SOLUTIONS, WRONG, ALTERNATIVES))


def test_max_via_relu_checks_ties() -> None:
    # correct off ties, but a gradient that is not a subgradient at a tie
    def bad_at_ties(a, b):
        if a.data == b.data:
            return a + b - b * 1.0 + (b - a) * 0.5 - (a - b) * 0.5  # slopes (0, 1) ...
        return max_via_relu(a, b)

    def doubled_at_ties(a, b):
        if a.data == b.data:
            return a * 2.0 - b + (a - a)  # value a, gradients (2, -1): not a subgradient
        return max_via_relu(a, b)

    assert check("max_via_relu", bad_at_ties, seed=0, quiet=True).passed
    result = check("max_via_relu", doubled_at_ties, seed=0, quiet=True)
    assert not result.passed and "not a subgradient" in result.message
