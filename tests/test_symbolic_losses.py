"""The SymPy losses of chapter 6: their gradients and the package's agree."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

import backprop_course as bc
from backprop_course.symbolic import (
    binary_cross_entropy,
    cross_entropy,
    lambdify,
    mean_squared_error,
    sigmoid,
    softmax,
)

RNG = np.random.default_rng(60)


def test_softmax_sums_to_one_and_has_the_known_jacobian() -> None:
    z = sp.symbols("z_1:4", real=True)
    p = softmax(z)
    assert sp.simplify(sum(p) - 1) == 0
    for j in range(3):
        for k in range(3):
            expected = p[j] * (int(j == k) - p[k])
            assert sp.simplify(sp.diff(p[j], z[k]) - expected) == 0


def test_softmax_cross_entropy_gradient_is_p_minus_y_for_a_one_hot_target() -> None:
    z = sp.symbols("z_1:4", real=True)
    y = sp.symbols("y_1:4", real=True)
    p = softmax(z)
    loss = cross_entropy(p, y)
    for k in range(3):
        grad = sp.diff(loss, z[k])
        # in general p_k Σ y - y_k; with Σ y = 1 that is p_k - y_k
        assert sp.simplify(grad - (p[k] * sum(y) - y[k])) == 0
        assert sp.simplify((grad - (p[k] - y[k])).subs(y[2], 1 - y[0] - y[1])) == 0


def test_binary_cross_entropy_of_a_sigmoid_has_gradient_sigma_minus_y() -> None:
    z, y = sp.symbols("z y", real=True)
    loss = binary_cross_entropy(sigmoid(z), y)
    assert sp.simplify(sp.diff(loss, z) - (sigmoid(z) - y)) == 0


def test_mean_squared_error_gradient() -> None:
    a = sp.symbols("a_1:5", real=True)
    y = sp.symbols("y_1:5", real=True)
    loss = mean_squared_error(a, y)
    for ai, yi in zip(a, y, strict=True):
        assert sp.simplify(sp.diff(loss, ai) - sp.Rational(2, 4) * (ai - yi)) == 0


def test_symbolic_losses_equal_the_package_losses_numerically() -> None:
    n, c = 4, 3
    z = sp.symbols(f"z_1:{c + 1}", real=True)
    t = sp.symbols(f"t_1:{c + 1}", real=True)
    ce = lambdify(cross_entropy(softmax(z), t), (*z, *t))
    logits, labels = RNG.normal(size=(n, c)), RNG.integers(0, c, n)
    onehot = np.eye(c)[labels]
    by_row = [ce(*logits[i], *onehot[i]) for i in range(n)]
    package = bc.losses.cross_entropy(bc.Tensor(logits), labels).item()
    assert np.isclose(np.mean(by_row), package, rtol=1e-12)

    zs, ys = sp.symbols("z y", real=True)
    bce = lambdify(binary_cross_entropy(sigmoid(zs), ys), (zs, ys))
    zb, yb = RNG.normal(size=5), RNG.integers(0, 2, 5).astype(float)
    package = bc.losses.binary_cross_entropy(bc.Tensor(zb), yb).item()
    assert np.isclose(np.mean(bce(zb, yb)), package, rtol=1e-12)

    a = sp.symbols("a_1:7", real=True)
    y = sp.symbols("y_1:7", real=True)
    mse = lambdify(mean_squared_error(a, y), (*a, *y))
    pred, target = RNG.normal(size=(2, 3)), RNG.normal(size=(2, 3))
    assert np.isclose(mse(*pred.ravel(), *target.ravel()), bc.layers.mse_forward(pred, target)[0])


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: softmax(()), "at least one"),
        (lambda: cross_entropy(sp.symbols("p_1:3"), sp.symbols("y_1:4")), "as many"),
        (lambda: mean_squared_error(sp.symbols("a_1:3"), sp.symbols("y_1:2")), "same length"),
        (lambda: mean_squared_error((), ()), "non-empty"),
    ],
)
def test_bad_inputs_are_explained(call, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()
