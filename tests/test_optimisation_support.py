"""Chapter 1's additions to symbolic.py and viz.py: the least-squares loss, the descent figures."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import sympy as sp  # noqa: E402

import backprop_course as bc  # noqa: E402
from backprop_course.symbolic import lambdify, least_squares  # noqa: E402


def _mse(x: np.ndarray, y: np.ndarray, w: np.ndarray, b: float) -> float:
    return float(np.mean((x @ w + b - y) ** 2))


# ------------------------------------------------------------------ least_squares
def test_symbols_are_named_for_the_book() -> None:
    ls = least_squares(3)
    assert [str(s) for s in ls.variables] == ["w", "b", "x_1", "x_2", "x_3", "y_1", "y_2", "y_3"]
    ls2 = least_squares(2, 2)
    assert [str(s) for s in ls2.parameters] == ["w_1", "w_2", "b"]
    assert sp.latex(ls2.x[1][0]) == "x_{2,1}"
    assert ls.loss.free_symbols == set(ls.variables)


@pytest.mark.parametrize(("n", "d"), [(1, 1), (4, 1), (3, 2), (5, 3)])
def test_loss_and_gradient_match_the_definition(n: int, d: int) -> None:
    rng = np.random.default_rng(10 * n + d)
    ls = least_squares(n, d)
    x, y = rng.normal(size=(n, d)), rng.normal(size=n)
    w, b = rng.normal(size=d), float(rng.normal())
    args = (*w, b, *x.ravel(), *y)
    assert np.isclose(lambdify(ls.loss, ls.variables)(*args), _mse(x, y, w, b), rtol=1e-13)
    symbolic = np.array([lambdify(ls.gradient(p), ls.variables)(*args) for p in ls.parameters])
    numerical = bc.numerical_gradient(lambda t: _mse(x, y, t[:d], t[d]), np.append(w, b))
    assert bc.rel_error(symbolic, numerical) < 1e-7


@pytest.mark.parametrize(("n", "d"), [(3, 1), (4, 2)])
def test_hessian_is_constant_and_equals_two_over_n_xtx(n: int, d: int) -> None:
    rng = np.random.default_rng(n + d)
    ls = least_squares(n, d)
    hess = ls.hessian()
    assert hess.shape == (d + 1, d + 1)
    assert not (hess.free_symbols & (set(ls.parameters) | set(ls.y)))  # depends on x only
    x = rng.normal(size=(n, d))
    x1 = np.column_stack([x, np.ones(n)])
    numeric = np.array(hess.subs(ls.data(x, rng.normal(size=n))), dtype=float)
    np.testing.assert_allclose(numeric, 2 / n * x1.T @ x1, rtol=1e-13)


def test_data_substitutes_numbers_and_accepts_a_flat_x() -> None:
    ls = least_squares(2)
    values = ls.data([1.0, 2.0], [3.0, 4.0])
    assert values == {ls.x[0][0]: 1.0, ls.x[1][0]: 2.0, ls.y[0]: 3.0, ls.y[1]: 4.0}
    assert ls.loss.subs(values).subs({ls.w[0]: 1.0, ls.b: 2.0}) == 0  # 1*x + 2 fits exactly


def test_data_names_the_shapes_it_needs() -> None:
    ls = least_squares(3, 2)
    with pytest.raises(ValueError, match=r"x must have shape \(3, 2\)"):
        ls.data(np.zeros((3, 1)), np.zeros(3))
    with pytest.raises(ValueError, match=r"y shape \(3,\)"):
        ls.data(np.zeros((3, 2)), np.zeros(2))


@pytest.mark.parametrize("bad", [0, -2, 1.5, "3", True])
def test_least_squares_rejects_bad_sizes(bad: object) -> None:
    with pytest.raises(ValueError, match="positive int"):
        least_squares(bad)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="n_features must be a positive int"):
        least_squares(2, bad)  # type: ignore[arg-type]


# ---------------------------------------------------------------- plot_descent_1d
def test_plot_descent_1d_draws_the_curve_and_the_iterates_on_it() -> None:
    path = np.array([-2.0, -1.0, -0.5, -0.25])
    ax = bc.viz.plot_descent_1d(np.square, path)
    curve, iterates, start = ax.get_lines()
    xs, ys = curve.get_data()
    np.testing.assert_allclose(ys, np.square(xs))
    assert xs.min() < path.min() and xs.max() > path.max()  # a margin around the path
    np.testing.assert_array_equal(iterates.get_xdata(), path)
    np.testing.assert_array_equal(iterates.get_ydata(), np.square(path))
    assert tuple(start.get_xdata()) == (-2.0,)
    assert len(ax.texts) == 3  # one arrow per step
    assert ax.get_legend() is not None
    plt.close("all")


def test_plot_descent_1d_uses_the_given_axes_window_and_arrow_limit() -> None:
    fig, ax = plt.subplots()
    path = np.linspace(1.0, 0.0, 50)
    assert bc.viz.plot_descent_1d(np.square, path, ax, xlim=(-3.0, 3.0), max_arrows=5) is ax
    xs = ax.get_lines()[0].get_xdata()
    assert (xs.min(), xs.max()) == (-3.0, 3.0)
    assert len(ax.texts) == 5
    plt.close(fig)


def test_plot_descent_1d_handles_a_single_point() -> None:
    ax = bc.viz.plot_descent_1d(np.square, np.array([0.5]))
    xs = ax.get_lines()[0].get_xdata()
    assert xs.min() < 0.5 < xs.max()
    plt.close("all")


@pytest.mark.parametrize("path", [np.zeros((3, 2)), np.array([]), np.array([0.0, np.inf])])
def test_plot_descent_1d_rejects_bad_paths(path: np.ndarray) -> None:
    with pytest.raises(ValueError, match="path"):
        bc.viz.plot_descent_1d(np.square, path)
    plt.close("all")


# ----------------------------------------------------------- plot_descent_contour
def _bowl(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    return u**2 + 4 * v**2


def test_plot_descent_contour_draws_contours_path_and_minimum() -> None:
    path = np.array([[2.0, 1.0], [1.0, -0.6], [0.5, 0.36]])
    ax = bc.viz.plot_descent_contour(_bowl, path, minimum=(0.0, 0.0), levels=8)
    iterates, start, star = ax.get_lines()
    np.testing.assert_array_equal(np.column_stack(iterates.get_data()), path)
    assert tuple(start.get_xdata()) == (2.0,)
    assert tuple(star.get_xdata()) == (0.0,) and star.get_marker() == "*"
    (contours,) = ax.collections
    levels = np.asarray(contours.levels)
    assert len(levels) == 8 and np.all(np.diff(levels) > 0)
    ratios = np.diff(levels)[1:] / np.diff(levels)[:-1]
    np.testing.assert_allclose(ratios, ratios[0])  # geometric spacing above the lowest value
    x_lo, x_hi = ax.get_xlim()
    assert x_lo < 0.0 and x_hi > 2.0  # the window holds the path and the minimum
    assert ax.get_aspect() == 1.0
    plt.close("all")


def test_plot_descent_contour_uses_the_given_axes_window_and_levels() -> None:
    fig, ax = plt.subplots()
    path = np.array([[1.0, 1.0], [0.0, 0.0]])
    out = bc.viz.plot_descent_contour(
        _bowl, path, ax, xlim=(-2.0, 2.0), ylim=(-1.0, 3.0), levels=[1.0, 2.0], aspect="auto"
    )
    assert out is ax
    assert ax.get_xlim() == (-2.0, 2.0) and ax.get_ylim() == (-1.0, 3.0)
    assert list(ax.collections[0].levels) == [1.0, 2.0]
    assert ax.get_aspect() == "auto"
    plt.close(fig)


@pytest.mark.parametrize("path", [np.zeros(3), np.zeros((3, 3)), np.array([[0.0, np.nan]])])
def test_plot_descent_contour_rejects_bad_paths(path: np.ndarray) -> None:
    with pytest.raises(ValueError, match="path"):
        bc.viz.plot_descent_contour(_bowl, path)
    plt.close("all")


def test_plot_descent_contour_needs_an_elementwise_function() -> None:
    with pytest.raises(ValueError, match="elementwise"):
        bc.viz.plot_descent_contour(lambda u, v: float(np.sum(u + v)), np.zeros((2, 2)))
    plt.close("all")
