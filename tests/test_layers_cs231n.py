"""The layers CS231n's assignments add (layers/batchnorm_modes.py, layers/words.py): gradients
against central differences on Hypothesis shapes, and PyTorch when it is installed."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import MAX_SIDE  # importing strategies loads the course's Hypothesis profile
from test_layers_conv import assert_gradients

import backprop_course as bc
from backprop_course import layers


def _loss_pair(forward, backward):
    """A loss's pair as the gradient checker takes it: out = the loss, dout = a number."""
    def fwd(*args):
        loss, cache = forward(*args)
        return np.array(loss), cache

    def bwd(dout, cache):
        return backward(float(dout), cache)

    return fwd, bwd


@given(st.integers(0, 2**32 - 1), st.integers(1, 4), st.integers(1, MAX_SIDE))
def test_eval_mode_gradients_match_central_differences(seed, N, D) -> None:
    rng = np.random.default_rng(seed)
    mean, var = rng.normal(size=D), rng.uniform(0.1, 3.0, size=D)

    def forward(x, gamma, beta):
        return layers.batchnorm_eval_forward(x, gamma, beta, mean, var)

    inputs = [rng.normal(size=(N, D)), rng.normal(size=D), rng.normal(size=D)]
    assert_gradients(forward, layers.batchnorm_eval_backward, inputs, rng)


def test_running_averages_converge_to_the_data_statistics_and_eval_then_normalises() -> None:
    rng = np.random.default_rng(0)
    mean, var = np.zeros(3), np.ones(3)
    for _ in range(300):
        batch = rng.normal([2.0, -1.0, 0.5], [3.0, 0.5, 1.0], size=(64, 3))
        mean, var = layers.batchnorm_running_update(batch, mean, var, momentum=0.9)
    np.testing.assert_allclose(mean, [2.0, -1.0, 0.5], atol=0.3)
    np.testing.assert_allclose(var, [9.0, 0.25, 1.0], rtol=0.15)
    test = rng.normal([2.0, -1.0, 0.5], [3.0, 0.5, 1.0], size=(2000, 3))
    y, _ = layers.batchnorm_eval_forward(test, np.ones(3), np.zeros(3), mean, var)
    np.testing.assert_allclose(y.mean(axis=0), 0.0, atol=0.15)
    np.testing.assert_allclose(y.std(axis=0), 1.0, atol=0.15)
    one, _ = layers.batchnorm_eval_forward(test[:1], np.ones(3), np.zeros(3), mean, var)
    np.testing.assert_allclose(one, y[:1], rtol=1e-14)  # one example alone: the same


@given(st.integers(0, 2**32 - 1))
def test_spatial_batchnorm_gradients_match_central_differences(seed) -> None:
    rng = np.random.default_rng(seed)
    N, C, H, W = 2, int(rng.integers(1, 4)), int(rng.integers(1, 4)), int(rng.integers(2, 4))
    inputs = [rng.normal(rng.normal(size=(1, C, 1, 1)), 2.0, size=(N, C, H, W)),
              rng.normal(size=C), rng.normal(size=C)]
    assert_gradients(layers.spatial_batchnorm_forward, layers.spatial_batchnorm_backward,
                     inputs, rng)


def test_spatial_batchnorm_normalises_each_channel_over_batch_and_pixels() -> None:
    rng = np.random.default_rng(1)
    x = rng.normal([[[1.0]], [[5.0]], [[-2.0]]], [[[1.0]], [[3.0]], [[0.5]]], size=(4, 3, 5, 6))
    y, _ = layers.spatial_batchnorm_forward(x, np.ones(3), np.zeros(3))
    np.testing.assert_allclose(y.mean(axis=(0, 2, 3)), 0.0, atol=1e-12)
    np.testing.assert_allclose(y.var(axis=(0, 2, 3)), 1.0, rtol=1e-4)


@given(st.integers(0, 2**32 - 1))
def test_word_embedding_gradient_adds_repeated_words(seed) -> None:
    rng = np.random.default_rng(seed)
    V, D = int(rng.integers(1, 5)), int(rng.integers(1, 4))
    x = rng.integers(0, V, size=(2, 5))  # with 5 > V words, some repeat
    W = rng.normal(size=(V, D))
    out, cache = layers.word_embedding_forward(x, W)
    np.testing.assert_array_equal(out, W[x])
    dout = rng.normal(size=out.shape)
    dW = layers.word_embedding_backward(dout, cache)
    numerical = bc.numerical_gradient(lambda w: np.sum(w[x] * dout), W, 1e-2)  # linear in W
    assert bc.rel_error(dW, numerical) < 1e-7


@given(st.integers(0, 2**32 - 1), st.booleans())
def test_temporal_softmax_loss_gradient_matches_central_differences(seed, masked) -> None:
    rng = np.random.default_rng(seed)
    N, T, V = int(rng.integers(1, 4)), int(rng.integers(1, 4)), int(rng.integers(2, 5))
    y = rng.integers(0, V, size=(N, T))
    mask = rng.random((N, T)) < 0.6 if masked else None
    fwd, bwd = _loss_pair(lambda x: layers.temporal_softmax_loss_forward(x, y, mask),
                          layers.temporal_softmax_loss_backward)
    assert_gradients(fwd, bwd, [rng.normal(size=(N, T, V))], rng)


def test_a_masked_step_costs_nothing_and_gets_no_gradient() -> None:
    rng = np.random.default_rng(2)
    x, y = rng.normal(size=(2, 3, 4)), rng.integers(0, 4, size=(2, 3))
    mask = np.array([[1, 1, 0], [1, 0, 0]], dtype=bool)
    loss, cache = layers.temporal_softmax_loss_forward(x, y, mask)
    changed = x.copy()
    changed[~mask] = rng.normal(size=changed[~mask].shape) * 10
    assert layers.temporal_softmax_loss_forward(changed, y, mask)[0] == loss
    dx = layers.temporal_softmax_loss_backward(1.0, cache)
    assert not dx[~mask].any()


@given(st.integers(0, 2**32 - 1))
def test_svm_loss_gradient_matches_central_differences(seed) -> None:
    rng = np.random.default_rng(seed)
    N, C = int(rng.integers(1, 5)), int(rng.integers(2, 6))
    labels = rng.integers(0, C, size=N)
    scores = rng.normal(size=(N, C)) * 2
    # keep every margin at least 1e-2 from its kink, where the hinge has no derivative
    margins = scores - scores[np.arange(N), labels][:, None] + 1
    scores = scores + np.where(np.abs(margins) < 1e-2, 0.05, 0.0)
    fwd, bwd = _loss_pair(lambda s: layers.svm_loss_forward(s, labels), layers.svm_loss_backward)
    assert_gradients(fwd, bwd, [scores], rng)


def test_svm_loss_is_zero_when_every_margin_is_met() -> None:
    scores = np.array([[5.0, 1.0, 3.9], [0.0, 2.0, -1.0]])
    loss, cache = layers.svm_loss_forward(scores, [0, 1])
    assert loss == 0.0 and not layers.svm_loss_backward(1.0, cache).any()
    loss, _ = layers.svm_loss_forward(scores, [2, 1])  # class 0 beats class 2 by 1.1
    assert loss == pytest.approx((5.0 - 3.9 + 1) / 2)  # only that margin is violated


def test_the_cs231n_layers_agree_with_pytorch() -> None:
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    rng = np.random.default_rng(3)

    def t(a):
        return torch.tensor(a, dtype=torch.float64, requires_grad=True)

    # evaluation-mode batch norm
    x, gamma, beta = rng.normal(size=(5, 3)), rng.normal(size=3), rng.normal(size=3)
    mean, var = rng.normal(size=3), rng.uniform(0.5, 2, size=3)
    y, cache = layers.batchnorm_eval_forward(x, gamma, beta, mean, var)
    dy = rng.normal(size=y.shape)
    ours = layers.batchnorm_eval_backward(dy, cache)
    xt, gt, bt = t(x), t(gamma), t(beta)
    yt = F.batch_norm(xt, torch.tensor(mean), torch.tensor(var), gt, bt, training=False, eps=1e-5)
    (yt * torch.tensor(dy)).sum().backward()
    assert bc.rel_error(y, yt.detach().numpy()) < 1e-12
    for g, r in zip(ours, (xt, gt, bt), strict=True):
        assert bc.rel_error(g, r.grad.numpy()) < 1e-12

    # spatial batch norm, training mode
    x = rng.normal(size=(2, 3, 4, 5))
    y, cache = layers.spatial_batchnorm_forward(x, gamma, beta)
    dy = rng.normal(size=y.shape)
    ours = layers.spatial_batchnorm_backward(dy, cache)
    xt, gt, bt = t(x), t(gamma), t(beta)
    yt = F.batch_norm(xt, None, None, gt, bt, training=True, eps=1e-5)
    (yt * torch.tensor(dy)).sum().backward()
    assert bc.rel_error(y, yt.detach().numpy()) < 1e-11
    for g, r in zip(ours, (xt, gt, bt), strict=True):
        assert bc.rel_error(g, r.grad.numpy()) < 1e-9

    # masked temporal softmax loss: summed over steps, averaged over sequences
    x, y = rng.normal(size=(3, 4, 5)), rng.integers(0, 5, size=(3, 4))
    mask = rng.random((3, 4)) < 0.7
    loss, cache = layers.temporal_softmax_loss_forward(x, y, mask)
    xt = t(x)
    per_step = F.cross_entropy(xt.reshape(-1, 5), torch.tensor(y.reshape(-1)),
                               reduction="none")
    ref = (per_step * torch.tensor(mask.reshape(-1), dtype=torch.float64)).sum() / 3
    ref.backward()
    assert abs(loss - ref.item()) < 1e-12
    assert bc.rel_error(layers.temporal_softmax_loss_backward(1.0, cache), xt.grad.numpy()) < 1e-12

    # the multiclass SVM loss: PyTorch divides each example's sum by C as well
    scores, labels = rng.normal(size=(4, 5)), rng.integers(0, 5, size=4)
    loss, cache = layers.svm_loss_forward(scores, labels)
    st = t(scores)
    ref = F.multi_margin_loss(st, torch.tensor(labels), margin=1.0) * 5  # it averages over C
    ref.backward()
    assert abs(loss - ref.item()) < 1e-12
    assert bc.rel_error(layers.svm_loss_backward(1.0, cache), st.grad.numpy()) < 1e-12
