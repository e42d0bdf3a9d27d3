"""Exercises of the chapter "When backprop struggles".

No check copies the formula it tests:

* ``he_std`` and ``xavier_std`` are checked by simulation: the learner's
  standard deviation initialises random layers, and the *measured* variances of
  the activations (and, for Xavier, of the backpropagated gradients) must keep
  their scale;
* ``clip_by_global_norm`` is compared with
  :func:`backprop_course.diagnostics.clip_grad_norm`, the package's tested
  version, run on Tensors holding the same gradients;
* ``max_via_relu`` is checked with central differences away from ties, and at a
  tie by the defining property of a subgradient of ``max``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from ..diagnostics import clip_grad_norm
from ..gradcheck import numerical_gradient
from ..scalar import Value
from ..tensor import Tensor
from .core import Output, TrialExercise, compare

__all__ = ["CHAPTER", "EXERCISES"]

CHAPTER = 11
"""The chapter that sets these exercises."""


def _positive_number(value: Any, what: str) -> tuple[float | None, str | None]:
    """The learner's answer as a float, or a sentence saying why it is not a usable std."""
    try:
        if isinstance(value, str | bytes | bool):
            raise TypeError
        v = float(value)
    except (TypeError, ValueError):
        return None, f"{what} should return a number, got {type(value).__name__} ({value!r:.60})."
    if not math.isfinite(v) or v <= 0:
        return None, f"{what} should return a positive standard deviation, got {v!r}."
    return v, None


# ------------------------------------------------------------------- He
def _he_trial(fn: Callable[[int], Any], rng: np.random.Generator) -> str | None:
    n_in = int(rng.integers(32, 513))
    std, problem = _positive_number(fn(n_in), f"he_std({n_in})")
    if problem:
        return problem
    z_prev = rng.normal(0.0, 1.0, size=(128, n_in))  # the previous layer's z, variance 1
    W = rng.normal(0.0, std, size=(n_in, 1024))  # many units: a precise measurement
    z = np.maximum(z_prev, 0.0) @ W  # a ReLU, then the layer
    gain = float(z.var() / z_prev.var())
    if abs(gain - 1.0) < 0.15:  # the measurement's own spread is about 0.02
        return None
    return (
        f"A ReLU layer with {n_in} inputs initialised with your std {std:.4g} multiplied "
        f"the variance of z by {gain:.3g} (measured on random inputs): expected about 1, "
        "so that the variance stays the same through any number of layers."
    )


# ------------------------------------------------------------------- Xavier
def _xavier_trial(fn: Callable[[int, int], Any], rng: np.random.Generator) -> str | None:
    small = int(rng.integers(64, 129))
    large = int(small * rng.uniform(2.0, 4.0))  # unequal, so that fan_in and fan_out matter
    n_in, n_out = (small, large) if rng.random() < 0.5 else (large, small)
    std, problem = _positive_number(fn(n_in, n_out), f"xavier_std({n_in}, {n_out})")
    if problem:
        return problem
    W = rng.normal(0.0, std, size=(n_in, n_out))
    x = rng.normal(0.0, 1.0, size=(256, n_in))  # activations with variance 1
    delta = rng.normal(0.0, 1.0, size=(256, n_out))  # gradients dL/dz with variance 1
    forward = float((x @ W).var() / x.var())  # the variance gain of z = x W
    backward = float((delta @ W.T).var() / delta.var())  # and of dL/dx = delta W^T
    mean_gain = 0.5 * (forward + backward)
    if abs(mean_gain - 1.0) < 0.1:
        return None
    return (
        f"For a layer {n_in} -> {n_out} initialised with your std {std:.4g}, the forward pass "
        f"multiplied the variance of the activations by {forward:.3g} and the backward pass "
        f"that of the gradients by {backward:.3g}: their average is {mean_gain:.3g}, "
        "expected 1 (the compromise between the two)."
    )


# ------------------------------------------------------------------- clipping
def _random_grads(rng: np.random.Generator) -> list[np.ndarray]:
    grads = []
    for _ in range(int(rng.integers(2, 5))):
        shape = tuple(int(n) for n in rng.integers(1, 5, size=rng.integers(1, 3)))
        grads.append(rng.normal(0.0, 10.0 ** rng.uniform(-1, 1), size=shape))
    return grads


def _clip_trial(fn: Callable[..., Any], rng: np.random.Generator) -> str | None:
    grads = _random_grads(rng)
    total = math.sqrt(sum(float((g**2).sum()) for g in grads))
    clips = rng.random() < 0.75  # mostly cases where clipping is needed
    max_norm = total * (rng.uniform(0.1, 0.9) if clips else rng.uniform(1.1, 3.0))
    params = [Tensor(g, requires_grad=True) for g in grads]
    for p, g in zip(params, grads, strict=True):
        p.grad = g.copy()
    clip_grad_norm(params, max_norm)  # the package's tested version
    expected = [p.grad for p in params]

    got = fn([g.copy() for g in grads], float(max_norm))
    if not isinstance(got, list | tuple) or len(got) != len(grads):
        return (
            f"clip_by_global_norm should return a list of {len(grads)} arrays, one per "
            f"gradient, got {type(got).__name__}"
            + (f" of length {len(got)}." if isinstance(got, list | tuple) else ".")
        )
    for i, (exp, g) in enumerate(zip(expected, got, strict=True)):
        problem = compare(Output(f"gradient {i}"), exp, g)
        if problem is None:
            continue
        situation = (
            f"(the global norm was {total:.4g} and max_norm {max_norm:.4g}, so every "
            + (f"gradient should be scaled by {max_norm / total:.4g})." if clips else
               "gradient should be left as it is).")
        )
        return f"{problem} {situation}{_clip_diagnosis(grads, got, max_norm)}"
    return None


def _same(got: Any, wanted: list[np.ndarray]) -> bool:
    try:
        return all(
            np.shape(a) == b.shape and np.allclose(np.asarray(a, dtype=np.float64), b)
            for a, b in zip(got, wanted, strict=True)
        )
    except (TypeError, ValueError):
        return False


def _clip_diagnosis(grads: list[np.ndarray], got: Any, max_norm: float) -> str:
    """Recognise the usual wrong ways to clip."""
    if _same(got, grads):
        return " You returned the gradients unchanged."
    if _same(got, [g * min(1.0, max_norm / np.linalg.norm(g)) for g in grads]):
        return (
            " You clipped each array by its own norm; the global norm treats all the "
            "gradients as one long vector, so that their direction is kept."
        )
    if _same(got, [np.clip(g, -max_norm, max_norm) for g in grads]):
        return (
            " You clipped each entry separately (np.clip), which changes the gradient's "
            "direction; scale all the arrays by one common factor instead."
        )
    return ""


# ------------------------------------------------------------------- max
def _max_trial(fn: Callable[[Value, Value], Any], rng: np.random.Generator) -> str | None:
    a0, b0 = (float(v) for v in rng.uniform(-2.0, 2.0, size=2))
    if rng.random() < 0.4:
        b0 = a0  # a tie: the kink
    w = float(rng.uniform(0.5, 2.0)) * (1 if rng.random() < 0.5 else -1)
    a, b = Value(a0, label="a"), Value(b0, label="b")
    out = fn(a, b)
    if not isinstance(out, Value):
        return f"max_via_relu(a, b) should return a Value, got {type(out).__name__}."
    if not math.isclose(out.data, max(a0, b0), rel_tol=1e-12, abs_tol=1e-12):
        return (
            f"For a = {a0:.6g}, b = {b0:.6g}: expected max {max(a0, b0):.6g}, "
            f"got {out.data:.6g}."
        )
    if out is not a and out is not b and not out.children:
        return (
            "The result is a new Value with no inputs in the graph, so backward() cannot "
            "reach a and b. Build it from a and b with Value operations (+, -, .relu())."
        )
    loss = out * w  # L = w max(a, b): dL/d(max) = w
    loss.backward()
    got = np.array([a.grad, b.grad])
    if a0 != b0:
        expected = numerical_gradient(lambda p: w * max(p[0], p[1]), [a0, b0])
        problem = compare(Output("(a.grad, b.grad)"), expected, got)
        return f"For L = {w:.3g} * max(a, b) at a = {a0:.6g}, b = {b0:.6g}: {problem}" if (
            problem
        ) else None
    # At a tie, max(a, b) = a = b and any split (t, 1 - t) with 0 <= t <= 1 is a subgradient.
    t = got / w
    if np.all(t >= -1e-12) and abs(t.sum() - 1.0) < 1e-9:
        return None
    return (
        f"At a tie a = b = {a0:.6g}, for L = {w:.3g} * max(a, b) the gradients "
        f"(a.grad, b.grad) = ({got[0]:.6g}, {got[1]:.6g}) are not a subgradient: expected "
        f"{w:.3g} * (t, 1 - t) for some t between 0 and 1."
    )


EXERCISES = [
    TrialExercise(
        name="he_std",
        chapter=CHAPTER,
        task="Return the standard deviation of He initialisation for a ReLU layer with n_in "
        "inputs: the std that keeps the variance of z the same from layer to layer.",
        signature="he_std(n_in)",
        hint="Var(z) = n_in Var(w) E[relu(z_prev)^2] and E[relu(z)^2] = Var(z)/2. Set the "
        "gain n_in Var(w) / 2 to 1 and return the square root of Var(w).",
        nudge="Follow the variance through one layer: the weights multiply it by n_in times their "
        "variance, and a ReLU keeps only part of its input's second moment. Choose Var(w) so "
        "that the gain is 1.",
        trial=_he_trial,
        verified_by="the measured variances of simulated ReLU layers",
    ),
    TrialExercise(
        name="xavier_std",
        chapter=CHAPTER,
        task="Return the standard deviation of Xavier (Glorot) initialisation for a layer "
        "n_in -> n_out.",
        signature="xavier_std(n_in, n_out)",
        hint="The forward pass multiplies variances by n_in Var(w), the backward pass by "
        "n_out Var(w). Xavier makes their average 1: Var(w) = 2 / (n_in + n_out). Return the "
        "square root.",
        nudge="The forward pass scales variances by the fan-in, the backward pass by the fan-out; "
        "Xavier's variance is a compromise between the two. Return a standard deviation, not a "
        "variance.",
        trial=_xavier_trial,
        verified_by="the measured forward and backward variance gains of simulated layers",
    ),
    TrialExercise(
        name="clip_by_global_norm",
        chapter=CHAPTER,
        task="Given a list of gradient arrays and max_norm, return the list scaled together "
        "so that their global norm is at most max_norm.",
        signature="clip_by_global_norm(grads, max_norm)",
        hint="The global norm is sqrt(sum of every entry squared, over all the arrays). If it "
        "exceeds max_norm, multiply every array by max_norm / norm; otherwise return them "
        "unchanged.",
        nudge="The norm is taken over all the arrays together, as if they were one long vector, "
        "and all of them are scaled by the same factor, only when that norm is too large.",
        trial=_clip_trial,
        verified_by="bc.diagnostics.clip_grad_norm",
    ),
    TrialExercise(
        name="max_via_relu",
        chapter=CHAPTER,
        task="Given two Values a and b, return max(a, b) as a Value built with Value "
        "arithmetic and .relu(), so that backward() reaches a and b.",
        signature="max_via_relu(a, b)",
        hint="max(a, b) = b + relu(a - b): when a > b the relu passes a - b through, "
        "otherwise it gives 0.",
        nudge="relu(t) is t when t is positive and 0 otherwise: which difference of a and b, "
        "passed through relu and added to one of them, gives the larger of the two?",
        trial=_max_trial,
        verified_by="central differences (and, at ties, the definition of a subgradient)",
    ),
]
