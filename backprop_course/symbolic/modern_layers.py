"""Chapter 14's derivations in SymPy: one LSTM step, layer normalisation, and a row of the
softmax Jacobian (the heart of attention's backward pass).

Each function builds the forward expressions from symbols and differentiates the surrogate
loss :math:`L = \\sum g \\cdot \\text{out}`, whose gradient with respect to the output is the
symbolic upstream gradient :math:`g`: its derivatives are exactly what a backward pass must
return. The chapter and the tests evaluate them with :func:`~.helpers.lambdify` and compare
them with the layer pairs of :mod:`backprop_course.layers`.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from ..checks import positive_int
from .helpers import sigmoid

__all__ = ["lstm_step", "layer_norm", "softmax_jacobian"]


def _row(name: str, n: int) -> tuple[sp.Symbol, ...]:
    """n real symbols ``name_1 .. name_n`` (one symbol ``name`` when n = 1)."""
    if n == 1:
        return (sp.Symbol(name, real=True),)
    return tuple(sp.symbols(f"{name}_1:{n + 1}", real=True))


@dataclass(frozen=True)
class LSTMStep:
    """One LSTM step in SymPy (:func:`lstm_step`). Gates in the order i, f, o, g.

    ``x`` (D), ``h_prev``, ``c_prev`` (H), ``Wx`` (D x 4H), ``Wh`` (H x 4H), ``b`` (4H) are
    symbols (``h'`` and ``c'`` stand for :math:`h_{t-1}` and :math:`c_{t-1}`); ``dh``, ``dc``
    (H) the gradients arriving from above, :math:`G^h = \\partial L/\\partial h_t` and
    :math:`G^c = \\partial L/\\partial c_t` (symbols ``G^h``, ``G^c``); ``gates`` the four
    gates' expressions (each a tuple of H); ``h``, ``c`` the new states; ``loss`` the
    surrogate :math:`L = \\sum_k G^h_k h_k + G^c_k c_k`.
    """

    x: tuple
    h_prev: tuple
    c_prev: tuple
    Wx: sp.Matrix
    Wh: sp.Matrix
    b: tuple
    dh: tuple
    dc: tuple
    gates: dict
    c: tuple
    h: tuple
    loss: sp.Expr

    @property
    def variables(self) -> list[sp.Symbol]:
        """Every symbol, in the order of ``lstm_step_forward``'s arguments, then dh and dc."""
        return [*self.x, *self.h_prev, *self.c_prev, *self.Wx, *self.Wh, *self.b, *self.dh,
                *self.dc]

    def gradient(self, symbols: tuple | sp.Matrix) -> sp.Matrix:
        """dL/d(each of ``symbols``), in their order (a Matrix's entries row by row)."""
        return sp.Matrix([sp.diff(self.loss, s) for s in symbols])


def lstm_step(D: int = 1, H: int = 1) -> LSTMStep:
    """One LSTM step with D inputs and H units, from symbols, and its surrogate loss.

    :math:`a = x W_x + h_{t-1} W_h + b`; :math:`i, f, o = \\sigma(a_i), \\sigma(a_f),
    \\sigma(a_o)`; :math:`g = \\tanh a_g`; :math:`c_t = f c_{t-1} + i g`;
    :math:`h_t = o \\tanh c_t`.

    Raises ValueError if D or H is not a positive int.
    """
    D, H = positive_int(D, "D", "lstm_step"), positive_int(H, "H", "lstm_step")
    x, h_prev, c_prev = _row("x", D), _row("h'", H), _row("c'", H)
    Wx = sp.Matrix(D, 4 * H, lambda r, k: sp.Symbol(f"W^x_{{{r + 1},{k + 1}}}", real=True))
    Wh = sp.Matrix(H, 4 * H, lambda r, k: sp.Symbol(f"W^h_{{{r + 1},{k + 1}}}", real=True))
    b = tuple(sp.symbols(f"b_1:{4 * H + 1}", real=True))
    a = sp.Matrix([x]) * Wx + sp.Matrix([h_prev]) * Wh + sp.Matrix([b])
    block = {name: [a[k * H + j] for j in range(H)] for k, name in enumerate("ifog")}
    gates = {name: tuple(sigmoid(v) for v in block[name]) for name in "ifo"}
    gates["g"] = tuple(sp.tanh(v) for v in block["g"])
    c = tuple(gates["f"][j] * c_prev[j] + gates["i"][j] * gates["g"][j] for j in range(H))
    h = tuple(gates["o"][j] * sp.tanh(c[j]) for j in range(H))
    dh, dc = _row("G^h", H), _row("G^c", H)  # the gradients arriving from above
    loss = sum((dh[j] * h[j] + dc[j] * c[j] for j in range(H)), sp.Integer(0))
    return LSTMStep(x, h_prev, c_prev, Wx, Wh, b, dh, dc, gates, c, h, loss)


@dataclass(frozen=True)
class LayerNorm:
    """Layer normalisation of one example in SymPy (:func:`layer_norm`).

    ``x``, ``gamma``, ``beta``, ``g`` (the upstream :math:`g'_d = \\partial L/\\partial y_d`,
    symbols ``g'_1`` ...) are D symbols each; ``eps`` the constant; ``x_hat`` and ``y`` the
    expressions; ``loss`` :math:`\\sum_d g'_d y_d`; ``dx`` SymPy's derivative of ``loss`` by
    each :math:`x_d`, from the definition; and ``formula`` the short form
    :math:`(D g - \\sum g - \\hat x \\sum g \\hat x) / (D \\sqrt{\\mathrm{var} + \\mathtt{eps}})`
    with :math:`g = \\gamma g'` (the letters of §12.7).
    """

    x: tuple
    gamma: tuple
    beta: tuple
    g: tuple
    eps: sp.Symbol
    x_hat: tuple
    y: tuple
    loss: sp.Expr
    dx: tuple
    formula: tuple

    @property
    def variables(self) -> list[sp.Symbol]:
        """x, gamma, beta, g, eps: the arguments of a lambdified ``dx`` or ``formula``."""
        return [*self.x, *self.gamma, *self.beta, *self.g, self.eps]


def layer_norm(D: int = 3) -> LayerNorm:
    """Layer normalisation of one example of D features, its derivative and the short formula.

    Raises ValueError if D is not a positive int.
    """
    D = positive_int(D, "D", "layer_norm")
    x, gamma, beta, g = _row("x", D), _row("gamma", D), _row("beta", D), _row("g'", D)
    eps = sp.Symbol("epsilon", positive=True)
    mu = sum(x, sp.Integer(0)) / D
    var = sum(((v - mu) ** 2 for v in x), sp.Integer(0)) / D
    x_hat = tuple((v - mu) / sp.sqrt(var + eps) for v in x)
    y = tuple(gm * v + bt for gm, v, bt in zip(gamma, x_hat, beta, strict=True))
    loss = sum((gd * yd for gd, yd in zip(g, y, strict=True)), sp.Integer(0))
    dx = tuple(sp.diff(loss, v) for v in x)
    gg = [gm * gd for gm, gd in zip(gamma, g, strict=True)]  # dL/dx_hat
    along = sum((a * v for a, v in zip(gg, x_hat, strict=True)), sp.Integer(0))
    formula = tuple((D * gg[d] - sum(gg, sp.Integer(0)) - x_hat[d] * along)
                    / (D * sp.sqrt(var + eps)) for d in range(D))
    return LayerNorm(x, gamma, beta, g, eps, x_hat, y, loss, dx, formula)


@dataclass(frozen=True)
class SoftmaxJacobian:
    """The softmax of one row of n scores and its Jacobian (:func:`softmax_jacobian`).

    ``z`` and ``g`` (the upstream dL/dp) are n symbols; ``p`` the softmax; ``jacobian`` the
    n x n Matrix :math:`\\partial p_i/\\partial z_j` from ``sp.diff``; ``closed_form``
    :math:`\\operatorname{diag}(p) - p p^\\top`; ``vjp`` the row's backward pass
    :math:`J^\\top g` from the derived Jacobian, and ``vjp_formula``
    :math:`p \\odot (g - p \\cdot g)`, what attention's backward pass computes.
    """

    z: tuple
    g: tuple
    p: tuple
    jacobian: sp.Matrix
    closed_form: sp.Matrix
    vjp: sp.Matrix
    vjp_formula: sp.Matrix

    @property
    def variables(self) -> list[sp.Symbol]:
        """z then g."""
        return [*self.z, *self.g]


def softmax_jacobian(n: int = 3) -> SoftmaxJacobian:
    """The softmax of n scores, its Jacobian derived by SymPy, and its closed form.

    Raises ValueError if n is not a positive int.
    """
    n = positive_int(n, "n", "softmax_jacobian")
    z, g = _row("z", n), _row("g", n)
    exps = [sp.exp(v) for v in z]
    total = sum(exps, sp.Integer(0))
    p = tuple(e / total for e in exps)
    jacobian = sp.Matrix(n, n, lambda i, j: sp.diff(p[i], z[j]))
    pm = sp.Matrix(p)
    closed = sp.diag(*p) - pm * pm.T
    gm = sp.Matrix(g)
    vjp = jacobian.T * gm
    p_dot_g = (pm.T * gm)[0]
    formula = sp.Matrix([p[i] * (g[i] - p_dot_g) for i in range(n)])
    return SoftmaxJacobian(z, g, p, jacobian, closed, vjp, formula)
