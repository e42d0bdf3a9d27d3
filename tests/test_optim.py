"""Optimisers: a few steps equal the update rules computed by hand in NumPy."""

from __future__ import annotations

import numpy as np
import pytest

import backprop_course as bc
from backprop_course import optim

GRADS = [np.array([0.5, -1.0]), np.array([0.25, 2.0]), np.array([-1.0, 0.1])]


def run(opt_factory, w0: np.ndarray) -> np.ndarray:
    w = bc.Tensor(w0.copy(), requires_grad=True)
    opt = opt_factory([w])
    for g in GRADS:
        opt.zero_grad()
        w.grad = g.copy()
        opt.step()
    return w.data


def test_sgd() -> None:
    w0 = np.array([1.0, 2.0])
    expected = w0 - 0.1 * sum(GRADS)
    np.testing.assert_allclose(run(lambda p: optim.SGD(p, lr=0.1), w0), expected)


def test_sgd_with_momentum_is_the_papers_rule() -> None:
    # Delta w(t) = -lr g(t) + alpha Delta w(t-1)   (Rumelhart, Hinton & Williams 1986, eq. 9)
    w0, lr, alpha = np.array([1.0, 2.0]), 0.1, 0.9
    w, delta = w0.copy(), np.zeros(2)
    for g in GRADS:
        delta = -lr * g + alpha * delta
        w = w + delta
    got = run(lambda p: optim.SGD(p, lr=lr, momentum=alpha), w0)
    np.testing.assert_allclose(got, w, rtol=1e-14)


def test_adam() -> None:
    w0, lr, b1, b2, eps = np.array([1.0, 2.0]), 0.01, 0.9, 0.999, 1e-8
    w, m, v = w0.copy(), np.zeros(2), np.zeros(2)
    for t, g in enumerate(GRADS, start=1):
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g**2
        w = w - lr * (m / (1 - b1**t)) / (np.sqrt(v / (1 - b2**t)) + eps)
    got = run(lambda p: optim.Adam(p, lr=lr, betas=(b1, b2), eps=eps), w0)
    np.testing.assert_allclose(got, w, rtol=1e-13)


def test_parameters_without_gradient_are_left_alone() -> None:
    a, b = bc.Tensor([1.0], requires_grad=True), bc.Tensor([2.0], requires_grad=True)
    opt = optim.Adam([a, b], lr=0.1)
    a.grad = np.array([1.0])
    opt.step()
    assert b.data[0] == 2.0 and a.data[0] != 1.0


def test_bad_inputs() -> None:
    with pytest.raises(ValueError, match="empty parameter list"):
        optim.SGD([], lr=0.1)
    with pytest.raises(ValueError, match="empty parameter list"):
        optim.Adam(iter([]))
    w = bc.Tensor([1.0], requires_grad=True)
    for bad_lr in (0.0, -1.0, float("nan")):
        with pytest.raises(ValueError, match="lr must be a positive number"):
            optim.SGD([w], lr=bad_lr)
    with pytest.raises(ValueError, match="momentum"):
        optim.SGD([w], lr=0.1, momentum=1.0)
    with pytest.raises(ValueError, match="requires_grad"):
        optim.SGD([bc.Tensor([1.0])], lr=0.1)
    with pytest.raises(TypeError, match="not a Tensor"):
        optim.SGD([np.zeros(2)], lr=0.1)


def test_a_diverging_run_is_stopped_at_its_first_non_finite_loss() -> None:
    w = bc.Tensor([1e200], requires_grad=True)
    opt = optim.SGD([w], lr=0.1)
    with np.errstate(over="ignore"):
        loss = (w * w).sum()  # overflows to inf
    with pytest.raises(FloatingPointError, match="diverged"):
        loss.backward()
    opt.step()  # nothing was computed, so nothing changes
    assert w.data[0] == 1e200 and w.grad is None
