"""Chapter 14's building blocks as Tensor modules: train/eval modes, ``Dropout``,
``LayerNorm``, ``Embedding`` and ``LSTM`` (exposed as ``bc.nn.<name>``).

Every module is composed from existing :class:`~backprop_course.tensor.Tensor` operations
(no new primitive), so the engine differentiates it, and differentiates its gradient again
(:mod:`backprop_course.higher`), with no rule of its own. The layer pairs of
:mod:`backprop_course.layers` compute the same functions by hand; chapter 14 and the tests
check that the two agree.

**Modes.** Every :class:`~backprop_course.nn.Module` has PyTorch's ``train()`` /
``eval()`` and ``training`` flag; ``Dropout`` is the module here that looks at it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import init as initialisers
from .checks import int_at_least as _int_at_least
from .checks import positive_number as _positive_number
from .checks import real_number as _real_number
from .nn import Module
from .ops.shape import stack
from .tensor import Tensor, as_tensor

__all__ = ["Dropout", "LayerNorm", "Embedding", "LSTM"]


class Dropout(Module):
    """Inverted dropout: in training mode, zero each entry with probability ``p`` and divide
    the rest by ``1 - p``; in evaluation mode, the identity.

    The same function as :func:`~backprop_course.layers.dropout.dropout_forward`; the mask
    is a constant, so the backward pass is multiplication by it.

    Parameters
    ----------
    p : float in [0, 1), default 0.5
        Probability of dropping an entry (PyTorch's ``p``).
    rng : int or numpy.random.Generator, optional
        Seed or generator of the masks (a new mask at every call).

    Raises
    ------
    TypeError
        If ``p`` is not a number or ``rng`` not a seed or Generator.
    ValueError
        If ``p`` is outside [0, 1), or the seed is negative.
    """

    def __init__(self, p: float = 0.5, *, rng: initialisers.RngLike = None) -> None:
        self.p = _real_number(p, "p", "a drop probability in [0, 1)",
                              lambda v: 0.0 <= v < 1.0, "Dropout")
        self.rng = initialisers.as_rng(rng)

    def forward(self, x: Tensor | np.ndarray) -> Tensor:
        x = as_tensor(x, "Dropout", "input")
        if not self.training or self.p == 0.0:
            return x
        mask = (self.rng.random(x.shape) >= self.p) / (1.0 - self.p)
        return x * mask  # a constant mask: dx = dout * mask

    def __repr__(self) -> str:
        return f"Dropout(p={self.p})"


class LayerNorm(Module):
    """Layer normalisation over the last axis, ``γ (x - μ)/√(var + eps) + β`` per example.

    Built from Tensor operations (mean, subtract, square, mean, power, multiply, add), so
    its second derivatives come for free.

    Parameters
    ----------
    D : int
        Features, the size of the last axis.
    eps : float, default 1e-5

    Raises
    ------
    TypeError
        If ``D`` is not an int or ``eps`` not a number.
    ValueError
        If ``D`` < 1 or ``eps`` is not a positive finite number.
    """

    def __init__(self, D: int, eps: float = 1e-5) -> None:
        self.D = _int_at_least(D, 1, "D", "LayerNorm")
        self.eps = _positive_number(eps, "eps", "LayerNorm")
        self.gamma = Tensor(np.ones(self.D), requires_grad=True)
        self.beta = Tensor(np.zeros(self.D), requires_grad=True)

    def forward(self, x: Tensor | np.ndarray) -> Tensor:
        x = as_tensor(x, "LayerNorm", "input")
        if x.ndim == 0 or x.shape[-1] != self.D:
            raise ValueError(f"{self!r} expects inputs of shape (..., {self.D}), got {x.shape}")
        centred = x - x.mean(axis=-1, keepdims=True)
        var = (centred * centred).mean(axis=-1, keepdims=True)
        return centred * (var + self.eps) ** -0.5 * self.gamma + self.beta

    def __repr__(self) -> str:
        return f"LayerNorm({self.D})"


class Embedding(Module):
    """A table of ``V`` learned vectors of size ``D``: ``emb(idx)`` is ``W[idx]``.

    Indexing is the engine's gather; its backward pass adds each row's gradient into the
    row it came from (a scatter-add), so a token that occurs twice gets both gradients.

    Parameters
    ----------
    V, D : int
        Vocabulary size and vector size.
    rng : int or numpy.random.Generator, optional
        The rows start as draws from N(0, 1).

    Raises
    ------
    TypeError
        If a size is not an int or ``rng`` not a seed or Generator.
    ValueError
        If a size is < 1 or the seed is negative.
    """

    def __init__(self, V: int, D: int, *, rng: initialisers.RngLike = None) -> None:
        self.V = _int_at_least(V, 1, "V", "Embedding")
        self.D = _int_at_least(D, 1, "D", "Embedding")
        self.W = Tensor(initialisers.as_rng(rng).normal(size=(self.V, self.D)),
                        requires_grad=True)

    def forward(self, idx: Any) -> Tensor:
        idx = np.asarray(idx)
        if idx.dtype.kind not in "iu":
            raise TypeError(f"Embedding: indices must be integers (token ids), got dtype "
                            f"{idx.dtype}")
        if idx.size and (idx.min() < 0 or idx.max() >= self.V):
            raise ValueError(f"Embedding: indices must lie in 0..{self.V - 1}, got "
                             f"{int(idx.min())}..{int(idx.max())}")
        return self.W[idx]

    def __repr__(self) -> str:
        return f"Embedding({self.V}, {self.D})"


class LSTM(Module):
    """An LSTM layer over batch-first sequences, built from Tensor operations.

    The same cell as :func:`~backprop_course.layers.lstm.lstm_forward`: gates i, f, o, g
    from ``x_t Wx + h_{t-1} Wh + b``, ``c_t = f c_{t-1} + i g``, ``h_t = o tanh c_t``.
    Calling it on ``x`` (N, T, D) returns ``(h, (h_T, c_T))`` as PyTorch's ``nn.LSTM``
    does: every hidden state, shape (N, T, H), and the last states.

    Parameters
    ----------
    input_size, hidden_size : int
    rng : int or numpy.random.Generator, optional
        ``Wx`` and ``Wh`` start uniform in ±1/√H (PyTorch's default); ``b`` at 0.

    Raises
    ------
    TypeError
        If a size is not an int or ``rng`` not a seed or Generator.
    ValueError
        If a size is < 1 or the seed is negative.
    """

    def __init__(self, input_size: int, hidden_size: int, *,
                 rng: initialisers.RngLike = None) -> None:
        D = _int_at_least(input_size, 1, "input_size", "LSTM")
        H = _int_at_least(hidden_size, 1, "hidden_size", "LSTM")
        gen = initialisers.as_rng(rng)
        bound = 1.0 / np.sqrt(H)
        self.input_size, self.hidden_size = D, H
        self.Wx = Tensor(gen.uniform(-bound, bound, (D, 4 * H)), requires_grad=True)
        self.Wh = Tensor(gen.uniform(-bound, bound, (H, 4 * H)), requires_grad=True)
        self.b = Tensor(np.zeros(4 * H), requires_grad=True)

    def forward(self, x: Tensor | np.ndarray, h0: Tensor | np.ndarray | None = None) -> tuple:
        x = as_tensor(x, "LSTM", "input")
        D, H = self.input_size, self.hidden_size
        if x.ndim != 3 or x.shape[2] != D or x.shape[1] == 0:
            raise ValueError(f"{self!r} expects x of shape (N, T, {D}) with T >= 1, got "
                             f"{x.shape}")
        N, T, _ = x.shape
        h = Tensor(np.zeros((N, H))) if h0 is None else as_tensor(h0, "LSTM", "h0")
        if h.shape != (N, H):
            raise ValueError(f"{self!r}: h0 has shape {h.shape}, expected ({N}, {H})")
        c = Tensor(np.zeros((N, H)))
        hs = []
        for t in range(T):
            a = x[:, t] @ self.Wx + h @ self.Wh + self.b  # (N, 4H): the four gates' inputs
            i, f = a[:, :H].sigmoid(), a[:, H:2 * H].sigmoid()
            o, g = a[:, 2 * H:3 * H].sigmoid(), a[:, 3 * H:].tanh()
            c = f * c + i * g  # the additive path
            h = o * c.tanh()
            hs.append(h)
        return stack(hs, axis=1), (h, c)  # (N, T, H): h_t in column t

    def __repr__(self) -> str:
        return f"LSTM({self.input_size}, {self.hidden_size})"
