"""Losses on Tensors: values equal their definitions, gradients equal central differences."""

from __future__ import annotations

import numpy as np
import pytest

import backprop_course as bc
from backprop_course import losses

RNG = np.random.default_rng(4)


def test_cross_entropy_value_and_gradient() -> None:
    logits, labels = RNG.normal(size=(6, 5)), RNG.integers(0, 5, size=6)
    p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    value = losses.cross_entropy(bc.Tensor(logits), labels).item()
    assert np.isclose(value, -np.log(p[np.arange(6), labels]).mean(), rtol=1e-13)
    assert bc.gradcheck(lambda z: losses.cross_entropy(z, labels), logits)


def test_cross_entropy_equals_the_unfused_graph() -> None:
    logits, labels = RNG.normal(size=(4, 3)), np.array([2, 0, 1, 1])
    a, b = bc.Tensor(logits, requires_grad=True), bc.Tensor(logits, requires_grad=True)
    losses.cross_entropy(a, labels).backward()
    (-(b.log_softmax()[np.arange(4), labels]).mean()).backward()
    np.testing.assert_allclose(a.grad, b.grad, rtol=1e-12, atol=1e-15)


def test_cross_entropy_is_stable_for_logits_of_1000() -> None:
    logits = bc.Tensor([[1000.0, -1000.0], [-1000.0, 1000.0], [0.0, 1000.0]], requires_grad=True)
    loss = losses.cross_entropy(logits, [0, 0, 1])
    assert np.isclose(loss.item(), 2000.0 / 3)
    loss.backward()
    assert np.isfinite(logits.grad).all()


def test_binary_cross_entropy() -> None:
    z, y = RNG.normal(scale=3, size=(5, 2)), RNG.integers(0, 2, size=(5, 2)).astype(float)
    s = 1 / (1 + np.exp(-z))
    value = losses.binary_cross_entropy(bc.Tensor(z), y).item()
    assert np.isclose(value, np.mean(-y * np.log(s) - (1 - y) * np.log(1 - s)), rtol=1e-12)
    assert bc.gradcheck(lambda t: losses.binary_cross_entropy(t, y), z)
    big = losses.binary_cross_entropy(bc.Tensor([1000.0, -1000.0]), np.array([0.0, 1.0]))
    assert np.isclose(big.item(), 1000.0)


def test_mse() -> None:
    pred, target = RNG.normal(size=(4, 3)), RNG.normal(size=(4, 3))
    assert np.isclose(losses.mse(bc.Tensor(pred), target).item(), np.mean((pred - target) ** 2))
    assert bc.gradcheck(lambda t: losses.mse(t, target), pred)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: losses.cross_entropy(bc.Tensor(np.zeros((2, 3))), [0, 3]), "out of range"),
        (lambda: losses.cross_entropy(bc.Tensor(np.zeros((2, 3))), [0, 1, 2]), "batch sizes"),
        (lambda: losses.cross_entropy(bc.Tensor(np.zeros(3)), [0]), r"\(N, C\)"),
        (lambda: losses.mse(bc.Tensor(np.zeros((3, 1))), np.zeros(3)), "same shape"),
        (lambda: losses.binary_cross_entropy(bc.Tensor(np.zeros(2)), [0.0, 2.0]), r"\[0, 1\]"),
        (lambda: losses.binary_cross_entropy(bc.Tensor(np.zeros(2)), [0.0]), "same shape"),
    ],
)
def test_bad_inputs_raise_value_errors(call, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()


def test_binary_cross_entropy_keeps_float32_through_the_loss_and_both_gradients() -> None:
    z = bc.Tensor(np.array([0.5, -1.0, 2.0], dtype=np.float32), requires_grad=True)
    loss = bc.losses.binary_cross_entropy(z, [0.0, 1.0, 1.0])
    assert loss.dtype == np.float32
    (g,) = bc.higher.grad(loss, [z])
    loss.backward()
    assert z.grad.dtype == np.float32 and g.dtype == np.float32
    np.testing.assert_allclose(g.data, z.grad, rtol=1e-6)
