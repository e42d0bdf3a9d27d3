"""The training loop: forward pass, error, backward pass, weight update, over mini-batches."""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np

from .checks import flag, int_at_least, real_array, rows
from .data import batches
from .init import RngLike, as_rng
from .layers.dense import check_labels
from .nn import Module
from .optim import Optimizer
from .tensor import Tensor

__all__ = ["History", "fit", "predict", "accuracy", "confusion_matrix", "checked_loss_fn"]


@dataclass
class History:
    """What :func:`fit` recorded, one entry per epoch (``step_loss`` has one per step).

    Raises TypeError if a field is given something other than a list.
    """

    loss: list[float] = field(default_factory=list)
    step_loss: list[float] = field(default_factory=list)
    train_accuracy: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    val_accuracy: list[float] = field(default_factory=list)

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if not isinstance(value, list):
                raise TypeError(f"History: {f.name} must be a list of numbers, got "
                                f"{type(value).__name__} {value!r:.40}")


# ------------------------------------------------------------ argument checks
def _check_model(model: object, where: str) -> None:
    if not callable(model) or isinstance(model, type):
        raise TypeError(
            f"{where}: model must be a model object such as bc.nn.MLP([2, 8, 3]) (called on a "
            f"Tensor of inputs), got {type(model).__name__} {model!r:.40}"
        )


def checked_loss_fn(loss_fn: object, where: str) -> Callable[[Tensor, np.ndarray], Tensor]:
    """A loss function for a training loop, checked now and wrapped to check what it returns.

    :func:`fit` and :mod:`~backprop_course.parallel` take their ``loss_fn`` through it.

    Parameters
    ----------
    loss_fn : callable
        ``loss_fn(outputs, targets) -> scalar Tensor``, such as ``bc.losses.cross_entropy``.
    where : str
        The caller's name, which starts every error message (``"fit"``).

    Returns
    -------
    callable
        ``loss_fn`` wrapped so that a result that is not a Tensor is named when it is
        returned: ``backward()`` could not start from it.

    Raises
    ------
    TypeError
        If ``loss_fn`` is not a function (a class, such as ``bc.nn.Linear``, is not one),
        and, from the wrapper, if ``loss_fn`` returns something other than a Tensor.
    """
    if not callable(loss_fn) or isinstance(loss_fn, type):
        raise TypeError(
            f"{where}: loss_fn must be a function (outputs, y) -> scalar Tensor such as "
            f"bc.losses.cross_entropy, got {type(loss_fn).__name__} {loss_fn!r:.40}"
        )

    @functools.wraps(loss_fn)
    def checked(outputs: Tensor, targets: np.ndarray) -> Tensor:
        loss = loss_fn(outputs, targets)
        if not isinstance(loss, Tensor):
            raise TypeError(
                f"{where}: loss_fn must return a scalar Tensor computed from the outputs (so "
                f"that backward() reaches the weights), but it returned "
                f"{type(loss).__name__} {loss!r:.40}"
            )
        return loss

    return checked


def _check_optimizer(optimizer: object, model: object, where: str) -> None:
    if isinstance(optimizer, type) or not all(
        callable(getattr(optimizer, name, None)) for name in ("zero_grad", "step")
    ):
        raise TypeError(
            f"{where}: optimizer must be an optimizer object built on the model's parameters, "
            f"e.g. bc.optim.SGD(model.parameters(), lr=0.1), got {optimizer!r:.60}"
        )
    mine = {id(p) for p in getattr(optimizer, "params", ())}
    theirs = model.parameters() if callable(getattr(model, "parameters", None)) else []
    if mine and theirs and not mine & {id(p) for p in theirs}:
        raise ValueError(
            f"{where}: the optimizer updates none of the model's parameters, so training "
            "would not change the model; build it on this model: "
            "optimizer = bc.optim.SGD(model.parameters(), lr=...)"
        )


def _inputs(X: object, where: str) -> np.ndarray:
    """The inputs as an array with a row per example, refused unless real and finite."""
    if isinstance(X, Tensor):
        X = X.data
    X = rows(X, "X", where)
    real_array(X, "X", where, float64=True)
    return X


def _outputs(model: Module, X: np.ndarray, where: str) -> np.ndarray:
    """The model's outputs on ``X``, which must be class scores (N, C) with C >= 2."""
    _check_model(model, where)
    X = _inputs(X, where)
    out = model(Tensor(X))
    scores = np.asarray(out.data if isinstance(out, Tensor) else out)
    if scores.ndim != 2 or len(scores) != len(X):
        raise ValueError(
            f"{where} takes the argmax of each row of the model's outputs, which must have "
            f"shape (N, C) = ({len(X)}, C), one score per class; got {scores.shape}"
        )
    if scores.shape[1] < 2:
        raise ValueError(
            f"{where}: the model has one output column, so the argmax would predict class 0 "
            "for every row; with one sigmoid output unit, threshold it instead: "
            "(model(Tensor(X)).data[:, 0] > 0.5).astype(int)"
        )
    return scores


def _class_labels(y: np.ndarray, n: int, what: str, where: str) -> None:
    """Labels for accuracies: one whole, non-negative number per row (the range is checked
    against the model's outputs later)."""
    if y.ndim != 1 or len(y) != n:
        raise ValueError(
            f"{where}: classification=True records accuracies, which need {what} to be one "
            f"class label per row, shape ({n},); got shape {y.shape} (pass "
            "classification=False for other targets)"
        )
    if y.size and (y.dtype.kind not in "iuf" or np.any(np.mod(y, 1) != 0) or y.min() < 0):
        raise ValueError(
            f"{where}: classification=True needs {what} to be integer class labels 0, 1, ..., "
            f"got {y[:5].tolist()} (dtype {y.dtype}); pass classification=False for "
            "real-valued targets"
        )


def predict(model: Module, X: np.ndarray) -> np.ndarray:
    """The predicted class of each row: the argmax of the model's outputs.

    Raises
    ------
    TypeError
        If ``model`` is not callable or ``X`` is not real numbers.
    ValueError
        If ``X`` has NaN or infinite entries, or the outputs are not class scores
        (N, C) with at least two columns (one output column would make every
        prediction class 0).
    """
    return _outputs(model, X, "predict").argmax(axis=1)


def accuracy(model: Module, X: np.ndarray, y: np.ndarray) -> float:
    """The fraction of rows of ``X`` whose predicted class equals ``y``.

    Raises
    ------
    TypeError
        As :func:`predict`, or if ``y`` is not numbers.
    ValueError
        If ``y`` is not one label per row of ``X``, there are no rows, a label is not a
        whole number, or a label is outside ``0 .. C - 1`` for the model's C outputs
        (as :func:`predict`, too).
    """
    X = _inputs(X, "accuracy")
    y = np.asarray(y)
    if y.ndim != 1 or len(y) != len(X):
        raise ValueError(
            f"accuracy needs one label per row of X: X has {len(X)} rows, y has shape {y.shape}"
        )
    if len(y) == 0:
        raise ValueError("accuracy of no examples is undefined: X and y are empty")
    scores = _outputs(model, X, "accuracy")
    try:
        labels = check_labels(y, len(y), scores.shape[1])
    except (TypeError, ValueError) as err:
        message = str(err).removeprefix("check_labels: ")
        raise type(err)(
            f"accuracy: y does not fit the model's {scores.shape[1]} outputs: {message}"
        ) from None
    return float((scores.argmax(axis=1) == labels).mean())


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

    Raises
    ------
    ValueError
        If ``y_true`` and ``y_pred`` are not 1-D of the same length or not integer
        classes, a class is negative, or ``n_classes`` is not an int at least as large
        as every class seen (at least 1).
    """
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    if y_true.shape != y_pred.shape or y_true.ndim != 1:
        raise ValueError(
            f"confusion_matrix: y_true and y_pred must be 1-D of the same length, got "
            f"{y_true.shape} and {y_pred.shape}"
        )
    if y_true.size == 0:  # [] is a float array: no classes either way
        y_true, y_pred = y_true.astype(np.int64), y_pred.astype(np.int64)
    for name, y in (("y_true", y_true), ("y_pred", y_pred)):
        if y.dtype.kind not in "iu":
            raise ValueError(
                f"confusion_matrix: y_true and y_pred must hold integer classes, got {name} of "
                f"dtype {y.dtype}: {y[:3].tolist()}"
            )
        if y.size and y.min() < 0:
            raise ValueError(
                f"confusion_matrix: classes must be non-negative, got {y.min()} in {name}"
            )
    seen = int(max(y_true.max(), y_pred.max())) + 1 if y_true.size else 0
    n = seen if n_classes is None else n_classes
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < max(seen, 1):
        raise ValueError(
            f"confusion_matrix: n_classes must be an int of at least {max(seen, 1)}, got "
            f"{n_classes!r}"
        )
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

    Raises
    ------
    TypeError
        If ``model`` or ``loss_fn`` is not callable, ``loss_fn`` returns something other
        than a Tensor, ``optimizer`` is not an optimizer object, or ``X`` is not real
        numbers. All but the loss's type are checked before the first step.
    ValueError
        Before the first step: if ``X`` and ``y`` do not have one row per example, or
        none; ``X`` has NaN or infinite entries; ``epochs`` or ``batch_size`` is not a
        positive int; ``validation`` is not a pair ``(X_val, y_val)`` of matching
        lengths; ``classification`` or ``progress`` is not a bool; with
        ``classification``, ``y`` (or ``y_val``) is not integer labels (N,); or the
        optimizer updates none of the model's parameters.
    """
    epochs = int_at_least(epochs, 1, "epochs", "fit")
    batch_size = int_at_least(batch_size, 1, "batch_size", "fit")
    classification = flag(classification, "fit: classification")
    progress = flag(progress, "fit: progress")
    loss_fn, X, y, validation = _checked_problem(model, loss_fn, optimizer, X, y, validation,
                                                 classification)
    rng, history = as_rng(seed), History()
    with _progress_bar(progress, epochs * -(-len(X) // batch_size)) as bar:
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
            _evaluate(history, model, loss_fn, (X, y), validation, classification)
    return history


def _checked_problem(
    model: object, loss_fn: object, optimizer: object, X: object, y: object,
    validation: object, classification: bool,
) -> tuple[Callable[[Tensor, np.ndarray], Tensor], np.ndarray, np.ndarray, tuple | None]:
    """What :func:`fit` trains, checked before the first step: the model, the loss (wrapped
    by :func:`checked_loss_fn`), the optimizer, and the data ``X, y`` and ``validation``."""
    _check_model(model, "fit")
    loss_fn = checked_loss_fn(loss_fn, "fit")
    _check_optimizer(optimizer, model, "fit")
    X, y = _inputs(X, "fit"), rows(y, "y", "fit")
    if len(X) != len(y):
        raise ValueError(f"fit: X has {len(X)} rows but y has {len(y)}")
    if len(X) == 0:
        raise ValueError("fit needs at least one training example; X and y are empty")
    if classification:
        _class_labels(y, len(X), "y", "fit")
    if validation is not None:
        validation = _validation_pair(validation, classification)
    return loss_fn, X, y, validation


@contextlib.contextmanager
def _progress_bar(show: bool, total: int) -> Iterator[Any]:
    """A tqdm bar of ``total`` steps (None if not ``show``), closed however training ends."""
    if not show:
        yield None
        return
    from tqdm.auto import tqdm

    bar = tqdm(total=total, desc="training", unit="step")
    try:
        yield bar
    finally:
        bar.close()


def _evaluate(history: History, model: Module, loss_fn: Callable[[Tensor, np.ndarray], Tensor],
              train: tuple[np.ndarray, np.ndarray], validation: tuple | None,
              classification: bool) -> None:
    """Record the end of an epoch: the training accuracy, the validation loss and accuracy."""
    if classification:
        history.train_accuracy.append(accuracy(model, *train))
    if validation is not None:
        X_val, y_val = validation
        history.val_loss.append(loss_fn(model(Tensor(X_val)), y_val).item())
        if classification:
            history.val_accuracy.append(accuracy(model, X_val, y_val))


def _validation_pair(validation: object, classification: bool) -> tuple[np.ndarray, np.ndarray]:
    if not isinstance(validation, tuple | list) or len(validation) != 2:
        raise ValueError(
            f"fit: validation must be a pair (X_val, y_val), got a {type(validation).__name__}"
            + (f" of length {len(validation)}" if isinstance(validation, tuple | list) else "")
        )
    X_val, y_val = _inputs(validation[0], "fit (validation)"), rows(validation[1], "y_val", "fit")
    if len(X_val) != len(y_val) or len(X_val) == 0:
        raise ValueError(
            f"fit: validation must be (X_val, y_val) with one label per row, and at least one "
            f"row; X_val has {len(X_val)} rows, y_val {len(y_val)}"
        )
    if classification:
        _class_labels(y_val, len(X_val), "y_val", "fit")
    return X_val, y_val
