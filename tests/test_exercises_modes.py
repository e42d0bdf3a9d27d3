"""The chapter 4 checkers accept correct answers and reject typical wrong ones in words."""

from __future__ import annotations

import numpy as np
from exercise_suite import standard_exercise_tests

from backprop_course.exercises.forward_vs_reverse import g


def dual_mul(a, b):  # noqa: ANN001, ANN201
    (a0, a1), (b0, b1) = a, b
    return a0 * b0, a1 * b0 + a0 * b1


def dual_sin(x):  # noqa: ANN001, ANN201
    a, da = x
    return np.sin(a), np.cos(a) * da


def jvp_by_hand(x, v):  # noqa: ANN001, ANN201
    (x1, x2, x3), (v1, v2, v3) = x, v
    e = np.exp(x3)
    return np.array([v1 * x2 + x1 * v2 + np.cos(x3) * v3, v2 * e + x2 * e * v3])


def vjp_by_hand(x, u):  # noqa: ANN001, ANN201
    (x1, x2, x3), (u1, u2) = x, u
    e = np.exp(x3)
    return np.array([u1 * x2, u1 * x1 + u2 * e, u1 * np.cos(x3) + u2 * x2 * e])


def jacobian(x):  # noqa: ANN001, ANN201
    x1, x2, x3 = x
    e = np.exp(x3)
    return np.array([[x2, x1, np.cos(x3)], [0.0, e, x2 * e]])


SOLUTIONS = {
    "dual_mul": dual_mul,
    "dual_sin": dual_sin,
    "jvp_by_hand": jvp_by_hand,
    "vjp_by_hand": vjp_by_hand,
}

# Other correct ways to write the same answer.
ALTERNATIVES = {
    "dual_mul": [lambda a, b: [a[0] * b[0], a[1] * b[0] + a[0] * b[1]]],
    "dual_sin": [lambda x: np.array([np.sin(x[0]), np.cos(x[0]) * x[1]])],
    "jvp_by_hand": [lambda x, v: jacobian(x) @ v],
    "vjp_by_hand": [lambda x, u: u @ jacobian(x), lambda x, u: jacobian(x).T @ u],
}

# Typical wrong answers, each with the phrase its verdict must contain.
WRONG = {
    "dual_mul": [
        (lambda a, b: (a[0] * b[0], a[1] * b[1]), "coefficient of eps^2"),
        (lambda a, b: (a[0] * b[0], a[1] * b[0]), "the term ab' is missing"),
        (lambda a, b: (a[0] * b[0], a[0] * b[1]), "the term a'b is missing"),
        (lambda a, b: (a[0] + b[0], dual_mul(a, b)[1]), "expected the real part"),
        (lambda a, b: a[0] * b[0], "expected a pair"),
        (lambda a, b: None, "forget `return`"),
        (lambda a, b: ("ab", 0.0), "pair of numbers"),
        (lambda a, b: (a[0] * b[0], np.nan), "finite"),
    ],
    "dual_sin": [
        (lambda x: (np.sin(x[0]), np.cos(x[0])), "incoming tangent a' is missing"),
        (lambda x: (np.sin(x[0]), -np.cos(x[0]) * x[1]), "sign is wrong"),
        (lambda x: (np.sin(x[0]), np.cos(x[0] * x[1])), "cos(a a')"),
        (lambda x: (np.cos(x[0]), np.cos(x[0]) * x[1]), "expected the real part"),
        (lambda x: (np.sin(x[0]), np.sin(x[0]) * x[1]), "expected the tangent"),
    ],
    "jvp_by_hand": [
        (lambda x, v: jacobian(x).T @ np.ones(2), "expected"),  # wrong shape
        (lambda x, v: jacobian(x) @ np.ones(3), "expected"),  # forgot the direction
        (lambda x, v: g(x), "expected"),  # returned f(x), not J v
    ],
    "vjp_by_hand": [
        (lambda x, u: jacobian(x) @ np.ones(3), "shape"),
        # forgot that x2 and x3 also feed the second output
        (lambda x, u: np.array([u[0] * x[1], u[0] * x[0], u[0] * np.cos(x[2])]), "expected"),
        (lambda x, u: -vjp_by_hand(x, u), "wrong sign"),
    ],
}


def test_the_exercise_function_g() -> None:
    np.testing.assert_allclose(g([1.0, 2.0, 0.0]), [2.0, 2.0])
    np.testing.assert_allclose(g(np.array([0.5, -1.0, 1.0])), [-0.5 + np.sin(1.0), -np.e])


globals().update(standard_exercise_tests(4, SOLUTIONS, WRONG, ALTERNATIVES))
