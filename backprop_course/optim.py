"""Optimisers: what the weight update does with the gradients (chapter 7).

The surface is PyTorch's: ``opt = SGD(model.parameters(), lr=0.1)``, then per step
``opt.zero_grad(); loss.backward(); opt.step()``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from .checks import describe as _describe
from .checks import positive_number as _positive_number
from .checks import real_number as _real_number
from .tensor import Tensor

__all__ = ["Optimizer", "SGD", "Adam", "RMSprop", "parameter_list"]


def parameter_list(params: Any, where: str = "parameter_list", *,
                   one_tensor_ok: bool = False) -> list[Tensor]:
    """``params`` as a list of Tensors, such as ``model.parameters()``.

    How the optimisers (and :mod:`~backprop_course.diagnostics`' gradient-norm tools)
    accept their parameters; ``where`` names the caller in the errors. A single Tensor
    is accepted as ``[tensor]`` only if ``one_tensor_ok`` (iterating a Tensor would give
    its rows, copies that no update reaches).

    Raises
    ------
    TypeError
        If ``params`` is a Module (pass ``model.parameters()``), a single Tensor (unless
        ``one_tensor_ok``), a string, or not an iterable of Tensors.
    """
    if isinstance(params, Tensor):
        if one_tensor_ok:
            return [params]
        raise TypeError(
            f"{where} needs a list of Tensors, got a single Tensor of shape {params.shape}: "
            "pass [w], or model.parameters()"
        )
    if callable(getattr(params, "parameters", None)):
        raise TypeError(f"{where} needs model.parameters(), not the model {type(params).__name__}")
    if isinstance(params, str) or not isinstance(params, Iterable):
        raise TypeError(
            f"{where} needs an iterable of Tensors such as model.parameters(), got "
            f"{_describe(params)}"
        )
    params = list(params)
    for i, p in enumerate(params):
        if not isinstance(p, Tensor):
            raise TypeError(f"{where}: parameter {i} is {_describe(p)}, not a Tensor")
    return params


class Optimizer:
    """Holds the parameters; ``zero_grad()`` forgets their gradients, ``step()`` updates them.

    ``step()`` updates every parameter that has a gradient and skips those whose ``grad``
    is None (not used in the last backward pass), as PyTorch does; a step with no
    gradient at all changes nothing.

    Raises
    ------
    TypeError
        If ``params`` is not an iterable of Tensors (a model instead of
        ``model.parameters()``, a single Tensor, an array).
    ValueError
        If there are no parameters, one does not have ``requires_grad=True``, or one
        appears twice (it would be updated twice per step).
    """

    def __init__(self, params: Iterable[Tensor]) -> None:
        name = type(self).__name__
        self.params = parameter_list(params, name)
        if not self.params:
            raise ValueError(
                f"{name} got an empty parameter list: pass model.parameters() of a "
                "model that has parameters"
            )
        seen: dict[int, int] = {}
        for i, p in enumerate(self.params):
            if not p.requires_grad:
                raise ValueError(
                    f"{name}: parameter {i} (shape {p.shape}) does not have requires_grad=True"
                )
            if id(p) in seen:
                raise ValueError(
                    f"{name}: parameter {i} is parameter {seen[id(p)]} again: it would be "
                    "updated twice per step"
                )
            seen[id(p)] = i
        self._shapes = [p.shape for p in self.params]

    def zero_grad(self) -> None:
        """Set every parameter's ``grad`` to None (gradients accumulate otherwise)."""
        for p in self.params:
            p.grad = None

    def _grads(self) -> list[np.ndarray | None]:
        # No NaN scan here: Tensor.backward() refuses a loss that is NaN or inf,
        # and the operations that could turn finite values into infinite
        # derivatives raise where it happens, so a gradient from backward() is
        # finite. (A diverging run is stopped at its first non-finite loss.)
        if [p.data.shape for p in self.params] == self._shapes:
            return [p.grad for p in self.params]
        for i, (p, shape) in enumerate(zip(self.params, self._shapes, strict=True)):
            if p.data.shape != shape:
                raise ValueError(
                    f"{type(self).__name__}.step(): parameter {i} has shape {p.data.shape} now but "
                    f"had shape {shape} when the optimiser was made (was its .data replaced?): "
                    "make a new optimiser for the new parameters"
                )
        return [p.grad for p in self.params]

    def step(self) -> None:
        raise NotImplementedError(
            f"{type(self).__name__} does not define step(): use SGD or Adam, or define it"
        )


class SGD(Optimizer):
    """Stochastic gradient descent, optionally with momentum.

    Without momentum: ``w ← w - lr · g``. With momentum α (``momentum``), a velocity
    ``v`` keeps a decaying sum of past gradients: ``v ← α v + g``, ``w ← w - lr · v``.
    This is the rule of the 1986 paper, ``Δw(t) = -η ∂E/∂w + α Δw(t-1)`` with η = lr
    (the paper writes ε for η), as long as lr stays the same from step to step.
    Parameters whose ``grad`` is None (unused in the last backward pass) are left alone.

    Raises
    ------
    TypeError
        As :class:`Optimizer`, or if ``lr`` or ``momentum`` is not a number.
    ValueError
        As :class:`Optimizer`, or if ``lr`` is not a positive finite number or
        ``momentum`` is outside [0, 1).
    """

    def __init__(self, params: Iterable[Tensor], lr: float, momentum: float = 0.0) -> None:
        super().__init__(params)
        self.lr = _positive_number(lr, "lr", "SGD")
        self.momentum = _real_number(momentum, "momentum", "a number in [0, 1)",
                                     lambda v: 0.0 <= v < 1.0, "SGD")
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
    ``w ← w - lr · m̂ / (√v̂ + eps)``. A step at which no parameter has a gradient
    changes nothing and does not count in t.

    Raises
    ------
    TypeError
        As :class:`Optimizer`, or if ``lr``, ``eps`` or a beta is not a number, or
        ``betas`` is not a pair.
    ValueError
        As :class:`Optimizer`, or if ``lr`` or ``eps`` is not a positive finite number,
        there are not two betas, or a beta is outside [0, 1).
    """

    def __init__(
        self,
        params: Iterable[Tensor],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
    ) -> None:
        super().__init__(params)
        self.lr = _positive_number(lr, "lr", "Adam")
        self.eps = _positive_number(eps, "eps", "Adam")
        if not isinstance(betas, tuple | list | np.ndarray):
            raise TypeError(
                f"Adam: betas must be two numbers in [0, 1), such as (0.9, 0.999); got "
                f"{_describe(betas)}"
            )
        if len(betas) != 2:
            raise ValueError(
                f"Adam: betas must be two numbers in [0, 1), such as (0.9, 0.999); got "
                f"{len(betas)}: {betas!r}"
            )
        self.beta1, self.beta2 = (
            _real_number(beta, f"betas[{i}]", "a number in [0, 1)", lambda v: 0.0 <= v < 1.0,
                         "Adam")
            for i, beta in enumerate(betas)
        )
        self.m = [np.zeros_like(p.data) for p in self.params]
        self.v = [np.zeros_like(p.data) for p in self.params]
        self.t = 0

    def step(self) -> None:
        grads = self._grads()
        if all(g is None for g in grads):
            return  # no gradient yet: nothing to update, and not a step of t
        self.t += 1
        correction1 = 1.0 - self.beta1**self.t
        correction2 = 1.0 - self.beta2**self.t
        for p, m, v, g in zip(self.params, self.m, self.v, grads, strict=True):
            if g is None:
                continue
            m *= self.beta1
            m += (1.0 - self.beta1) * g
            v *= self.beta2
            v += (1.0 - self.beta2) * g * g
            p.data -= self.lr * (m / correction1) / (np.sqrt(v / correction2) + self.eps)


class RMSprop(Optimizer):
    """RMSprop (Tieleman & Hinton 2012): each weight's step divided by a running RMS of its
    gradient.

    ``v ← α v + (1-α) g²`` and ``w ← w - lr · g / (√v + eps)``, as PyTorch's
    ``optim.RMSprop`` (without momentum) and CS231n's ``rmsprop`` (whose ``decay_rate`` is
    ``alpha``). Adam without the momentum and the bias correction.

    Raises
    ------
    TypeError
        As :class:`Optimizer`, or if ``lr``, ``alpha`` or ``eps`` is not a number.
    ValueError
        As :class:`Optimizer`, or if ``lr`` or ``eps`` is not a positive finite number, or
        ``alpha`` is outside [0, 1).
    """

    def __init__(
        self, params: Iterable[Tensor], lr: float = 1e-2, alpha: float = 0.99, eps: float = 1e-8
    ) -> None:
        super().__init__(params)
        self.lr = _positive_number(lr, "lr", "RMSprop")
        self.eps = _positive_number(eps, "eps", "RMSprop")
        self.alpha = _real_number(alpha, "alpha", "a number in [0, 1)",
                                  lambda v: 0.0 <= v < 1.0, "RMSprop")
        self.v = [np.zeros_like(p.data) for p in self.params]

    def step(self) -> None:
        for p, v, g in zip(self.params, self.v, self._grads(), strict=True):
            if g is None:
                continue
            v *= self.alpha
            v += (1.0 - self.alpha) * g * g  # running mean of g²
            p.data -= self.lr * g / (np.sqrt(v) + self.eps)
