"""Chapter 14's SymPy derivations (symbolic/modern_layers.py): exact identities, and the layer
pairs of chapter 14 evaluated against them."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

import backprop_course as bc
from backprop_course import layers
from backprop_course.symbolic import lambdify, layer_norm, lstm_step, softmax_jacobian


@pytest.mark.parametrize(("D", "H"), [(1, 1), (2, 2)])
def test_lstm_step_backward_is_the_derivative_of_the_step(D, H) -> None:
    s = lstm_step(D, H)
    rng = np.random.default_rng(D + H)
    N = 1
    x, h_prev, c_prev = rng.normal(size=(N, D)), rng.normal(size=(N, H)), rng.normal(size=(N, H))
    Wx, Wh, b = rng.normal(size=(D, 4 * H)), rng.normal(size=(H, 4 * H)), rng.normal(size=4 * H)
    dh, dc = rng.normal(size=(N, H)), rng.normal(size=(N, H))
    values = [*x.ravel(), *h_prev.ravel(), *c_prev.ravel(), *Wx.ravel(), *Wh.ravel(), *b,
              *dh.ravel(), *dc.ravel()]
    h, c, cache = layers.lstm_step_forward(x, h_prev, c_prev, Wx, Wh, b)
    np.testing.assert_allclose(h.ravel(), [float(lambdify(e, s.variables)(*values)) for e in s.h],
                               rtol=1e-13)
    ours = layers.lstm_step_backward(dh, dc, cache)
    wrt = [s.x, s.h_prev, s.c_prev, s.Wx, s.Wh, s.b]
    # one function for all six gradients, with common subexpressions shared (fast to build)
    exact = np.ravel(sp.lambdify(s.variables, sp.Matrix.vstack(*[s.gradient(w) for w in wrt]),
                                 modules="numpy", cse=True)(*values))
    got = np.concatenate([g.ravel() for g in ours])
    assert bc.rel_error(got, exact) < 1e-12


def test_the_cell_state_path_is_the_forget_gate() -> None:
    """dc_t/dc_{t-1} = f exactly: no weight, no slope, on the additive path."""
    s = lstm_step(1, 1)
    assert sp.simplify(sp.diff(s.c[0], s.c_prev[0]) - s.gates["f"][0]) == 0


def test_layer_norm_derivative_is_the_short_formula_exactly() -> None:
    ln = layer_norm(3)
    var = sum((v - sum(ln.x) / 3) ** 2 for v in ln.x) / 3
    root = sp.Symbol("s", positive=True)
    for d in range(3):  # eps = s^2 - var: both sides become fractions of polynomials
        difference = (ln.dx[d] - ln.formula[d]).subs(ln.eps, root**2 - var)
        assert sp.expand(sp.together(difference)) == 0


def test_layernorm_backward_is_the_sympy_derivative() -> None:
    ln = layer_norm(4)
    rng = np.random.default_rng(3)
    x, gamma, beta, g = (rng.normal(size=4) for _ in range(4))
    _, cache = layers.layernorm_forward(x[None], gamma, beta, eps=1e-5)
    dx = layers.layernorm_backward(g[None], cache)[0][0]
    exact = np.ravel(lambdify(list(ln.dx), ln.variables)(*x, *gamma, *beta, *g, 1e-5))
    assert bc.rel_error(dx, exact) < 1e-12


def test_softmax_jacobian_is_diag_p_minus_p_p_transposed() -> None:
    j = softmax_jacobian(3)
    assert sp.simplify(j.jacobian - j.closed_form) == sp.zeros(3, 3)
    assert sp.simplify(j.vjp - j.vjp_formula) == sp.zeros(3, 1)
    assert sp.simplify(sum(j.vjp)) == 0  # shifting every score changes nothing


def test_attention_backward_applies_the_softmax_jacobian_row_by_row() -> None:
    """With k = v = I and scale 1, the scores are q and dq is the softmax's VJP of dout."""
    n = 4
    j = softmax_jacobian(n)
    rng = np.random.default_rng(4)
    z, g = rng.normal(size=(3, n)), rng.normal(size=(3, n))
    _, cache = layers.attention_forward(z, np.eye(n), np.eye(n), scale=1.0)
    dq, _, _ = layers.attention_backward(g, cache)
    f = lambdify(j.vjp_formula, j.variables)
    for row in range(3):
        assert bc.rel_error(dq[row], np.ravel(f(*z[row], *g[row]))) < 1e-12
