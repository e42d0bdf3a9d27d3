"""Convolution and max pooling (layers/conv.py): gradients against central differences,
the forward pass against its definition, the backward pass as convolutions, and bad inputs."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from strategies import MAX_SIDE  # importing strategies loads the course's Hypothesis profile

import backprop_course as bc
from backprop_course import layers

# --------------------------------------------------------------- helpers


def numerical_vjp(forward, inputs, i, dout, h=1e-4):
    """d<forward(*inputs), dout>/d inputs[i] by central differences, Richardson-extrapolated.

    ``(4 g(h) - g(2h)) / 3`` cancels the h² term of the central difference, so the
    result is accurate to about 1e-10 relative, far inside the 1e-6 we demand.
    """

    def f(xi):
        args = list(inputs)
        args[i] = xi
        return float(np.sum(forward(*args)[0] * dout))

    g_h = bc.numerical_gradient(f, inputs[i], eps=h)
    g_2h = bc.numerical_gradient(f, inputs[i], eps=2 * h)
    return (4 * g_h - g_2h) / 3


def assert_gradients(forward, backward, inputs, rng, tol=1e-6):
    out, cache = forward(*inputs)
    dout = rng.normal(size=out.shape)
    grads = backward(dout, cache)
    grads = grads if isinstance(grads, tuple) else (grads,)
    assert len(grads) == len(inputs)
    for i, g in enumerate(grads):
        assert g.shape == np.shape(inputs[i]), f"input {i}"
        err = bc.rel_error(g, numerical_vjp(forward, inputs, i, dout))
        assert err < tol, f"input {i}: relative error {err:.1e}"


def conv_by_definition(x, W, b, stride, pad):
    """out[n, f, i, j] = b[f] + sum of the window times the filter: plain loops."""
    N, _, H, W_in = x.shape
    F, _, KH, KW = W.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    H_out, W_out = (H + 2 * pad - KH) // stride + 1, (W_in + 2 * pad - KW) // stride + 1
    out = np.zeros((N, F, H_out, W_out))
    for n in range(N):
        for f in range(F):
            for i in range(H_out):
                for j in range(W_out):
                    window = xp[n, :, i * stride : i * stride + KH, j * stride : j * stride + KW]
                    out[n, f, i, j] = b[f] + np.sum(window * W[f])
    return out


@st.composite
def conv_cases(draw, max_stride=3):
    """Random shapes, kernel sizes, strides and paddings with a kernel that fits."""
    N, C, F = draw(st.integers(1, 2)), draw(st.integers(1, 3)), draw(st.integers(1, 3))
    H, W_in = draw(st.integers(1, MAX_SIDE + 2)), draw(st.integers(1, MAX_SIDE + 2))
    KH, KW = draw(st.integers(1, MAX_SIDE)), draw(st.integers(1, MAX_SIDE))
    stride, pad = draw(st.integers(1, max_stride)), draw(st.integers(0, 2))
    assume(KH <= H + 2 * pad and KW <= W_in + 2 * pad)
    seed = draw(st.integers(0, 2**32 - 1))
    return (N, C, H, W_in), (F, C, KH, KW), stride, pad, seed


def distinct_values(shape, rng, gap=0.01):
    """Entries that differ pairwise by at least ``gap``: no ties, and a central
    difference of step 1e-4 never changes which entry of a window is largest."""
    size = int(np.prod(shape))
    return (rng.permutation(size) * gap - size * gap / 2).reshape(shape)


# --------------------------------------------------------------- convolution


@given(conv_cases())
def test_conv_gradients_match_central_differences(case) -> None:
    x_shape, w_shape, stride, pad, seed = case
    rng = np.random.default_rng(seed)
    x, W, b = rng.normal(size=x_shape), rng.normal(size=w_shape), rng.normal(size=w_shape[0])

    def forward(x, W, b):
        return layers.conv2d_forward(x, W, b, stride=stride, pad=pad)

    assert_gradients(forward, layers.conv2d_backward, [x, W, b], rng)


@given(conv_cases())
def test_conv_forward_is_the_sum_over_each_window(case) -> None:
    x_shape, w_shape, stride, pad, seed = case
    rng = np.random.default_rng(seed)
    x, W, b = rng.normal(size=x_shape), rng.normal(size=w_shape), rng.normal(size=w_shape[0])
    out, _ = layers.conv2d_forward(x, W, b, stride=stride, pad=pad)
    np.testing.assert_allclose(out, conv_by_definition(x, W, b, stride, pad), atol=1e-12)


@given(conv_cases(max_stride=1))
def test_stride_one_backward_is_a_convolution_with_the_flipped_kernel(case) -> None:
    """dx = full convolution of dout with the flipped kernel, channels swapped;
    dW = correlation of the padded input with dout."""
    x_shape, w_shape, _, pad, seed = case
    rng = np.random.default_rng(seed)
    x, W, b = rng.normal(size=x_shape), rng.normal(size=w_shape), rng.normal(size=w_shape[0])
    out, cache = layers.conv2d_forward(x, W, b, pad=pad)
    dout = rng.normal(size=out.shape)
    dx, dW, _ = layers.conv2d_backward(dout, cache)
    F, C, KH, KW = W.shape
    # Full convolution: pad dout by K - 1, slide the flipped kernel over it,
    # then cut away the padding that the forward pass added to x.
    flipped = W[:, :, ::-1, ::-1].transpose(1, 0, 2, 3)  # (C, F, KH, KW)
    dout_p = np.pad(dout, ((0, 0), (0, 0), (KH - 1, KH - 1), (KW - 1, KW - 1)))
    full, _ = layers.conv2d_forward(dout_p, flipped, np.zeros(C))
    H, W_in = x_shape[2:]
    np.testing.assert_allclose(dx, full[:, :, pad : pad + H, pad : pad + W_in], atol=1e-12)
    # dW[f, c] = correlation of x[:, c] with dout[:, f], summed over the batch:
    # a convolution whose "batch" is the channels and whose "kernels" are dout.
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    corr, _ = layers.conv2d_forward(
        xp.transpose(1, 0, 2, 3), dout.transpose(1, 0, 2, 3), np.zeros(F)
    )  # (C, F, KH, KW)
    np.testing.assert_allclose(dW, corr.transpose(1, 0, 2, 3), atol=1e-12)


@given(conv_cases())
def test_col2im_is_the_adjoint_of_im2col(case) -> None:
    """<im2col(x), y> = <x, col2im(y)> for all x, y: col2im is im2col's backward pass."""
    x_shape, (_, _, KH, KW), stride, pad, seed = case
    rng = np.random.default_rng(seed)
    x = rng.normal(size=x_shape)
    cols = layers.im2col(x, KH, KW, stride, pad)
    y = rng.normal(size=cols.shape)
    back = layers.col2im(y, x_shape, KH, KW, stride, pad)
    assert back.shape == x_shape
    assert np.isclose(np.sum(cols * y), np.sum(x * back), rtol=1e-12, atol=1e-12)


def test_im2col_lays_out_windows_as_columns() -> None:
    x = np.arange(16.0).reshape(1, 1, 4, 4)
    cols = layers.im2col(x, 2, 2, stride=2)
    np.testing.assert_array_equal(
        cols[0], [[0, 2, 8, 10], [1, 3, 9, 11], [4, 6, 12, 14], [5, 7, 13, 15]]
    )
    assert layers.conv_output_size(7, 3, stride=2, pad=1) == 4
    assert layers.conv_output_size(6, 3, stride=2) == 2  # the last column is left out


def test_conv_keeps_the_bias_per_filter() -> None:
    x = np.zeros((2, 3, 4, 4))
    out, _ = layers.conv2d_forward(x, np.ones((5, 3, 3, 3)), np.arange(5.0), pad=1)
    assert out.shape == (2, 5, 4, 4)
    np.testing.assert_array_equal(out[1, :, 2, 3], np.arange(5.0))


# ---------------------------------------------------------------- pooling


@st.composite
def pool_cases(draw):
    N, C = draw(st.integers(1, 2)), draw(st.integers(1, 3))
    H, W = draw(st.integers(1, MAX_SIDE + 2)), draw(st.integers(1, MAX_SIDE + 2))
    size = draw(st.integers(1, min(H, W, 3)))
    stride = draw(st.one_of(st.none(), st.integers(1, 3)))
    return (N, C, H, W), size, stride, draw(st.integers(0, 2**32 - 1))


@given(pool_cases())
def test_maxpool_gradient_matches_central_differences_away_from_ties(case) -> None:
    shape, size, stride, seed = case
    rng = np.random.default_rng(seed)
    x = distinct_values(shape, rng)

    def forward(x):
        return layers.maxpool2d_forward(x, size, stride)

    assert_gradients(forward, layers.maxpool2d_backward, [x], rng)


@given(pool_cases())
def test_maxpool_forward_is_the_window_maximum(case) -> None:
    shape, size, stride, seed = case
    x = np.random.default_rng(seed).normal(size=shape)
    out, (_, argmax) = layers.maxpool2d_forward(x, size, stride)
    s = size if stride is None else stride
    for i in range(out.shape[2]):
        for j in range(out.shape[3]):
            window = x[:, :, i * s : i * s + size, j * s : j * s + size]
            np.testing.assert_array_equal(out[:, :, i, j], window.max(axis=(2, 3)))
    np.testing.assert_array_equal(out, x[argmax])


def test_maxpool_routes_the_gradient_to_the_argmax() -> None:
    x = np.array([[1.0, 5.0, 2.0, 0.0], [3.0, 4.0, 8.0, 1.0], [0.0, 0.0, 1.0, 2.0],
                  [9.0, 1.0, 3.0, 4.0]]).reshape(1, 1, 4, 4)
    out, cache = layers.maxpool2d_forward(x, 2)
    np.testing.assert_array_equal(out[0, 0], [[5.0, 8.0], [9.0, 4.0]])
    dx = layers.maxpool2d_backward(np.array([[[[10.0, 20.0], [30.0, 40.0]]]]), cache)
    expected = np.zeros((4, 4))
    expected[0, 1], expected[1, 2], expected[3, 0], expected[3, 3] = 10, 20, 30, 40
    np.testing.assert_array_equal(dx[0, 0], expected)


def test_maxpool_overlapping_windows_add_their_shares() -> None:
    x = np.array([[0.0, 1.0, 0.0], [0.0, 9.0, 0.0], [0.0, 0.0, 0.0]]).reshape(1, 1, 3, 3)
    _, cache = layers.maxpool2d_forward(x, 2, stride=1)  # 9 wins all four windows
    dx = layers.maxpool2d_backward(np.ones((1, 1, 2, 2)), cache)
    assert dx[0, 0, 1, 1] == 4.0 and dx.sum() == 4.0


def test_maxpool_ties_go_to_the_first_entry() -> None:
    x = np.ones((1, 1, 2, 2))
    _, cache = layers.maxpool2d_forward(x, 2)
    dx = layers.maxpool2d_backward(np.full((1, 1, 1, 1), 3.0), cache)
    np.testing.assert_array_equal(dx[0, 0], [[3.0, 0.0], [0.0, 0.0]])


# -------------------------------------------------------------- bad inputs


@pytest.mark.parametrize(
    ("x_shape", "w_shape", "b_shape", "kwargs", "message"),
    [
        ((2, 3, 5, 5), (4, 2, 3, 3), (4,), {}, r"x \(2, 3, 5, 5\) has C = 3 channels but the "
         r"kernel W \(4, 2, 3, 3\) expects C = 2"),
        ((1, 1, 2, 2), (1, 1, 5, 5), (1,), {"pad": 1}, r"kernel \(5, 5\) of W \(1, 1, 5, 5\) is "
         r"larger than the padded input \(4, 4\)"),
        ((1, 1, 4, 4), (2, 1, 3, 3), (3,), {}, r"b has shape \(3,\) but W \(2, 1, 3, 3\) "
         r"has F = 2"),
        ((1, 4, 4), (2, 1, 3, 3), (2,), {}, r"needs x \(N, C, H, W\)"),
        ((1, 1, 4, 4), (2, 1, 3, 3), (2,), {"stride": 0}, "stride must be an int >= 1"),
        ((1, 1, 4, 4), (2, 1, 3, 3), (2,), {"pad": -1}, "pad must be an int >= 0"),
    ],
)
def test_conv_bad_inputs_name_the_shapes(x_shape, w_shape, b_shape, kwargs, message) -> None:
    with pytest.raises(ValueError, match=message):
        layers.conv2d_forward(np.zeros(x_shape), np.zeros(w_shape), np.zeros(b_shape), **kwargs)


@pytest.mark.parametrize("kwargs", [{"stride": 1.5}, {"stride": "2"}, {"pad": True}])
def test_a_stride_or_pad_that_is_not_an_int_is_a_type_error(kwargs) -> None:
    name = next(iter(kwargs))
    with pytest.raises(TypeError, match=f"conv2d_forward: {name} must be an int"):
        layers.conv2d_forward(np.zeros((1, 1, 4, 4)), np.zeros((2, 1, 3, 3)), np.zeros(2), **kwargs)


def test_backward_rejects_a_dout_of_the_wrong_shape() -> None:
    _, cache = layers.conv2d_forward(np.zeros((1, 1, 4, 4)), np.zeros((2, 1, 3, 3)), np.zeros(2))
    with pytest.raises(ValueError, match=r"dout has shape \(1, 2, 4, 4\), but the output had "
                       r"shape \(1, 2, 2, 2\)"):
        layers.conv2d_backward(np.zeros((1, 2, 4, 4)), cache)
    _, cache = layers.maxpool2d_forward(np.zeros((1, 1, 4, 4)))
    with pytest.raises(ValueError, match="dout has shape"):
        layers.maxpool2d_backward(np.zeros((1, 1, 4, 4)), cache)


def test_pool_bad_inputs() -> None:
    with pytest.raises(ValueError, match=r"pooling window \(3, 3\) is larger than the image "
                       r"\(1, 1, 2, 5\)"):
        layers.maxpool2d_forward(np.zeros((1, 1, 2, 5)), 3)
    with pytest.raises(ValueError, match=r"needs x of shape \(N, C, H, W\), got \(4, 4\)"):
        layers.maxpool2d_forward(np.zeros((4, 4)))
    with pytest.raises(ValueError, match="size must be an int >= 1"):
        layers.maxpool2d_forward(np.zeros((1, 1, 4, 4)), 0)
    with pytest.raises(ValueError, match="NaN"):
        layers.maxpool2d_forward(np.full((1, 1, 2, 2), np.nan))
