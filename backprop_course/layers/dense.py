"""Dense layers, activations and losses as forward/backward pairs, by hand (chapters 5-6).

Every layer is two functions, in the manner of Stanford's CS231n:

* ``*_forward(inputs...) -> (out, cache)`` computes the output and keeps in
  ``cache`` whatever the backward pass will need;
* ``*_backward(dout, cache) -> gradients`` receives ``dout`` = dL/d(out), of the
  output's shape, and returns dL/d(input) for every input, each of that input's shape.

Chaining forwards left to right and backwards right to left *is*
backpropagation; nothing here builds a graph. Shapes follow the book's notation:
a batch ``x`` of shape (N, D_in), weights ``W`` (D_in, D_out), bias ``b`` (D_out,),
and every loss is a mean over the batch.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .._deprecation import deprecated
from ..checks import describe as _describe
from ..checks import int_at_least as _int_at_least
from ..checks import not_numbers
from ..checks import real_array as _float_array
from ..checks import real_number as _real_number
from ..checks import same_shape as _same_shape
from ..checks import unpack_cache as _unpack_cache
from ..numerics import sigmoid

__all__ = [
    "dense_forward",
    "dense_backward",
    "sigmoid_forward",
    "sigmoid_backward",
    "tanh_forward",
    "tanh_backward",
    "relu_forward",
    "relu_backward",
    "softmax_cross_entropy_forward",
    "softmax_cross_entropy_backward",
    "mse_forward",
    "mse_backward",
    "check_labels",
    "log_softmax",
]


# ------------------------------------------------------------- validators
# The checks shared with other modules live in backprop_course.checks; the private names
# stay because the functions the book shows call them.

def _array_cache(cache: Any, layer: str) -> np.ndarray:
    """The cache of an activation: the array its forward pass kept."""
    if not isinstance(cache, np.ndarray | np.floating):
        forward = layer.replace("_backward", "_forward")
        raise TypeError(
            f"{layer} needs the cache that {forward} returned (its second value, an array), "
            f"got {_describe(cache)}"
        )
    return cache


def _scalar_dout(dout: Any, layer: str) -> float:
    """``dout`` of a loss: dL/d(loss), one number (1.0 when the loss is the final one)."""
    return _real_number(dout, "dout", "a finite number (dL/d(loss), 1.0 for the final loss)",
                        math.isfinite, layer)


# What each forward pass keeps in its cache, for _unpack_cache: an int is an array's ndim.
_DENSE_CACHE = (2, 2)  # x (N, D_in), W (D_in, D_out)
_SOFTMAX_CE_CACHE = (2, 1)  # p (N, C), labels (N,)
_MSE_CACHE = ((np.ndarray, np.floating),)  # pred - target, of any shape


# ------------------------------------------------------------------ dense
def dense_forward(
    x: np.ndarray, W: np.ndarray, b: np.ndarray
) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray]]:
    """A dense (affine, fully connected) layer: ``z = x @ W + b``.

    Parameters
    ----------
    x : numpy.ndarray, shape (N, D_in)
        A batch of N inputs.
    W : numpy.ndarray, shape (D_in, D_out)
    b : numpy.ndarray, shape (D_out,)

    Returns
    -------
    z : numpy.ndarray, shape (N, D_out)
    cache : tuple
        ``(x, W)``, for :func:`dense_backward`.

    Raises
    ------
    TypeError
        If an input is not an array of real numbers (None, strings, a ragged list, a Tensor).
    ValueError
        If the shapes do not fit together (the message names them), or an input holds
        NaN or inf.
    """
    where = "dense_forward"
    x, W, b = _float_array(x, "x", where), _float_array(W, "W", where), _float_array(b, "b", where)
    if x.ndim != 2 or W.ndim != 2 or b.ndim != 1:
        raise ValueError(
            f"dense_forward needs x (N, D_in), W (D_in, D_out), b (D_out,); got x {x.shape}, "
            f"W {W.shape}, b {b.shape}"
        )
    if x.shape[1] != W.shape[0]:
        raise ValueError(
            f"dense_forward: cannot multiply x {x.shape} @ W {W.shape}: inner dimensions "
            f"{x.shape[1]} and {W.shape[0]} differ"
        )
    if b.shape[0] != W.shape[1]:
        raise ValueError(
            f"dense_forward: b has shape {b.shape} but W has {W.shape[1]} output columns"
        )
    return x @ W + b, (x, W)


def dense_backward(
    dout: np.ndarray, cache: tuple[np.ndarray, np.ndarray]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients of a dense layer.

    With ``dout`` = dL/dz = δ (N, D_out), the three equations of chapter 5 are
    ``dx = δ Wᵀ`` (the error passed back to the layer below), ``dW = xᵀ δ``
    (each weight's input times its unit's error, summed over the batch) and
    ``db = Σ_n δ`` (the bias sees every example).

    Returns
    -------
    dx : numpy.ndarray, shape (N, D_in)
    dW : numpy.ndarray, shape (D_in, D_out)
    db : numpy.ndarray, shape (D_out,)

    Raises
    ------
    TypeError
        If ``cache`` is not what :func:`dense_forward` returned, or ``dout`` is not real numbers.
    ValueError
        If ``dout`` does not have the output's shape, or holds NaN or inf.
    """
    x, W = _unpack_cache(cache, "dense_backward", _DENSE_CACHE)
    dout = _same_shape(dout, (x.shape[0], W.shape[1]), "dense_backward")
    return dout @ W.T, x.T @ dout, dout.sum(axis=0)


def affine_forward(*args: Any, **kwargs: Any) -> Any:
    """Deprecated: CS231n's name of :func:`dense_forward` (removed in the next release)."""
    deprecated("affine_forward", "dense_forward")
    return dense_forward(*args, **kwargs)


def affine_backward(*args: Any, **kwargs: Any) -> Any:
    """Deprecated: CS231n's name of :func:`dense_backward` (removed in the next release)."""
    deprecated("affine_backward", "dense_backward")
    return dense_backward(*args, **kwargs)


# ------------------------------------------------------------ activations
# Every activation takes an array of any shape (a number too). Its backward pass refuses a
# cache that is not an array (TypeError) and a dout of another shape, or with NaN (ValueError).
def sigmoid_forward(z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Elementwise logistic function ``a = 1 / (1 + exp(-z))``, computed without overflow.

    Returns ``(a, cache)`` with ``cache = a``: the derivative needs only the output.
    """
    z = _float_array(z, "z", "sigmoid_forward")
    a = sigmoid(z)  # as 0.5 * (1 + tanh(z / 2)): the same function, and stable for any z
    return a, a


def sigmoid_backward(dout: np.ndarray, cache: np.ndarray) -> np.ndarray:
    """dL/dz = dL/da * a (1 - a)."""
    a = _array_cache(cache, "sigmoid_backward")
    return _same_shape(dout, a.shape, "sigmoid_backward") * a * (1.0 - a)


def tanh_forward(z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Elementwise ``a = tanh(z)``; ``cache = a``."""
    a = np.tanh(_float_array(z, "z", "tanh_forward"))
    return a, a


def tanh_backward(dout: np.ndarray, cache: np.ndarray) -> np.ndarray:
    """dL/dz = dL/da * (1 - a²)."""
    a = _array_cache(cache, "tanh_backward")
    return _same_shape(dout, a.shape, "tanh_backward") * (1.0 - a * a)


def relu_forward(z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Elementwise ``a = max(0, z)``; ``cache = z``."""
    z = _float_array(z, "z", "relu_forward")
    return np.maximum(z, 0.0), z


def relu_backward(dout: np.ndarray, cache: np.ndarray) -> np.ndarray:
    """dL/dz = dL/da where z > 0, else 0 (the derivative at the kink z = 0 is taken as 0)."""
    z = _array_cache(cache, "relu_backward")
    return _same_shape(dout, z.shape, "relu_backward") * (z > 0)


# ------------------------------------------------------------------ losses
def check_labels(
    labels: Any, n_samples: int, n_classes: int, *, where: str = "check_labels"
) -> np.ndarray:
    """Validate integer class labels: one per sample, each in ``0 .. n_classes - 1``.

    Floats that are whole numbers (``[0.0, 2.0]``, as read from a file) are accepted and
    returned as ints; booleans are not labels. ``where`` names the function in the errors.

    Raises
    ------
    TypeError
        If the labels are not numbers (None, strings, booleans, a ragged list), or
        ``n_samples`` / ``n_classes`` is not an int.
    ValueError
        If there is not one label per sample, a label is not a whole number or is out of
        range, or ``n_classes`` < 1.
    """
    n_samples = _int_at_least(n_samples, 0, "n_samples", where)
    n_classes = _int_at_least(n_classes, 1, "n_classes", where)
    must = f"labels must be integer class indices 0..{n_classes - 1}"
    try:
        y = np.asarray(labels)
    except (TypeError, ValueError):  # a ragged nested list
        raise TypeError(f"{where}: {must}, got a ragged {type(labels).__name__}") from None
    if y.dtype.kind not in "iuf":
        raise TypeError(f"{where}: {must}, got {not_numbers(labels, y)}")
    if y.ndim != 1:
        one_hot = " (one-hot rows? pass labels.argmax(axis=1))" if y.ndim == 2 else ""
        raise ValueError(
            f"{where}: labels must be a 1-D array of class indices, got shape {y.shape}{one_hot}"
        )
    if y.shape[0] != n_samples:
        raise ValueError(
            f"{where}: logits and labels have different batch sizes: {n_samples} rows of "
            f"logits but {y.shape[0]} labels"
        )
    if y.dtype.kind == "f":
        finite = np.isfinite(y)
        whole = finite & (np.mod(np.where(finite, y, 0.5), 1) == 0)
        if not whole.all():
            raise ValueError(f"{where}: {must}, got {y[~whole][0]} (not a whole number)")
    if y.size and (y.min() < 0 or y.max() >= n_classes):
        bad = y[(y < 0) | (y >= n_classes)]
        raise ValueError(
            f"{where}: labels out of range: {bad[:5].tolist()} (with {n_classes} classes a "
            f"label must be in 0..{n_classes - 1})"
        )
    return y.astype(np.int64) if y.dtype.kind == "f" else y


def _logits(logits: Any, where: str) -> np.ndarray:
    """Logits (N, C) of real, finite numbers, with at least one class."""
    logits = _float_array(logits, "logits", where)
    if logits.ndim != 2:
        raise ValueError(f"{where}: logits must have shape (N, C), got {logits.shape}")
    if logits.shape[1] == 0:
        raise ValueError(f"{where}: logits {logits.shape} have no classes (C = 0)")
    return logits


def log_softmax(logits: np.ndarray) -> np.ndarray:
    """Row-wise ``log softmax``, stable for any logits: the max is subtracted first.

    Raises TypeError or ValueError unless ``logits`` is an (N, C) array of finite numbers, C >= 1.
    """
    logits = _logits(logits, "log_softmax")
    shifted = logits - logits.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def softmax_cross_entropy_forward(
    logits: np.ndarray, labels: np.ndarray
) -> tuple[float, tuple[np.ndarray, np.ndarray]]:
    """Softmax followed by the cross-entropy loss, fused and numerically stable.

    ``L = -(1/N) Σ_n log p[n, labels[n]]`` with ``p = softmax(logits)`` row by row.
    Computing ``log p`` as ``z - max(z) - log Σ exp(z - max(z))`` (log-sum-exp) never
    overflows, even for logits of ±1000.

    Parameters
    ----------
    logits : numpy.ndarray, shape (N, C)
    labels : numpy.ndarray of int, shape (N,)
        The correct class of each row, in ``0 .. C - 1``.

    Returns
    -------
    loss : float
    cache : tuple
        ``(p, labels)``: the probabilities and the labels.

    Raises
    ------
    TypeError
        If the logits are not real numbers or the labels not integers (see :func:`check_labels`).
    ValueError
        If the logits are not (N, C) with N, C >= 1, or a label is missing or out of range.
    """
    where = "softmax_cross_entropy_forward"
    logits = _logits(logits, where)
    y = check_labels(labels, logits.shape[0], logits.shape[1], where=where)
    if logits.shape[0] == 0:
        raise ValueError("softmax_cross_entropy_forward got an empty batch")
    logp = log_softmax(logits)
    loss = -float(logp[np.arange(len(y)), y].mean())
    return loss, (np.exp(logp), y)


def softmax_cross_entropy_backward(dout: float, cache: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    """dL/dlogits = (p - onehot(labels)) / N, times ``dout`` (1.0 when L is the final loss).

    Raises TypeError if ``cache`` is not what the forward pass returned or ``dout`` is not
    a number, ValueError if ``dout`` is NaN or inf.
    """
    p, y = _unpack_cache(cache, "softmax_cross_entropy_backward", _SOFTMAX_CE_CACHE)
    dlogits = p.copy()
    dlogits[np.arange(len(y)), y] -= 1.0
    return _scalar_dout(dout, "softmax_cross_entropy_backward") * dlogits / len(y)


def mse_forward(pred: np.ndarray, target: np.ndarray) -> tuple[float, tuple[np.ndarray]]:
    """Mean squared error ``L = mean((pred - target)²)`` over every entry.

    This is PyTorch's ``mse_loss``. (Chapter 2's single neuron used ``½ (a - y)²``
    instead, whose derivative has no factor 2; the two differ only by a constant.)

    Returns
    -------
    loss : float
    cache : tuple
        ``(pred - target,)``.

    Raises
    ------
    TypeError
        If ``pred`` or ``target`` is not an array of real numbers.
    ValueError
        If their shapes differ (no broadcasting: a (N,) target against (N, 1)
        predictions would compare every prediction with every target), they are
        empty, or they hold NaN or inf.
    """
    where = "mse_forward"
    pred, target = _float_array(pred, "pred", where), _float_array(target, "target", where)
    if pred.shape != target.shape:
        raise ValueError(
            f"mse_forward: pred has shape {pred.shape} but target has shape {target.shape}"
        )
    if pred.size == 0:
        raise ValueError("mse_forward got empty arrays")
    diff = pred - target
    return float((diff * diff).mean()), (diff,)


def mse_backward(dout: float, cache: tuple[np.ndarray]) -> np.ndarray:
    """dL/dpred = 2 (pred - target) / size, times ``dout``."""
    (diff,) = _unpack_cache(cache, "mse_backward", _MSE_CACHE)
    return _scalar_dout(dout, "mse_backward") * 2.0 * diff / diff.size
