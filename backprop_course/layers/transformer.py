"""A transformer block, chained from the layer pairs (chapter 14).

The pre-norm block of GPT-2 and most models since: for ``x`` of shape (N, T, D),

    r = x + MHA(LN₁(x)),        out = r + MLP(LN₂(r)),
    MLP(u) = relu(u W₁ + b₁) W₂ + b₂,

with multi-head self-attention (:mod:`.attention`), layer normalisation (:mod:`.layernorm`)
and the dense layer and ReLU of chapter 5. The forward pass chains the pairs' forward
functions left to right and keeps their caches; the backward pass chains their backward
functions right to left, and at each residual connection the gradient that arrives is
**added** to the gradient of the branch: ``d(x + f(x))/dx = I + f'(x)``, the identity path
that lets gradient reach the lower blocks whatever the branch does to it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..checks import describe as _describe
from ..checks import flag as _flag
from ..checks import real_array as _float_array
from ..checks import same_shape as _same_shape
from .attention import multihead_attention_backward, multihead_attention_forward
from .dense import dense_backward, dense_forward, relu_backward, relu_forward
from .layernorm import layernorm_backward, layernorm_forward

__all__ = ["TRANSFORMER_PARAMETERS", "transformer_block_forward", "transformer_block_backward"]

TRANSFORMER_PARAMETERS = {
    "ln1_gamma": "(D,)", "ln1_beta": "(D,)",
    "Wq": "(D, D)", "Wk": "(D, D)", "Wv": "(D, D)", "Wo": "(D, D)",
    "ln2_gamma": "(D,)", "ln2_beta": "(D,)",
    "W1": "(D, F)", "b1": "(F,)", "W2": "(F, D)", "b2": "(D,)",
}
"""The parameters of a block, by name, with their shapes (F is the MLP's hidden width)."""


def _params(params: Any, where: str) -> dict[str, np.ndarray]:
    if not isinstance(params, dict):
        raise TypeError(f"{where}: params must be a dict of the arrays "
                        f"{', '.join(TRANSFORMER_PARAMETERS)}, got {_describe(params)}")
    missing = [name for name in TRANSFORMER_PARAMETERS if name not in params]
    if missing:
        raise ValueError(f"{where}: params lacks {', '.join(missing)}")
    return {name: _float_array(params[name], name, where) for name in TRANSFORMER_PARAMETERS}


def transformer_block_forward(
    x: np.ndarray, params: dict, n_heads: int, *, causal: bool = True, residual: bool = True
) -> tuple[np.ndarray, tuple]:
    """A pre-norm transformer block, ``r = x + MHA(LN₁(x))``, ``out = r + MLP(LN₂(r))``.

    Parameters
    ----------
    x : numpy.ndarray, shape (N, T, D)
    params : dict
        The arrays named in :data:`TRANSFORMER_PARAMETERS`, of those shapes.
    n_heads : int
        Attention heads; must divide D.
    causal : bool, default True
        Causal self-attention (position t reads positions up to t).
    residual : bool, default True
        With False, ``r = MHA(LN₁(x))`` and ``out = MLP(LN₂(r))``: the block without its
        two identity paths (chapter 14 compares the gradients).

    Returns
    -------
    out : numpy.ndarray, shape (N, T, D)
    cache : tuple
        The caches of the pairs, for :func:`transformer_block_backward`.

    Raises
    ------
    TypeError
        If ``params`` is not a dict, an array is not real numbers, or a flag is not a bool.
    ValueError
        If a parameter is missing or of the wrong shape (the pair that uses it says which),
        or an array holds NaN or inf.
    """
    where = "transformer_block_forward"
    x = _float_array(x, "x", where)
    p = _params(params, where)
    residual = _flag(residual, f"{where}: residual")
    if x.ndim != 3:
        raise ValueError(f"{where} needs x of shape (N, T, D), got {x.shape}")
    N, T, D = x.shape
    h1, ln1_c = layernorm_forward(x, p["ln1_gamma"], p["ln1_beta"])
    a, mha_c = multihead_attention_forward(h1, p["Wq"], p["Wk"], p["Wv"], p["Wo"], n_heads,
                                           causal=causal)
    r = x + a if residual else a
    h2, ln2_c = layernorm_forward(r, p["ln2_gamma"], p["ln2_beta"])
    z, fc1_c = dense_forward(h2.reshape(N * T, D), p["W1"], p["b1"])  # rows: every position
    u, relu_c = relu_forward(z)
    m, fc2_c = dense_forward(u, p["W2"], p["b2"])
    m = m.reshape(N, T, D)
    out = r + m if residual else m
    return out, (ln1_c, mha_c, ln2_c, fc1_c, relu_c, fc2_c, residual, x.shape)


def transformer_block_backward(dout: np.ndarray, cache: tuple) -> tuple[np.ndarray, dict]:
    """Gradients of :func:`transformer_block_forward`: the pairs' backward passes, right to left.

    At each residual connection the gradient arriving at the sum goes both ways: into the
    branch and, unchanged, past it (``dr = dout + MLP branch's dr``).

    Returns
    -------
    dx : numpy.ndarray, shape (N, T, D)
    grads : dict
        One gradient per parameter, by the names of :data:`TRANSFORMER_PARAMETERS`.

    Raises
    ------
    TypeError
        If ``cache`` is not what :func:`transformer_block_forward` returned, or ``dout`` is
        not numbers.
    ValueError
        If ``dout`` does not have the output's shape, or holds NaN or inf.
    """
    where = "transformer_block_backward"
    if not (isinstance(cache, tuple) and len(cache) == 8 and isinstance(cache[6], bool)):
        raise TypeError(f"{where} needs the cache that transformer_block_forward returned (its "
                        f"second value), got {_describe(cache)}")
    ln1_c, mha_c, ln2_c, fc1_c, relu_c, fc2_c, residual, shape = cache
    dout = _same_shape(dout, shape, where)
    N, T, D = shape
    du, dW2, db2 = dense_backward(dout.reshape(N * T, D), fc2_c)  # out = r + m
    dz = relu_backward(du, relu_c)
    dh2, dW1, db1 = dense_backward(dz, fc1_c)
    dr, dg2, dbeta2 = layernorm_backward(dh2.reshape(N, T, D), ln2_c)
    if residual:
        dr = dr + dout  # the identity path past the MLP
    dh1, dWq, dWk, dWv, dWo = multihead_attention_backward(dr, mha_c)
    dx, dg1, dbeta1 = layernorm_backward(dh1, ln1_c)
    if residual:
        dx = dx + dr  # the identity path past attention
    grads = {"ln1_gamma": dg1, "ln1_beta": dbeta1, "Wq": dWq, "Wk": dWk, "Wv": dWv, "Wo": dWo,
             "ln2_gamma": dg2, "ln2_beta": dbeta2, "W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
    return dx, grads
