"""Exercises of the chapter "The 1986 experiments, reproduced".

The networks are the paper's: logistic units, z = x @ W + b, a = sigma(z), and
the error summed over the cases and the output units, E = 1/2 sum (y - d)^2.
Gradients are checked against central differences of that definition; the
weight change against the paper's equation (9) with the weight decay of its
Fig. 4; the symmetry data against a brute-force test of every pattern.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..checks import one_number, real_array
from ..gradcheck import numerical_gradient
from ..numerics import sigmoid
from .core import Output, ReferenceExercise, TrialExercise, gradients_by_differences
from .reference_inputs import _shape_is

__all__ = ["CHAPTER", "EXERCISES", "summed_error", "margin_error"]

CHAPTER = 9
"""The chapter that sets these exercises."""


def summed_error(W1: np.ndarray, b1: np.ndarray, W2: np.ndarray, b2: np.ndarray,
                 X: np.ndarray, D: np.ndarray) -> float:
    """E = 1/2 sum over cases and outputs of (y - d)^2 for a one-hidden-layer logistic net.

    Shapes: W1 (n_in, n_hid), b1 (n_hid,), W2 (n_hid, n_out), b2 (n_out,), X (cases, n_in),
    D (cases, n_out).

    Raises
    ------
    TypeError
        If an input is not real numbers.
    ValueError
        If a shape does not fit the others (D of shape (cases,) for one output included:
        it would broadcast into cases² differences), or a value is NaN or infinite.
    """
    f = "summed_error"
    W1, W2, X, D = (real_array(a, n, f, ndim=2, float64=True)
                    for n, a in (("W1", W1), ("W2", W2), ("X", X), ("D", D)))
    b1, b2 = (real_array(a, n, f, ndim=1, float64=True) for n, a in (("b1", b1), ("b2", b2)))
    _shape_is(W1, (X.shape[1], W1.shape[1]), f"{f}: W1", f" (X has {X.shape[1]} inputs)")
    _shape_is(b1, (W1.shape[1],), f"{f}: b1", " (one bias per hidden unit)")
    _shape_is(W2, (W1.shape[1], W2.shape[1]), f"{f}: W2", f" (W1 has {W1.shape[1]} columns)")
    _shape_is(b2, (W2.shape[1],), f"{f}: b2", " (one bias per output)")
    _shape_is(D, (X.shape[0], W2.shape[1]), f"{f}: D", " (one row of targets per case)")
    y = sigmoid(sigmoid(X @ W1 + b1) @ W2 + b2)
    return 0.5 * float(np.sum((y - D) ** 2))


# ------------------------------------------------------------ the summed-error gradient
def _net_case(rng: np.random.Generator) -> tuple:
    n_in, n_hid, n_out = (int(k) for k in rng.integers(1, 5, size=3))
    n_cases = int(rng.integers(2, 9))
    return (
        rng.uniform(-2.0, 2.0, (n_in, n_hid)),  # W1
        rng.uniform(-1.0, 1.0, n_hid),  # b1
        rng.uniform(-2.0, 2.0, (n_hid, n_out)),  # W2
        rng.uniform(-1.0, 1.0, n_out),  # b2
        rng.integers(0, 2, (n_cases, n_in)).astype(float),  # X: binary, as in the paper
        rng.integers(0, 2, (n_cases, n_out)).astype(float),  # D
    )


def _net_expected(W1, b1, W2, b2, X, D) -> tuple:
    return gradients_by_differences(lambda *p: summed_error(*p, X, D), [W1, b1, W2, b2])


# ------------------------------------------------------------ the paper's weight change
def _change_case(rng: np.random.Generator) -> tuple:
    shape = tuple(int(n) for n in rng.integers(1, 5, size=rng.integers(1, 3)))
    return (
        rng.normal(0.0, 1.0, shape),  # w
        rng.normal(0.0, 0.1, shape),  # previous_change, dw(t-1)
        rng.normal(0.0, 1.0, shape),  # grad, dE/dw(t)
        float(rng.uniform(0.001, 0.5)),  # epsilon
        float(rng.uniform(0.0, 0.95)),  # alpha
        float(rng.uniform(0.001, 0.01)),  # decay (the family trees: 0.002)
    )


def _change_expected(w, previous_change, grad, epsilon, alpha, decay) -> tuple:
    change = -epsilon * grad + alpha * previous_change  # Nature, eq. (9)
    return (w + change) * (1.0 - decay), change  # Fig. 4: decay after the change


# ------------------------------------------------------------ the symmetry data set
def _symmetry_trial(fn: Callable[..., Any], rng: np.random.Generator) -> str | None:
    n = int(rng.integers(1, 9))
    out = fn(n)
    if not isinstance(out, tuple | list) or len(out) != 2:
        return f"expected a tuple (X, y) for n={n}, got {type(out).__name__}"
    X, y = np.asarray(out[0], dtype=float), np.asarray(out[1], dtype=float)
    if X.shape != (2**n, n):
        return f"expected X of shape {(2**n, n)} for n={n}, got {X.shape}"
    if y.shape != (2**n,):
        return f"expected y of shape {(2**n,)} for n={n}, got {y.shape}"
    if not np.isin(X, (0.0, 1.0)).all():
        return "expected X to hold only 0s and 1s (the paper's binary inputs)"
    if len({tuple(row) for row in X}) != 2**n:
        return f"expected every one of the {2**n} patterns once; some appear twice"
    truth = np.all(X == X[:, ::-1], axis=1).astype(float)  # brute force, row by row
    wrong = np.flatnonzero(y != truth)
    if wrong.size:
        i = int(wrong[0])
        return (f"pattern {X[i].astype(int).tolist()}: expected label {int(truth[i])}, "
                f"got {y[i]:g} ({wrong.size} labels wrong for n={n})")
    return None


# ------------------------------------------------------------ the family trees' margin
def margin_error(y: np.ndarray, d: np.ndarray, margin: float = 0.2) -> float:
    """The family trees' error: 1/2 sum (y - d)^2, counting no error for an output that
    should be on and is above 1 - margin, or should be off and is below margin.

    Raises
    ------
    TypeError
        If ``y`` or ``d`` is not real numbers, or ``margin`` is not a number.
    ValueError
        If ``y`` and ``d`` differ in shape (no broadcasting), an output lies outside
        [0, 1], a target is not 0 or 1 (the margin rule knows only "on" and "off"), a value
        is NaN or infinite, or ``margin`` is not in [0, 0.5).
    """
    y, d = (real_array(v, n, "margin_error", float64=True) for n, v in (("y", y), ("d", d)))
    if y.shape != d.shape:
        raise ValueError(
            f"margin_error: y and d need the same shape, got {y.shape} and {d.shape}"
        )
    if ((y < 0) | (y > 1)).any():
        raise ValueError(f"margin_error: outputs y must lie in [0, 1] (logistic units), got "
                         f"{y[(y < 0) | (y > 1)][:3].tolist()}")
    if not np.isin(d, (0.0, 1.0)).all():
        raise ValueError(f"margin_error: targets d must be 0 or 1, got "
                         f"{d[~np.isin(d, (0.0, 1.0))][:3].tolist()}")
    margin = one_number(margin, "margin", "margin_error")
    if not 0 <= margin < 0.5:
        raise ValueError(f"margin_error: margin must be in [0, 0.5), got {margin}")
    satisfied = ((d == 1) & (y > 1 - margin)) | ((d == 0) & (y < margin))
    return 0.5 * float(np.sum(np.where(satisfied, 0.0, y - d) ** 2))


def _margin_case(rng: np.random.Generator) -> tuple:
    shape = (int(rng.integers(1, 6)), int(rng.integers(1, 6)))
    y = rng.uniform(0.01, 0.99, shape)
    near = np.abs(y - 0.2) < 1e-3
    near |= np.abs(y - 0.8) < 1e-3
    y[near] += 0.01  # keep clear of the kinks, where the derivative jumps
    return y, rng.integers(0, 2, shape).astype(float)


def _margin_expected(y, d) -> tuple:
    return (numerical_gradient(lambda y_: margin_error(y_, d), y),)


EXERCISES = [
    ReferenceExercise(
        name="summed_error_gradients",
        chapter=CHAPTER,
        task="Return (dW1, db1, dW2, db2), the gradients of the paper's summed error "
        "E = 1/2 sum over cases and outputs of (y - d)^2 for a logistic net with one "
        "hidden layer, over all the cases X (N, n_in) with targets D (N, n_out).",
        signature="summed_error_gradients(W1, b1, W2, b2, X, D)",
        outputs=(Output("dE/dW1"), Output("dE/db1"), Output("dE/dW2"), Output("dE/db2")),
        make_inputs=_net_case,
        expected=_net_expected,
        hint="Forward: h = sigma(X @ W1 + b1), y = sigma(h @ W2 + b2). Backward: "
        "delta2 = (y - D) * y * (1 - y); delta1 = (delta2 @ W2.T) * h * (1 - h). "
        "Each gradient is a sum over the cases: dW2 = h.T @ delta2, db2 = delta2.sum(0). "
        "A sum, not a mean.",
        nudge="A forward pass, then the paper's deltas layer by layer, each through the "
        "logistic's slope. The error is summed over the cases, not averaged.",
    ),
    ReferenceExercise(
        name="paper_weight_change",
        chapter=CHAPTER,
        task="Return (new_w, change): the paper's weight change "
        "dw(t) = -epsilon * dE/dw + alpha * dw(t-1), added to w, after which every "
        "weight shrinks by the fraction decay.",
        signature="paper_weight_change(w, previous_change, grad, epsilon, alpha, decay)",
        outputs=(Output("new w"), Output("dw(t)")),
        make_inputs=_change_case,
        expected=_change_expected,
        hint="First the change, -epsilon * grad + alpha * previous_change; then "
        "w + change; then multiply by (1 - decay). The change returned is the one "
        "before the decay: it is what the next sweep's momentum remembers.",
        nudge="Take the three steps in order: the change, the new weight, then the decay. Which "
        "change does the next sweep's momentum need to remember?",
        verified_by="the paper's equation (9) with the weight decay of its Fig. 4",
    ),
    TrialExercise(
        name="mirror_symmetry_patterns",
        chapter=CHAPTER,
        task="Return (X, y): all 2**n binary patterns of n bits (0/1), one per row of "
        "X, and y = 1 where a pattern reads the same reversed, else 0.",
        signature="mirror_symmetry_patterns(n)",
        hint="Row i can be i written in binary: ((i >> k) & 1 for each bit k). A row x "
        "is symmetric when x equals x[::-1].",
        nudge="The integers from 0 to 2**n - 1, written with n bits, give every pattern once. A "
        "pattern is symmetric when it reads the same backwards.",
        trial=_symmetry_trial,
        n_cases=8,
        verified_by="a brute-force check of every pattern",
    ),
    ReferenceExercise(
        name="margin_error_gradient",
        chapter=CHAPTER,
        task="Return dE/dy for the family trees' error: 1/2 sum (y - d)^2, where an "
        "output that should be on (d = 1) and is above 0.8, or should be off (d = 0) "
        "and is below 0.2, counts no error.",
        signature="margin_error_gradient(y, d)",
        outputs=(Output("dE/dy"),),
        make_inputs=_margin_case,
        expected=_margin_expected,
        hint="Start from y - d and set it to zero where the output is already on the "
        "right side of its margin: np.where(condition, 0.0, y - d).",
        nudge="Start from the gradient of the plain squared error, then find where the margin "
        "says there is no error at all: there the gradient must be zero.",
    ),
]
