"""Chapter 14's layer pairs (dropout, layer norm, LSTM, attention, a transformer block):
gradients against central differences on Hypothesis shapes, the forward passes against their
definitions and the Tensor engine, and PyTorch when it is installed."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import MAX_SIDE  # importing strategies loads the course's Hypothesis profile
from test_layers_conv import assert_gradients

import backprop_course as bc
from backprop_course import Tensor, layers

# ------------------------------------------------------------------ dropout


@given(st.integers(0, 2**32 - 1), st.sampled_from([0.0, 0.2, 0.5, 0.9]),
       st.lists(st.integers(1, MAX_SIDE), min_size=1, max_size=3))
def test_dropout_gradient_matches_central_differences_for_its_mask(seed, p, shape) -> None:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=shape)

    def forward(x_):  # the same mask at every evaluation: the same seed
        return layers.dropout_forward(x_, p, rng=seed)

    assert_gradients(forward, layers.dropout_backward, [x], rng)


@given(st.integers(0, 2**32 - 1), st.sampled_from([0.1, 0.5, 0.8]))
def test_dropout_keeps_the_expected_value_and_drops_about_p(seed, p) -> None:
    x = np.ones(20_000)
    out, (mask,) = layers.dropout_forward(x, p, rng=seed)
    assert set(np.unique(mask)) <= {0.0, 1.0 / (1.0 - p)}
    dropped = np.mean(out == 0.0)
    assert abs(dropped - p) < 5 * np.sqrt(p * (1 - p) / x.size)  # five standard errors
    assert abs(out.mean() - 1.0) < 5 * np.sqrt(p / (1 - p) / x.size)


def test_dropout_in_evaluation_mode_is_the_identity() -> None:
    x = np.random.default_rng(0).normal(size=(3, 4))
    out, cache = layers.dropout_forward(x, 0.7, train=False, rng=0)
    np.testing.assert_array_equal(out, x)
    np.testing.assert_array_equal(layers.dropout_backward(np.ones((3, 4)), cache), 1.0)


# --------------------------------------------------------------- layer norm


@st.composite
def layernorm_cases(draw):
    """x (..., D) with D >= 3 (with two features the outputs are ±1 whatever x is, up to
    eps, and dx is nearly 0: all cancellation, as for batch norm of two examples)."""
    lead = draw(st.lists(st.integers(1, 3), min_size=1, max_size=2))
    D = draw(st.integers(3, MAX_SIDE + 2))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    scale = draw(st.sampled_from([0.1, 1.0, 10.0]))
    x = rng.normal(rng.normal(0, 3), scale, size=(*lead, D))
    return x, rng.normal(size=D), rng.normal(size=D), rng


@given(layernorm_cases())
def test_layernorm_gradients_match_central_differences(case) -> None:
    x, gamma, beta, rng = case
    assert_gradients(layers.layernorm_forward, layers.layernorm_backward, [x, gamma, beta], rng)


@given(layernorm_cases())
def test_layernorm_is_batchnorm_of_the_transpose(case) -> None:
    """Normalising rows is batch norm of the transposed batch: the same numbers, by 90°."""
    x, gamma, beta, rng = case
    rows = x.reshape(-1, x.shape[-1])
    y, cache = layers.layernorm_forward(rows, np.ones(x.shape[-1]), np.zeros(x.shape[-1]))
    yt, cache_t = layers.batchnorm_forward(rows.T, np.ones(len(rows)), np.zeros(len(rows)))
    np.testing.assert_allclose(y, yt.T, rtol=1e-12, atol=1e-12)
    dout = rng.normal(size=rows.shape)
    dx = layers.layernorm_backward(dout, cache)[0]
    np.testing.assert_allclose(dx, layers.batchnorm_backward(dout.T, cache_t)[0].T,
                               rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(dx.sum(axis=-1), 0.0, atol=1e-10 * max(1, np.abs(dx).max()))


@given(layernorm_cases())
def test_layernorm_of_one_example_does_not_depend_on_the_others(case) -> None:
    x, gamma, beta, _ = case
    y, _ = layers.layernorm_forward(x, gamma, beta)
    alone, _ = layers.layernorm_forward(x[..., :1, :], gamma, beta)
    np.testing.assert_allclose(alone, y[..., :1, :], rtol=1e-13, atol=1e-13)


# --------------------------------------------------------------------- LSTM


def lstm_arrays(N, T, D, H, rng):
    return [rng.normal(size=(N, T, D)), rng.normal(0, 0.5, size=(N, H)),
            rng.normal(0, 1 / np.sqrt(D), size=(D, 4 * H)),
            rng.normal(0, 1 / np.sqrt(H), size=(H, 4 * H)), rng.normal(0, 0.3, size=4 * H)]


@st.composite
def lstm_cases(draw, max_T=4):
    N, T = draw(st.integers(1, 3)), draw(st.integers(1, max_T))
    D, H = draw(st.integers(1, MAX_SIDE)), draw(st.integers(1, MAX_SIDE - 1))
    return (N, T, D, H), np.random.default_rng(draw(st.integers(0, 2**32 - 1)))


def _step(x_t, h_prev, c_prev, Wx, Wh, b):
    """lstm_step_forward's two outputs as one array, for the central differences."""
    h, c, cache = layers.lstm_step_forward(x_t, h_prev, c_prev, Wx, Wh, b)
    return np.concatenate([h, c], axis=1), cache


def _step_back(dout, cache):
    H = dout.shape[1] // 2
    return layers.lstm_step_backward(dout[:, :H], dout[:, H:], cache)


@given(lstm_cases())
def test_lstm_step_gradients_match_central_differences(case) -> None:
    (N, _, D, H), rng = case
    x, h0, Wx, Wh, b = lstm_arrays(N, 1, D, H, rng)
    c0 = rng.normal(size=(N, H))
    assert_gradients(_step, _step_back, [x[:, 0], h0, c0, Wx, Wh, b], rng)


@given(lstm_cases())
def test_lstm_bptt_gradients_match_central_differences(case) -> None:
    (N, T, D, H), rng = case
    assert_gradients(layers.lstm_forward, layers.lstm_backward, lstm_arrays(N, T, D, H, rng), rng)


@given(lstm_cases(max_T=5))
def test_lstm_bptt_equals_the_tensor_engine_on_the_unrolled_graph(case) -> None:
    (N, T, D, H), rng = case
    arrays = lstm_arrays(N, T, D, H, rng)
    h, cache = layers.lstm_forward(*arrays)
    dh = rng.normal(size=h.shape)
    grads = layers.lstm_backward(dh, cache)
    x, h0, Wx, Wh, b = (Tensor(a, requires_grad=True) for a in arrays)
    h_t, c_t, loss = h0, Tensor(np.zeros((N, H))), 0.0
    for t in range(T):
        a = x[:, t] @ Wx + h_t @ Wh + b
        i, f, o = a[:, :H].sigmoid(), a[:, H:2 * H].sigmoid(), a[:, 2 * H:3 * H].sigmoid()
        c_t = f * c_t + i * a[:, 3 * H:].tanh()
        h_t = o * c_t.tanh()
        np.testing.assert_allclose(h_t.data, h[:, t], rtol=1e-12, atol=1e-14)
        loss = loss + (h_t * dh[:, t]).sum()
    loss.backward()
    for g, t in zip(grads, (x, h0, Wx, Wh, b), strict=True):
        assert bc.rel_error(g, t.grad) < 1e-11


def test_a_forget_gate_of_one_copies_the_cell_gradient_back() -> None:
    """With f = 1 and i = 0, c_t = c_prev exactly and dc_prev = dc: the additive path."""
    H, D = 3, 2
    b = np.zeros(4 * H)
    b[:H], b[H:2 * H] = -50.0, 50.0  # input gate shut, forget gate open
    rng = np.random.default_rng(1)
    c_prev = rng.normal(size=(2, H))
    h, c, cache = layers.lstm_step_forward(rng.normal(size=(2, D)), rng.normal(size=(2, H)),
                                           c_prev, np.zeros((D, 4 * H)), np.zeros((H, 4 * H)), b)
    np.testing.assert_allclose(c, c_prev, rtol=1e-15)
    dc = rng.normal(size=(2, H))
    dc_prev = layers.lstm_step_backward(np.zeros((2, H)), dc, cache)[2]
    np.testing.assert_allclose(dc_prev, dc, rtol=1e-15)


# ---------------------------------------------------------------- attention


@st.composite
def attention_cases(draw):
    lead = draw(st.lists(st.integers(1, 2), min_size=1, max_size=2))
    Tq, Tk = draw(st.integers(1, MAX_SIDE)), draw(st.integers(1, MAX_SIDE))
    d, dv = draw(st.integers(1, MAX_SIDE)), draw(st.integers(1, MAX_SIDE))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    return [rng.normal(size=(*lead, Tq, d)), rng.normal(size=(*lead, Tk, d)),
            rng.normal(size=(*lead, Tk, dv))], rng


@given(attention_cases(), st.booleans())
def test_attention_gradients_match_central_differences(case, causal) -> None:
    (q, k, v), rng = case
    if causal:
        k, v = k[..., :q.shape[-2], :], v[..., :q.shape[-2], :]
        if k.shape[-2] != q.shape[-2]:
            return  # fewer keys than queries: causal attention needs T_q = T_k

    def forward(*qkv):
        return layers.attention_forward(*qkv, causal=causal)

    assert_gradients(forward, layers.attention_backward, [q, k, v], rng)


@given(attention_cases())
def test_attention_forward_is_the_definition_and_a_mask_gives_zero_weight(case) -> None:
    (q, k, v), rng = case
    out, (_, _, _, p, scale) = layers.attention_forward(q, k, v)
    s = q @ np.swapaxes(k, -1, -2) / np.sqrt(q.shape[-1])
    expected = np.exp(s) / np.exp(s).sum(axis=-1, keepdims=True)
    np.testing.assert_allclose(p, expected, rtol=1e-12)
    np.testing.assert_allclose(out, expected @ v, rtol=1e-11, atol=1e-13)
    mask = rng.random(p.shape) < 0.6
    mask[..., 0] = True  # every query reads at least one key
    _, cache = layers.attention_forward(q, k, v, mask=mask)
    assert (cache[3][~mask] == 0.0).all()
    dq, dk, dv = layers.attention_backward(rng.normal(size=out.shape), cache)
    hidden = ~mask.any(axis=-2)  # keys no query may read get no gradient
    assert (np.abs(dk[hidden]) == 0).all() and (np.abs(dv[hidden]) == 0).all()


@pytest.mark.parametrize("causal", [False, True])
def test_multihead_attention_gradients_match_central_differences(causal) -> None:
    rng = np.random.default_rng(7)
    N, T, D = 2, 4, 6
    arrays = [rng.normal(size=(N, T, D))] + [rng.normal(0, D**-0.5, size=(D, D)) for _ in "qkvo"]

    def forward(x, Wq, Wk, Wv, Wo):
        return layers.multihead_attention_forward(x, Wq, Wk, Wv, Wo, 3, causal=causal)

    assert_gradients(forward, layers.multihead_attention_backward, arrays, rng)


def test_one_head_is_plain_attention_of_the_projections() -> None:
    rng = np.random.default_rng(8)
    x, Wq, Wk, Wv, Wo = [rng.normal(size=(2, 3, 4))] + [rng.normal(size=(4, 4)) for _ in "qkvo"]
    out, _ = layers.multihead_attention_forward(x, Wq, Wk, Wv, Wo, 1)
    plain, _ = layers.attention_forward(x @ Wq, x @ Wk, x @ Wv)
    np.testing.assert_allclose(out, plain @ Wo, rtol=1e-12)


# ------------------------------------------------------- transformer block


def block_params(D, F, rng):
    """Random parameters of a block: weights of scale 1/sqrt(fan-in), gammas near 1."""
    sizes = {"D": D, "F": F}
    params = {}
    for name, shape_text in layers.TRANSFORMER_PARAMETERS.items():
        shape = tuple(sizes[s] for s in shape_text.strip("(,)").split(", ") if s)
        scale = 1 / np.sqrt(shape[0]) if name.startswith("W") else 0.3
        params[name] = rng.normal(0, scale, size=shape) + ("gamma" in name)
    return params


@pytest.mark.parametrize("residual", [True, False])
def test_transformer_block_gradients_match_central_differences(residual) -> None:
    rng = np.random.default_rng(9)
    N, T, D, F = 2, 3, 4, 6
    params = block_params(D, F, rng)
    names = list(params)
    x = rng.normal(size=(N, T, D))

    def forward(x_, *values):
        return layers.transformer_block_forward(x_, dict(zip(names, values, strict=True)), 2,
                                                residual=residual)

    def backward(dout, cache):
        dx, grads = layers.transformer_block_backward(dout, cache)
        return (dx, *[grads[n] for n in names])

    assert_gradients(forward, backward, [x, *params.values()], rng)


# ------------------------------------------------------------------ PyTorch


def test_the_layers_agree_with_pytorch() -> None:
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    rng = np.random.default_rng(10)

    def t(a):
        return torch.tensor(a, dtype=torch.float64, requires_grad=True)

    # layer norm over the last axis, (N, T, D)
    x, gamma, beta = rng.normal(size=(2, 3, 5)), rng.normal(size=5), rng.normal(size=5)
    y, cache = layers.layernorm_forward(x, gamma, beta)
    dy = rng.normal(size=y.shape)
    ours = layers.layernorm_backward(dy, cache)
    xt, gt, bt = t(x), t(gamma), t(beta)
    yt = F.layer_norm(xt, (5,), gt, bt, eps=1e-5)
    (yt * torch.tensor(dy)).sum().backward()
    assert bc.rel_error(y, yt.detach().numpy()) < 1e-12
    for g, ref in zip(ours, (xt, gt, bt), strict=True):
        assert bc.rel_error(g, ref.grad.numpy()) < 1e-10

    # causal scaled dot-product attention, (N, heads, T, d)
    q, k, v = (rng.normal(size=(2, 2, 4, 3)) for _ in range(3))
    out, cache = layers.attention_forward(q, k, v, causal=True)
    dout = rng.normal(size=out.shape)
    ours = layers.attention_backward(dout, cache)
    qt, kt, vt = t(q), t(k), t(v)
    ref = F.scaled_dot_product_attention(qt, kt, vt, is_causal=True)
    (ref * torch.tensor(dout)).sum().backward()
    assert bc.rel_error(out, ref.detach().numpy()) < 1e-12
    for g, r in zip(ours, (qt, kt, vt), strict=True):
        assert bc.rel_error(g, r.grad.numpy()) < 1e-10


def test_lstm_and_multihead_attention_agree_with_pytorch() -> None:
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(11)
    N, T, D, H = 2, 5, 3, 4
    x, h0, Wx, Wh, b = lstm_arrays(N, T, D, H, rng)
    h, cache = layers.lstm_forward(x, h0, Wx, Wh, b)
    dh = rng.normal(size=h.shape)
    dx, dh0, dWx, dWh, db = layers.lstm_backward(dh, cache)
    lstm = torch.nn.LSTM(D, H, batch_first=True, dtype=torch.float64)
    # PyTorch's gate order is i, f, g, o and its weights are transposed: reorder ours
    order = np.r_[0:2 * H, 3 * H:4 * H, 2 * H:3 * H]
    with torch.no_grad():
        lstm.weight_ih_l0.copy_(torch.tensor(Wx[:, order].T))
        lstm.weight_hh_l0.copy_(torch.tensor(Wh[:, order].T))
        lstm.bias_ih_l0.copy_(torch.tensor(b[order]))
        lstm.bias_hh_l0.zero_()
    xt = torch.tensor(x, requires_grad=True)
    h0t = torch.tensor(h0[None], requires_grad=True)
    ht, _ = lstm(xt, (h0t, torch.zeros(1, N, H, dtype=torch.float64)))
    (ht * torch.tensor(dh)).sum().backward()
    assert bc.rel_error(h, ht.detach().numpy()) < 1e-12
    assert bc.rel_error(dx, xt.grad.numpy()) < 1e-10
    assert bc.rel_error(dh0, h0t.grad.numpy()[0]) < 1e-10
    assert bc.rel_error(dWx[:, order].T, lstm.weight_ih_l0.grad.numpy()) < 1e-10
    assert bc.rel_error(dWh[:, order].T, lstm.weight_hh_l0.grad.numpy()) < 1e-10
    assert bc.rel_error(db[order], lstm.bias_hh_l0.grad.numpy()) < 1e-10

    # multi-head self-attention, causal, no biases
    D, heads = 6, 3
    x = rng.normal(size=(N, T, D))
    Wq, Wk, Wv, Wo = (rng.normal(0, D**-0.5, size=(D, D)) for _ in range(4))
    out, cache = layers.multihead_attention_forward(x, Wq, Wk, Wv, Wo, heads, causal=True)
    dout = rng.normal(size=out.shape)
    grads = layers.multihead_attention_backward(dout, cache)
    mha = torch.nn.MultiheadAttention(D, heads, bias=False, batch_first=True,
                                      dtype=torch.float64)
    with torch.no_grad():
        mha.in_proj_weight.copy_(torch.tensor(np.concatenate([Wq.T, Wk.T, Wv.T])))
        mha.out_proj.weight.copy_(torch.tensor(Wo.T))
    xt = torch.tensor(x, requires_grad=True)
    future = torch.triu(torch.ones(T, T, dtype=torch.bool), diagonal=1)  # True: may not read
    ref, _ = mha(xt, xt, xt, attn_mask=future, need_weights=False)
    (ref * torch.tensor(dout)).sum().backward()
    assert bc.rel_error(out, ref.detach().numpy()) < 1e-12
    assert bc.rel_error(grads[0], xt.grad.numpy()) < 1e-10
    dW_in = mha.in_proj_weight.grad.numpy()
    for g, ref_g in zip(grads[1:4], (dW_in[:D], dW_in[D:2 * D], dW_in[2 * D:]), strict=True):
        assert bc.rel_error(g.T, ref_g) < 1e-10
    assert bc.rel_error(grads[4].T, mha.out_proj.weight.grad.numpy()) < 1e-10
