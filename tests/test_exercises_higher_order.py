"""Chapter 13's checkers accept correct answers and reject typical wrong ones, never raising."""

from __future__ import annotations

import numpy as np
from exercise_suite import standard_exercise_tests


def hvp_by_differences(grad_f, x, v):
    h = 1e-5
    return (grad_f(x + h * v) - grad_f(x - h * v)) / (2 * h)


def top_eigenvalue(hvp, n):
    v = np.random.default_rng(0).normal(size=n)
    for _ in range(50):
        v = hvp(v)
        v /= np.linalg.norm(v)
    return v @ hvp(v)


def newton_direction(g, hvp):
    d, r = np.zeros_like(g), -g
    p, rr = r.copy(), r @ r
    for _ in range(50):
        Hp = hvp(p)
        alpha = rr / (p @ Hp)
        d += alpha * p
        r -= alpha * Hp
        rr_new = r @ r
        if np.sqrt(rr_new) < 1e-12 * np.linalg.norm(g):
            break
        p, rr = r + (rr_new / rr) * p, rr_new
    return d


def softplus_rule(out, g):
    x = out._prev[0]
    return (g * x.sigmoid(),)


SOLUTIONS = {
    "hvp_by_differences": hvp_by_differences,
    "softplus_rule": softplus_rule,
    "top_eigenvalue": top_eigenvalue,
    "newton_direction": newton_direction,
}


def _eigen_with_shift(hvp, n):
    # a different correct answer: the norm ratio of the last two iterates
    v = np.ones(n) / np.sqrt(n)
    for _ in range(80):
        w = hvp(v)
        lam = np.linalg.norm(w)
        v = w / lam
    return lam


def _newton_with_scipy(g, hvp):
    # SciPy's conjugate gradients on a matrix-free operator
    from scipy.sparse.linalg import LinearOperator, cg

    operator = LinearOperator((g.size, g.size), matvec=hvp, dtype=np.float64)
    d, info = cg(operator, -g, rtol=1e-12, maxiter=45)
    return d


ALTERNATIVES = {
    "hvp_by_differences": lambda g, x, v: (g(x + 1e-6 * v) - g(x - 1e-6 * v)) / 2e-6,
    # in terms of the output: sigmoid(x) = 1 - exp(-softplus(x))
    "softplus_rule": lambda out, g: [g * (1.0 - (-out).exp())],
    "top_eigenvalue": _eigen_with_shift,
    "newton_direction": _newton_with_scipy,
}


def _forward(grad_f, x, v):
    h = 1e-8
    return (grad_f(x + h * v) - grad_f(x)) / h


def _all_columns(hvp, n):
    H = np.array([hvp(e) for e in np.eye(n)])
    return np.linalg.eigvalsh(H).max()


def _few_iterations(hvp, n):
    v = np.ones(n)
    for _ in range(2):
        v = hvp(v) / np.linalg.norm(v)
    return v @ hvp(v) / (v @ v)


WRONG = {
    "hvp_by_differences": [
        (_forward, "forward difference"),
        (lambda g, x, v: (g(x + 3e-4 * v) - g(x - 3e-4 * v)) / 6e-4, "relative error"),
        (lambda g, x, v: g(x) * 0, "zero everywhere"),
        (lambda g, x, v: g(x + 1e-5 * v) - g(x - 1e-5 * v), "expected"),
        (lambda g, x, v: None, "returned None"),
        (lambda g, x, v: hvp_by_differences(g, x, v)[:-1], "shape"),
    ],
    "softplus_rule": [
        (lambda out, g: (g * (1 / (1 + np.exp(-out._prev[0].data))),), "does not depend"),
        (lambda out, g: g * out._prev[0].sigmoid(), "returned a Tensor"),
        (lambda out, g: (g * out._prev[0].exp(),), "expected"),
        (lambda out, g: (g.data,), "expected"),
        (lambda out, g: None, "returned a NoneType"),
    ],
    "top_eigenvalue": [
        (_all_columns, "at most 100 are allowed"),
        (_few_iterations, "the largest eigenvalue: expected"),
        (lambda hvp, n: hvp(np.ones(n)), "expected an array of shape ()"),
    ],
    "newton_direction": [
        (lambda g, hvp: newton_direction(-g, hvp), "wrong sign"),
        (lambda g, hvp: -g, "the Newton direction"),
        (lambda g, hvp: [hvp(np.ones_like(g)) for _ in range(51)][0], "at most 50"),
    ],
}


globals().update(standard_exercise_tests(13, SOLUTIONS, WRONG, ALTERNATIVES, seeds=(None, 0, 1, 2)))
