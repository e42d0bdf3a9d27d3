"""Modules: parameters found, shapes right, the fused linear node exact, errors clear."""

from __future__ import annotations

import numpy as np
import pytest

import backprop_course as bc
from backprop_course import layers, losses, nn


def test_linear_equals_the_two_op_graph_and_the_hand_layer() -> None:
    rng = np.random.default_rng(1)
    x, W, b = rng.normal(size=(5, 4)), rng.normal(size=(4, 3)), rng.normal(size=3)
    report = bc.gradcheck(nn.linear, x, W, b)
    assert report.passed, str(report)
    # fused == unfused, values and gradients
    ts = [bc.Tensor(a, requires_grad=True) for a in (x, W, b)]
    us = [bc.Tensor(a, requires_grad=True) for a in (x, W, b)]
    seed = rng.normal(size=(5, 3))
    nn.linear(*ts).backward(seed)
    (us[0] @ us[1] + us[2]).backward(seed)
    for t, u in zip(ts, us, strict=True):
        np.testing.assert_allclose(t.grad, u.grad, rtol=1e-12)
    # == layers.dense_backward
    _, cache = layers.dense_forward(x, W, b)
    for t, g in zip(ts, layers.dense_backward(seed, cache), strict=True):
        np.testing.assert_allclose(t.grad, g, rtol=1e-12)


def test_linear_on_a_single_sample() -> None:
    rng = np.random.default_rng(2)
    assert bc.gradcheck(nn.linear, rng.normal(size=4), rng.normal(size=(4, 2)), rng.normal(size=2))


def test_mlp_structure_and_parameters() -> None:
    model = nn.MLP([64, 128, 64, 10], rng=0)
    assert [type(m).__name__ for m in model] == ["Linear", "ReLU", "Linear", "ReLU", "Linear"]
    shapes = [p.shape for p in model.parameters()]
    assert shapes == [(64, 128), (128,), (128, 64), (64,), (64, 10), (10,)]
    assert model.num_parameters() == 64 * 128 + 128 + 128 * 64 + 64 + 64 * 10 + 10
    assert model(np.zeros((3, 64))).shape == (3, 10)


def test_mlp_is_seeded() -> None:
    a, b = nn.MLP([3, 4, 2], rng=7), nn.MLP([3, 4, 2], rng=7)
    for p, q in zip(a.parameters(), b.parameters(), strict=True):
        np.testing.assert_array_equal(p.data, q.data)


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid"])
def test_mlp_gradients_are_right(activation: str) -> None:
    rng = np.random.default_rng(3)
    model = nn.MLP([3, 5, 4], activation=activation, rng=3)
    x, labels = rng.normal(size=(6, 3)), rng.integers(0, 4, size=6)
    losses.cross_entropy(model(x), labels).backward()
    for p in model.parameters():
        original = p.data

        def loss_at(a: np.ndarray, p: bc.Tensor = p) -> float:
            p.data = a
            return losses.cross_entropy(model(x), labels).item()

        numerical = bc.numerical_gradient(loss_at, original)
        p.data = original
        assert bc.rel_error(p.grad, numerical) < 1e-6


def test_zero_grad() -> None:
    model = nn.MLP([2, 3, 2], rng=0)
    losses.cross_entropy(model(np.ones((1, 2))), [1]).backward()
    assert all(p.grad is not None for p in model.parameters())
    model.zero_grad()
    assert all(p.grad is None for p in model.parameters())


def test_bad_inputs() -> None:
    with pytest.raises(ValueError, match=r"expects inputs of shape \(N, 3\)"):
        nn.Linear(3, 2)(np.zeros((4, 5)))
    with pytest.raises(ValueError, match="unknown activation 'softplus'"):
        nn.MLP([2, 2], activation="softplus")
    with pytest.raises(ValueError, match="at least two"):
        nn.MLP([3])
    with pytest.raises(ValueError, match="unknown init"):
        nn.Linear(2, 2, init="zeros")
    with pytest.raises(TypeError, match="Sequential takes Modules"):
        nn.Sequential(nn.Linear(2, 2), "relu")
    with pytest.raises(NotImplementedError):
        nn.Module()(1)


def test_every_module_has_train_and_eval_modes_that_reach_its_layers() -> None:
    model = nn.MLP([3, 4, 2], rng=0)
    assert model.training and all(m.training for m in model.modules())
    assert len(model.modules()) == 4  # the MLP, Linear, ReLU, Linear
    assert model.eval() is model and not any(m.training for m in model.modules())
    assert model.train() is model and all(m.training for m in model.modules())
    with pytest.raises(TypeError, match="mode"):
        model.train("no")  # a string would otherwise count as true
