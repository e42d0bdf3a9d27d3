"""Chapter 11's populations of small networks and slices of their loss."""

from __future__ import annotations

import numpy as np
import pytest

import backprop_course as bc
from backprop_course import landscape

X_XOR, Y_XOR = bc.data.xor()[0], bc.data.xor()[1][:, None].astype(float)


def _loss_of_vector(v: np.ndarray, sizes, X, Y) -> float:
    return float(landscape.population_loss(landscape.Population.from_vectors(v, sizes), X, Y)[0])


def test_vectors_round_trip() -> None:
    nets = landscape.init_population(4, (3, 5, 2), rng=0)
    v = nets.vectors()
    assert v.shape == (4, 3 * 5 + 5 + 5 * 2 + 2)
    back = landscape.Population.from_vectors(v, (3, 5, 2))
    for a, b in zip(nets.arrays(), back.arrays(), strict=True):
        np.testing.assert_array_equal(a, b)
    assert back.size == 4 and back.sizes == (3, 5, 2)
    with pytest.raises(ValueError, match="parameters"):
        landscape.Population.from_vectors(v[:, :-1], (3, 5, 2))


def test_init_population_draws_uniformly_in_the_range() -> None:
    nets = landscape.init_population(500, (2, 3, 1), scale=0.3, rng=1)
    v = nets.vectors()
    assert v.min() >= -0.3 and v.max() <= 0.3 and v.std() > 0.15
    with pytest.raises(ValueError, match="n_nets"):
        landscape.init_population(0, (2, 2, 1))


def test_forward_equals_the_tensor_engine_network_by_network() -> None:
    rng = np.random.default_rng(2)
    nets = landscape.init_population(3, (4, 3, 2), rng=2)
    X = rng.normal(size=(5, 4))
    h, a = landscape.population_forward(nets, X)
    assert h.shape == (3, 5, 3) and a.shape == (3, 5, 2)
    for s in range(3):
        hidden = (bc.Tensor(X) @ nets.W1[s] + nets.b1[s]).sigmoid()
        out = (hidden @ nets.W2[s] + nets.b2[s]).sigmoid()
        np.testing.assert_allclose(a[s], out.data, rtol=1e-12)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_population_gradients_match_central_differences(seed: int) -> None:
    rng = np.random.default_rng(seed)
    sizes = (3, 4, 2)
    nets = landscape.init_population(3, sizes, rng=seed)
    X, Y = rng.normal(size=(6, 3)), rng.integers(0, 2, size=(6, 2)).astype(float)
    grads = landscape.population_gradients(nets, X, Y).vectors()
    for s, v in enumerate(nets.vectors()):
        numeric = bc.numerical_gradient(lambda w: _loss_of_vector(w, sizes, X, Y), v)
        assert np.linalg.norm(grads[s] - numeric) / np.linalg.norm(numeric) < 1e-7


def test_training_networks_together_equals_training_them_alone() -> None:
    nets = landscape.init_population(3, (2, 2, 1), rng=3)
    together = landscape.train_population(nets, X_XOR, Y_XOR, sweeps=50)
    for s in range(3):
        alone = landscape.Population(*(p[s : s + 1] for p in nets.arrays()))
        alone = landscape.train_population(alone, X_XOR, Y_XOR, sweeps=50)
        np.testing.assert_allclose(alone.vectors()[0], together.vectors()[s], rtol=1e-10)
    np.testing.assert_array_equal(nets.vectors(), landscape.init_population(
        3, (2, 2, 1), rng=3).vectors())  # the input population is not changed


def test_training_follows_momentum_descent_by_hand() -> None:
    nets = landscape.init_population(1, (2, 2, 1), rng=4)
    lr, mu = 0.5, 0.9
    v, change = nets.vectors()[0], np.zeros(9)
    for _ in range(3):
        g = bc.numerical_gradient(lambda w: _loss_of_vector(w, (2, 2, 1), X_XOR, Y_XOR), v)
        change = mu * change - lr * g
        v = v + change
    trained = landscape.train_population(nets, X_XOR, Y_XOR, sweeps=3, lr=lr, momentum=mu)
    np.testing.assert_allclose(trained.vectors()[0], v, rtol=1e-6)


def test_xor_is_learned_by_wide_networks_and_never_by_one_hidden_unit() -> None:
    wide = landscape.train_population(
        landscape.init_population(20, (2, 8, 1), rng=5), X_XOR, Y_XOR, sweeps=1000)
    assert landscape.solved(wide, X_XOR, Y_XOR).mean() >= 0.95
    narrow = landscape.train_population(
        landscape.init_population(20, (2, 1, 1), rng=5), X_XOR, Y_XOR, sweeps=1000)
    assert not landscape.solved(narrow, X_XOR, Y_XOR).any()
    errors = landscape.population_loss(wide, X_XOR, Y_XOR)
    assert errors.shape == (20,) and errors.min() < 0.01


def test_random_directions_have_the_centres_length() -> None:
    center = np.arange(1.0, 10.0)
    d = landscape.random_directions(center, n=3, rng=0)
    assert d.shape == (3, 9)
    np.testing.assert_allclose(np.linalg.norm(d, axis=1), np.linalg.norm(center))


def test_loss_slice_evaluates_the_plane_through_the_weights() -> None:
    sizes = (2, 2, 1)
    center = landscape.init_population(1, sizes, rng=6)
    d = landscape.random_directions(center.vectors()[0], rng=1)
    alphas, betas = np.linspace(-1, 1, 5), np.linspace(-0.5, 0.5, 3)
    E = landscape.loss_slice(center, d, X_XOR, Y_XOR, alphas, betas)
    assert E.shape == (3, 5)
    theta = center.vectors()[0]
    for i, b in enumerate(betas):
        for j, a in enumerate(alphas):
            expected = _loss_of_vector(theta + a * d[0] + b * d[1], sizes, X_XOR, Y_XOR)
            assert E[i, j] == pytest.approx(expected, rel=1e-12)
    with pytest.raises(ValueError, match="one network"):
        landscape.loss_slice(landscape.init_population(2, sizes), d, X_XOR, Y_XOR, alphas, betas)
    with pytest.raises(ValueError, match="directions"):
        landscape.loss_slice(center, d[:, :4], X_XOR, Y_XOR, alphas, betas)


def test_training_uses_the_shared_trainer_and_its_gradient_is_population_gradients() -> None:
    # One sweep by hand with population_gradients equals one sweep of train_population
    # (the shared trainer's backward pass sums over the patterns by a matrix product, so
    # the two agree to round-off, not bit for bit).
    nets = landscape.init_population(5, (2, 3, 1), rng=6)
    g = landscape.population_gradients(nets, X_XOR, Y_XOR)
    by_hand = [p - 0.5 * d for p, d in zip(nets.arrays(), g.arrays(), strict=True)]
    trained = landscape.train_population(nets, X_XOR, Y_XOR, sweeps=1)
    for ours, theirs in zip(trained.arrays(), by_hand, strict=True):
        np.testing.assert_allclose(ours, theirs, rtol=1e-13, atol=1e-15)
        assert ours.flags.c_contiguous


def test_train_population_names_its_own_arguments() -> None:
    with pytest.raises(ValueError, match="train_population: lr must be a positive"):
        landscape.train_population(landscape.init_population(1, (2, 2, 1), rng=0), X_XOR,
                                   Y_XOR, 3, lr=0.0)
    with pytest.raises(ValueError, match="train_population: momentum must be"):
        landscape.train_population(landscape.init_population(1, (2, 2, 1), rng=0), X_XOR,
                                   Y_XOR, 3, momentum=-1)
