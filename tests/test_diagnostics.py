"""Chapter 11's diagnostics: deep test networks, per-layer gradients, clipping by global norm."""

from __future__ import annotations

import numpy as np
import pytest

import backprop_course as bc
from backprop_course import diagnostics


# ------------------------------------------------------------------ deep_mlp
def test_deep_mlp_has_the_requested_layers() -> None:
    net = diagnostics.deep_mlp(4, 8, "relu", "he", n_in=3, n_out=2, rng=0)
    linears = [m for m in net if isinstance(m, bc.nn.Linear)]
    assert [lin.W.shape for lin in linears] == [(3, 8), (8, 8), (8, 8), (8, 2)]
    assert [type(m).__name__ for m in net][:3] == ["Linear", "ReLU", "Linear"]
    assert isinstance(net[-1], bc.nn.Linear)  # no activation after the last layer
    assert all(np.array_equal(lin.b.data, np.zeros(lin.out_features)) for lin in linears)


@pytest.mark.parametrize(
    ("init", "variance"),
    [("small", 1e-4), ("naive", 1.0), ("xavier", 2 / (300 + 300)), ("he", 2 / 300)],
)
def test_deep_mlp_draws_weights_at_the_named_scale(init: str, variance: float) -> None:
    net = diagnostics.deep_mlp(3, 300, "tanh", init, rng=1)
    for lin in (m for m in net if isinstance(m, bc.nn.Linear)):
        assert abs(lin.W.data.var() / variance - 1) < 0.03  # 90,000 draws
        assert abs(lin.W.data.mean()) < 0.02 * np.sqrt(variance)


def test_deep_mlp_is_reproducible_and_takes_a_function() -> None:
    a = diagnostics.deep_mlp(3, 5, "sigmoid", "xavier", rng=7)
    b = diagnostics.deep_mlp(3, 5, "sigmoid", "xavier", rng=7)
    for p, q in zip(a.parameters(), b.parameters(), strict=True):
        np.testing.assert_array_equal(p.data, q.data)
    ones = diagnostics.deep_mlp(2, 4, "tanh", lambda n_in, n_out, g: np.ones((n_in, n_out)))
    assert np.all(ones[0].W.data == 1.0)


def test_deep_mlp_rejects_bad_arguments() -> None:
    with pytest.raises(ValueError, match="depth"):
        diagnostics.deep_mlp(0, 4)
    with pytest.raises(ValueError, match="activation"):
        diagnostics.deep_mlp(2, 4, activation="softplus")
    with pytest.raises(ValueError, match="init"):
        diagnostics.deep_mlp(2, 4, init="lecun")
    with pytest.raises(ValueError, match="shape"):
        diagnostics.deep_mlp(2, 4, init=lambda n_in, n_out, g: np.ones((n_out, n_in + 1)))


# ----------------------------------------------------------- layer_statistics
def _small_problem(seed: int = 0):
    rng = np.random.default_rng(seed)
    net = diagnostics.deep_mlp(4, 6, "tanh", "xavier", n_in=3, n_out=4, rng=seed)
    return net, rng.normal(size=(5, 3)), rng.integers(0, 4, size=5)


def test_layer_statistics_matches_central_differences() -> None:
    net, X, y = _small_problem()
    st = diagnostics.layer_statistics(net, X, y)
    assert st.delta_norm.shape == st.dW_norm.shape == st.z_std.shape == (4,)
    # delta of layer l: nudge z_l and run the rest of the network
    for l_index, position in enumerate([0, 2, 4, 6]):
        head = bc.nn.Sequential(*net.layers[: position + 1])
        tail = bc.nn.Sequential(*net.layers[position + 1 :])
        z = head(X).data

        def loss_of_z(z_, tail=tail):
            out = tail(z_) if len(tail) else bc.Tensor(z_)
            return bc.losses.cross_entropy(out, y).item()

        delta = bc.numerical_gradient(loss_of_z, z)
        assert bc.rel_error(st.delta_norm[l_index], np.linalg.norm(delta)) < 1e-7
        assert bc.rel_error(st.z_std[l_index], z.std()) < 1e-12
    # the model keeps the pass's weight gradients, whose norms were reported
    linears = [m for m in net if isinstance(m, bc.nn.Linear)]
    norms = [np.linalg.norm(lin.W.grad) for lin in linears]
    np.testing.assert_allclose(st.dW_norm, norms, rtol=1e-12)
    assert st.loss == pytest.approx(bc.losses.cross_entropy(net(X), y).item(), rel=1e-12)


def test_layer_statistics_leaves_the_gradient_of_one_pass() -> None:
    net, X, y = _small_problem(1)
    diagnostics.layer_statistics(net, X, y)
    first = [p.grad.copy() for p in net.parameters()]
    diagnostics.layer_statistics(net, X, y)  # zero_grad first: no accumulation
    for g, p in zip(first, net.parameters(), strict=True):
        np.testing.assert_array_equal(g, p.grad)


def test_layer_statistics_takes_another_loss_and_checks_the_model() -> None:
    net, X, _ = _small_problem(2)
    target = np.zeros((5, 4))
    st = diagnostics.layer_statistics(net, X, target, loss_fn=bc.losses.mse)
    assert st.loss == pytest.approx(bc.losses.mse(net(X), target).item())
    with pytest.raises(TypeError, match="Sequential"):
        diagnostics.layer_statistics(bc.nn.Linear(3, 2), X, target)
    with pytest.raises(ValueError, match="no Linear"):
        diagnostics.layer_statistics(bc.nn.Sequential(bc.nn.Tanh()), X, X)


def test_vanishing_and_steady_gradients_are_measured() -> None:
    rng = np.random.default_rng(3)
    X, y = rng.normal(size=(64, 32)), rng.integers(0, 32, size=64)
    sig = diagnostics.layer_statistics(diagnostics.deep_mlp(12, 32, "sigmoid", rng=0), X, y)
    he = diagnostics.layer_statistics(diagnostics.deep_mlp(12, 32, "relu", "he", rng=0), X, y)
    assert sig.delta_norm[0] / sig.delta_norm[-1] < 1e-5
    assert he.delta_norm.max() / he.delta_norm.min() < 20


# ------------------------------------------------------------------ clipping
def _params_with_grads(grads):
    params = [bc.Tensor(np.zeros_like(g), requires_grad=True) for g in grads]
    for p, g in zip(params, grads, strict=True):
        p.grad = np.array(g, dtype=float)
    return params


def test_grad_norm_is_the_norm_of_all_gradients_together() -> None:
    grads = [np.array([3.0, 0.0]), np.array([[4.0]]), np.array([12.0])]
    params = _params_with_grads(grads)
    params.append(bc.Tensor([1.0], requires_grad=True))  # no grad: skipped
    assert diagnostics.grad_norm(params) == pytest.approx(13.0)
    assert diagnostics.grad_norm([]) == 0.0


def test_clip_grad_norm_scales_all_gradients_by_one_factor() -> None:
    rng = np.random.default_rng(0)
    grads = [rng.normal(size=(3, 2)), rng.normal(size=4), rng.normal(size=())]
    total = np.sqrt(sum((g**2).sum() for g in grads))
    params = _params_with_grads(grads)
    returned = diagnostics.clip_grad_norm(params, max_norm=0.5 * total)
    assert returned == pytest.approx(total, rel=1e-12)  # the norm before clipping
    assert diagnostics.grad_norm(params) == pytest.approx(0.5 * total, rel=1e-12)
    for p, g in zip(params, grads, strict=True):
        np.testing.assert_allclose(p.grad, 0.5 * g, rtol=1e-12)  # same direction


def test_clip_grad_norm_leaves_small_gradients_alone() -> None:
    grads = [np.array([0.3, -0.4])]
    params = _params_with_grads(grads)
    assert diagnostics.clip_grad_norm(params, 1.0) == pytest.approx(0.5)
    np.testing.assert_array_equal(params[0].grad, grads[0])
    at_limit = _params_with_grads([np.array([0.6, 0.8])])
    diagnostics.clip_grad_norm(at_limit, 1.0)
    np.testing.assert_array_equal(at_limit[0].grad, [0.6, 0.8])


def test_clip_grad_norm_works_in_a_training_step() -> None:
    model = bc.nn.MLP([2, 4, 1], activation="tanh", rng=0)
    loss = bc.losses.mse(model(np.ones((3, 2))), np.full((3, 1), 100.0))
    loss.backward()
    assert diagnostics.clip_grad_norm(model.parameters(), 1.0) > 1.0
    assert diagnostics.grad_norm(model.parameters()) == pytest.approx(1.0)
    bc.optim.SGD(model.parameters(), lr=0.1).step()  # the clipped grads are usable


@pytest.mark.parametrize(("bad", "error"), [
    (0.0, ValueError), (-1.0, ValueError), (float("nan"), ValueError),
    ("1", TypeError), (True, TypeError), (None, TypeError),  # not a number at all
])
def test_clip_grad_norm_rejects_a_bad_threshold(bad, error) -> None:
    with pytest.raises(error, match="max_norm"):
        diagnostics.clip_grad_norm(_params_with_grads([np.ones(2)]), bad)


def test_clip_grad_norm_refuses_non_finite_gradients() -> None:
    params = _params_with_grads([np.array([1.0, np.inf])])
    with pytest.raises(FloatingPointError, match="NaN or inf"):
        diagnostics.clip_grad_norm(params, 1.0)
