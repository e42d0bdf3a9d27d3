"""Exercises of the chapter "Losses and output layers".

Every expected answer comes from a computation that does not share the formula
under test: log-softmax from 40-digit arithmetic (mpmath, which SymPy uses),
and every gradient from central differences of the loss's definition.
"""

from __future__ import annotations

import numbers

import mpmath
import numpy as np

from ..checks import real_array
from ..gradcheck import numerical_gradient
from ..layers.dense import check_labels
from .core import Output, ReferenceExercise

__all__ = ["CHAPTER", "EXERCISES", "log_softmax_reference", "mean_cross_entropy", "mean_bce"]

CHAPTER = 6
"""The chapter that sets these exercises."""


# ------------------------------------------------------------ definitions
def log_softmax_reference(z: np.ndarray, digits: int = 40) -> np.ndarray:
    """Row-wise log-softmax of ``z`` (N, C) in ``digits``-digit arithmetic, rounded to float64.

    Computed straight from the definition, ``z_k - log Σ_j exp(z_j)``, with no
    shift: in mpmath ``exp(1000)`` is an ordinary number, so there is nothing
    to overflow.

    Raises
    ------
    TypeError
        If ``z`` is not real numbers, or ``digits`` is not an int.
    ValueError
        If ``z`` is not (N, C) with N, C >= 1 (one row is ``z[None, :]``), holds NaN or
        infinite values, or ``digits`` is below 17 (float64 needs 17 to round right).
    """
    z = _logits(z, "log_softmax_reference")
    if isinstance(digits, bool) or not isinstance(digits, numbers.Integral):
        raise TypeError(f"log_softmax_reference: digits must be an int, got {digits!r}")
    if digits < 17:
        raise ValueError(
            f"log_softmax_reference: digits must be at least 17 (a float64 needs 17 digits), "
            f"got {digits}"
        )
    out = np.empty_like(z)
    with mpmath.workdps(digits):
        for n, row in enumerate(z):
            entries = [mpmath.mpf(float(v)) for v in row]  # exact copies of the floats
            lse = mpmath.log(mpmath.fsum(mpmath.exp(v) for v in entries))
            out[n] = [float(v - lse) for v in entries]
    return out


def _logits(z: object, func: str) -> np.ndarray:
    """Logits (N, C) with N, C >= 1: finite real numbers, one row per example."""
    z = real_array(z, "logits", func, ndim=2, float64=True)
    if 0 in z.shape:
        raise ValueError(f"{func}: logits must have at least one row and one class, got {z.shape}")
    return z


def _softmax(z: np.ndarray) -> np.ndarray:
    """Softmax of a vector (the definition, computed without overflow)."""
    e = np.exp(z - z.max())
    return e / e.sum()


def mean_cross_entropy(logits: np.ndarray, labels: np.ndarray) -> float:
    """``mean_n(log Σ_k exp(z_nk) - z_n,labels_n)``: softmax cross-entropy, averaged over rows.

    Raises
    ------
    TypeError
        If ``logits`` is not real numbers.
    ValueError
        If ``logits`` is not (N, C) with N, C >= 1 or holds NaN/inf, or ``labels`` is not
        one integer class 0..C-1 per row (a negative label would count from the end).
    """
    logits = _logits(logits, "mean_cross_entropy")
    labels = check_labels(labels, *logits.shape)
    lse = np.logaddexp.reduce(logits, axis=1)
    return float(np.mean(lse - logits[np.arange(len(labels)), labels]))


def mean_bce(logits: np.ndarray, y: np.ndarray) -> float:
    """Mean binary cross-entropy of ``σ(z)`` against ``y`` over every entry.

    Uses ``-log σ(z) = log(1 + e^{-z})`` and ``-log(1 - σ(z)) = log(1 + e^{z})``,
    evaluated with ``np.logaddexp(0, ·)``.

    Raises
    ------
    TypeError
        If ``logits`` or ``y`` is not real numbers.
    ValueError
        If they are empty or differ in shape (no broadcasting: a (N, 1) against a (N,)
        would average N² pairs), hold NaN/inf, or a target lies outside [0, 1].
    """
    logits = real_array(logits, "logits", "mean_bce", float64=True)
    y = real_array(y, "y", "mean_bce", float64=True)
    if logits.shape != y.shape or logits.size == 0:
        raise ValueError(
            f"mean_bce: logits and y need the same non-empty shape, got {logits.shape} and "
            f"{y.shape}"
        )
    if ((y < 0) | (y > 1)).any():
        raise ValueError(
            f"mean_bce: targets y must lie in [0, 1], got {y[(y < 0) | (y > 1)][:3].tolist()}"
        )
    return float(np.mean(y * np.logaddexp(0.0, -logits) + (1 - y) * np.logaddexp(0.0, logits)))


# ------------------------------------------------------------------ cases
def _big_logits_case(rng: np.random.Generator) -> tuple:
    """Rows of logits of very different sizes; at least one row would overflow a naive exp
    (entries up to 1000) and one would underflow it (entries all below -750)."""
    n, c = int(rng.integers(3, 6)), int(rng.integers(2, 6))
    rows = [
        rng.uniform(700.0, 1000.0, c),  # exp overflows to inf
        rng.uniform(-1000.0, -750.0, c),  # exp underflows to 0
    ]
    rows += [rng.normal(0.0, rng.choice([1.0, 10.0, 300.0]), c) for _ in range(n - 2)]
    z = np.array(rows)
    return (z[rng.permutation(n)],)


def _log_softmax_expected(z: np.ndarray) -> tuple:
    return (log_softmax_reference(z),)


def _vector_case(rng: np.random.Generator) -> tuple:
    return (rng.normal(0.0, 2.0, int(rng.integers(2, 6))),)


def _softmax_jacobian_expected(z: np.ndarray) -> tuple:
    rows = [numerical_gradient(lambda v, j=j: _softmax(v)[j], z) for j in range(z.size)]
    return (np.array(rows),)  # row j = gradient of p_j: J[j, k] = dp_j / dz_k


def _classification_case(rng: np.random.Generator) -> tuple:
    n, c = int(rng.integers(1, 6)), int(rng.integers(2, 6))
    return rng.normal(0.0, 2.0, (n, c)), rng.integers(0, c, n)


def _softmax_ce_grad_expected(logits: np.ndarray, labels: np.ndarray) -> tuple:
    return (numerical_gradient(lambda z: mean_cross_entropy(z, labels), logits),)


def _binary_case(rng: np.random.Generator) -> tuple:
    shape = tuple(int(s) for s in rng.integers(1, 5, size=rng.integers(1, 3)))  # 1-D or 2-D
    return rng.normal(0.0, 3.0, shape), rng.integers(0, 2, shape).astype(np.float64)


def _bce_grad_expected(logits: np.ndarray, y: np.ndarray) -> tuple:
    return (numerical_gradient(lambda z: mean_bce(z, y), logits),)


EXERCISES = [
    ReferenceExercise(
        name="stable_log_softmax",
        chapter=CHAPTER,
        task="Return the log-softmax of every row of z (N, C), finite for logits up to ±1000.",
        signature="stable_log_softmax(z)",
        outputs=(Output("log softmax(z)"),),
        make_inputs=_big_logits_case,
        verified_by="a 40-digit reference",
        expected=_log_softmax_expected,
        hint="Subtract each row's own maximum m first (z.max(axis=1, keepdims=True)): "
        "log softmax(z)_k = (z_k - m) - log Σ_j exp(z_j - m). Every exponent is then <= 0, "
        "and the largest term of the sum is exactly 1.",
        nudge="Shifting a row of logits by a constant leaves its softmax unchanged: choose the "
        "shift so that no exponent is positive. Do not take the log of a softmax you have "
        "already computed.",
    ),
    ReferenceExercise(
        name="softmax_jacobian",
        chapter=CHAPTER,
        task="Return the C x C Jacobian J[j, k] = dp_j/dz_k of p = softmax(z) for a vector z.",
        signature="softmax_jacobian(z)",
        outputs=(Output("dp/dz"),),
        make_inputs=_vector_case,
        expected=_softmax_jacobian_expected,
        hint="dp_j/dz_k = p_j (1 - p_k) when j = k and -p_j p_k otherwise; as a matrix, "
        "np.diag(p) - np.outer(p, p).",
        nudge="Differentiate p_j = exp(z_j) / sum_k exp(z_k) with the quotient rule, treating the "
        "diagonal (j = k) and the other entries separately.",
    ),
    ReferenceExercise(
        name="softmax_ce_grad",
        chapter=CHAPTER,
        task="Return dL/dlogits (N, C) for the mean softmax cross-entropy "
        "L = -(1/N) Σ_n log softmax(z_n)[labels_n].",
        signature="softmax_ce_grad(logits, labels)",
        outputs=(Output("dL/dlogits"),),
        make_inputs=_classification_case,
        expected=_softmax_ce_grad_expected,
        hint="Row by row the gradient is p - y, with p = softmax of the row and y the one-hot "
        "target (1 at the label). The loss is a mean over the N rows: divide by N.",
        nudge="Work out the gradient of one row with a one-hot target first, where most terms "
        "cancel. Then remember that the loss is a mean over the rows.",
    ),
    ReferenceExercise(
        name="bce_grad",
        chapter=CHAPTER,
        task="Return dL/dz for the mean binary cross-entropy of sigma(z) against targets y "
        "(the mean over every entry).",
        signature="bce_grad(logits, y)",
        outputs=(Output("dL/dz"),),
        make_inputs=_binary_case,
        expected=_bce_grad_expected,
        hint="For one entry dL/dz = sigma(z) - y: the slope of the sigmoid cancels. The loss "
        "is a mean over every entry, so divide by z.size.",
        nudge="Differentiate the cross-entropy and the sigmoid together, not separately: their "
        "slopes cancel neatly. The loss is a mean over every entry.",
    ),
]
