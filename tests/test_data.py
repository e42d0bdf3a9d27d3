"""Data sets and mini-batches."""

from __future__ import annotations

import numpy as np
import pytest

from backprop_course import data


def test_xor() -> None:
    X, y = data.xor()
    assert X.shape == (4, 2)
    np.testing.assert_array_equal(y, np.logical_xor(X[:, 0], X[:, 1]).astype(int))


def test_spirals() -> None:
    X, y = data.spirals(n=50, classes=3, noise=0.1, seed=1)
    assert X.shape == (150, 2) and np.bincount(y).tolist() == [50, 50, 50]
    assert np.all(np.linalg.norm(X, axis=1) <= 1.0 + 1e-12)
    X2, _ = data.spirals(n=50, classes=3, noise=0.1, seed=1)
    np.testing.assert_array_equal(X, X2)
    with pytest.raises(ValueError, match="classes must be an int >= 1"):
        data.spirals(classes=0)


def test_digits() -> None:
    X, y = data.digits()
    assert X.shape == (1797, 64) and y.shape == (1797,)
    assert X.min() == 0.0 and X.max() == 1.0 and set(y.tolist()) == set(range(10))


def test_train_test_split_is_stratified_and_disjoint() -> None:
    X, y = data.digits()
    X_tr, X_te, y_tr, y_te = data.train_test_split(X, y, test_fraction=0.2, seed=0)
    assert len(X_tr) + len(X_te) == len(X)
    assert abs(len(X_te) - 0.2 * len(X)) <= 10
    np.testing.assert_allclose(np.bincount(y_te) / len(y_te), np.bincount(y) / len(y), atol=0.01)
    # the two sets partition the rows: every original row is in exactly one of them
    both = np.concatenate([X_tr, X_te])
    assert sorted(map(bytes, both)) == sorted(map(bytes, X))
    with pytest.raises(ValueError, match="rows"):
        data.train_test_split(X, y[:-1])


def test_batches_cover_the_data_once() -> None:
    X, y = np.arange(10.0)[:, None], np.arange(10)
    got = list(data.batches(X, y, batch_size=4, seed=3))
    assert [len(b[0]) for b in got] == [4, 4, 2]
    assert sorted(np.concatenate([b[1] for b in got]).tolist()) == list(range(10))
    for Xb, yb in got:
        np.testing.assert_array_equal(Xb[:, 0], yb)
    with pytest.raises(ValueError, match="batch_size"):
        list(data.batches(X, y, batch_size=0))


def test_one_hot() -> None:
    np.testing.assert_array_equal(data.one_hot(np.array([2, 0]), 3), [[0, 0, 1], [1, 0, 0]])
    with pytest.raises(ValueError):
        data.one_hot(np.array([3]), 3)


def test_train_test_split_stratifies_one_hot_rows_as_classes() -> None:
    X, y = data.digits()
    _, _, _, by_label = data.train_test_split(X, y, seed=0)
    _, _, _, by_row = data.train_test_split(X, data.one_hot(y, 10), seed=0)
    np.testing.assert_array_equal(np.bincount(by_row.argmax(axis=1)), np.bincount(by_label))


def test_batches_checks_its_arguments_at_the_call() -> None:
    with pytest.raises(ValueError, match="batch_size"):
        data.batches(np.zeros((4, 2)), np.zeros(4), 0)  # no iteration needed
