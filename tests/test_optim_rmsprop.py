"""RMSprop (optim.py): its update against the formula written out and against PyTorch."""

from __future__ import annotations

import numpy as np
import pytest

from backprop_course import Tensor, optim


def _quadratic_steps(make, steps=5):
    """The weights after ``steps`` updates on L = sum(A w * w) / 2 + b.w, and their path."""
    rng = np.random.default_rng(0)
    A = np.diag(rng.uniform(0.5, 3.0, 4))
    b = rng.normal(size=4)
    w = Tensor(rng.normal(size=4), requires_grad=True)
    opt = make([w])
    path = []
    for _ in range(steps):
        opt.zero_grad()
        ((w @ Tensor(A) * w).sum() / 2 + (w * b).sum()).backward()
        opt.step()
        path.append(w.data.copy())
    return np.array(path), A, b


def test_rmsprop_follows_its_formula() -> None:
    path, A, b = _quadratic_steps(lambda p: optim.RMSprop(p, lr=0.05, alpha=0.9))
    rng = np.random.default_rng(0)
    rng.uniform(0.5, 3.0, 4), rng.normal(size=4)
    w = rng.normal(size=4)
    v = np.zeros(4)
    for got in path:
        g = A @ w + b
        v = 0.9 * v + 0.1 * g * g
        w = w - 0.05 * g / (np.sqrt(v) + 1e-8)
        np.testing.assert_allclose(got, w, rtol=1e-13)


def test_rmsprop_first_step_moves_each_weight_by_lr_over_sqrt_one_minus_alpha() -> None:
    """v = (1 - alpha) g² after one step, so |Δw| = lr / √(1 - alpha) whatever the gradient."""
    path, _, _ = _quadratic_steps(lambda p: optim.RMSprop(p, lr=0.01, alpha=0.99), steps=1)
    rng = np.random.default_rng(0)
    rng.uniform(0.5, 3.0, 4), rng.normal(size=4)
    np.testing.assert_allclose(np.abs(path[0] - rng.normal(size=4)), 0.01 / np.sqrt(0.01),
                               rtol=1e-6)


def test_rmsprop_agrees_with_pytorch() -> None:
    torch = pytest.importorskip("torch")
    path, A, b = _quadratic_steps(lambda p: optim.RMSprop(p, lr=0.03, alpha=0.95, eps=1e-6),
                                  steps=8)
    rng = np.random.default_rng(0)
    rng.uniform(0.5, 3.0, 4), rng.normal(size=4)
    w = torch.tensor(rng.normal(size=4), requires_grad=True)
    opt = torch.optim.RMSprop([w], lr=0.03, alpha=0.95, eps=1e-6)
    At, bt = torch.tensor(A), torch.tensor(b)
    for got in path:
        opt.zero_grad()
        ((w @ At * w).sum() / 2 + (w * bt).sum()).backward()
        opt.step()
        np.testing.assert_allclose(got, w.detach().numpy(), rtol=1e-12)
