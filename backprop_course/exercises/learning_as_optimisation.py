"""Exercises of the chapter "Learning as optimisation".

The model is the chapter's linear model, y_hat = x @ w + b, with the mean squared
error L = mean((y_hat - y)^2) over the N examples. Every expected answer comes
from the definition of the loss: central differences for gradients, second
differences for the curvature (the Hessian), never from the formula the learner
is asked to derive.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..checks import one_number, real_array
from ..gradcheck import numerical_gradient
from .core import Output, ReferenceExercise, TrialExercise, compare
from .reference_inputs import _shape_is

__all__ = ["CHAPTER", "EXERCISES", "mse"]

CHAPTER = 1
"""The chapter that sets these exercises."""


def mse(x: np.ndarray, y: np.ndarray, w: np.ndarray, b: float) -> float:
    """The chapter's loss: the mean over the N rows of x of (x @ w + b - y)^2.

    Shapes: x (N, D), y (N,), w (D,), b a number.

    Raises
    ------
    TypeError
        If an input is not real numbers, or ``b`` is not one number.
    ValueError
        If x has no rows or a shape does not fit (y of shape (N, 1) included: it would
        broadcast against the (N,) predictions into N² differences), or a value is NaN
        or infinite.
    """
    x = real_array(x, "x", "mse", ndim=2, float64=True)
    y, w = real_array(y, "y", "mse", float64=True), real_array(w, "w", "mse", float64=True)
    if len(x) == 0:
        raise ValueError("mse: x has no rows: the mean over no examples is undefined")
    _shape_is(w, (x.shape[1],), "mse: w", " (one weight per column of x)")
    _shape_is(y, (x.shape[0],), "mse: y", " (one target per row of x)")
    b = one_number(b, "b", "mse")
    return float(np.mean((x @ w + b - y) ** 2))


# ---------------------------------------------------------------- mse_gradient
def _regression_case(rng: np.random.Generator) -> tuple:
    n, d = int(rng.integers(2, 9)), int(rng.integers(1, 4))
    x = rng.normal(float(rng.normal()), 1.0, size=(n, d))
    return x, rng.normal(size=n), rng.normal(size=d), float(rng.normal())


def _mse_gradient_expected(x: np.ndarray, y: np.ndarray, w: np.ndarray, b: float) -> tuple:
    dw = numerical_gradient(lambda w_: mse(x, y, w_, b), w)
    db = numerical_gradient(lambda b_: mse(x, y, w, float(b_)), np.array(b))
    return dw, db


# ------------------------------------------------------- critical_learning_rate
def _hessian_by_differences(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The Hessian of the MSE in (w, b) from second differences of the loss itself.

    The loss is quadratic in (w, b), so these differences are exact up to round-off.
    """
    d = x.shape[1]
    theta = np.zeros(d + 1)
    h = 1e-2

    def loss(t: np.ndarray) -> float:
        return mse(x, y, t[:d], float(t[d]))

    hess = np.empty((d + 1, d + 1))
    for i in range(d + 1):
        for j in range(d + 1):
            e_i, e_j = np.eye(d + 1)[i] * h, np.eye(d + 1)[j] * h
            hess[i, j] = (
                loss(theta + e_i + e_j)
                - loss(theta + e_i - e_j)
                - loss(theta - e_i + e_j)
                + loss(theta - e_i - e_j)
            ) / (4 * h * h)
    return hess


def _as_number(got: Any) -> float | str:
    """The learner's answer as a float, or a sentence saying why it is not a number."""
    if got is None:
        return "your function returned None. Did you forget `return`?"
    try:
        arr = np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        return f"expected a number, got {type(got).__name__} ({str(got)[:60]})"
    if arr.size != 1:
        return f"expected one number, got an array of shape {arr.shape}"
    value = float(arr.reshape(()))
    if not np.isfinite(value):
        return f"expected a finite number, got {value}"
    return value


def _critical_lr_trial(fn: Callable[..., Any], rng: np.random.Generator) -> str | None:
    n, d = int(rng.integers(3, 11)), int(rng.integers(1, 4))
    x = rng.normal(float(rng.uniform(-2.0, 2.0)), float(rng.uniform(0.5, 2.0)), size=(n, d))
    y = rng.normal(size=n)
    got = _as_number(fn(x.copy()))
    if isinstance(got, str):
        return got
    hess = _hessian_by_differences(x, y)
    eigenvalues = np.linalg.eigvalsh(hess)
    expected = 2.0 / eigenvalues.max()
    if abs(got - expected) <= 1e-6 * expected:
        return None
    message = f"For x of shape {x.shape}, expected {expected:.6g}, got {got:.6g}."
    no_bias = 2.0 / np.linalg.eigvalsh(hess[:d, :d]).max()
    diagnoses = [
        (
            expected / 2,
            "That is half the critical rate: 1 / lambda_max is the rate that jumps "
            "to the minimum in one step along the steepest direction; divergence starts at "
            "2 / lambda_max.",
        ),
        (
            2 * expected,
            "That is twice the critical rate: did you leave out the factor 2 of "
            "the Hessian (the second derivative of a square)?",
        ),
        (
            2.0 / eigenvalues.min(),
            "That comes from the smallest eigenvalue of the Hessian; "
            "the steepest direction (the largest eigenvalue) is the first to diverge.",
        ),
        (
            no_bias,
            "That ignores the bias b: the Hessian is in (w, b), so append a column of ones to x.",
        ),
        (
            expected / n,
            "That is 1/N times the critical rate: the loss is a mean, not a sum, "
            "so the Hessian has a factor 1/N.",
        ),
    ]
    for value, diagnosis in diagnoses:
        if abs(got - value) <= 1e-6 * abs(value):
            return f"{message} {diagnosis}"
    if got > expected:
        return (
            f"{message} Your value is too large: gradient descent with any learning rate "
            f"between {expected:.4g} and {got:.4g} diverges on this data."
        )
    return (
        f"{message} Your value is too small: gradient descent still converges with "
        f"learning rates between {got:.4g} and {expected:.4g}."
    )


# ------------------------------------------------------ numerical_gradient_loop
def _loop_trial(fn: Callable[..., Any], rng: np.random.Generator) -> str | None:
    shape = (int(rng.integers(1, 6)),) if rng.random() < 0.6 else (2, int(rng.integers(1, 4)))
    n = int(np.prod(shape))
    a = rng.normal(size=(n, n))
    c, cubic = rng.normal(size=n), rng.normal(size=n) * float(rng.random() < 0.5)
    calls = [0]

    def f(v: np.ndarray) -> float:
        arr = np.asarray(v, dtype=np.float64)
        if arr.shape != shape:
            raise ValueError(f"f takes an array of shape {shape} (like w), got shape {arr.shape}")
        calls[0] += 1
        u = arr.reshape(-1)
        return float(0.5 * u @ a @ u + c @ u + cubic @ u**3)

    w = rng.normal(size=shape)
    w_before = w.copy()
    got = fn(f, w)
    n_calls = calls[0]
    if not np.array_equal(w, w_before):
        idx = tuple(int(i) for i in np.argwhere(w != w_before)[0])
        change = abs(w[idx] - w_before[idx])
        if change <= 1e-12 * max(1.0, abs(w_before[idx])):
            return (
                f"Your function changed w slightly: entry {idx} differs by {change:.1e} "
                "after the call. Adding eps and then subtracting it does not restore a float "
                "exactly; keep the original value and put it back, or nudge a copy (w.copy())."
            )
        return (
            f"Your function changed w: entry {idx} was {w_before[idx]:.6g} before the call "
            f"and is {w[idx]:.6g} after it. Nudge a copy (w.copy()), or put each entry back "
            "after nudging it."
        )
    expected = numerical_gradient(f, w_before)
    problem = compare(Output("the gradient"), expected, got)
    if n_calls < 2 * n:
        calls = (
            f"your function evaluated f {n_calls} times for the {n} entries of w; central "
            "differences need two evaluations per entry, at w + eps e_i and at w - eps e_i "
            "(a one-sided difference is less accurate: its error shrinks like eps, not eps^2)."
        )
        if problem is None:
            return f"The values are close, but {calls}"
        return f"{problem} Also, {calls}"
    return problem


EXERCISES = [
    ReferenceExercise(
        name="mse_gradient",
        chapter=CHAPTER,
        task="Return (dL/dw, dL/db) for the mean squared error L = mean((x @ w + b - y)^2) of "
        "a linear model, where x has shape (N, D), y shape (N,), w shape (D,) and b is a number.",
        signature="mse_gradient(x, y, w, b)",
        outputs=(Output("dL/dw"), Output("dL/db")),
        make_inputs=_regression_case,
        expected=_mse_gradient_expected,
        hint="Compute the residuals r = x @ w + b - y first. Then dL/dw = (2/N) x.T @ r and "
        "dL/db = (2/N) * sum(r): the 2 comes from the square, the 1/N from the mean.",
        nudge="Differentiate the mean of squared residuals one step at a time: the square gives a "
        "factor, and so does the mean.",
    ),
    TrialExercise(
        name="critical_learning_rate",
        chapter=CHAPTER,
        task="Return the critical learning rate of gradient descent on the mean squared error "
        "of the linear model x @ w + b, for an input matrix x of shape (N, D): gradient descent "
        "converges for every positive learning rate below it and not at or above it.",
        signature="critical_learning_rate(x)",
        hint="The Hessian of L in (w, b) is (2/N) X.T @ X, where X is x with a column of ones "
        "appended (for b). Gradient descent diverges when lr > 2 / (its largest eigenvalue); "
        "np.linalg.eigvalsh gives the eigenvalues of a symmetric matrix.",
        nudge="On a quadratic loss, gradient descent is stable only while the step is small "
        "compared with the steepest curvature, the largest eigenvalue of the loss's Hessian. "
        "Remember that b is a parameter too.",
        trial=_critical_lr_trial,
        verified_by="2 / the largest eigenvalue of a finite-difference Hessian",
    ),
    TrialExercise(
        name="numerical_gradient_loop",
        chapter=CHAPTER,
        task="Return the gradient of f at w by central differences, one entry at a time, "
        "without changing w; w may have any shape.",
        signature="numerical_gradient_loop(f, w)",
        hint="Loop over the entries (np.ndindex(w.shape) gives every index of any shape). For "
        "each, evaluate f at a copy of w with that entry raised by eps and at one with it "
        "lowered by eps (eps = 1e-6), and store (f_plus - f_minus) / (2 eps).",
        nudge="Nudge one entry at a time, up and then down by a small step, and take the central "
        "difference. Work on copies, so that w itself never changes, whatever its shape.",
        trial=_loop_trial,
    ),
]
