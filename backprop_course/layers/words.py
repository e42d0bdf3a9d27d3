"""Words and sequences of scores, as forward/backward pairs (CS231n's captioning layers).

* A **word embedding** maps each integer word id to a learned row of ``W`` (V, D): the
  forward pass is indexing, ``out[n, t] = W[x[n, t]]``, and the backward pass adds each
  position's gradient into the row it came from (``np.add.at``: a word used twice gets both).
* The **temporal softmax loss** is the softmax cross-entropy at every time step of every
  sequence, with a 0/1 ``mask`` that ignores padding: ``L = -(1/N) Σ_{n,t} mask[n, t]
  log p[n, t, y[n, t]]``, summed over time and averaged over sequences, as CS231n defines it.
  Its gradient is the familiar ``p - onehot(y)``, times the mask, divided by N.
* The **multiclass SVM (hinge) loss** of a batch of scores, ``L = (1/N) Σ_n Σ_{j≠y_n}
  max(0, s_j - s_{y_n} + 1)``: each class that scores within a margin of 1 of the correct
  one costs its excess. Its gradient is +1 for every such class and minus their number for
  the correct class (at a kink, where ``s_j - s_{y_n} + 1 = 0`` exactly, the slope 0 is used).
"""

from __future__ import annotations

import numpy as np

from ..checks import describe as _describe
from ..checks import real_array as _float_array
from ..checks import real_number as _real_number
from ..checks import same_shape as _same_shape
from ..checks import unpack_cache as _unpack_cache
from .dense import check_labels

__all__ = [
    "word_embedding_forward",
    "word_embedding_backward",
    "temporal_softmax_loss_forward",
    "temporal_softmax_loss_backward",
    "svm_loss_forward",
    "svm_loss_backward",
]

_EMBED_CACHE = (np.ndarray, 2)  # x (word ids), W (V, D)
_TEMPORAL_CACHE = (3, 2, 2)  # p (N, T, V), y (N, T), mask (N, T)
_SVM_CACHE = (2, 1)  # margins > 0 as 0/1 (N, C), labels (N,)


def _ids(x: object, V: int, where: str) -> np.ndarray:
    arr = np.asarray(x)
    if arr.dtype.kind not in "iu":
        raise TypeError(f"{where}: x must be integer word ids, got {_describe(x)}")
    if arr.size and (arr.min() < 0 or arr.max() >= V):
        raise ValueError(f"{where}: word ids must lie in 0..{V - 1} for W with {V} rows, got "
                         f"{int(arr.min())}..{int(arr.max())}")
    return arr


def word_embedding_forward(x: np.ndarray, W: np.ndarray) -> tuple[np.ndarray, tuple]:
    """Look up a vector per word id: ``out[n, t] = W[x[n, t]]``.

    Parameters
    ----------
    x : numpy.ndarray of int, shape (N, T) (any shape)
        Word ids in 0..V-1.
    W : numpy.ndarray, shape (V, D)

    Returns
    -------
    out : numpy.ndarray, shape (N, T, D)
    cache : tuple
        ``(x, W)`` for :func:`word_embedding_backward`.

    Raises
    ------
    TypeError
        If ``x`` is not integers or ``W`` not real numbers.
    ValueError
        If ``W`` is not 2-D, an id is out of range, or ``W`` holds NaN or inf.
    """
    W = _float_array(W, "W", "word_embedding_forward")
    if W.ndim != 2:
        raise ValueError(f"word_embedding_forward needs W of shape (V, D), got {W.shape}")
    x = _ids(x, W.shape[0], "word_embedding_forward")
    return W[x], (x, W)


def word_embedding_backward(dout: np.ndarray, cache: tuple) -> np.ndarray:
    """dL/dW: each position's gradient added into its word's row (words have no gradient).

    Returns
    -------
    dW : numpy.ndarray, shape (V, D)

    Raises
    ------
    TypeError
        If ``cache`` is not what :func:`word_embedding_forward` returned, or ``dout`` is not
        numbers.
    ValueError
        If ``dout`` does not have the output's shape, or holds NaN or inf.
    """
    x, W = _unpack_cache(cache, "word_embedding_backward", _EMBED_CACHE)
    dout = _same_shape(dout, (*x.shape, W.shape[1]), "word_embedding_backward")
    dW = np.zeros_like(W)
    np.add.at(dW, x, dout)  # a repeated word collects every position's gradient
    return dW


def temporal_softmax_loss_forward(
    x: np.ndarray, y: np.ndarray, mask: np.ndarray | None = None
) -> tuple[float, tuple]:
    """Softmax cross-entropy at every step, masked, summed over time and averaged over N.

    Parameters
    ----------
    x : numpy.ndarray, shape (N, T, V)
        Scores of V classes (words) at every step.
    y : numpy.ndarray of int, shape (N, T)
        The correct class at every step.
    mask : numpy.ndarray of bool or 0/1, shape (N, T), optional
        Which steps count (all by default).

    Returns
    -------
    loss : float
    cache : tuple
        For :func:`temporal_softmax_loss_backward`.

    Raises
    ------
    TypeError
        If ``x`` is not real numbers, ``y`` not integer labels or ``mask`` not booleans or 0/1.
    ValueError
        If the shapes do not fit, a label is out of range, or ``x`` holds NaN or inf.
    """
    where = "temporal_softmax_loss_forward"
    x = _float_array(x, "x", where)
    if x.ndim != 3 or x.shape[2] == 0:
        raise ValueError(f"{where} needs scores x of shape (N, T, V) with V >= 1, got {x.shape}")
    N, T, V = x.shape
    y_arr = np.asarray(y)
    if y_arr.shape != (N, T):
        raise ValueError(f"{where}: y has shape {y_arr.shape}, expected ({N}, {T})")
    labels = check_labels(y_arr.reshape(-1), N * T, V, where=where).reshape(N, T)
    if mask is None:
        m = np.ones((N, T))
    else:
        m_arr = np.asarray(mask)
        if m_arr.dtype.kind not in "biu" or not np.isin(m_arr, (0, 1)).all():
            raise TypeError(f"{where}: mask must be booleans or 0/1 of shape (N, T), got "
                            f"{_describe(mask)}")
        if m_arr.shape != (N, T):
            raise ValueError(f"{where}: mask has shape {m_arr.shape}, expected ({N}, {T})")
        m = m_arr.astype(np.float64)
    shifted = x - x.max(axis=2, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=2, keepdims=True))
    picked = np.take_along_axis(log_p, labels[:, :, None], axis=2)[:, :, 0]
    loss = -float((picked * m).sum()) / N
    return loss, (np.exp(log_p), labels, m)


def temporal_softmax_loss_backward(dout: float, cache: tuple) -> np.ndarray:
    """dL/dx = dout · mask · (p - onehot(y)) / N, at every step.

    Returns
    -------
    dx : numpy.ndarray, shape (N, T, V)

    Raises
    ------
    TypeError
        If ``cache`` is not what :func:`temporal_softmax_loss_forward` returned, or ``dout``
        is not a number.
    ValueError
        If ``dout`` is NaN or infinite.
    """
    p, labels, m = _unpack_cache(cache, "temporal_softmax_loss_backward", _TEMPORAL_CACHE)
    dout = _real_number(dout, "dout", "a finite number (dL/d(loss), 1.0 for the final loss)",
                        np.isfinite, "temporal_softmax_loss_backward")
    N = p.shape[0]
    dx = p.copy()
    np.put_along_axis(dx, labels[:, :, None], np.take_along_axis(dx, labels[:, :, None], 2) - 1,
                      axis=2)  # p - onehot(y)
    return dx * m[:, :, None] * (dout / N)


def svm_loss_forward(scores: np.ndarray, labels: np.ndarray) -> tuple[float, tuple]:
    """The multiclass SVM (hinge) loss with margin 1, averaged over the batch.

    Parameters
    ----------
    scores : numpy.ndarray, shape (N, C)
    labels : numpy.ndarray of int, shape (N,)

    Returns
    -------
    loss : float
    cache : tuple
        For :func:`svm_loss_backward`.

    Raises
    ------
    TypeError
        If ``scores`` is not real numbers or ``labels`` not integer class indices.
    ValueError
        If ``scores`` is not a non-empty (N, C) batch, there is not one label per row, a
        label is out of range, or ``scores`` holds NaN or inf.
    """
    where = "svm_loss_forward"
    scores = _float_array(scores, "scores", where)
    if scores.ndim != 2 or scores.shape[0] == 0 or scores.shape[1] == 0:
        raise ValueError(f"{where} needs a non-empty batch of scores (N, C), got {scores.shape}")
    N, C = scores.shape
    labels = check_labels(labels, N, C, where=where)
    correct = scores[np.arange(N), labels][:, None]
    margins = np.maximum(0.0, scores - correct + 1.0)  # each wrong class within the margin
    margins[np.arange(N), labels] = 0.0
    return float(margins.sum()) / N, ((margins > 0).astype(np.float64), labels)


def svm_loss_backward(dout: float, cache: tuple) -> np.ndarray:
    """dL/dscores: +1 for each wrong class within the margin, minus their number for the
    correct one, times ``dout / N``.

    Returns
    -------
    dscores : numpy.ndarray, shape (N, C)

    Raises
    ------
    TypeError
        If ``cache`` is not what :func:`svm_loss_forward` returned, or ``dout`` is not a number.
    ValueError
        If ``dout`` is NaN or infinite.
    """
    active, labels = _unpack_cache(cache, "svm_loss_backward", _SVM_CACHE)
    dout = _real_number(dout, "dout", "a finite number (dL/d(loss), 1.0 for the final loss)",
                        np.isfinite, "svm_loss_backward")
    N = active.shape[0]
    d = active.copy()
    d[np.arange(N), labels] = -active.sum(axis=1)  # the correct class is in every active margin
    return d * (dout / N)
