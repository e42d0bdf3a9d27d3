"""Attention as Tensor modules: ``MultiHeadAttention``, ``TransformerBlock`` and a small
character-level ``CharTransformer`` (chapter 14; exposed as ``bc.nn.<name>``).

Composed from existing :class:`~backprop_course.tensor.Tensor` operations: matrix products,
``reshape``/``transpose`` to split and merge the heads, and ``log_softmax(...).exp()`` for
the softmax. A causal mask adds a large negative constant (-1e9) to the scores of the
future, whose weights then underflow to exactly 0, as the ``-inf`` of the layer pair
:func:`~backprop_course.layers.attention.attention_forward` gives.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import init as initialisers
from .checks import flag as _flag
from .checks import int_at_least as _int_at_least
from .checks import real_number as _real_number
from .layers.attention import causal_mask
from .losses import cross_entropy
from .nn import Linear, Module
from .nn_blocks import Dropout, Embedding, LayerNorm
from .tensor import Tensor, as_tensor, no_grad

__all__ = ["MultiHeadAttention", "TransformerBlock", "CharTransformer"]

_MASKED = -1e9  # added to a masked score: exp(-1e9 - max) is exactly 0 in float64


class MultiHeadAttention(Module):
    """Multi-head self-attention without biases, ``concat(heads) Wo``.

    Each head attends with its slice of ``x Wq``, ``x Wk``, ``x Wv`` and the scale
    ``1/√(D/n_heads)``. The weights are the layer pair's
    (:func:`~backprop_course.layers.attention.multihead_attention_forward`).

    Parameters
    ----------
    D : int
        Features.
    n_heads : int
        Heads; must divide D.
    causal : bool, default False
        Let position t read only positions up to t.
    rng : int or numpy.random.Generator, optional
        The four (D, D) weights start as N(0, 1/D).

    Attributes
    ----------
    weights : numpy.ndarray or None
        The attention weights of the last call, (N, n_heads, T, T).

    Raises
    ------
    TypeError
        If a size is not an int, ``causal`` not a bool, or ``rng`` not a seed or Generator.
    ValueError
        If a size is < 1, ``n_heads`` does not divide D, or the seed is negative.
    """

    def __init__(self, D: int, n_heads: int, *, causal: bool = False,
                 rng: initialisers.RngLike = None) -> None:
        self.D = _int_at_least(D, 1, "D", "MultiHeadAttention")
        self.n_heads = _int_at_least(n_heads, 1, "n_heads", "MultiHeadAttention")
        if self.D % self.n_heads:
            raise ValueError(f"MultiHeadAttention: n_heads = {n_heads} does not divide D = {D}")
        self.causal = _flag(causal, "MultiHeadAttention: causal")
        gen = initialisers.as_rng(rng)
        self.Wq, self.Wk, self.Wv, self.Wo = (
            Tensor(gen.normal(0, self.D**-0.5, (self.D, self.D)), requires_grad=True)
            for _ in range(4))
        self.weights: np.ndarray | None = None

    def forward(self, x: Tensor | np.ndarray) -> Tensor:
        x = as_tensor(x, "MultiHeadAttention", "input")
        if x.ndim != 3 or x.shape[2] != self.D:
            raise ValueError(f"{self!r} expects x of shape (N, T, {self.D}), got {x.shape}")
        N, T, D = x.shape
        h, d = self.n_heads, D // self.n_heads

        def heads(W: Tensor) -> Tensor:  # (N, T, D) -> (N, h, T, d)
            return (x @ W).reshape(N, T, h, d).transpose(0, 2, 1, 3)

        q, k, v = heads(self.Wq), heads(self.Wk), heads(self.Wv)
        scores = (q @ k.transpose(0, 1, 3, 2)) * d**-0.5  # s = q kᵀ / √d
        if self.causal:
            scores = scores + np.where(causal_mask(T), 0.0, _MASKED)
        p = scores.log_softmax(axis=-1).exp()  # the softmax, row by row
        self.weights = p.data
        merged = (p @ v).transpose(0, 2, 1, 3).reshape(N, T, D)
        return merged @ self.Wo

    def __repr__(self) -> str:
        return f"MultiHeadAttention({self.D}, n_heads={self.n_heads}, causal={self.causal})"


class TransformerBlock(Module):
    """A pre-norm transformer block: ``r = x + MHA(LN₁(x))``, ``out = r + MLP(LN₂(r))``.

    ``MLP(u) = relu(u W₁ + b₁) W₂ + b₂`` applied at every position, with dropout after
    attention and after the MLP in training mode. The same function as
    :func:`~backprop_course.layers.transformer.transformer_block_forward`;
    :meth:`layer_parameters` gives the parameters by that function's names.

    Parameters
    ----------
    D : int
        Features.
    n_heads : int
        Attention heads; must divide D.
    hidden : int, optional
        The MLP's width, 4 D by default.
    causal : bool, default True
    dropout : float, default 0.0
        Drop probability of the two dropout layers.
    residual : bool, default True
        False removes the two identity paths (``r = MHA(LN₁(x))``, ``out = MLP(LN₂(r))``).
    rng : int or numpy.random.Generator, optional

    Raises
    ------
    TypeError
        If a size is not an int, a flag not a bool, ``dropout`` not a number or ``rng`` not
        a seed or Generator.
    ValueError
        If a size is < 1, ``n_heads`` does not divide D, ``dropout`` is outside [0, 1), or
        the seed is negative.
    """

    def __init__(self, D: int, n_heads: int, hidden: int | None = None, *, causal: bool = True,
                 dropout: float = 0.0, residual: bool = True,
                 rng: initialisers.RngLike = None) -> None:
        gen = initialisers.as_rng(rng)
        self.attn = MultiHeadAttention(D, n_heads, causal=causal, rng=gen)
        D = self.attn.D
        F = 4 * D if hidden is None else _int_at_least(hidden, 1, "hidden", "TransformerBlock")
        self.residual = _flag(residual, "TransformerBlock: residual")
        self.ln1, self.ln2 = LayerNorm(D), LayerNorm(D)
        self.fc1 = Linear(D, F, init="he", rng=gen)
        self.fc2 = Linear(F, D, rng=gen)
        self.drop = Dropout(dropout, rng=gen)

    def forward(self, x: Tensor | np.ndarray) -> Tensor:
        x = as_tensor(x, "TransformerBlock", "input")
        a = self.drop(self.attn(self.ln1(x)))
        r = x + a if self.residual else a
        N, T, D = r.shape
        u = self.fc1(self.ln2(r).reshape(N * T, D)).relu()  # every position is a row
        m = self.drop(self.fc2(u).reshape(N, T, D))
        return r + m if self.residual else m

    def layer_parameters(self) -> dict[str, np.ndarray]:
        """The parameters (copies) by the names of ``layers.TRANSFORMER_PARAMETERS``."""
        tensors = {"ln1_gamma": self.ln1.gamma, "ln1_beta": self.ln1.beta,
                   "Wq": self.attn.Wq, "Wk": self.attn.Wk, "Wv": self.attn.Wv,
                   "Wo": self.attn.Wo, "ln2_gamma": self.ln2.gamma, "ln2_beta": self.ln2.beta,
                   "W1": self.fc1.W, "b1": self.fc1.b, "W2": self.fc2.W, "b2": self.fc2.b}
        return {name: t.data.copy() for name, t in tensors.items()}

    def __repr__(self) -> str:
        return (f"TransformerBlock({self.attn.D}, n_heads={self.attn.n_heads}, "
                f"residual={self.residual})")


class CharTransformer(Module):
    """A small GPT-style character model: embeddings, transformer blocks, a read-out.

    ``logits = head(LN(blocks(tok[idx] + pos[:T])))``, shape (N, T, V): at every position
    the scores of the next character, computed from that position and the ones before it
    (causal attention).

    Parameters
    ----------
    V : int
        Vocabulary size.
    D : int, default 32
    n_heads : int, default 4
    n_layers : int, default 2
    context : int, default 32
        The longest sequence it reads (the learned positions).
    dropout : float, default 0.0
    residual : bool, default True
    rng : int or numpy.random.Generator, optional

    Raises
    ------
    TypeError
        If a size is not an int, a flag not a bool, ``dropout`` not a number or ``rng`` not
        a seed or Generator.
    ValueError
        If a size is < 1, ``n_heads`` does not divide D, ``dropout`` is outside [0, 1), or
        the seed is negative.
    """

    def __init__(self, V: int, D: int = 32, n_heads: int = 4, n_layers: int = 2, *,
                 context: int = 32, dropout: float = 0.0, residual: bool = True,
                 rng: initialisers.RngLike = None) -> None:
        gen = initialisers.as_rng(rng)
        self.tok = Embedding(V, D, rng=gen)
        self.context = _int_at_least(context, 1, "context", "CharTransformer")
        n_layers = _int_at_least(n_layers, 1, "n_layers", "CharTransformer")
        self.pos = Tensor(gen.normal(0, 0.1, (self.context, self.tok.D)), requires_grad=True)
        self.blocks = [TransformerBlock(D, n_heads, dropout=dropout, residual=residual, rng=gen)
                       for _ in range(n_layers)]
        self.ln_f = LayerNorm(self.tok.D)
        self.head = Linear(self.tok.D, self.tok.V, rng=gen)

    def forward(self, idx: Any) -> Tensor:
        idx = np.asarray(idx)
        if idx.ndim != 2 or not 1 <= idx.shape[1] <= self.context:
            raise ValueError(f"CharTransformer expects token ids of shape (N, T) with "
                             f"1 <= T <= {self.context}, got {idx.shape}")
        N, T = idx.shape
        x = self.tok(idx) + self.pos[:T]
        for block in self.blocks:
            x = block(x)
        x = self.ln_f(x)
        return self.head(x.reshape(N * T, self.tok.D)).reshape(N, T, self.tok.V)

    def loss(self, idx: Any, targets: Any) -> Tensor:
        """The mean cross-entropy of the next-character predictions, over every position."""
        logits = self(idx)
        return cross_entropy(logits.reshape(-1, self.tok.V), np.asarray(targets).reshape(-1))

    def generate(self, start: Any, n: int, *, rng: initialisers.RngLike = None,
                 temperature: float = 1.0) -> np.ndarray:
        """Sample ``n`` more token ids after ``start`` (1-D ids), one at a time, in eval mode.

        Raises TypeError for a count that is not an int and ValueError for n < 0 or a
        temperature that is not positive.
        """
        n = _int_at_least(n, 0, "n", "CharTransformer.generate")
        temperature = _real_number(temperature, "temperature", "a positive number",
                                   lambda v: 0 < v < np.inf, "CharTransformer.generate")
        gen = initialisers.as_rng(rng)
        ids = [int(i) for i in np.asarray(start).ravel()]
        was_training = self.training
        self.eval()
        with no_grad():
            for _ in range(n):
                window = np.array([ids[-self.context:]])
                logits = self(window).data[0, -1] / temperature
                p = np.exp(logits - logits.max())
                ids.append(int(np.searchsorted(np.cumsum(p / p.sum()), gen.random())))
        self.train(was_training)
        return np.array(ids)

    def __repr__(self) -> str:
        return (f"CharTransformer(V={self.tok.V}, D={self.tok.D}, "
                f"n_layers={len(self.blocks)}, context={self.context})")
