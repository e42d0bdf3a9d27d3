"""Finite differences for the tests: derivatives and Hessian-vector products."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np


def central_difference(f: Callable[[Any], float], x: Any, h: float = 1e-4) -> Any:
    """df/dx at a number ``x``, or the gradient of ``f`` at an array ``x``, error O(h^4).

    (f(x+h) - f(x-h)) / 2h has error c h^2 + O(h^4); combining the steps h and h/2 cancels
    the h^2 term. With h = 1e-4 the truncation error is far below 1e-6 and the round-off is
    about 1e-12 |f|, so relative errors of 1e-6 are measurable. For an array, each entry is
    moved in turn.
    """
    if np.isscalar(x):
        wide = (f(x + h) - f(x - h)) / (2 * h)
        narrow = (f(x + h / 2) - f(x - h / 2)) / h
        return (4 * narrow - wide) / 3
    x = np.array(x, dtype=np.float64)
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):

        def at(step: float, i: tuple[int, ...] = i) -> float:
            moved = x.copy()
            moved[i] += step
            return f(moved)

        wide = (at(h) - at(-h)) / (2 * h)
        narrow = (at(h / 2) - at(-h / 2)) / h
        grad[i] = (4 * narrow - wide) / 3
    return grad


H = 1e-5  # step of the central differences of gradients


def gradient_of(f: Callable[..., Any], *arrays: np.ndarray) -> list[np.ndarray]:
    """First-order gradients of the scalar f from Tensor.backward: independent of the rules
    that backprop_course.higher uses."""
    from backprop_course.tensor import Tensor

    leaves = [Tensor(a, requires_grad=True) for a in arrays]
    f(*leaves).backward()
    return [t.grad if t.grad is not None else np.zeros_like(t.data) for t in leaves]


def fd_hvp(f: Callable[..., Any], arrays: list, vectors: list) -> list[np.ndarray]:
    """(grad f(x + h v) - grad f(x - h v)) / 2h, entry by entry: H v without the rules."""
    plus = gradient_of(f, *[a + H * v for a, v in zip(arrays, vectors, strict=True)])
    minus = gradient_of(f, *[a - H * v for a, v in zip(arrays, vectors, strict=True)])
    return [(p - m) / (2 * H) for p, m in zip(plus, minus, strict=True)]
