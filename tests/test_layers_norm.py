"""Batch normalisation (layers/normalization.py): the simplified backward formula against
central differences and against the step-by-step graph, its properties, and bad inputs."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import MAX_SIDE  # importing strategies loads the course's Hypothesis profile
from test_layers_conv import assert_gradients

from backprop_course import Tensor, layers


@st.composite
def batchnorm_cases(draw):
    """A batch (N, D) with columns of different means and scales, gamma, beta.

    N >= 3: with two examples the normalised values are ±1 whatever x is (up to
    eps), so dx is nearly 0 and all cancellation (see the test of that case)."""
    N, D = draw(st.integers(3, 6)), draw(st.integers(1, MAX_SIDE))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    scale = draw(st.sampled_from([0.1, 1.0, 10.0]))
    x = rng.normal(rng.normal(0, 3, size=D), scale, size=(N, D))
    return x, rng.normal(size=D), rng.normal(size=D), rng


@given(batchnorm_cases())
def test_gradients_match_central_differences(case) -> None:
    x, gamma, beta, rng = case
    assert_gradients(layers.batchnorm_forward, layers.batchnorm_backward, [x, gamma, beta], rng)


@given(batchnorm_cases())
def test_simplified_backward_equals_the_step_by_step_graph(case) -> None:
    """The same computation as a chain of Tensor operations gives the same gradients."""
    x, gamma, beta, rng = case
    eps = 1e-5
    y, cache = layers.batchnorm_forward(x, gamma, beta, eps)
    dy = rng.normal(size=y.shape)
    dx, dgamma, dbeta = layers.batchnorm_backward(dy, cache)

    xt, gt, bt = (Tensor(a, requires_grad=True) for a in (x, gamma, beta))
    mu = xt.mean(axis=0)
    xc = xt - mu
    var = (xc**2).mean(axis=0)
    std = (var + eps) ** 0.5
    yt = gt * (xc / std) + bt
    (yt * dy).sum().backward()
    np.testing.assert_allclose(yt.data, y, rtol=1e-12, atol=1e-12)
    for got, t in ((dx, xt), (dgamma, gt), (dbeta, bt)):
        scale = np.abs(t.grad).max()
        np.testing.assert_allclose(got, t.grad, rtol=1e-9, atol=1e-12 * max(scale, 1.0))


@given(batchnorm_cases())
def test_forward_normalises_each_column(case) -> None:
    x, gamma, beta, _ = case
    eps = 1e-5
    x_hat, _ = layers.batchnorm_forward(x, np.ones_like(gamma), np.zeros_like(beta), eps)
    np.testing.assert_allclose(x_hat.mean(axis=0), 0.0, atol=1e-12)
    var = x.var(axis=0)
    np.testing.assert_allclose(x_hat.var(axis=0), var / (var + eps), rtol=1e-10)
    y, _ = layers.batchnorm_forward(x, gamma, beta, eps)
    np.testing.assert_allclose(y, gamma * x_hat + beta, rtol=1e-12, atol=1e-12)


@given(batchnorm_cases())
def test_dx_has_zero_mean_and_is_almost_orthogonal_to_x_hat(case) -> None:
    """Shifting a column does not change y, so the columns of dx sum to 0; scaling it
    about its mean changes y only through eps: sum(dx * x_hat) = inv_std * eps / (var + eps)
    * sum(g * x_hat) with g = dy * gamma."""
    x, gamma, beta, rng = case
    eps = 1e-5
    y, cache = layers.batchnorm_forward(x, gamma, beta, eps)
    dy = rng.normal(size=y.shape)
    dx, _, _ = layers.batchnorm_backward(dy, cache)
    x_hat, _, inv_std = cache
    scale = np.abs(dx).max() * len(x)
    np.testing.assert_allclose(dx.sum(axis=0), 0.0, atol=1e-12 * scale)
    var = x.var(axis=0)
    expected = inv_std * eps / (var + eps) * (dy * gamma * x_hat).sum(axis=0)
    np.testing.assert_allclose((dx * x_hat).sum(axis=0), expected, atol=1e-12 * scale)


def test_with_two_examples_the_output_hardly_depends_on_x() -> None:
    x = np.array([[0.3, -2.0], [1.5, 4.0]])
    y, cache = layers.batchnorm_forward(x, np.ones(2), np.zeros(2), eps=1e-5)
    np.testing.assert_allclose(np.abs(y), 1.0, atol=1e-3)  # x_hat = ±sqrt(var / (var + eps))
    dx, _, _ = layers.batchnorm_backward(np.array([[1.0, 2.0], [-3.0, 0.5]]), cache)
    assert np.abs(dx).max() < 1e-4 < np.abs(np.array([[1.0, 2.0], [-3.0, 0.5]])).min()


def test_a_batch_of_one_gives_beta_and_no_gradient() -> None:
    y, cache = layers.batchnorm_forward(np.array([[3.0, -1.0]]), np.ones(2), np.array([0.5, 2.0]))
    np.testing.assert_array_equal(y, [[0.5, 2.0]])
    dx, _, dbeta = layers.batchnorm_backward(np.ones((1, 2)), cache)
    np.testing.assert_array_equal(dx, 0.0)
    np.testing.assert_array_equal(dbeta, [1.0, 1.0])


@pytest.mark.parametrize(
    ("x_shape", "gamma_shape", "beta_shape", "message"),
    [
        ((0, 3), (3,), (3,), r"empty batch \(x has shape \(0, 3\)\)"),
        ((4, 3), (2,), (3,), r"gamma \(2,\) and beta \(3,\) must both have shape \(3,\) for "
         r"x \(4, 3\)"),
        ((4, 3), (3,), (3, 1), r"beta \(3, 1\)"),
        ((4, 3, 2), (3,), (3,), r"needs x of shape \(N, D\), got \(4, 3, 2\)"),
    ],
)
def test_bad_inputs_name_the_shapes(x_shape, gamma_shape, beta_shape, message) -> None:
    with pytest.raises(ValueError, match=message):
        layers.batchnorm_forward(np.zeros(x_shape), np.ones(gamma_shape), np.zeros(beta_shape))


def test_bad_eps_and_dout() -> None:
    x = np.arange(6.0).reshape(3, 2)
    for eps in (0.0, -1e-5, float("inf")):
        with pytest.raises(ValueError, match="eps must be a positive number"):
            layers.batchnorm_forward(x, np.ones(2), np.zeros(2), eps=eps)
    for eps in ("1e-5", True, None):  # not a number: the wrong kind of thing
        with pytest.raises(TypeError, match="eps must be a positive number"):
            layers.batchnorm_forward(x, np.ones(2), np.zeros(2), eps=eps)
    _, cache = layers.batchnorm_forward(x, np.ones(2), np.zeros(2))
    with pytest.raises(ValueError, match=r"dout has shape \(2, 3\), but the output had shape"):
        layers.batchnorm_backward(np.zeros((2, 3)), cache)
