"""The shared trainer's options for the family trees: one-sided margin targets, biases spared
from the decay, and a monitor that sees every sweep."""

from __future__ import annotations

import numpy as np
import pytest
from numeric import central_difference

from backprop_course import sigmoid_nets as S

LAYERS = (3, 4, 2)
X = np.array([[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 0], [1, 1, 1]], dtype=float)
D = np.array([[1, 0], [0, 1], [0, 0], [1, 1], [0, 1]], dtype=float)


def _net(seed: int = 0, scale: float = 2.0) -> np.ndarray:
    return np.random.default_rng(seed).normal(0, scale, (1, S.n_weights(LAYERS)))


def _one_sided_error(theta: np.ndarray, margin: float) -> float:
    """E written out from the definition: on-units aim at 1 - margin and count only below
    it, off-units aim at margin and count only above it."""
    y = S.forward(S.views(theta[None], LAYERS), X)[-1][0]
    short = np.where(D == 1, np.minimum(y - (1 - margin), 0), np.maximum(y - margin, 0))
    return 0.5 * float(np.sum(short**2))


def test_one_sided_error_against_its_definition() -> None:
    y = np.array([0.95, 0.7, 0.1, 0.3, 0.5])
    d = np.array([1.0, 1.0, 0.0, 0.0, 0.4])  # the last target is neither 0 nor 1
    e = S.output_error(y, d, margin=0.2, one_sided=True)
    np.testing.assert_allclose(e, [0.0, 0.7 - 0.8, 0.0, 0.3 - 0.2, 0.5 - 0.4], atol=1e-15)
    zeroed = S.output_error(y, d, margin=0.2)
    np.testing.assert_allclose(zeroed, [0.0, 0.7 - 1.0, 0.0, 0.3, 0.1], atol=1e-15)


def test_one_sided_error_is_continuous_at_the_margin_and_zeroed_is_not() -> None:
    d = np.array([1.0])
    below, above = np.array([0.8 - 1e-9]), np.array([0.8 + 1e-9])
    one = [S.output_error(y, d, 0.2, one_sided=True)[0] for y in (below, above)]
    zero = [S.output_error(y, d, 0.2)[0] for y in (below, above)]
    assert abs(one[0] - one[1]) < 1e-8  # goes to 0 at the margin
    assert abs(zero[0] - zero[1]) > 0.19  # jumps from -0.2 to 0


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_one_sided_gradient_matches_central_differences(seed: int) -> None:
    theta = _net(seed)
    grads, _ = S.gradients(S.views(theta, LAYERS), X, D, margin=0.2, one_sided=True)
    g = S.pack(grads)[0]
    numeric = central_difference(lambda t: _one_sided_error(t, 0.2), theta[0])
    assert np.abs(g).max() > 1e-3  # the margin leaves some error to differentiate
    np.testing.assert_allclose(g, numeric, rtol=1e-6, atol=1e-9)


def test_training_with_one_sided_targets_descends_that_error() -> None:
    settings = S.TrainSettings(0.5, 0.9, 200, margin=0.2, one_sided=True)
    out = S.train(settings, _net(3), LAYERS, X, D)
    assert out.history[0, -1] == pytest.approx(_one_sided_error(out.theta[0], 0.2), rel=1e-12)
    assert out.history[0, -1] < 0.1 * out.history[0, 0]


def _params_split(theta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    p = S.views(theta, LAYERS)
    weights = np.concatenate([W.reshape(len(theta), -1) for W in p["W"]], axis=1)
    biases = np.concatenate([b.reshape(len(theta), -1) for b in p["b"]], axis=1)
    return weights, biases


def test_decay_spares_the_biases_when_asked() -> None:
    # With no gradient to follow (a learning rate far too small to matter), the decay alone
    # acts: 10 sweeps shrink every weight by (1 - decay)^10, the biases too unless spared.
    theta = _net(4)
    for spare in (False, True):
        settings = S.TrainSettings(1e-300, 0.0, 10, decay=0.01, decay_biases=not spare)
        after = S.train(settings, theta, LAYERS, X, D).theta
        (w0, b0), (w1, b1) = _params_split(theta), _params_split(after)
        np.testing.assert_allclose(w1, w0 * 0.99**10, rtol=1e-12)
        np.testing.assert_allclose(b1, b0 if spare else b0 * 0.99**10, rtol=1e-12)


def test_the_default_decay_is_the_one_before_the_option() -> None:
    """decay_biases=True is bit for bit the old rule, every weight times (1 - decay)."""
    theta = _net(5)
    settings = S.TrainSettings(0.3, 0.9, 50, decay=0.002)
    out = S.train(settings, theta, LAYERS, X, D).theta
    manual, change = theta.copy(), np.zeros_like(theta)
    for _ in range(50):
        grads, _ = S.gradients(S.views(manual, LAYERS), X, D)
        change = 0.9 * change - 0.3 * S.pack(grads)
        manual = (manual + change) * (1 - 0.002)
    np.testing.assert_allclose(out, manual, rtol=1e-11)


def test_monitor_sees_each_sweeps_weights_and_gradient() -> None:
    seen = []

    def monitor(t, rows, theta, grad):
        seen.append((t, rows.copy(), theta.copy(), grad.copy()))

    start = np.concatenate([_net(6), _net(7)])
    settings = S.TrainSettings(0.5, 0.9, 30, tolerance=0.45, stop=True)
    out = S.train(settings, start, LAYERS, X, D, monitor=monitor)
    assert [t for t, *_ in seen[:3]] == [0, 1, 2]
    for _, _, theta, grad in seen[::7]:  # the gradient of the weights it is given
        grads, _ = S.gradients(S.views(theta, LAYERS), X, D)
        np.testing.assert_allclose(grad, S.pack(grads), rtol=1e-12, atol=1e-15)
    np.testing.assert_array_equal(seen[0][2], start)
    stopped = [set(rows.tolist()) for _, rows, *_ in seen]
    assert stopped[0] == {0, 1} and len(seen) == max(out.sweeps.max(), 1)


def test_monitor_must_be_callable() -> None:
    with pytest.raises(TypeError, match="monitor must be None or a function"):
        S.train(S.TrainSettings(0.5, 0.9, 3), _net(), LAYERS, X, D, monitor="print")
