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

from typing import Any

import numpy as np

__all__ = [
    "dense_forward",
    "dense_backward",
    "affine_forward",
    "affine_backward",
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


def _float_array(a: Any, name: str) -> np.ndarray:
    arr = np.asarray(a)
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{name} must be an array of real numbers, got dtype {arr.dtype}")
    arr = arr.astype(np.float64, copy=False) if arr.dtype.kind != "f" else arr
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} contains NaN or infinite values")
    return arr


def _same_shape(dout: np.ndarray, shape: tuple[int, ...], layer: str) -> np.ndarray:
    dout = np.asarray(dout)
    if dout.shape != shape:
        raise ValueError(f"{layer}: dout has shape {dout.shape}, but the output had shape {shape}")
    return dout


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
    ValueError
        If the shapes do not fit together (the message names them).
    """
    x, W, b = _float_array(x, "x"), _float_array(W, "W"), _float_array(b, "b")
    if x.ndim != 2 or W.ndim != 2 or b.ndim != 1:
        raise ValueError(
            f"dense_forward needs x (N, D_in), W (D_in, D_out), b (D_out,); got x {x.shape}, "
            f"W {W.shape}, b {b.shape}"
        )
    if x.shape[1] != W.shape[0]:
        raise ValueError(
            f"cannot multiply x {x.shape} @ W {W.shape}: inner dimensions {x.shape[1]} and "
            f"{W.shape[0]} differ"
        )
    if b.shape[0] != W.shape[1]:
        raise ValueError(f"b has shape {b.shape} but W has {W.shape[1]} output columns")
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
    """
    x, W = cache
    dout = _same_shape(dout, (x.shape[0], W.shape[1]), "dense_backward")
    return dout @ W.T, x.T @ dout, dout.sum(axis=0)


affine_forward = dense_forward
affine_backward = dense_backward


# ------------------------------------------------------------ activations
def sigmoid_forward(z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Elementwise logistic function ``a = 1 / (1 + exp(-z))``, computed without overflow.

    Returns ``(a, cache)`` with ``cache = a``: the derivative needs only the output.
    """
    z = _float_array(z, "z")
    a = 0.5 * (1.0 + np.tanh(0.5 * z))  # the same function, and stable for any z
    return a, a


def sigmoid_backward(dout: np.ndarray, cache: np.ndarray) -> np.ndarray:
    """dL/dz = dL/da * a (1 - a)."""
    a = cache
    return _same_shape(dout, a.shape, "sigmoid_backward") * a * (1.0 - a)


def tanh_forward(z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Elementwise ``a = tanh(z)``; ``cache = a``."""
    a = np.tanh(_float_array(z, "z"))
    return a, a


def tanh_backward(dout: np.ndarray, cache: np.ndarray) -> np.ndarray:
    """dL/dz = dL/da * (1 - a²)."""
    a = cache
    return _same_shape(dout, a.shape, "tanh_backward") * (1.0 - a * a)


def relu_forward(z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Elementwise ``a = max(0, z)``; ``cache = z``."""
    z = _float_array(z, "z")
    return np.maximum(z, 0.0), z


def relu_backward(dout: np.ndarray, cache: np.ndarray) -> np.ndarray:
    """dL/dz = dL/da where z > 0, else 0 (the derivative at the kink z = 0 is taken as 0)."""
    z = cache
    return _same_shape(dout, z.shape, "relu_backward") * (z > 0)


# ------------------------------------------------------------------ losses
def check_labels(labels: Any, n_samples: int, n_classes: int) -> np.ndarray:
    """Validate integer class labels: one per sample, each in ``0 .. n_classes - 1``.

    Raises
    ------
    ValueError
        If there is not one label per sample, or a label is out of range or not an integer.
    """
    y = np.asarray(labels)
    if y.ndim != 1:
        raise ValueError(f"labels must be a 1-D array of class indices, got shape {y.shape}")
    if y.shape[0] != n_samples:
        raise ValueError(
            f"logits and labels have different batch sizes: {n_samples} rows of logits but "
            f"{y.shape[0]} labels"
        )
    if y.dtype.kind == "f" and np.all(np.mod(y, 1) == 0):
        y = y.astype(np.int64)
    if y.dtype.kind not in "iu":
        raise ValueError(f"labels must be integer class indices, got dtype {y.dtype}")
    if y.size and (y.min() < 0 or y.max() >= n_classes):
        bad = y[(y < 0) | (y >= n_classes)]
        raise ValueError(
            f"labels out of range: {bad[:5].tolist()} (with {n_classes} classes a label must be "
            f"in 0..{n_classes - 1})"
        )
    return y


def log_softmax(logits: np.ndarray) -> np.ndarray:
    """Row-wise ``log softmax``, stable for any logits: the max is subtracted first."""
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
    """
    logits = _float_array(logits, "logits")
    if logits.ndim != 2:
        raise ValueError(f"logits must have shape (N, C), got {logits.shape}")
    y = check_labels(labels, logits.shape[0], logits.shape[1])
    if logits.shape[0] == 0:
        raise ValueError("softmax_cross_entropy_forward got an empty batch")
    logp = log_softmax(logits)
    loss = -float(logp[np.arange(len(y)), y].mean())
    return loss, (np.exp(logp), y)


def softmax_cross_entropy_backward(dout: float, cache: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    """dL/dlogits = (p - onehot(labels)) / N, times ``dout`` (1.0 when L is the final loss)."""
    p, y = cache
    dlogits = p.copy()
    dlogits[np.arange(len(y)), y] -= 1.0
    return float(dout) * dlogits / len(y)


def mse_forward(pred: np.ndarray, target: np.ndarray) -> tuple[float, tuple[np.ndarray]]:
    """Mean squared error ``L = mean((pred - target)²)`` over every entry.

    This is PyTorch's ``mse_loss``. (Chapter 2's single neuron used ``½ (a - y)²``
    instead, whose derivative has no factor 2; the two differ only by a constant.)

    Returns
    -------
    loss : float
    cache : tuple
        ``(pred - target,)``.
    """
    pred, target = _float_array(pred, "pred"), _float_array(target, "target")
    if pred.shape != target.shape:
        raise ValueError(f"pred has shape {pred.shape} but target has shape {target.shape}")
    if pred.size == 0:
        raise ValueError("mse_forward got empty arrays")
    diff = pred - target
    return float((diff * diff).mean()), (diff,)


def mse_backward(dout: float, cache: tuple[np.ndarray]) -> np.ndarray:
    """dL/dpred = 2 (pred - target) / size, times ``dout``."""
    (diff,) = cache
    return float(dout) * 2.0 * diff / diff.size
