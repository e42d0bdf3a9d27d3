"""The training loop: forward pass, error, backward pass, weight update, over mini-batches."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from .data import _positive_int, batches
from .init import RngLike, as_rng
from .nn import Module
from .optim import Optimizer
from .tensor import Tensor

__all__ = ["History", "fit", "predict", "accuracy", "confusion_matrix"]


@dataclass
class History:
    """What :func:`fit` recorded, one entry per epoch (``step_loss`` has one per step)."""

    loss: list[float] = field(default_factory=list)
    step_loss: list[float] = field(default_factory=list)
    train_accuracy: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    val_accuracy: list[float] = field(default_factory=list)


def predict(model: Module, X: np.ndarray) -> np.ndarray:
    """The predicted class of each row: the argmax of the model's outputs."""
    return model(Tensor(X)).data.argmax(axis=1)


def accuracy(model: Module, X: np.ndarray, y: np.ndarray) -> float:
    """The fraction of rows of ``X`` whose predicted class equals ``y``."""
    y = np.asarray(y)
    if y.ndim != 1 or len(y) != len(X):
        raise ValueError(
            f"accuracy needs one label per row of X: X has {len(X)} rows, y has shape {y.shape}"
        )
    if len(y) == 0:
        raise ValueError("accuracy of no examples is undefined: X and y are empty")
    return float((predict(model, X) == y).mean())


def confusion_matrix(
    y_true: np.ndarray, y_pred: np.ndarray, n_classes: int | None = None
) -> np.ndarray:
    """Counts of (true class, predicted class) pairs: entry (i, j) counts class i predicted as j.

    The diagonal holds the correct predictions, so ``trace / sum`` is the accuracy.

    Parameters
    ----------
    y_true, y_pred : numpy.ndarray of int, shape (N,)
    n_classes : int, optional
        The matrix's size; by default one more than the largest class seen.

    Returns
    -------
    numpy.ndarray of int64, shape (n_classes, n_classes)
    """
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    if y_true.shape != y_pred.shape or y_true.ndim != 1:
        raise ValueError(
            f"y_true and y_pred must be 1-D of the same length, got {y_true.shape} and "
            f"{y_pred.shape}"
        )
    if y_true.size and (y_true.dtype.kind not in "iu" or y_pred.dtype.kind not in "iu"):
        raise ValueError("y_true and y_pred must hold integer classes")
    if y_true.size and min(y_true.min(), y_pred.min()) < 0:
        raise ValueError("classes must be non-negative")
    seen = int(max(y_true.max(), y_pred.max())) + 1 if y_true.size else 0
    n = seen if n_classes is None else n_classes
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < max(seen, 1):
        raise ValueError(f"n_classes must be an int of at least {max(seen, 1)}, got {n_classes!r}")
    counts = np.zeros((n, n), dtype=np.int64)
    np.add.at(counts, (y_true, y_pred), 1)
    return counts


def fit(
    model: Module,
    loss_fn: Callable[[Tensor, np.ndarray], Tensor],
    optimizer: Optimizer,
    X: np.ndarray,
    y: np.ndarray,
    *,
    epochs: int = 10,
    batch_size: int = 32,
    seed: RngLike = 0,
    validation: tuple[np.ndarray, np.ndarray] | None = None,
    classification: bool = True,
    progress: bool = True,
) -> History:
    """Train ``model`` with mini-batch gradient descent and return the history.

    Each step is the four steps of the 1986 paper on one mini-batch: forward pass
    (``model(X_batch)``), error (``loss_fn``), backward pass (``loss.backward()``)
    and weight update (``optimizer.step()``).

    Parameters
    ----------
    model : Module
    loss_fn : callable
        ``loss_fn(outputs, y_batch) -> scalar Tensor``, e.g. ``losses.cross_entropy``.
    optimizer : Optimizer
        Built on ``model.parameters()``.
    X, y : numpy.ndarray
        Training inputs (N, D) and targets (labels (N,) or values).
    epochs, batch_size : int
    seed : int or numpy.random.Generator
        Shuffles the batches; the same seed gives the same run.
    validation : (X_val, y_val), optional
        Evaluated after every epoch.
    classification : bool, default True
        Record accuracies (argmax of the outputs against integer labels).
    progress : bool, default True
        Show a tqdm progress bar with the running loss.
    """
    if len(X) != len(y):
        raise ValueError(f"X has {len(X)} rows but y has {len(y)}")
    if len(X) == 0:
        raise ValueError("fit needs at least one training example; X and y are empty")
    if isinstance(epochs, bool) or not isinstance(epochs, int) or epochs < 1:
        raise ValueError(f"epochs must be a positive int, got {epochs!r}")
    batch_size = _positive_int("batch_size", batch_size)
    if validation is not None and (not isinstance(validation, tuple | list)
                                   or len(validation) != 2):
        raise ValueError("validation must be a pair (X_val, y_val)")
    rng = as_rng(seed)
    history = History()
    steps_per_epoch = -(-len(X) // batch_size)
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=epochs * steps_per_epoch, desc="training", unit="step")
    try:
        for _ in range(epochs):
            total, count = 0.0, 0
            for X_batch, y_batch in batches(X, y, batch_size, shuffle=True, seed=rng):
                loss = loss_fn(model(Tensor(X_batch)), y_batch)  # forward pass and error
                optimizer.zero_grad()
                loss.backward()  # backward pass
                optimizer.step()  # weight update
                value = loss.item()
                history.step_loss.append(value)
                total += value * len(X_batch)
                count += len(X_batch)
                if bar is not None:
                    bar.update(1)
                    bar.set_postfix(loss=f"{value:.4f}")
            history.loss.append(total / count)
            if classification:
                history.train_accuracy.append(accuracy(model, X, y))
            if validation is not None:
                X_val, y_val = validation
                history.val_loss.append(loss_fn(model(Tensor(X_val)), y_val).item())
                if classification:
                    history.val_accuracy.append(accuracy(model, X_val, y_val))
    finally:
        if bar is not None:
            bar.close()
    return history
