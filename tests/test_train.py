"""The training loop learns, is deterministic, and records its history."""

from __future__ import annotations

import numpy as np
import pytest

from backprop_course import data, losses, nn, optim, train


def make(seed: int = 0):
    model = nn.MLP([2, 16, 3], activation="tanh", rng=seed)
    return model, optim.Adam(model.parameters(), lr=0.02)


def test_fit_learns_spirals_and_is_deterministic() -> None:
    X, y = data.spirals(n=60, classes=3, noise=0.1, seed=0)
    histories = []
    for _ in range(2):
        model, opt = make()
        histories.append(
            train.fit(model, losses.cross_entropy, opt, X, y, epochs=60, batch_size=30,
                      progress=False, validation=(X, y))
        )
    h = histories[0]
    assert h.loss == histories[1].loss
    assert len(h.loss) == 60 and len(h.step_loss) == 60 * 6
    assert h.loss[-1] < 0.5 * h.loss[0]
    assert h.train_accuracy[-1] > 0.8 and h.val_accuracy[-1] == h.train_accuracy[-1]


def test_fit_with_a_progress_bar(capsys: pytest.CaptureFixture) -> None:
    X, y = data.xor()
    model = nn.MLP([2, 4, 2], rng=0)
    opt = optim.SGD(model.parameters(), lr=0.1)
    train.fit(model, losses.cross_entropy, opt, X, y, epochs=2, batch_size=2, progress=True)
    assert "training" in capsys.readouterr().err


def test_bad_inputs() -> None:
    model, opt = make()
    X, y = data.xor()
    with pytest.raises(ValueError, match="rows"):
        train.fit(model, losses.cross_entropy, opt, X, y[:3], progress=False)
    with pytest.raises(ValueError, match="epochs"):
        train.fit(model, losses.cross_entropy, opt, X, y, epochs=0, progress=False)
    with pytest.raises(ValueError, match="inputs of shape"):
        train.fit(model, losses.cross_entropy, opt, np.zeros((4, 3)), y, progress=False)


def test_accuracy() -> None:
    model = nn.MLP([2, 2], rng=0)
    X = np.array([[1.0, 0.0], [0.0, 1.0]])
    predicted = train.predict(model, X)
    assert train.accuracy(model, X, predicted) == 1.0


def test_numpy_integer_epochs_are_accepted() -> None:
    model, opt = make()
    X, y = data.xor()
    history = train.fit(model, losses.cross_entropy, opt, X, y, epochs=np.int64(2),
                        progress=False)
    assert len(history.loss) == 2
