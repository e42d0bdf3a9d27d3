"""The recurrent layer (layers/recurrent.py): one step and backpropagation through time
against central differences, truncated BPTT against its definition, and bad inputs."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import MAX_SIDE  # importing strategies loads the course's Hypothesis profile
from test_layers_conv import assert_gradients

import backprop_course as bc
from backprop_course import Tensor, layers


@st.composite
def rnn_cases(draw, max_T=5):
    """(N, T, D, H) and a seed for the random arrays."""
    N, T = draw(st.integers(1, 3)), draw(st.integers(1, max_T))
    D, H = draw(st.integers(1, MAX_SIDE)), draw(st.integers(1, MAX_SIDE))
    return (N, T, D, H), draw(st.integers(0, 2**32 - 1))


def rnn_arrays(N, T, D, H, rng):
    """x, h0, Wx, Wh, b with Wh scaled so that the states do not all saturate."""
    return [
        rng.normal(size=(N, T, D)),
        rng.normal(0.0, 0.5, size=(N, H)),
        rng.normal(0.0, 1.0 / np.sqrt(D), size=(D, H)),
        rng.normal(0.0, 1.0 / np.sqrt(H), size=(H, H)),
        rng.normal(0.0, 0.3, size=H),
    ]


@given(rnn_cases())
def test_step_gradients_match_central_differences(case) -> None:
    (N, _, D, H), seed = case
    rng = np.random.default_rng(seed)
    x, h0, Wx, Wh, b = rnn_arrays(N, 1, D, H, rng)
    assert_gradients(
        layers.rnn_step_forward, layers.rnn_step_backward, [x[:, 0], h0, Wx, Wh, b], rng
    )


@given(rnn_cases())
def test_bptt_gradients_match_central_differences(case) -> None:
    (N, T, D, H), seed = case
    rng = np.random.default_rng(seed)
    assert_gradients(
        layers.rnn_forward, layers.rnn_backward, rnn_arrays(N, T, D, H, rng), rng
    )


@given(rnn_cases())
def test_forward_is_the_recurrence(case) -> None:
    (N, T, D, H), seed = case
    x, h0, Wx, Wh, b = rnn_arrays(N, T, D, H, np.random.default_rng(seed))
    h, cache = layers.rnn_forward(x, h0, Wx, Wh, b)
    assert h.shape == (N, T, H) and len(cache) == T
    h_t = h0
    for t in range(T):
        h_t = np.tanh(x[:, t] @ Wx + h_t @ Wh + b)
        np.testing.assert_allclose(h[:, t], h_t, rtol=1e-13, atol=1e-15)


@given(rnn_cases())
def test_bptt_equals_the_tensor_engine_on_the_unrolled_graph(case) -> None:
    (N, T, D, H), seed = case
    rng = np.random.default_rng(seed)
    arrays = rnn_arrays(N, T, D, H, rng)
    h, cache = layers.rnn_forward(*arrays)
    dh = rng.normal(size=h.shape)
    grads = layers.rnn_backward(dh, cache)

    x, h0, Wx, Wh, b = (Tensor(a, requires_grad=True) for a in arrays)
    h_t, loss = h0, 0.0
    for t in range(T):
        h_t = (x[:, t] @ Wx + h_t @ Wh + b).tanh()
        loss = loss + (h_t * dh[:, t]).sum()
    loss.backward()
    for g, t in zip(grads, (x, h0, Wx, Wh, b), strict=True):
        assert bc.rel_error(g, t.grad) < 1e-12


# ---------------------------------------------------------------- truncated BPTT


@given(rnn_cases(max_T=7), st.integers(1, 8))
def test_truncated_bptt_is_full_bptt_on_each_chunk(case, k) -> None:
    """The definition: chunks of k steps, each backpropagated on its own from the
    state the forward pass reached (a constant); the weight gradients add up."""
    (N, T, D, H), seed = case
    rng = np.random.default_rng(seed)
    x, h0, Wx, Wh, b = rnn_arrays(N, T, D, H, rng)
    h, cache = layers.rnn_forward(x, h0, Wx, Wh, b)
    dh = rng.normal(size=h.shape)
    dx, dh0, dWx, dWh, db = layers.rnn_backward(dh, cache, truncate=k)

    expected = [np.zeros_like(a) for a in (Wx, Wh, b)]
    for start in range(0, T, k):
        stop = min(start + k, T)
        h_start = h0 if start == 0 else h[:, start - 1]
        _, chunk = layers.rnn_forward(x[:, start:stop], h_start, Wx, Wh, b)
        dx_c, dh_start, *dparams = layers.rnn_backward(dh[:, start:stop], chunk)
        np.testing.assert_allclose(dx[:, start:stop], dx_c, rtol=1e-12, atol=1e-14)
        if start == 0:
            np.testing.assert_allclose(dh0, dh_start, rtol=1e-12, atol=1e-14)
        for e, d in zip(expected, dparams, strict=True):
            e += d
    for e, got in zip(expected, (dWx, dWh, db), strict=True):
        np.testing.assert_allclose(got, e, rtol=1e-10, atol=1e-13)


@given(rnn_cases())
def test_truncation_longer_than_the_sequence_is_full_bptt(case) -> None:
    (N, T, D, H), seed = case
    rng = np.random.default_rng(seed)
    h, cache = layers.rnn_forward(*rnn_arrays(N, T, D, H, rng))
    dh = rng.normal(size=h.shape)
    full = layers.rnn_backward(dh, cache)
    for k in (T, T + 1, 100):
        for a, b in zip(full, layers.rnn_backward(dh, cache, truncate=k), strict=True):
            np.testing.assert_array_equal(a, b)


def test_truncated_gradient_is_the_gradient_with_detached_states() -> None:
    """Central differences of a loss in which the state entering each chunk is
    held at its value: the truncated gradient is that function's exact gradient."""
    rng = np.random.default_rng(3)
    N, T, D, H, k = 2, 7, 2, 3, 3
    x, h0, Wx, Wh, b = rnn_arrays(N, T, D, H, rng)
    h, cache = layers.rnn_forward(x, h0, Wx, Wh, b)
    dh = rng.normal(size=h.shape)
    _, _, dWx, dWh, db = layers.rnn_backward(dh, cache, truncate=k)

    def loss(Wx_, Wh_, b_):
        total, h_t = 0.0, h0
        for t in range(T):
            if t % k == 0 and t > 0:  # a chunk starts: its state is a constant,
                h_t = h[:, t - 1]  # the forward pass's value
            h_t = np.tanh(x[:, t] @ Wx_ + h_t @ Wh_ + b_)
            total += np.sum(h_t * dh[:, t])
        return total

    for got, numerical in [
        (dWx, bc.numerical_gradient(lambda w: loss(w, Wh, b), Wx)),
        (dWh, bc.numerical_gradient(lambda w: loss(Wx, w, b), Wh)),
        (db, bc.numerical_gradient(lambda w: loss(Wx, Wh, w), b)),
    ]:
        assert bc.rel_error(got, numerical) < 1e-6


def test_truncation_after_every_step_keeps_only_local_gradients() -> None:
    rng = np.random.default_rng(4)
    x, h0, Wx, Wh, b = rnn_arrays(2, 5, 3, 4, rng)
    h, cache = layers.rnn_forward(x, h0, Wx, Wh, b)
    dh = rng.normal(size=h.shape)
    _, dh0, _, dWh, _ = layers.rnn_backward(dh, cache, truncate=1)
    delta = dh * (1 - h**2)  # no gradient arrives through time
    h_prev = np.concatenate([h0[:, None], h[:, :-1]], axis=1)
    np.testing.assert_allclose(dWh, np.einsum("nti,ntj->ij", h_prev, delta), rtol=1e-12)
    np.testing.assert_allclose(dh0, delta[:, 0] @ Wh.T, rtol=1e-12)


# -------------------------------------------------------------------- bad inputs


def test_an_empty_sequence_is_an_error() -> None:
    with pytest.raises(ValueError, match=r"sequence of length 0 \(x has shape \(2, 0, 3\)\)"):
        layers.rnn_forward(np.zeros((2, 0, 3)), np.zeros((2, 4)), np.zeros((3, 4)),
                           np.zeros((4, 4)), np.zeros(4))


@pytest.mark.parametrize(
    ("shapes", "message"),
    [
        (((2, 5, 3), (2, 4), (2, 4), (4, 4), (4,)), r"x \(2, 5, 3\) has D = 3 inputs per step, "
         r"but Wx \(2, 4\) must be \(3, H\)"),
        (((2, 5, 3), (2, 4), (3, 4), (4, 3), (4,)), r"Wh has shape \(4, 3\) but Wx \(3, 4\) has "
         r"H = 4"),
        (((2, 5, 3), (2, 4), (3, 4), (4, 4), (3,)), r"b has shape \(3,\) but Wx \(3, 4\) has "
         r"H = 4"),
        (((2, 5, 3), (3, 4), (3, 4), (4, 4), (4,)), r"h0 has shape \(3, 4\) but x \(2, 5, 3\)"),
        (((2, 3), (2, 4), (3, 4), (4, 4), (4,)), r"needs x of shape \(N, T, D\), got \(2, 3\)"),
    ],
)
def test_sequence_shape_errors(shapes, message) -> None:
    with pytest.raises(ValueError, match=message):
        layers.rnn_forward(*(np.zeros(s) for s in shapes))


def test_step_shape_errors() -> None:
    with pytest.raises(ValueError, match=r"x_t has shape \(2, 5\) but Wx \(3, 4\) needs \(N, 3\)"):
        layers.rnn_step_forward(np.zeros((2, 5)), np.zeros((2, 4)), np.zeros((3, 4)),
                                np.zeros((4, 4)), np.zeros(4))
    with pytest.raises(ValueError, match=r"h_prev has shape \(2, 3\)"):
        layers.rnn_step_forward(np.zeros((2, 3)), np.zeros((2, 3)), np.zeros((3, 4)),
                                np.zeros((4, 4)), np.zeros(4))
    _, cache = layers.rnn_step_forward(np.zeros((2, 3)), np.zeros((2, 4)), np.zeros((3, 4)),
                                       np.zeros((4, 4)), np.zeros(4))
    with pytest.raises(ValueError, match="dout has shape"):
        layers.rnn_step_backward(np.zeros((4, 2)), cache)


@pytest.mark.parametrize(("k", "error"), [(0, ValueError), (-1, ValueError),
                                          (1.5, TypeError), (True, TypeError)])
def test_truncate_must_be_a_positive_int(k, error) -> None:
    h, cache = layers.rnn_forward(np.zeros((1, 3, 2)), np.zeros((1, 2)), np.zeros((2, 2)),
                                  np.zeros((2, 2)), np.zeros(2))
    with pytest.raises(error, match="truncate must be a positive int"):
        layers.rnn_backward(np.zeros_like(h), cache, truncate=k)
    with pytest.raises(ValueError, match=r"dout has shape \(1, 2, 2\)"):
        layers.rnn_backward(np.zeros((1, 2, 2)), cache)
