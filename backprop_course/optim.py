"""Optimisers: what the weight update does with the gradients (chapter 7).

The surface is PyTorch's: ``opt = SGD(model.parameters(), lr=0.1)``, then per step
``opt.zero_grad(); loss.backward(); opt.step()``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

from .tensor import Tensor

__all__ = ["Optimizer", "SGD", "Adam"]


def _positive(name: str, value: float) -> float:
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or value <= 0
    ):
        raise ValueError(f"{name} must be a positive number, got {value!r}")
    return float(value)


class Optimizer:
    """Holds the parameters; ``zero_grad()`` forgets their gradients, ``step()`` updates them."""

    def __init__(self, params: Iterable[Tensor]) -> None:
        self.params = list(params)
        if not self.params:
            raise ValueError(
                f"{type(self).__name__} got an empty parameter list: pass model.parameters() of a "
                "model that has parameters"
            )
        for i, p in enumerate(self.params):
            if not isinstance(p, Tensor):
                raise TypeError(f"parameter {i} is a {type(p).__name__}, not a Tensor")
            if not p.requires_grad:
                raise ValueError(
                    f"parameter {i} (shape {p.shape}) does not have requires_grad=True"
                )

    def zero_grad(self) -> None:
        """Set every parameter's ``grad`` to None (gradients accumulate otherwise)."""
        for p in self.params:
            p.grad = None

    def _grads(self) -> list[np.ndarray | None]:
        # No NaN scan here: Tensor.backward() refuses a loss that is NaN or inf,
        # and the operations that could turn finite values into infinite
        # derivatives raise where it happens, so a gradient from backward() is
        # finite. (A diverging run is stopped at its first non-finite loss.)
        return [p.grad for p in self.params]

    def step(self) -> None:
        raise NotImplementedError


class SGD(Optimizer):
    """Stochastic gradient descent, optionally with momentum.

    Without momentum: ``w ← w - lr · g``. With momentum α (``momentum``), a velocity
    ``v`` keeps a decaying sum of past gradients: ``v ← α v + g``, ``w ← w - lr · v``.
    This is the rule of the 1986 paper, ``Δw(t) = -η ∂E/∂w + α Δw(t-1)`` with η = lr
    (the paper writes ε for η), as long as lr stays the same from step to step.
    Parameters whose ``grad`` is None (unused in the last backward pass) are left alone.
    """

    def __init__(self, params: Iterable[Tensor], lr: float, momentum: float = 0.0) -> None:
        super().__init__(params)
        self.lr = _positive("lr", lr)
        if not 0.0 <= momentum < 1.0:
            raise ValueError(f"momentum must be in [0, 1), got {momentum!r}")
        self.momentum = float(momentum)
        self.velocity = [np.zeros_like(p.data) for p in self.params]

    def step(self) -> None:
        for p, v, g in zip(self.params, self.velocity, self._grads(), strict=True):
            if g is None:
                continue
            if self.momentum:
                v *= self.momentum
                v += g
                g = v
            p.data -= self.lr * g


class Adam(Optimizer):
    """Adam (Kingma & Ba 2015): momentum on the gradient, scaled by a running RMS of it.

    ``m ← β₁ m + (1-β₁) g``, ``v ← β₂ v + (1-β₂) g²``, and with the bias
    corrections ``m̂ = m / (1-β₁ᵗ)``, ``v̂ = v / (1-β₂ᵗ)``:
    ``w ← w - lr · m̂ / (√v̂ + eps)``.
    """

    def __init__(
        self,
        params: Iterable[Tensor],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
    ) -> None:
        super().__init__(params)
        self.lr = _positive("lr", lr)
        self.eps = _positive("eps", eps)
        if len(betas) != 2 or not all(0.0 <= beta < 1.0 for beta in betas):
            raise ValueError(f"betas must be two numbers in [0, 1), got {betas!r}")
        self.beta1, self.beta2 = float(betas[0]), float(betas[1])
        self.m = [np.zeros_like(p.data) for p in self.params]
        self.v = [np.zeros_like(p.data) for p in self.params]
        self.t = 0

    def step(self) -> None:
        self.t += 1
        correction1 = 1.0 - self.beta1**self.t
        correction2 = 1.0 - self.beta2**self.t
        for p, m, v, g in zip(self.params, self.m, self.v, self._grads(), strict=True):
            if g is None:
                continue
            m *= self.beta1
            m += (1.0 - self.beta1) * g
            v *= self.beta2
            v += (1.0 - self.beta2) * g * g
            p.data -= self.lr * (m / correction1) / (np.sqrt(v / correction2) + self.eps)
