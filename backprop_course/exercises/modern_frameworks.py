"""Exercises of the chapter "Backprop in modern frameworks".

No check copies the formula it tests:

* ``hvp_by_differences`` is compared with the exact Hessian-vector product of
  :func:`backprop_course.higher.hvp` on random smooth functions, with a
  tolerance that central differences meet and forward differences do not;
* ``softplus_rule`` is registered for a softplus operation that has only a
  first-order backward, and the Hessian-vector products it gives are compared
  with the exact ones of the closed form ``A^T diag(c σ'(Ax)) A v``;
* ``top_eigenvalue`` and ``newton_direction`` receive only a function
  ``v -> H v`` for a random symmetric matrix ``H`` that the checker knows, and
  are compared with ``numpy.linalg``; they may call it fewer times than ``H``
  has columns, so the matrix cannot simply be rebuilt.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..gradcheck import rel_error
from ..higher import RULES, hvp
from ..numerics import sigmoid
from ..tensor import Tensor
from .core import Output, TrialExercise, compare

__all__ = ["CHAPTER", "EXERCISES", "softplus"]

CHAPTER = 13
"""The chapter that sets these exercises."""

# Error of H v relative to max(|H v|, |v|): central differences with h from 1e-6 to 1e-5 stay
# below 6e-9 (over 3,000 random cases). Forward differences, even at their best h (1e-8 to
# 3e-8), stay below 2e-8 in only about half of the cases, so all five of a check pass rarely.
TOLERANCE = 2e-8


def _scaled_error(got: np.ndarray, exact: np.ndarray, v: np.ndarray) -> float:
    return float(np.linalg.norm(got - exact) / max(np.linalg.norm(exact), np.linalg.norm(v)))


# ------------------------------------------------- HVP by differences
def _smooth_function(rng: np.random.Generator, n: int) -> Callable[[Tensor], Tensor]:
    """f(x) = sum(tanh(A x + c)^2) + x.B x / 2 + sum(exp(x / 3)): curved in every direction."""
    A = rng.normal(0.0, 1.0 / np.sqrt(n), size=(n, n))
    c = rng.normal(size=n)
    M = rng.normal(size=(n, n))
    B = (M + M.T) / (2 * np.sqrt(n))

    def f(x: Tensor) -> Tensor:
        return ((A @ x + c).tanh() ** 2).sum() + 0.5 * (x @ (B @ x)) + (x * (1 / 3)).exp().sum()

    return f


def _gradient_function(f: Callable[[Tensor], Tensor]) -> Callable[[np.ndarray], np.ndarray]:
    def grad_f(x: np.ndarray) -> np.ndarray:
        t = Tensor(np.array(x, dtype=np.float64), requires_grad=True)
        f(t).backward()
        return t.grad.copy()

    return grad_f


def _hvp_fd_trial(fn: Callable[..., Any], rng: np.random.Generator) -> str | None:
    n = int(rng.integers(3, 9))
    f = _smooth_function(rng, n)
    x, v = rng.normal(size=n), rng.normal(size=n)
    exact = hvp(f, x, v)
    got = fn(_gradient_function(f), x.copy(), v.copy())
    problem = compare(Output("H v"), exact, got)
    if problem is not None:
        return f"For a random function of {n} variables: {problem}"
    got = np.asarray(got, dtype=np.float64).reshape(exact.shape)
    err = _scaled_error(got, exact, v)
    if err < TOLERANCE:
        return None
    forward = _forward_difference(_gradient_function(f), x, v)
    hint = (
        " Your answer is close to a forward difference (g(x + h v) - g(x)) / h, whose error "
        "shrinks only like h; the central difference's shrinks like h^2."
        if rel_error(got, forward) < 1e-3
        else ""
    )
    return (
        f"For a random function of {n} variables, H v is right only to a relative error of "
        f"{err:.1e}; it must be below {TOLERANCE:.0e}.{hint}"
    )


def _forward_difference(grad_f: Callable, x: np.ndarray, v: np.ndarray) -> np.ndarray:
    h = 1e-7
    return (grad_f(x + h * v) - grad_f(x)) / h


# ----------------------------------------------------- a rule of one's own
def softplus(x: Tensor) -> Tensor:
    """``log(1 + e^x)`` elementwise, as one operation named ``"softplus"``.

    Its first-order backward multiplies by the slope ``sigmoid(x)``; it has no
    higher-order rule in :data:`backprop_course.higher.RULES` (writing one is
    an exercise of chapter 13).

    Raises
    ------
    TypeError
        If ``x`` is not a Tensor (an array or a number: wrap it, ``Tensor(x)``).
    """
    if not isinstance(x, Tensor):
        raise TypeError(
            f"softplus: x must be a Tensor, got {type(x).__name__}; wrap it: Tensor(x)"
        )
    slope = sigmoid(x.data)  # the slope of softplus, without overflow
    out = Tensor.from_op(np.logaddexp(0.0, x.data), (x,), "softplus")
    if out.requires_grad:

        def _backward(grad: np.ndarray) -> None:
            x.accumulate_grad(grad * slope)

        out._backward = _backward
    return out


def _rule_trial(fn: Callable[..., Any], rng: np.random.Generator) -> str | None:
    n = int(rng.integers(2, 6))
    A, c = rng.normal(size=(n, n)), rng.normal(size=n)
    x, v = rng.normal(size=n), rng.normal(size=n)
    s = 1.0 / (1.0 + np.exp(-(A @ x)))
    exact = A.T @ (c * s * (1.0 - s) * (A @ v))  # the Hessian of sum(c * softplus(A x)), times v
    previous = RULES.get("softplus")
    RULES["softplus"] = fn
    try:
        got = hvp(lambda t: (softplus(A @ t) * c).sum(), x, v)
    finally:
        if previous is None:
            del RULES["softplus"]
        else:
            RULES["softplus"] = previous
    problem = compare(Output("H v"), exact, got)
    if problem is None:
        return None
    if np.allclose(got, 0.0):
        problem += (
            " Your rule's result does not depend on the input: it was computed from arrays "
            "(.data, NumPy functions), which are constants to the next backward pass. Use "
            "Tensor operations on out._prev[0] or on out."
        )
    return f"For f(x) = sum(c * softplus(A x)) with {n} variables: {problem}"


# ----------------------------------------------------- power iteration
def _symmetric_matrix(rng: np.random.Generator, n: int, eigenvalues: np.ndarray) -> np.ndarray:
    Q, _ = np.linalg.qr(rng.normal(size=(n, n)))
    return (Q * eigenvalues) @ Q.T


class _CountedProduct:
    """``v -> H v`` for a hidden matrix, counting the calls and checking the argument."""

    def __init__(self, H: np.ndarray) -> None:
        self._H, self.calls = H, 0

    def __call__(self, v: Any) -> np.ndarray:
        self.calls += 1
        v = np.asarray(v, dtype=np.float64)
        if v.shape != (self._H.shape[0],):
            raise ValueError(f"hvp expects a vector of shape ({self._H.shape[0]},), got {v.shape}")
        return self._H @ v


def _eigen_trial(fn: Callable[..., Any], rng: np.random.Generator) -> str | None:
    n = 200
    top = float(rng.uniform(1.0, 50.0))
    rest = top * rng.uniform(0.0, 0.6, size=n - 1)  # a spectral gap: power iteration converges
    H = _symmetric_matrix(rng, n, np.concatenate([[top], rest]))
    product = _CountedProduct(H)
    got = fn(product, n)
    if product.calls > 100:
        return (
            f"Your function made {product.calls} Hessian-vector products for a {n} x {n} "
            "Hessian; at most 100 are allowed (power iteration needs far fewer here)."
        )
    problem = compare(Output("the largest eigenvalue"), np.array(top), got)
    return None if problem is None else f"For a {n} x {n} Hessian: {problem}"


# ----------------------------------------------------- conjugate gradients
def _newton_trial(fn: Callable[..., Any], rng: np.random.Generator) -> str | None:
    n = 100
    eigenvalues = rng.uniform(1.0, 4.0, size=n) * 10.0 ** rng.uniform(-1, 1)
    H = _symmetric_matrix(rng, n, eigenvalues)
    g = rng.normal(size=n)
    product = _CountedProduct(H)
    got = fn(g.copy(), product)
    if product.calls > 50:
        return (
            f"Your function made {product.calls} Hessian-vector products for a {n} x {n} "
            "Hessian with condition number 4; at most 50 are allowed (conjugate gradients "
            "converge in about 25 here)."
        )
    expected = -np.linalg.solve(H, g)
    problem = compare(Output("the Newton direction"), expected, got)
    if problem is None:
        return None
    hint = ""
    try:
        if np.allclose(np.asarray(got, dtype=float), np.linalg.solve(H, g), rtol=1e-4):
            hint = " It solves H d = g: the Newton step goes against the gradient, H d = -g."
    except (TypeError, ValueError):
        pass
    return f"For a {n} x {n} Hessian: {problem}{hint}"


EXERCISES = [
    TrialExercise(
        name="hvp_by_differences",
        chapter=CHAPTER,
        task="Given a gradient function grad_f (array -> array), a point x and a direction v, "
        "return an approximation of the Hessian-vector product H v from two gradients, "
        "with a relative error below 2e-8.",
        signature="hvp_by_differences(grad_f, x, v)",
        hint="H v is the directional derivative of the gradient along v: "
        "(grad_f(x + h v) - grad_f(x - h v)) / (2 h), with h about 1e-5 (chapter 10's best "
        "step for a central difference, one order of differentiation up).",
        nudge="A Hessian-vector product says how fast the gradient changes as you move along v: "
        "two gradients, one on each side of x, are enough. Choose the step as in chapter 10.",
        trial=_hvp_fd_trial,
        verified_by="the exact Hessian-vector product of bc.higher.hvp",
    ),
    TrialExercise(
        name="softplus_rule",
        chapter=CHAPTER,
        task="Write the higher-order rule rule(out, g) of the operation softplus(x) = "
        "log(1 + e^x) (backprop_course.exercises.higher_order.softplus): given its output "
        "out and g = dL/d(out) as Tensors, return a tuple with dL/dx, computed with Tensor "
        "operations.",
        signature="softplus_rule(out, g)",
        hint="The slope of softplus is sigmoid(x), and x is out._prev[0]: return "
        "(g * x.sigmoid(),). A tuple, one entry per input, built with Tensor operations so "
        "that it depends on x.",
        nudge="A rule returns a tuple with one gradient per input, built with Tensor operations "
        "on the saved input so that it can be differentiated again. What is the slope of log(1 + "
        "e^x)?",
        trial=_rule_trial,
        verified_by="the exact Hessian-vector products of sum(c * softplus(A x))",
    ),
    TrialExercise(
        name="top_eigenvalue",
        chapter=CHAPTER,
        task="Given a function hvp(v) -> H v for a symmetric n x n Hessian whose largest "
        "eigenvalue is positive and well separated, return that eigenvalue, using at most "
        "100 products.",
        signature="top_eigenvalue(hvp, n)",
        hint="Power iteration: start from a random unit vector v, repeat v = hvp(v), "
        "v = v / norm(v); the Rayleigh quotient v . hvp(v) is the eigenvalue.",
        nudge="Apply hvp to a vector again and again, normalising each time: the direction of the "
        "largest eigenvalue wins. Then measure how much hvp stretches it.",
        trial=_eigen_trial,
        verified_by="numpy.linalg.eigvalsh of the hidden Hessian",
    ),
    TrialExercise(
        name="newton_direction",
        chapter=CHAPTER,
        task="Given a gradient g and a function hvp(v) -> H v for a symmetric positive "
        "definite H, return the Newton direction d = -H^-1 g by conjugate gradients, using "
        "at most 50 products.",
        signature="newton_direction(g, hvp)",
        hint="Conjugate gradients for H d = -g: d = 0, r = -g, p = r; repeat: Hp = hvp(p), "
        "alpha = r.r / p.Hp, d += alpha p, r_new = r - alpha Hp, stop when |r_new| is tiny, "
        "p = r_new + (r_new.r_new / r.r) p.",
        nudge="Solve H d = -g without ever forming H: conjugate gradients need only products H p. "
        "Stop once the residual is tiny.",
        trial=_newton_trial,
        verified_by="numpy.linalg.solve with the hidden Hessian",
    ),
]
