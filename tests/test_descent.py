"""Plain gradient descent returns its path, diverges visibly, and rejects bad arguments clearly."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import backprop_course as bc
from backprop_course.descent import DivergenceWarning, gradient_descent


def test_scalar_path_halves_on_a_parabola() -> None:
    path = gradient_descent(lambda w: 2 * w, 1.0, lr=0.25, steps=3)
    np.testing.assert_array_equal(path, [1.0, 0.5, 0.25, 0.125])
    assert path.dtype == np.float64


@pytest.mark.parametrize("shape", [(), (3,), (2, 2)])
@pytest.mark.parametrize("steps", [0, 1, 7])
def test_path_shape_is_steps_plus_one_by_the_weights(shape: tuple, steps: int) -> None:
    w0 = np.ones(shape)
    path = gradient_descent(lambda w: w, w0, lr=0.1, steps=steps)
    assert path.shape == (steps + 1, *shape)
    np.testing.assert_array_equal(path[0], w0)


def test_each_row_is_one_update_of_the_previous() -> None:
    rng = np.random.default_rng(0)
    a = rng.normal(size=(3, 3))
    hess = a @ a.T + np.eye(3)

    def grad(w: np.ndarray) -> np.ndarray:
        return hess @ w

    path = gradient_descent(grad, rng.normal(size=3), lr=0.05, steps=5)
    for k in range(5):
        np.testing.assert_allclose(path[k + 1], path[k] - 0.05 * hess @ path[k], rtol=1e-15)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_critical_learning_rate_separates_convergence_from_divergence(seed: int) -> None:
    rng = np.random.default_rng(seed)
    a = rng.normal(size=(4, 4))
    hess = a @ a.T + 0.5 * np.eye(4)
    minimum = rng.normal(size=4)
    eta_crit = 2 / np.linalg.eigvalsh(hess).max()

    def grad(w: np.ndarray) -> np.ndarray:
        return hess @ (w - minimum)

    w0 = minimum + rng.normal(size=4)
    below = gradient_descent(grad, w0, lr=0.95 * eta_crit, steps=2000)
    above = gradient_descent(grad, w0, lr=1.05 * eta_crit, steps=200)
    assert np.abs(below[-1] - minimum).max() < 1e-8
    assert np.linalg.norm(above[-1] - minimum) > 100 * np.linalg.norm(w0 - minimum)


def test_divergence_is_a_result_not_an_error() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no warning while the iterates stay finite
        path = gradient_descent(lambda w: 2 * w, 1.0, lr=1.5, steps=20)
    np.testing.assert_array_equal(path, (-2.0) ** np.arange(21))


def test_overflow_stops_early_with_a_warning() -> None:
    with pytest.warns(DivergenceWarning, match="diverged: at step") as record:
        path = gradient_descent(lambda w: 2 * w, np.array([1.0, -1.0]), lr=10.0, steps=1000)
    assert 1 < len(path) < 1001
    assert np.isfinite(path).all()
    assert path.shape[1:] == (2,)
    assert record[0].filename == __file__  # the warning points at the caller
    assert issubclass(DivergenceWarning, RuntimeWarning)


def test_a_nan_gradient_stops_early_and_says_so() -> None:
    def grad(w: float) -> float:
        return np.nan if w < 0.5 else 1.0

    with pytest.warns(DivergenceWarning, match="gradient was not finite"):
        path = gradient_descent(grad, 1.0, lr=0.3, steps=10)
    np.testing.assert_allclose(path, [1.0, 0.7, 0.4])


def test_grad_gets_a_copy_and_w0_is_untouched() -> None:
    w0 = np.array([1.0, 2.0])

    def vandal(w: np.ndarray) -> np.ndarray:
        g = w.copy()
        w[:] = 1e6  # must not leak into the path
        return g

    path = gradient_descent(vandal, w0, lr=0.5, steps=2)
    np.testing.assert_array_equal(w0, [1.0, 2.0])
    np.testing.assert_array_equal(path, [[1.0, 2.0], [0.5, 1.0], [0.25, 0.5]])


def test_a_tensor_gradient_is_accepted() -> None:
    path = gradient_descent(lambda w: bc.Tensor(2 * w), np.array([1.0]), lr=0.25, steps=1)
    np.testing.assert_array_equal(path, [[1.0], [0.5]])


@pytest.mark.parametrize("lr", [0, -0.1, float("nan"), float("inf"), True, "0.1", None])
def test_bad_learning_rates_are_rejected(lr: object) -> None:
    with pytest.raises(ValueError, match="lr must be a positive"):
        gradient_descent(lambda w: w, 1.0, lr=lr, steps=3)  # type: ignore[arg-type]


@pytest.mark.parametrize("steps", [-1, 1.5, True, "3"])
def test_bad_step_counts_are_rejected(steps: object) -> None:
    with pytest.raises(ValueError, match="steps must be a non-negative int"):
        gradient_descent(lambda w: w, 1.0, lr=0.1, steps=steps)  # type: ignore[arg-type]


def test_numpy_integer_steps_are_accepted() -> None:
    assert gradient_descent(lambda w: w, 1.0, lr=0.1, steps=np.int64(2)).shape == (3,)


@pytest.mark.parametrize("w0", [float("nan"), [1.0, float("inf")]])
def test_a_non_finite_start_is_rejected(w0: object) -> None:
    with pytest.raises(ValueError, match="w0 must be finite"):
        gradient_descent(lambda w: w, w0, lr=0.1, steps=1)


def test_a_gradient_of_the_wrong_shape_is_named() -> None:
    with pytest.raises(ValueError, match=r"shape \(3,\) at step 0, but w0 has shape \(2,\)"):
        gradient_descent(lambda w: np.zeros(3), np.zeros(2), lr=0.1, steps=1)


def test_non_numbers_are_rejected() -> None:
    with pytest.raises(TypeError, match="grad\\(w\\) must be real numbers"):
        gradient_descent(lambda w: "downhill", 1.0, lr=0.1, steps=1)
    with pytest.raises(TypeError, match="w0 must be real numbers"):
        gradient_descent(lambda w: w, "start", lr=0.1, steps=1)
