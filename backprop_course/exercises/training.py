"""Exercises of the chapter "Training a network".

Each expected answer comes from an independent computation, never from the
formula the learner is asked to write:

* ``sgd_momentum_step`` (the PyTorch form ``v ← α v + g``, ``w ← w - lr v``, with
  the momentum factor α passed as ``mu``) is compared with the 1986 paper's rule
  ``Δw(t) = -η g + α Δw(t-1)`` (the paper writes ε for η), run in NumPy;
* ``adam_step`` is compared with :class:`backprop_course.optim.Adam`, the tested
  package optimiser, after one ``step()`` from the same state;
* ``average_shard_gradients`` is compared with the full batch's gradient, computed
  by central differences of the full batch's mean loss.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..checks import real_array
from ..gradcheck import numerical_gradient
from ..layers.dense import check_labels
from ..optim import Adam
from ..tensor import Tensor
from .core import Output, ReferenceExercise, TrialExercise, compare

__all__ = ["CHAPTER", "EXERCISES", "softmax_regression_loss"]

CHAPTER = 7
"""The chapter that sets these exercises."""


# ------------------------------------------------------------------ momentum
def _momentum_case(rng: np.random.Generator) -> tuple:
    shape = tuple(int(n) for n in rng.integers(1, 5, size=rng.integers(1, 3)))
    return (
        rng.normal(0.0, 1.0, shape),  # w
        rng.normal(0.0, 1.0, shape),  # v, the velocity (a running sum of past gradients)
        rng.normal(0.0, 1.0, shape),  # g, this step's gradient
        float(rng.uniform(0.01, 0.5)),  # lr
        float(rng.uniform(0.5, 0.99)),  # mu
    )


def _momentum_expected(
    w: np.ndarray, v: np.ndarray, g: np.ndarray, lr: float, mu: float
) -> tuple[np.ndarray, np.ndarray]:
    # The paper's rule, with eta = lr and alpha = mu. Its state is the last weight
    # change, which is -lr times the velocity.
    previous_change = -lr * v
    change = -lr * g + mu * previous_change  # Δw(t) = -η ∂E/∂w + α Δw(t-1)
    return w + change, change / -lr


# ------------------------------------------------------------------ Adam
def _adam_case(rng: np.random.Generator) -> tuple:
    shape = tuple(int(n) for n in rng.integers(1, 5, size=rng.integers(1, 3)))
    t = int(rng.integers(1, 12))  # small t: the bias correction matters
    g_scale = 10.0 ** rng.uniform(-1, 0.5)
    return (
        rng.normal(0.0, 1.0, shape),  # w
        rng.normal(0.0, g_scale, shape),  # m
        rng.uniform(0.0, g_scale**2, shape),  # v (non-negative)
        rng.normal(0.0, g_scale, shape),  # g
        t,
        float(rng.uniform(1e-3, 0.1)),  # lr
        float(rng.uniform(0.8, 0.95)),  # beta1
        float(rng.uniform(0.99, 0.9999)),  # beta2
        1e-8,  # eps
    )


def _adam_expected(
    w: np.ndarray,
    m: np.ndarray,
    v: np.ndarray,
    g: np.ndarray,
    t: int,
    lr: float,
    beta1: float,
    beta2: float,
    eps: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    p = Tensor(np.array(w, dtype=np.float64), requires_grad=True)
    opt = Adam([p], lr=float(lr), betas=(float(beta1), float(beta2)), eps=float(eps))
    opt.m[0][...] = m
    opt.v[0][...] = v
    opt.t = int(t) - 1  # step() counts this step as step t
    p.grad = np.array(g, dtype=np.float64)
    opt.step()
    return p.data, opt.m[0], opt.v[0]


# ------------------------------------------------------------------ shards
def softmax_regression_loss(W: np.ndarray, X: np.ndarray, y: np.ndarray) -> float:
    """The mean cross-entropy of a linear softmax classifier ``softmax(X @ W)`` on (X, y).

    Shapes: W (D, C), X (N, D), y (N,) of classes 0..C-1.

    Raises
    ------
    TypeError
        If ``W`` or ``X`` is not real numbers.
    ValueError
        If they are not 2-D with X's D columns matching W's D rows, X has no rows, a value
        is NaN or infinite, or ``y`` is not one integer class 0..C-1 per row (a negative
        label would count from the end).
    """
    f = "softmax_regression_loss"
    W, X = real_array(W, "W", f, ndim=2, float64=True), real_array(X, "X", f, ndim=2, float64=True)
    if X.shape[1] != W.shape[0] or len(X) == 0 or W.shape[1] == 0:
        raise ValueError(
            f"{f}: needs X (N, D) with N >= 1 and W (D, C) with C >= 1, got X {X.shape} and "
            f"W {W.shape}"
        )
    y = check_labels(y, X.shape[0], W.shape[1])
    z = X @ W
    z = z - z.max(axis=1, keepdims=True)
    log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    return float(-log_p[np.arange(len(y)), y].mean())


def _uneven_sizes(rng: np.random.Generator, n_shards: int) -> list[int]:
    while True:
        sizes = [int(s) for s in rng.integers(1, 12, size=n_shards)]
        if max(sizes) >= 2 * min(sizes):  # unequal enough that a plain mean is visibly wrong
            return sizes


def _average_shards_trial(fn: Callable[..., Any], rng: np.random.Generator) -> str | None:
    D, C = int(rng.integers(2, 5)), int(rng.integers(2, 5))
    sizes = _uneven_sizes(rng, int(rng.integers(2, 5)))
    N = sum(sizes)
    W = rng.normal(0.0, 1.0, (D, C))
    X = rng.normal(0.0, 1.0, (N, D))
    y = rng.integers(0, C, N)
    bounds = np.cumsum([0, *sizes])
    shards = [(X[lo:hi], y[lo:hi]) for lo, hi in zip(bounds[:-1], bounds[1:], strict=True)]
    grads = [
        numerical_gradient(lambda W_, Xk=Xk, yk=yk: softmax_regression_loss(W_, Xk, yk), W)
        for Xk, yk in shards
    ]
    expected = numerical_gradient(lambda W_: softmax_regression_loss(W_, X, y), W)
    got = fn([g.copy() for g in grads], list(sizes))
    problem = compare(Output("the combined gradient"), expected, got)
    if problem is None:
        return None
    plain_mean = np.mean(grads, axis=0)
    if np.allclose(np.asarray(got, dtype=np.float64), plain_mean, rtol=1e-6, atol=1e-9):
        return (
            f"{problem} With shard sizes {sizes}, your answer is the plain mean of the shard "
            "gradients, which is right only for equal shards."
        )
    return f"{problem} (shard sizes {sizes})"


EXERCISES = [
    ReferenceExercise(
        name="sgd_momentum_step",
        chapter=CHAPTER,
        task="Return (new_w, new_v) after one step of SGD with momentum: "
        "v <- alpha v + g, then w <- w - lr v, with the momentum factor alpha passed as mu.",
        signature="sgd_momentum_step(w, v, g, lr, mu)",
        outputs=(Output("new_w"), Output("new_v")),
        make_inputs=_momentum_case,
        expected=_momentum_expected,
        hint="Update the velocity first, then move the weights by -lr times the NEW velocity.",
        nudge="The order of the two updates matters: does the weight step use the old velocity or "
        "the new one? Reread the task's two lines.",
        verified_by="the 1986 paper's momentum rule",
    ),
    ReferenceExercise(
        name="adam_step",
        chapter=CHAPTER,
        task="Return (new_w, new_m, new_v) after Adam's step number t from the state (w, m, v) "
        "with gradient g.",
        signature="adam_step(w, m, v, g, t, lr, beta1, beta2, eps)",
        outputs=(Output("new_w"), Output("new_m"), Output("new_v")),
        make_inputs=_adam_case,
        expected=_adam_expected,
        hint="m <- beta1 m + (1 - beta1) g; v <- beta2 v + (1 - beta2) g**2; "
        "then divide by the bias corrections (1 - beta1**t) and (1 - beta2**t) and step "
        "w <- w - lr m_hat / (sqrt(v_hat) + eps).",
        nudge="Adam keeps two running averages, of the gradient and of its square. The usual "
        "slips: forgetting the bias corrections, which depend on the step number t, and putting "
        "eps inside the square root.",
        verified_by="bc.optim.Adam",
    ),
    TrialExercise(
        name="average_shard_gradients",
        chapter=CHAPTER,
        task="Given each shard's gradient of its own mean loss and the shard sizes, return the "
        "gradient of the whole batch's mean loss.",
        signature="average_shard_gradients(grads, sizes)",
        hint="The batch's loss is (1/N) times the sum over all examples; a shard of n_k examples "
        "contributes n_k times its own mean. Weight each shard's gradient by n_k / N.",
        nudge="Each shard's gradient is that of its own mean loss, so shards of different sizes "
        "must not count equally: what does each shard add to the whole batch's sum?",
        trial=_average_shards_trial,
        verified_by="the full batch's numerical gradient",
    ),
]
