"""Chapter 14's Tensor modules (nn_blocks.py, nn_attention.py) against the layer pairs, their
second derivatives against finite differences, and the train/eval modes."""

from __future__ import annotations

import numpy as np
import pytest
from numeric import fd_hvp
from test_layers_modern import lstm_arrays

import backprop_course as bc
from backprop_course import Tensor, higher, layers, nn

RNG = np.random.default_rng(14)


def test_layernorm_module_is_the_layer_pair() -> None:
    x = RNG.normal(2.0, 3.0, size=(2, 3, 5))
    ln = nn.LayerNorm(5)
    ln.gamma.data[:] = RNG.normal(size=5)
    ln.beta.data[:] = RNG.normal(size=5)
    xt = Tensor(x, requires_grad=True)
    y = ln(xt)
    y_pair, cache = layers.layernorm_forward(x, ln.gamma.data, ln.beta.data)
    assert bc.rel_error(y.data, y_pair) < 1e-13
    dy = RNG.normal(size=y.shape)
    (y * dy).sum().backward()
    for got, t in zip(layers.layernorm_backward(dy, cache), (xt, ln.gamma, ln.beta), strict=True):
        assert bc.rel_error(got, t.grad) < 1e-11


def test_layernorm_second_derivatives_match_finite_differences() -> None:
    """Composed from Tensor operations: higher.hvp works through it with no rule of its own."""
    ln = nn.LayerNorm(4)
    seed = RNG.normal(size=(3, 4))

    def loss(x: Tensor) -> Tensor:
        return (ln(x) * seed).sum() + (ln(x) ** 2).sum() * 0.3

    x, v = RNG.normal(size=(3, 4)), RNG.normal(size=(3, 4))
    (exact,) = higher.hvp(loss, [x], [v])
    (approx,) = fd_hvp(loss, [x], [v])
    np.testing.assert_allclose(exact, approx, rtol=1e-5, atol=1e-6)


def test_attention_second_derivatives_match_finite_differences() -> None:
    mha = nn.MultiHeadAttention(4, 2, causal=True, rng=1)
    seed = RNG.normal(size=(1, 3, 4))

    def loss(x: Tensor) -> Tensor:
        return (mha(x) * seed).sum()

    x, v = RNG.normal(size=(1, 3, 4)), RNG.normal(size=(1, 3, 4))
    (exact,) = higher.hvp(loss, [x], [v])
    (approx,) = fd_hvp(loss, [x], [v])
    np.testing.assert_allclose(exact, approx, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("causal", [False, True])
def test_multihead_attention_module_is_the_layer_pair(causal) -> None:
    mha = nn.MultiHeadAttention(6, 3, causal=causal, rng=2)
    x = RNG.normal(size=(2, 4, 6))
    xt = Tensor(x, requires_grad=True)
    out = mha(xt)
    weights = [W.data for W in (mha.Wq, mha.Wk, mha.Wv, mha.Wo)]
    out_pair, cache = layers.multihead_attention_forward(x, *weights, 3, causal=causal)
    assert bc.rel_error(out.data, out_pair) < 1e-12
    dout = RNG.normal(size=out.shape)
    (out * dout).sum().backward()
    grads = layers.multihead_attention_backward(dout, cache)
    for got, t in zip(grads, (xt, mha.Wq, mha.Wk, mha.Wv, mha.Wo), strict=True):
        assert bc.rel_error(got, t.grad) < 1e-10
    if causal:  # the future gets exactly zero weight
        assert (mha.weights[..., np.triu_indices(4, 1)[0], np.triu_indices(4, 1)[1]] == 0).all()


@pytest.mark.parametrize("residual", [True, False])
def test_transformer_block_module_is_the_layer_pairs(residual) -> None:
    block = nn.TransformerBlock(4, 2, hidden=6, residual=residual, rng=3)
    for p in (block.ln1.gamma, block.ln1.beta, block.ln2.gamma, block.ln2.beta, block.fc1.b,
              block.fc2.b):
        p.data += RNG.normal(0, 0.3, size=p.shape)
    x = RNG.normal(size=(2, 3, 4))
    xt = Tensor(x, requires_grad=True)
    out = block(xt)
    params = block.layer_parameters()
    out_pair, cache = layers.transformer_block_forward(x, params, 2, residual=residual)
    assert bc.rel_error(out.data, out_pair) < 1e-12
    dout = RNG.normal(size=out.shape)
    (out * dout).sum().backward()
    dx, grads = layers.transformer_block_backward(dout, cache)
    assert bc.rel_error(dx, xt.grad) < 1e-10
    tensors = {"ln1_gamma": block.ln1.gamma, "Wq": block.attn.Wq, "Wo": block.attn.Wo,
               "W1": block.fc1.W, "b1": block.fc1.b, "W2": block.fc2.W, "b2": block.fc2.b,
               "ln2_beta": block.ln2.beta}
    for name, t in tensors.items():
        assert bc.rel_error(grads[name], t.grad) < 1e-10, name


def test_lstm_module_is_the_layer_pair() -> None:
    N, T, D, H = 2, 4, 3, 2
    x, h0, *_ = lstm_arrays(N, T, D, H, RNG)
    lstm = nn.LSTM(D, H, rng=4)
    lstm.b.data[:] = RNG.normal(0, 0.3, size=4 * H)
    xt, h0t = Tensor(x, requires_grad=True), Tensor(h0, requires_grad=True)
    hs, (h_T, c_T) = lstm(xt, h0t)
    h_pair, cache = layers.lstm_forward(x, h0, lstm.Wx.data, lstm.Wh.data, lstm.b.data)
    assert bc.rel_error(hs.data, h_pair) < 1e-13
    assert bc.rel_error(h_T.data, h_pair[:, -1]) < 1e-13
    assert bc.rel_error(c_T.data, cache[-1][9]) < 1e-13
    dh = RNG.normal(size=hs.shape)
    (hs * dh).sum().backward()
    grads = layers.lstm_backward(dh, cache)
    for got, t in zip(grads, (xt, h0t, lstm.Wx, lstm.Wh, lstm.b), strict=True):
        assert bc.rel_error(got, t.grad) < 1e-11


def test_dropout_module_masks_in_training_and_not_in_evaluation() -> None:
    drop = nn.Dropout(0.5, rng=5)
    x = Tensor(np.ones((200, 50)), requires_grad=True)
    out = drop(x)
    kept = out.data != 0
    assert set(np.unique(out.data)) == {0.0, 2.0} and 0.45 < kept.mean() < 0.55
    out.sum().backward()
    np.testing.assert_array_equal(x.grad, 2.0 * kept)  # the same mask going back
    assert drop.eval() is drop and not drop.training
    assert drop(x) is x


def test_train_and_eval_reach_every_module_inside() -> None:
    block = nn.TransformerBlock(4, 2, dropout=0.5, rng=6)
    model = nn.Sequential(nn.Linear(4, 4), nn.Dropout(0.5))
    block.extra = model  # a Sequential from nn, held by a chapter 14 module
    block.eval()
    every = block.modules()
    assert len(every) >= 9 and all(m.training is False for m in every)
    assert model.layers[1].training is False and block.fc1.training is False
    block.train()
    assert all(m.training is True for m in block.modules())
    assert model.eval() is model  # any module, the course's Sequential included
    assert model.layers[1].training is False and model.training is False
    x = np.ones((2, 3, 4))
    np.testing.assert_array_equal(block.eval()(x).data, block(x).data)  # deterministic in eval


def test_char_transformer_starts_near_uniform_and_generates() -> None:
    text = bc.texts.sonnets()
    codec = bc.texts.CharCodec(text)
    ids = codec.encode(text)
    model = nn.CharTransformer(len(codec), D=16, n_heads=2, n_layers=1, context=16, rng=7)
    x, y = bc.texts.random_windows(ids, 16, 4, rng=8)
    loss = model.loss(x, y)
    assert abs(loss.item() - np.log(len(codec))) < 0.5
    out = model.generate(x[0, :3], 10, rng=9)
    assert out.shape == (13,) and (out[:3] == x[0, :3]).all()
    assert len(codec.decode(out)) == 13
    # the prediction at position t does not depend on later positions (causal)
    changed = x.copy()
    changed[:, 10:] = (changed[:, 10:] + 1) % len(codec)
    np.testing.assert_allclose(model(changed).data[:, :10], model(x).data[:, :10], rtol=1e-12)
