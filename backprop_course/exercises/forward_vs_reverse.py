"""Exercises of the chapter "Forward mode vs reverse mode".

A dual number a + a' eps is passed as the pair ``(a, a')``. The expected tangent
of an operation is the derivative of t -> op(a + t a', ...) at t = 0, computed by
central differences: the definition of what a tangent is, not the rule the
learner is asked to find. The last two exercises use

    g(x) = (x1 x2 + sin x3,  x2 exp(x3)),   a function from R^3 to R^2,

whose Jacobian the checker computes by central differences, column by column.
"""

from __future__ import annotations

import numpy as np

from ..checks import real_array
from .comparison import _close
from .core import Output, ReferenceExercise, TrialExercise

__all__ = ["CHAPTER", "EXERCISES", "g"]

CHAPTER = 4
"""The chapter that sets these exercises."""

_H = 1e-6  # the step of every central difference here


def g(x: np.ndarray) -> np.ndarray:
    """The chapter's exercise function g(x) = (x1 x2 + sin x3, x2 exp(x3)), from R^3 to R^2.

    Raises
    ------
    TypeError
        If ``x`` is not real numbers.
    ValueError
        If ``x`` is not a 1-D array of 3 numbers (a 2-D array is not a batch here: it
        would be read as three rows), or holds NaN or infinite values.
    """
    x = real_array(x, "x", "g", float64=True)
    if x.shape != (3,):
        raise ValueError(f"g: x must be 3 numbers (x1, x2, x3) in a 1-D array, got shape {x.shape}")
    x1, x2, x3 = x
    return np.array([x1 * x2 + np.sin(x3), x2 * np.exp(x3)])


def _rate_at_zero(curve) -> float:  # noqa: ANN001 (a function of one float)
    """d curve(t) / dt at t = 0, by a central difference."""
    return (curve(_H) - curve(-_H)) / (2 * _H)


def _pair(rng: np.random.Generator, low: float = -3.0, high: float = 3.0) -> tuple[float, float]:
    """A dual number as a (real, tangent) pair of plain floats."""
    return float(rng.uniform(low, high)), float(rng.normal(0.0, 1.5))


def _read_pair(got: object) -> tuple[float, float] | str:
    """The learner's (real part, tangent) as two floats, or what is wrong with it."""
    if got is None:
        return "your function returned None. Did you forget `return`?"
    if isinstance(got, np.ndarray) and got.ndim == 1:
        got = list(got)
    if not isinstance(got, tuple | list) or len(got) != 2:
        return f"expected a pair (real part, tangent), got {type(got).__name__} {str(got)[:60]}"
    numbers = []
    for part in got:
        try:
            arr = np.asarray(part, dtype=np.float64)
        except (TypeError, ValueError):
            arr = np.array([])
        if arr.size != 1:
            return f"expected a pair of numbers (real part, tangent), got {str(got)[:60]}"
        numbers.append(float(arr.reshape(())))
    real, tangent = numbers
    if not (np.isfinite(real) and np.isfinite(tangent)):
        return f"expected finite numbers, got ({real}, {tangent})"
    return real, tangent


def _pair_verdict(
    got: object, want: tuple[float, float], inputs: str, slips: list[tuple[float, str]]
) -> str | None:
    """None if ``got`` is the pair ``want``; else expected vs got, with a named slip if one fits.

    ``slips`` lists (a typical wrong tangent, what that mistake is).
    """
    pair = _read_pair(got)
    if isinstance(pair, str):
        return f"For {inputs}: {pair}."
    for name, g_, w in zip(("real part", "tangent"), pair, want, strict=True):
        if not _close(g_, w):
            message = f"For {inputs}: expected the {name} {w:.6g}, got {g_:.6g}."
            if name == "tangent":
                why = [text for value, text in slips if _close(g_, value)]
                message += f" {why[0]}" if why else ""
            return message
    return None


def _dual_mul_trial(fn, rng: np.random.Generator) -> str | None:  # noqa: ANN001
    (a0, a1), (b0, b1) = _pair(rng), _pair(rng)
    want = (a0 * b0, _rate_at_zero(lambda t: (a0 + t * a1) * (b0 + t * b1)))
    slips = [
        (a1 * b1, "That is a'b', the coefficient of eps^2, which is zero."),
        (a1 * b0, "That is only a'b: the term ab' is missing."),
        (a0 * b1, "That is only ab': the term a'b is missing."),
    ]
    inputs = f"a = ({a0:.4g}, {a1:.4g}), b = ({b0:.4g}, {b1:.4g})"
    return _pair_verdict(fn((a0, a1), (b0, b1)), want, inputs, slips)


def _dual_sin_trial(fn, rng: np.random.Generator) -> str | None:  # noqa: ANN001
    a0, a1 = _pair(rng, -4.0, 4.0)
    want = (float(np.sin(a0)), _rate_at_zero(lambda t: np.sin(a0 + t * a1)))
    slips = [
        (float(np.cos(a0)), "That is cos(a): the incoming tangent a' is missing."),
        (-want[1], "The sign is wrong: the derivative of sin is +cos."),
        (float(np.cos(a0 * a1)), "That is cos(a a'): multiply cos(a) by a' instead."),
    ]
    return _pair_verdict(fn((a0, a1)), want, f"x = ({a0:.4g}, {a1:.4g})", slips)


def _jvp_case(rng: np.random.Generator) -> tuple:
    return rng.normal(0.0, 1.0, 3), rng.normal(0.0, 1.0, 3)  # x, v


def _jvp_expected(x: np.ndarray, v: np.ndarray) -> tuple:
    # J v is the rate of change of g along the straight line x + t v
    return (_rate_at_zero(lambda t: g(x + t * v)),)


def _vjp_case(rng: np.random.Generator) -> tuple:
    return rng.normal(0.0, 1.0, 3), rng.normal(0.0, 1.0, 2)  # x, u


def _numerical_jacobian(x: np.ndarray) -> np.ndarray:
    """The 2 x 3 Jacobian of g at x: column i is the central difference along e_i."""
    return np.column_stack([_rate_at_zero(lambda t, e=e: g(x + t * e)) for e in np.eye(3)])


def _vjp_expected(x: np.ndarray, u: np.ndarray) -> tuple:
    return (u @ _numerical_jacobian(x),)


EXERCISES = [
    TrialExercise(
        name="dual_mul",
        chapter=CHAPTER,
        task="Multiply two dual numbers a = (a, a') and b = (b, b'); return the pair "
        "(real part, tangent) of the product.",
        signature="dual_mul(a, b)",
        trial=_dual_mul_trial,
        hint="Expand (a + a' eps)(b + b' eps) and drop the eps^2 term: the real part is ab "
        "and the tangent is a'b + ab' (the product rule).",
        nudge="Multiply the two dual numbers out as if eps were an ordinary symbol, then use "
        "eps^2 = 0.",
    ),
    TrialExercise(
        name="dual_sin",
        chapter=CHAPTER,
        task="Return the pair (real part, tangent) of sin(x) for the dual number x = (a, a').",
        signature="dual_sin(x)",
        trial=_dual_sin_trial,
        hint="sin(a + a' eps) = sin(a) + cos(a) a' eps: the derivative of sin at a, times "
        "the tangent a' that comes in.",
        nudge="Expand sin(a + a' eps) to first order in eps, as a Taylor series: whatever "
        "multiplies eps is the tangent.",
    ),
    ReferenceExercise(
        name="jvp_by_hand",
        chapter=CHAPTER,
        task="Return J v, the Jacobian of g(x) = (x1 x2 + sin x3, x2 exp(x3)) at x times "
        "the direction v (an array of 2 numbers).",
        signature="jvp_by_hand(x, v)",
        outputs=(Output("J v"),),
        make_inputs=_jvp_case,
        expected=_jvp_expected,
        hint="Forward mode: carry a tangent beside each value, starting with dx = v. "
        "For p = x1 x2 it is dp = dx1 x2 + x1 dx2; for sin x3 it is cos(x3) dx3; "
        "for x2 exp(x3) use the product rule again.",
        nudge="Go forward through g's operations, carrying a tangent beside each value and "
        "starting from the direction v; each operation's tangent follows from its inputs' "
        "tangents by the ordinary rules of differentiation.",
    ),
    ReferenceExercise(
        name="vjp_by_hand",
        chapter=CHAPTER,
        task="Return u^T J, the row vector u times the Jacobian of "
        "g(x) = (x1 x2 + sin x3, x2 exp(x3)) at x (an array of 3 numbers).",
        signature="vjp_by_hand(x, u)",
        outputs=(Output("u^T J"),),
        make_inputs=_vjp_case,
        expected=_vjp_expected,
        hint="Reverse mode: output j starts with the adjoint u_j, and each input collects "
        "adjoint times local derivative from every output that uses it. x2 and x3 feed "
        "both outputs, so their two contributions add.",
        nudge="Go backwards: each output starts with its entry of u, and each input collects a "
        "contribution from every output that uses it. Count how many outputs each input feeds.",
    ),
]
