"""Loss functions on Tensors: each returns a scalar Tensor, a mean over the batch.

The two cross-entropies are *fused*: one node whose backward pass is the
closed form derived in chapter 6 (``p - y``), which is both faster and more
accurate than differentiating the composition of softmax, log and indexing.
Both are stable for logits of any size: they never compute ``exp`` of a large
positive number.
"""

from __future__ import annotations

import numpy as np

from .checks import real_array as _float_array
from .graph import rule
from .layers import check_labels, log_softmax
from .numerics import sigmoid
from .tensor import Tensor, as_tensor

__all__ = ["mse", "binary_cross_entropy", "cross_entropy"]


def mse(pred: Tensor, target: Tensor | np.ndarray) -> Tensor:
    """Mean squared error ``mean((pred - target)²)`` over every entry (PyTorch's ``mse_loss``).

    ``pred`` and ``target`` must have the same shape: broadcasting a (N,) target
    against (N, 1) predictions would silently compare every prediction with every
    target, a classic bug, so it is an error here.

    Raises
    ------
    TypeError
        If ``pred`` or ``target`` is not real numbers (None, strings, a ragged list).
    ValueError
        If their shapes differ, they are empty, or they hold NaN or inf.
    """
    pred, target = as_tensor(pred, "mse", "pred"), as_tensor(target, "mse", "target")
    if pred.shape != target.shape:
        raise ValueError(
            f"mse needs pred and target of the same shape, got {pred.shape} and {target.shape}"
        )
    if pred.size == 0:
        raise ValueError("mse got empty tensors")
    diff = pred - target
    return (diff * diff).mean()


def binary_cross_entropy(logits: Tensor, targets: Tensor | np.ndarray) -> Tensor:
    """Sigmoid + binary cross-entropy, from logits: ``mean(-y log σ(z) - (1-y) log(1-σ(z)))``.

    Computed as ``mean(max(z, 0) - z y + log(1 + exp(-|z|)))``, which equals the
    formula above and never overflows. Its gradient is ``(σ(z) - y) / size``.

    Parameters
    ----------
    logits : Tensor
        The pre-sigmoid outputs ``z``, any shape.
    targets : array_like
        Same shape, values in [0, 1] (usually 0 or 1; booleans count as 0 and 1).

    Raises
    ------
    TypeError
        If the logits or targets are not real numbers.
    ValueError
        If their shapes differ, they are empty, or a target is outside [0, 1] or NaN.
    """
    where = "binary_cross_entropy"
    logits = as_tensor(logits, where, "logits")
    targets = _float_array(targets.data if isinstance(targets, Tensor) else targets, "targets",
                           where)
    # a copy: the backward pass needs the targets as they are now; in the logits' float type,
    # so that float32 logits give a float32 loss and gradient, as in PyTorch
    y = np.array(targets, dtype=logits.dtype)
    if y.shape != logits.shape:
        raise ValueError(
            f"binary_cross_entropy needs logits and targets of the same shape, got "
            f"{logits.shape} and {y.shape}"
        )
    if logits.size == 0:
        raise ValueError("binary_cross_entropy got empty tensors")
    if (y < 0).any() or (y > 1).any():
        bad = y[(y < 0) | (y > 1)]
        raise ValueError(
            f"binary_cross_entropy targets must be in [0, 1] (probabilities, or 0/1 labels), "
            f"got {bad[:5].tolist()}"
        )
    z = logits.data
    loss = np.maximum(z, 0.0) - z * y + np.log1p(np.exp(-np.abs(z)))
    # ctx keeps the targets for second derivatives (chapter 13)
    out = Tensor.from_op(np.asarray(loss.mean()), (logits,), "binary_cross_entropy", ctx=(y,),
                         saved=(logits,))
    if out.requires_grad:

        def _backward(grad: np.ndarray) -> None:
            # sigma(z) as 0.5 * (1 + tanh(z / 2)): cannot overflow, but accurate only in
            # absolute terms (chapter 6)
            p = sigmoid(z)
            logits.accumulate_grad(grad * (p - y) / z.size)

        out._backward = _backward
    return out


@rule("binary_cross_entropy")
def _binary_cross_entropy_rule(out: Tensor, g: Tensor) -> tuple:
    (z,), (y,) = out._prev, out._ctx
    return (g * (z.sigmoid() - y) * (1.0 / z.size),)


def cross_entropy(logits: Tensor, labels: np.ndarray | Tensor) -> Tensor:
    """Softmax + cross-entropy with integer labels, averaged over the batch.

    ``L = -(1/N) Σ_n log softmax(z_n)[labels_n]``; the gradient with respect to the
    logits is ``(softmax(z) - onehot(labels)) / N``.

    Parameters
    ----------
    logits : Tensor, shape (N, C)
    labels : array of int, shape (N,)
        Class indices in ``0 .. C - 1``.

    Raises
    ------
    TypeError
        If the logits are not real numbers, or the labels are not integers (see
        :func:`~backprop_course.layers.dense.check_labels`).
    ValueError
        If the logits are not (N, C) with N, C >= 1, the batch sizes differ, or a label
        is out of range.
    """
    logits = as_tensor(logits, "cross_entropy", "logits")
    if logits.ndim != 2:
        raise ValueError(f"cross_entropy needs logits of shape (N, C), got {logits.shape}")
    if logits.shape[0] == 0:
        raise ValueError("cross_entropy got an empty batch")
    if logits.shape[1] == 0:
        raise ValueError(f"cross_entropy: logits {logits.shape} have no classes (C = 0)")
    y = check_labels(labels.data if isinstance(labels, Tensor) else labels, *logits.shape,
                     where="cross_entropy")
    y = y.copy()  # the backward pass needs the labels as they are now
    logp = log_softmax(logits.data)
    n = len(y)
    rows = np.arange(n)
    loss = 0.0 - logp[rows, y].sum() / n  # 0.0 - x: a perfect fit gives 0.0, not -0.0
    # ctx keeps the labels for second derivatives (chapter 13)
    out = Tensor.from_op(np.asarray(loss), (logits,), "cross_entropy", ctx=(y,), saved=())
    if out.requires_grad:

        def _backward(grad: np.ndarray) -> None:
            dlogits = np.exp(logp)  # softmax(z)
            dlogits[rows, y] -= 1.0  # p - onehot(y)
            dlogits *= float(grad) / n  # the mean's 1/N, times dL/d(loss)
            logits.accumulate_grad(dlogits, owned=True)

        out._backward = _backward
    return out


@rule("cross_entropy")
def _cross_entropy_rule(out: Tensor, g: Tensor) -> tuple:
    (z,), (y,) = out._prev, out._ctx
    onehot = np.eye(z.shape[1], dtype=z.dtype)[y]
    return (g * (z.log_softmax(axis=1).exp() - onehot) * (1.0 / len(y)),)
