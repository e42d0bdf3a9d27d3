"""The SymPy derivations agree with central differences and with themselves."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

import backprop_course as bc
from backprop_course.symbolic import lambdify, neuron, partial, sigmoid


@pytest.mark.parametrize("n_inputs", [1, 2, 4])
def test_chain_rule_product_equals_direct_derivative(n_inputs: int) -> None:
    n = neuron(n_inputs)
    for i, w_i in enumerate(n.w):
        assert sp.simplify(n.chain_rule(i) - n.gradient(w_i)) == 0


def test_factors() -> None:
    n = neuron()
    assert sp.simplify(n.dL_da - (n.a - n.y)) == 0
    assert sp.simplify(n.da_dz - sigmoid(n.z) * (1 - sigmoid(n.z))) == 0
    assert n.dz_dw(0) == n.x[0]


@pytest.mark.parametrize("n_inputs", [1, 3])
def test_gradients_match_central_differences(n_inputs: int) -> None:
    rng = np.random.default_rng(n_inputs)
    n = neuron(n_inputs)
    loss = lambdify(n.loss_full, n.variables)
    w, x = rng.normal(size=n_inputs), rng.normal(size=n_inputs)
    b, y = 0.3, 1.0
    numerical = bc.numerical_gradient(lambda p: loss(*p[:-1], *x, p[-1], y), np.append(w, b))
    symbolic = np.array([lambdify(n.gradient(p), n.variables)(*w, *x, b, y) for p in n.parameters])
    assert bc.rel_error(symbolic, numerical) < 1e-8


def test_sigmoid_matches_numpy() -> None:
    z = sp.Symbol("z")
    f = lambdify(sigmoid(z), [z])
    xs = np.linspace(-5, 5, 11)
    np.testing.assert_allclose(f(xs), 1 / (1 + np.exp(-xs)), rtol=1e-14)


def test_symbols_are_named_for_the_book() -> None:
    assert [str(s) for s in neuron(1).variables] == ["w", "x", "b", "y"]
    assert [str(s) for s in neuron(2).w] == ["w_1", "w_2"]
    assert sp.latex(partial("L", "a")) == r"\frac{\partial L}{\partial a}"


def test_lambdify_names_a_missing_symbol() -> None:
    n = neuron()
    with pytest.raises(ValueError, match="also depends on y"):
        lambdify(n.loss_full, [n.w[0], n.x[0], n.b])


@pytest.mark.parametrize("bad", [0, -1, 1.5, "3", True])
def test_neuron_rejects_bad_sizes(bad: object) -> None:
    with pytest.raises(ValueError, match="positive int"):
        neuron(bad)  # type: ignore[arg-type]
