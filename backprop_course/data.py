"""The course's data sets, and mini-batches.

Every data set is made here or ships inside a package (the 8×8 digits come with
scikit-learn), so nothing is downloaded. Labels are integer class indices and
inputs are float64 arrays of shape (N, D), batch first.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterator

import numpy as np

from .init import RngLike, as_rng

__all__ = ["xor", "spirals", "digits", "train_test_split", "batches", "one_hot"]


def _positive_int(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"{name} must be a positive int, got {value!r}")
    return int(value)


def xor() -> tuple[np.ndarray, np.ndarray]:
    """The four XOR patterns: ``X`` (4, 2) of 0/1 and labels ``y`` (4,) = x1 XOR x2."""
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    return X, np.array([0, 1, 1, 0])


def spirals(
    n: int = 100, classes: int = 3, noise: float = 0.2, seed: RngLike = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Interleaved spiral arms in the plane, one arm per class: not linearly separable.

    Parameters
    ----------
    n : int
        Points per class.
    classes : int
        Number of arms (classes).
    noise : float
        Standard deviation of the angular noise, in radians.
    seed : int or numpy.random.Generator

    Returns
    -------
    X : numpy.ndarray, shape (n * classes, 2)
        Points within the unit disc.
    y : numpy.ndarray of int, shape (n * classes,)
    """
    n, classes = _positive_int("n", n), _positive_int("classes", classes)
    if not (isinstance(noise, int | float) and noise >= 0):
        raise ValueError(f"noise must be a non-negative number, got {noise!r}")
    rng = as_rng(seed)
    X = np.zeros((n * classes, 2))
    y = np.zeros(n * classes, dtype=np.int64)
    for k in range(classes):
        radius = np.linspace(0.0, 1.0, n)
        angle = np.linspace(k * 4.0, (k + 1) * 4.0, n) + rng.normal(0.0, noise, n)
        rows = slice(n * k, n * (k + 1))
        X[rows] = np.column_stack([radius * np.sin(angle), radius * np.cos(angle)])
        y[rows] = k
    return X, y


def digits() -> tuple[np.ndarray, np.ndarray]:
    """The 8×8 handwritten digits (1,797 images of 0-9) bundled with scikit-learn.

    Returns
    -------
    X : numpy.ndarray, shape (1797, 64)
        Pixel intensities scaled from 0..16 to 0..1, row by row.
    y : numpy.ndarray of int, shape (1797,)
    """
    try:
        from sklearn.datasets import load_digits
    except ImportError as err:  # pragma: no cover - scikit-learn is in requirements.txt
        raise ImportError(
            "digits() needs scikit-learn: python -m pip install scikit-learn"
        ) from err
    bunch = load_digits()
    return bunch.data.astype(np.float64) / 16.0, bunch.target.astype(np.int64)


def train_test_split(
    X: np.ndarray,
    y: np.ndarray,
    test_fraction: float = 0.25,
    seed: RngLike = 0,
    stratify: bool = True,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Split into training and test sets: ``X_train, X_test, y_train, y_test``.

    With ``stratify`` (the default) each class keeps its proportion in both sets.
    """
    X, y = np.asarray(X), np.asarray(y)
    if len(X) != len(y):
        raise ValueError(f"X has {len(X)} rows but y has {len(y)}")
    if not 0.0 < test_fraction < 1.0:
        raise ValueError(f"test_fraction must be between 0 and 1, got {test_fraction!r}")
    rng = as_rng(seed)
    if stratify:
        test_idx = []
        for label in np.unique(y):
            members = rng.permutation(np.flatnonzero(y == label))
            test_idx.append(members[: int(round(test_fraction * len(members)))])
        test = np.sort(np.concatenate(test_idx))
    else:
        test = np.sort(rng.permutation(len(X))[: int(round(test_fraction * len(X)))])
    train = np.setdiff1d(np.arange(len(X)), test)
    return X[train], X[test], y[train], y[test]


def batches(
    X: np.ndarray,
    y: np.ndarray,
    batch_size: int,
    shuffle: bool = True,
    seed: RngLike = 0,
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Yield mini-batches ``(X_batch, y_batch)`` covering the data once (an epoch).

    The last batch is smaller when ``batch_size`` does not divide ``len(X)``.
    With ``shuffle``, the order is a permutation drawn from ``seed``.
    """
    X, y = np.asarray(X), np.asarray(y)
    if len(X) != len(y):
        raise ValueError(f"X has {len(X)} rows but y has {len(y)}")
    batch_size = _positive_int("batch_size", batch_size)
    order = as_rng(seed).permutation(len(X)) if shuffle else np.arange(len(X))
    for start in range(0, len(X), batch_size):
        rows = order[start : start + batch_size]
        yield X[rows], y[rows]


def one_hot(labels: np.ndarray, n_classes: int) -> np.ndarray:
    """Rows of zeros with a 1 at each label: shape (N, n_classes)."""
    labels = np.asarray(labels)
    n_classes = _positive_int("n_classes", n_classes)
    if labels.dtype.kind not in "iu" or (
        labels.size and (labels.min() < 0 or labels.max() >= n_classes)
    ):
        raise ValueError(f"labels must be ints in 0..{n_classes - 1}")
    out = np.zeros((labels.size, n_classes))
    out[np.arange(labels.size), labels.ravel()] = 1.0
    return out
