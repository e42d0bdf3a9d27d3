"""Scaled dot-product attention and multi-head self-attention, as forward/backward pairs
(chapter 14).

Attention reads a set of values ``v`` with weights computed from queries ``q`` and keys
``k``. For one sequence, with ``q`` (T_q, d), ``k`` (T_k, d) and ``v`` (T_k, d_v):

    s = q kᵀ / √d,   p = softmax(s) row by row,   out = p v.

Row t of ``p`` says how much position t reads from each key. The backward pass is three
matrix products and one softmax Jacobian per row:

    dv = pᵀ dout,   dp = dout vᵀ,   ds = p ⊙ (dp - rowsum(dp ⊙ p)),
    dq = ds k / √d,   dk = dsᵀ q / √d.

The scale 1/√d keeps the scores of order 1 when q and k have entries of order 1: without
it a sum of d products has a standard deviation of √d, the softmax saturates into a
near one-hot row, and its Jacobian ``diag(p) - p pᵀ`` (and so the gradient) nearly
vanishes. A **causal mask** lets position t read only positions up to t: the masked
scores become -inf, their weights exactly 0, and no gradient flows to them.

Every array may carry leading axes (a batch, heads): (..., T, d). The multi-head layer
splits D features into ``n_heads`` heads of D / n_heads, attends in each, and mixes the
heads with ``Wo``, as PyTorch's ``nn.MultiheadAttention(D, n_heads, bias=False)`` with
``batch_first=True`` (whose weights are the transposes of ours).
"""

from __future__ import annotations

import numpy as np

from ..checks import flag as _flag
from ..checks import int_at_least as _int_at_least
from ..checks import positive_number as _positive_number
from ..checks import real_array as _float_array
from ..checks import same_shape as _same_shape
from ..checks import unpack_cache as _unpack_cache

__all__ = [
    "causal_mask",
    "attention_forward",
    "attention_backward",
    "multihead_attention_forward",
    "multihead_attention_backward",
]

_CACHE = (np.ndarray, np.ndarray, np.ndarray, np.ndarray, float)  # q, k, v, p, scale
_MHA_CACHE = (3, 2, 2, 2, 2, np.ndarray, 4, tuple, int)


def causal_mask(T: int) -> np.ndarray:
    """The (T, T) boolean mask of causal attention: ``mask[t, s]`` is True where s <= t.

    Raises TypeError if ``T`` is not an int and ValueError if it is < 1.
    """
    T = _int_at_least(T, 1, "T", "causal_mask")
    return np.tril(np.ones((T, T), dtype=bool))


def _mask(mask: object, shape: tuple[int, ...], where: str) -> np.ndarray | None:
    """A boolean mask that broadcasts to the scores' shape, every row with an allowed key."""
    if mask is None:
        return None
    arr = np.asarray(mask)
    if arr.dtype != bool:
        raise TypeError(
            f"{where}: mask must be an array of booleans (True where a query may read a key), "
            f"got dtype {arr.dtype}"
        )
    try:
        arr = np.broadcast_to(arr, shape)
    except ValueError:
        raise ValueError(
            f"{where}: mask of shape {arr.shape} does not broadcast to the scores' shape "
            f"{shape} (..., T_q, T_k)"
        ) from None
    if not arr.any(axis=-1).all():
        raise ValueError(f"{where}: mask leaves a query with no key to read (a row all False)")
    return arr


def attention_forward(
    q: np.ndarray, k: np.ndarray, v: np.ndarray, *, mask: np.ndarray | None = None,
    causal: bool = False, scale: float | None = None,
) -> tuple[np.ndarray, tuple]:
    """Scaled dot-product attention ``softmax(q kᵀ · scale) v``, row by row.

    Parameters
    ----------
    q : numpy.ndarray, shape (..., T_q, d)
    k : numpy.ndarray, shape (..., T_k, d)
    v : numpy.ndarray, shape (..., T_k, d_v)
        The leading axes (batch, heads) must be the same for all three.
    mask : numpy.ndarray of bool, optional
        Broadcasts to (..., T_q, T_k); True where a query may read a key.
    causal : bool, default False
        Also let query t read only keys 0..t (needs T_q = T_k).
    scale : float, optional
        The scores' factor; by default ``1 / √d``.

    Returns
    -------
    out : numpy.ndarray, shape (..., T_q, d_v)
    cache : tuple
        ``(q, k, v, p, scale)`` with the attention weights ``p`` (..., T_q, T_k).

    Raises
    ------
    TypeError
        If an array is not real numbers, ``mask`` is not booleans, ``causal`` is not a bool
        or ``scale`` is not a number.
    ValueError
        If the shapes do not fit (the message names them), an array holds NaN or inf, the
        mask does not broadcast or leaves a query nothing to read, or ``scale`` <= 0.
    """
    where = "attention_forward"
    q, k, v = (_float_array(a, name, where) for a, name in ((q, "q"), (k, "k"), (v, "v")))
    if q.ndim < 2 or k.ndim != q.ndim or v.ndim != q.ndim:
        raise ValueError(
            f"{where} needs q (..., T_q, d), k (..., T_k, d) and v (..., T_k, d_v) with the same "
            f"number of axes; got q {q.shape}, k {k.shape}, v {v.shape}"
        )
    if q.shape[:-2] != k.shape[:-2] or k.shape[:-1] != v.shape[:-1] or q.shape[-1] != k.shape[-1]:
        raise ValueError(
            f"{where}: q {q.shape}, k {k.shape} and v {v.shape} do not fit: q and k need the "
            "same d (last axis), k and v the same T_k, and all three the same leading axes"
        )
    if q.shape[-1] == 0 or k.shape[-2] == 0:
        raise ValueError(f"{where} needs d >= 1 and at least one key, got q {q.shape}, k {k.shape}")
    scores_shape = (*q.shape[:-1], k.shape[-2])
    allowed = _mask(mask, scores_shape, where)
    if _flag(causal, f"{where}: causal"):
        if q.shape[-2] != k.shape[-2]:
            raise ValueError(f"{where}: causal attention needs T_q = T_k, got q {q.shape}, "
                             f"k {k.shape}")
        tril = causal_mask(q.shape[-2])
        allowed = tril if allowed is None else allowed & tril
    scale = 1.0 / np.sqrt(q.shape[-1]) if scale is None else _positive_number(scale, "scale",
                                                                               where)
    s = (q @ np.swapaxes(k, -1, -2)) * scale
    if allowed is not None:
        s = np.where(allowed, s, -np.inf)  # a masked key gets weight exp(-inf) = 0
    s = s - s.max(axis=-1, keepdims=True)  # softmax, stably
    e = np.exp(s)
    p = e / e.sum(axis=-1, keepdims=True)
    return p @ v, (q, k, v, p, float(scale))


def attention_backward(dout: np.ndarray, cache: tuple) -> tuple[np.ndarray, ...]:
    """Gradients of scaled dot-product attention, in matrix form.

    ``dv = pᵀ dout``; ``dp = dout vᵀ``; through the softmax, row by row,
    ``ds = p ⊙ (dp - rowsum(dp ⊙ p))`` (the Jacobian ``diag(p) - p pᵀ`` applied to each
    row); then ``s = q kᵀ · scale`` gives ``dq = ds k · scale`` and ``dk = dsᵀ q · scale``.

    Returns
    -------
    dq : numpy.ndarray, shape of ``q``
    dk : numpy.ndarray, shape of ``k``
    dv : numpy.ndarray, shape of ``v``

    Raises
    ------
    TypeError
        If ``cache`` is not what :func:`attention_forward` returned, or ``dout`` is not numbers.
    ValueError
        If ``dout`` does not have the output's shape, or holds NaN or inf.
    """
    q, k, v, p, scale = _unpack_cache(cache, "attention_backward", _CACHE)
    dout = _same_shape(dout, (*p.shape[:-1], v.shape[-1]), "attention_backward")
    dv = np.swapaxes(p, -1, -2) @ dout  # out = p v
    dp = dout @ np.swapaxes(v, -1, -2)
    ds = p * (dp - (dp * p).sum(axis=-1, keepdims=True))  # softmax Jacobian, row by row
    dq = (ds @ k) * scale  # s = q kᵀ scale
    dk = (np.swapaxes(ds, -1, -2) @ q) * scale
    return dq, dk, dv


def _heads(a: np.ndarray, n_heads: int) -> np.ndarray:
    """(N, T, D) -> (N, n_heads, T, D / n_heads): each head's slice of the features."""
    N, T, D = a.shape
    return a.reshape(N, T, n_heads, D // n_heads).transpose(0, 2, 1, 3)


def _merge(a: np.ndarray) -> np.ndarray:
    """(N, n_heads, T, d_head) -> (N, T, D): the heads side by side again."""
    N, n_heads, T, d_head = a.shape
    return a.transpose(0, 2, 1, 3).reshape(N, T, n_heads * d_head)


def multihead_attention_forward(
    x: np.ndarray, Wq: np.ndarray, Wk: np.ndarray, Wv: np.ndarray, Wo: np.ndarray,
    n_heads: int, *, causal: bool = False,
) -> tuple[np.ndarray, tuple]:
    """Multi-head self-attention of a batch of sequences ``x``.

    ``Q = x Wq``, ``K = x Wk``, ``V = x Wv`` are split into ``n_heads`` heads of
    ``D / n_heads`` features; each head attends on its own (scale ``1/√(D/n_heads)``);
    the heads' outputs, side by side, are mixed by ``Wo``: ``out = concat(heads) Wo``.

    Parameters
    ----------
    x : numpy.ndarray, shape (N, T, D)
    Wq, Wk, Wv, Wo : numpy.ndarray, shape (D, D)
    n_heads : int
        Must divide D.
    causal : bool, default False

    Returns
    -------
    out : numpy.ndarray, shape (N, T, D)
    cache : tuple
        For :func:`multihead_attention_backward`.

    Raises
    ------
    TypeError
        If an array is not real numbers, ``n_heads`` is not an int or ``causal`` not a bool.
    ValueError
        If the shapes do not fit, ``n_heads`` < 1 or does not divide D, or an array holds
        NaN or inf.
    """
    where = "multihead_attention_forward"
    x = _float_array(x, "x", where)
    if x.ndim != 3 or x.shape[1] == 0 or x.shape[2] == 0:
        raise ValueError(f"{where} needs x of shape (N, T, D) with T, D >= 1, got {x.shape}")
    D = x.shape[2]
    weights = []
    for name, W in (("Wq", Wq), ("Wk", Wk), ("Wv", Wv), ("Wo", Wo)):
        W = _float_array(W, name, where)
        if W.shape != (D, D):
            raise ValueError(f"{where}: {name} has shape {W.shape} but x {x.shape} needs "
                             f"({D}, {D})")
        weights.append(W)
    n_heads = _int_at_least(n_heads, 1, "n_heads", where)
    if D % n_heads:
        raise ValueError(f"{where}: n_heads = {n_heads} does not divide D = {D}")
    Wq, Wk, Wv, Wo = weights
    q, k, v = (_heads(x @ W, n_heads) for W in (Wq, Wk, Wv))
    heads, att_cache = attention_forward(q, k, v, causal=causal)
    merged = _merge(heads)
    return merged @ Wo, (x, Wq, Wk, Wv, Wo, merged, heads, att_cache, n_heads)


def multihead_attention_backward(dout: np.ndarray, cache: tuple) -> tuple[np.ndarray, ...]:
    """Gradients of multi-head self-attention.

    Back through ``out = merged Wo`` (a dense layer), the merge of the heads (a reshape),
    each head's attention (:func:`attention_backward`), the split into heads, and the three
    projections, whose gradients with respect to ``x`` add up (``x`` fans out three ways).

    Returns
    -------
    dx : numpy.ndarray, shape (N, T, D)
    dWq, dWk, dWv, dWo : numpy.ndarray, shape (D, D)

    Raises
    ------
    TypeError
        If ``cache`` is not what :func:`multihead_attention_forward` returned, or ``dout``
        is not numbers.
    ValueError
        If ``dout`` does not have the output's shape, or holds NaN or inf.
    """
    where = "multihead_attention_backward"
    x, Wq, Wk, Wv, Wo, merged, heads, att_cache, n_heads = _unpack_cache(cache, where,
                                                                        _MHA_CACHE)
    dout = _same_shape(dout, x.shape, where)
    dWo = np.einsum("ntd,nte->de", merged, dout)  # out = merged Wo
    dheads = _heads(dout @ Wo.T, n_heads)
    dq, dk, dv = attention_backward(dheads, att_cache)
    dx = np.zeros_like(x)
    grads = []
    for W, d in ((Wq, dq), (Wk, dk), (Wv, dv)):
        d = _merge(d)  # dL/d(x W), (N, T, D)
        dx += d @ W.T  # x fans out to three projections: their gradients add
        grads.append(np.einsum("ntd,nte->de", x, d))
    return (dx, *grads, dWo)
