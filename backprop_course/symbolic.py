"""SymPy derivations that the chapters show and the tests reuse.

The course derives every gradient symbolically before it implements it. This
module keeps those derivations in one place, so that a chapter and a test derive
the *same* expression. For one sigmoid neuron with squared error,

.. math:: z = \\sum_i w_i x_i + b, \\qquad a = \\sigma(z), \\qquad L = \\tfrac12 (a - y)^2,

:func:`neuron` builds the expressions and the three chain-rule factors
:math:`\\partial L/\\partial a`, :math:`\\partial a/\\partial z` and
:math:`\\partial z/\\partial w_i`, and :func:`lambdify` turns any of them into a
NumPy function.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import sympy as sp

__all__ = ["sigmoid", "Neuron", "neuron", "lambdify", "partial", "LeastSquares", "least_squares"]


def sigmoid(z: sp.Expr) -> sp.Expr:
    """The logistic function :math:`\\sigma(z) = 1 / (1 + e^{-z})` as a SymPy expression."""
    return 1 / (1 + sp.exp(-z))


def partial(of: str, wrt: str) -> sp.Symbol:
    """A symbol that displays as :math:`\\partial` ``of`` / :math:`\\partial` ``wrt``.

    Used on the left of an equation shown in a notebook, e.g.
    ``sp.Eq(partial("L", "a"), n.dL_da)`` shows :math:`\\frac{\\partial L}{\\partial a} = a - y`.
    """
    return sp.Symbol(rf"\frac{{\partial {of}}}{{\partial {wrt}}}")


@dataclass(frozen=True)
class Neuron:
    """The symbolic one-neuron network of chapter 2.

    Attributes
    ----------
    w : tuple of sympy.Symbol
        The weights :math:`w_1, \\dots, w_n` (just ``w`` when n = 1).
    x : tuple of sympy.Symbol
        The inputs :math:`x_1, \\dots, x_n`.
    b, y : sympy.Symbol
        The bias and the target.
    z, a : sympy.Symbol
        Symbols standing for the pre-activation and the activation, used to state
        each chain-rule factor on its own.
    z_expr, a_expr, loss : sympy.Expr
        :math:`z = w \\cdot x + b`, :math:`a = \\sigma(z)` and :math:`L = \\frac12 (a - y)^2`,
        each written in terms of the symbols of the step before it.
    """

    w: tuple[sp.Symbol, ...]
    x: tuple[sp.Symbol, ...]
    b: sp.Symbol
    y: sp.Symbol
    z: sp.Symbol
    a: sp.Symbol
    z_expr: sp.Expr
    a_expr: sp.Expr
    loss: sp.Expr

    @property
    def loss_full(self) -> sp.Expr:
        """L written directly in w, x, b and y, the composition with nothing left abstract."""
        return self.loss.subs(self.a, self.a_expr).subs(self.z, self.z_expr)

    @property
    def dL_da(self) -> sp.Expr:  # noqa: N802 (the book's symbol)
        """:math:`\\partial L / \\partial a = a - y`."""
        return sp.diff(self.loss, self.a)

    @property
    def da_dz(self) -> sp.Expr:
        """:math:`\\partial a / \\partial z = \\sigma'(z)`, as an expression in z."""
        return sp.diff(self.a_expr, self.z)

    def dz_dw(self, i: int = 0) -> sp.Expr:
        """:math:`\\partial z / \\partial w_i = x_i`."""
        return sp.diff(self.z_expr, self.w[i])

    def chain_rule(self, i: int = 0) -> sp.Expr:
        """The product :math:`\\frac{\\partial L}{\\partial a}\\frac{\\partial a}{\\partial z}
        \\frac{\\partial z}{\\partial w_i}`, written in w, x, b, y."""
        product = self.dL_da * self.da_dz * self.dz_dw(i)
        return product.subs(self.a, self.a_expr).subs(self.z, self.z_expr)

    def gradient(self, wrt: sp.Symbol) -> sp.Expr:
        """:math:`\\partial L / \\partial` ``wrt`` by differentiating ``loss_full`` directly."""
        return sp.diff(self.loss_full, wrt)

    @property
    def parameters(self) -> tuple[sp.Symbol, ...]:
        """The weights then the bias, which training adjusts."""
        return (*self.w, self.b)

    @property
    def variables(self) -> tuple[sp.Symbol, ...]:
        """Every free symbol of ``loss_full``, in the order w, x, b, y."""
        return (*self.w, *self.x, self.b, self.y)


def neuron(n_inputs: int = 1) -> Neuron:
    """Build the symbolic sigmoid neuron with squared-error loss.

    Parameters
    ----------
    n_inputs : int, default 1
        How many inputs (and weights). With 1 the symbols are plain ``w`` and ``x``;
        with more they are ``w_1 ... w_n`` and ``x_1 ... x_n``.

    Returns
    -------
    Neuron
    """
    if isinstance(n_inputs, bool) or not isinstance(n_inputs, int) or n_inputs < 1:
        raise ValueError(f"n_inputs must be a positive int, got {n_inputs!r}")
    if n_inputs == 1:
        w: tuple[sp.Symbol, ...] = (sp.Symbol("w", real=True),)
        x: tuple[sp.Symbol, ...] = (sp.Symbol("x", real=True),)
    else:
        w = sp.symbols(f"w_1:{n_inputs + 1}", real=True)
        x = sp.symbols(f"x_1:{n_inputs + 1}", real=True)
    b, y, z, a = sp.symbols("b y z a", real=True)
    z_expr = sum((wi * xi for wi, xi in zip(w, x, strict=True)), sp.Integer(0)) + b
    return Neuron(
        w=w,
        x=x,
        b=b,
        y=y,
        z=z,
        a=a,
        z_expr=z_expr,
        a_expr=sigmoid(z),
        loss=sp.Rational(1, 2) * (a - y) ** 2,
    )


def lambdify(expr: sp.Expr, symbols: Sequence[sp.Symbol]) -> Callable[..., np.ndarray]:
    """Turn a SymPy expression into a NumPy function of ``symbols``, in that order.

    A thin wrapper of :func:`sympy.lambdify` with ``modules="numpy"``, so the
    result works elementwise on arrays.

    Examples
    --------
    >>> n = neuron()
    >>> f = lambdify(n.gradient(n.w[0]), n.variables)
    >>> round(float(f(0.5, 2.0, -1.0, 1.0)), 6)   # w, x, b, y
    -0.25
    """
    missing = expr.free_symbols - set(symbols)
    if missing:
        names = ", ".join(sorted(str(s) for s in missing))
        raise ValueError(f"the expression also depends on {names}; list it among the symbols")
    return sp.lambdify(list(symbols), expr, modules="numpy")


@dataclass(frozen=True)
class LeastSquares:
    """The symbolic least-squares loss of a linear model, chapter 1's running example.

    With N examples of D features, the model predicts
    :math:`\\hat y_i = \\sum_j x_{ij} w_j + b` and the loss is the mean squared error

    .. math:: L = \\frac1N \\sum_{i=1}^{N} (\\hat y_i - y_i)^2 .

    Attributes
    ----------
    w : tuple of sympy.Symbol
        The weights :math:`w_1, \\dots, w_D` (just ``w`` when D = 1).
    b : sympy.Symbol
        The bias.
    x : tuple of tuple of sympy.Symbol
        The inputs, N rows of D symbols: ``x[i][j]`` is feature j of example i,
        named :math:`x_i` when D = 1 and :math:`x_{i,j}` otherwise (1-based).
    y : tuple of sympy.Symbol
        The targets :math:`y_1, \\dots, y_N`.
    predictions : tuple of sympy.Expr
        :math:`\\hat y_1, \\dots, \\hat y_N`.
    loss : sympy.Expr
        The mean squared error :math:`L`.
    """

    w: tuple[sp.Symbol, ...]
    b: sp.Symbol
    x: tuple[tuple[sp.Symbol, ...], ...]
    y: tuple[sp.Symbol, ...]
    predictions: tuple[sp.Expr, ...]
    loss: sp.Expr

    @property
    def parameters(self) -> tuple[sp.Symbol, ...]:
        """The weights then the bias, which gradient descent adjusts."""
        return (*self.w, self.b)

    @property
    def inputs(self) -> tuple[sp.Symbol, ...]:
        """Every input symbol, row by row (example 1's features first)."""
        return tuple(s for row in self.x for s in row)

    @property
    def variables(self) -> tuple[sp.Symbol, ...]:
        """Every free symbol of ``loss``, in the order w, b, x (row by row), y."""
        return (*self.parameters, *self.inputs, *self.y)

    def gradient(self, wrt: sp.Symbol) -> sp.Expr:
        """:math:`\\partial L / \\partial` ``wrt``, for a weight, the bias, an input or a target."""
        return sp.diff(self.loss, wrt)

    def hessian(self) -> sp.Matrix:
        """The (D + 1) x (D + 1) matrix of second derivatives of L in (w, b).

        L is quadratic in the parameters, so the Hessian depends only on the
        inputs: it is :math:`\\frac2N \\tilde X^\\top \\tilde X`, where
        :math:`\\tilde X` is the input matrix with a column of ones appended.
        """
        return sp.hessian(self.loss, self.parameters)

    def data(self, x: np.ndarray, y: np.ndarray) -> dict[sp.Symbol, float]:
        """Substitutions that put numbers in for the data symbols.

        Parameters
        ----------
        x : array_like
            Shape (N, D), or (N,) when D = 1.
        y : array_like
            Shape (N,).

        Returns
        -------
        dict
            ``{symbol: value}`` for every input and target, for ``expr.subs(...)``.
        """
        n, d = len(self.x), len(self.w)
        x_arr = np.asarray(x, dtype=np.float64)
        y_arr = np.asarray(y, dtype=np.float64)
        if x_arr.ndim == 1 and d == 1:
            x_arr = x_arr[:, None]
        if x_arr.shape != (n, d) or y_arr.shape != (n,):
            raise ValueError(
                f"this loss has {n} examples of {d} features: x must have shape ({n}, {d}) "
                f"and y shape ({n},), got {x_arr.shape} and {y_arr.shape}"
            )
        values = dict(zip(self.inputs, (float(v) for v in x_arr.ravel()), strict=True))
        values.update(zip(self.y, (float(v) for v in y_arr), strict=True))
        return values


def least_squares(n_samples: int, n_features: int = 1) -> LeastSquares:
    """Build the mean squared error of a linear model on a symbolic data set.

    Parameters
    ----------
    n_samples : int
        N, how many examples (symbols :math:`x_1 \\dots x_N` and :math:`y_1 \\dots y_N`).
    n_features : int, default 1
        D, how many inputs each example has (and how many weights).

    Returns
    -------
    LeastSquares

    Examples
    --------
    >>> ls = least_squares(2)
    >>> ls.loss
    (b + w*x_1 - y_1)**2/2 + (b + w*x_2 - y_2)**2/2
    >>> ls.gradient(ls.b)
    2*b + w*x_1 + w*x_2 - y_1 - y_2
    >>> ls.hessian()
    Matrix([
    [x_1**2 + x_2**2, x_1 + x_2],
    [      x_1 + x_2,         2]])
    """
    for name, value in (("n_samples", n_samples), ("n_features", n_features)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{name} must be a positive int, got {value!r}")
    if n_features == 1:
        w: tuple[sp.Symbol, ...] = (sp.Symbol("w", real=True),)
        x = tuple((sp.Symbol(f"x_{i}", real=True),) for i in range(1, n_samples + 1))
    else:
        w = sp.symbols(f"w_1:{n_features + 1}", real=True)
        x = tuple(
            tuple(sp.Symbol(f"x_{{{i},{j}}}", real=True) for j in range(1, n_features + 1))
            for i in range(1, n_samples + 1)
        )
    b = sp.Symbol("b", real=True)
    y = sp.symbols(f"y_1:{n_samples + 1}", real=True)
    predictions = tuple(
        sum((xi * wi for xi, wi in zip(row, w, strict=True)), sp.Integer(0)) + b for row in x
    )
    loss = sp.Rational(1, n_samples) * sum(
        ((p - t) ** 2 for p, t in zip(predictions, y, strict=True)), sp.Integer(0)
    )
    return LeastSquares(w=w, b=b, x=x, y=y, predictions=predictions, loss=loss)


# ------------------------------------------------- losses (chapter 6)
def softmax(z: Sequence[sp.Expr]) -> tuple[sp.Expr, ...]:
    """The softmax :math:`p_k = e^{z_k} / \\sum_j e^{z_j}` of the logits ``z``, entry by entry.

    Examples
    --------
    >>> z = sp.symbols("z_1:3")
    >>> softmax(z)[0]
    exp(z_1)/(exp(z_1) + exp(z_2))
    """
    if len(z) == 0:
        raise ValueError("softmax needs at least one logit")
    exps = [sp.exp(zk) for zk in z]
    total = sum(exps, sp.Integer(0))
    return tuple(e / total for e in exps)


def cross_entropy(p: Sequence[sp.Expr], y: Sequence[sp.Expr]) -> sp.Expr:
    """The cross-entropy :math:`L = -\\sum_k y_k \\log p_k` of probabilities ``p``, target ``y``.

    With a one-hot target (:math:`y_c = 1` for the correct class c, 0 elsewhere)
    it is :math:`-\\log p_c`. ``p`` and ``y`` must have the same length.
    """
    if len(p) != len(y):
        raise ValueError(
            f"cross_entropy needs as many targets as probabilities, got {len(y)} and {len(p)}"
        )
    return -sum((yk * sp.log(pk) for pk, yk in zip(p, y, strict=True)), sp.Integer(0))


def binary_cross_entropy(a: sp.Expr, y: sp.Expr) -> sp.Expr:
    """The binary cross-entropy :math:`L = -y \\log a - (1 - y) \\log(1 - a)` of one output.

    ``a`` is the predicted probability of class 1 (typically :math:`\\sigma(z)`) and
    ``y`` the target, 0 or 1.
    """
    return -y * sp.log(a) - (1 - y) * sp.log(1 - a)


def mean_squared_error(a: Sequence[sp.Expr], y: Sequence[sp.Expr]) -> sp.Expr:
    """The mean squared error :math:`L = \\frac1n \\sum_i (a_i - y_i)^2` over every entry.

    The same definition as :func:`backprop_course.losses.mse` (no factor
    :math:`\\frac12`). ``a`` and ``y`` must have the same length.
    """
    if len(a) != len(y) or len(a) == 0:
        raise ValueError(
            f"mean_squared_error needs two non-empty sequences of the same length, "
            f"got {len(a)} and {len(y)}"
        )
    squares = sum(((ai - yi) ** 2 for ai, yi in zip(a, y, strict=True)), sp.Integer(0))
    return squares / len(a)


__all__ += ["softmax", "cross_entropy", "binary_cross_entropy", "mean_squared_error"]


# ------------------------------------------------------- chapter 5: dense networks
__all__ += ["DenseNetwork", "dense_network"]

_ACTIVATIONS: dict[str, Callable[[sp.Expr], sp.Expr]] = {
    "sigmoid": sigmoid,
    "tanh": sp.tanh,
    "identity": lambda z: z,
}


def _symbol_matrix(name: str, rows: int, cols: int, layer: int | None = None) -> sp.Matrix:
    """A (rows, cols) matrix of real symbols such as ``x_{2,1}`` or ``W^{1}_{12}``.

    With ``rows == 1`` the entries get a single index (``b^{1}_{2}``); batch-shaped
    matrices (x, y, z, a, δ) have "n,j" indices, weights the unseparated "ij".
    """
    sup = "" if layer is None else f"^{{{layer}}}"

    def entry(i: int, j: int) -> sp.Symbol:
        if name == "W":
            sub = f"{i + 1}{j + 1}"
        elif rows == 1:
            sub = f"{j + 1}"
        else:
            sub = f"{i + 1},{j + 1}"
        return sp.Symbol(f"{name}{sup}_{{{sub}}}", real=True)

    return sp.Matrix(rows, cols, entry)


def _mean_squared_error(output: sp.Matrix, target: sp.Matrix) -> sp.Expr:
    """The mean of (output - target)² over every entry, as ``layers.mse_forward``."""
    diff = output - target
    return sp.Rational(1, diff.rows * diff.cols) * sum(e**2 for e in diff)


@dataclass(frozen=True)
class DenseNetwork:
    """A small fully connected network written out in SymPy (chapter 5).

    Layer l = 1 .. L computes, for the whole batch at once (rows are examples),

    .. math:: z^l = a^{l-1} W^l + b^l, \\qquad a^l = \\sigma_l(z^l), \\qquad a^0 = x,

    and the loss is the mean squared error over every entry of the output, as
    :func:`backprop_course.layers.dense.mse_forward` computes it:
    :math:`L = \\frac{1}{N D_L} \\sum_{n,k} (a^L_{n,k} - y_{n,k})^2`.

    Layers are numbered from 1 as in the book: ``net.W(1)`` is the first weight
    matrix, ``net.a(0)`` is the input ``x``.

    Attributes
    ----------
    sizes : tuple of int
        :math:`(D_0, D_1, \\dots, D_L)`, the width of every layer, input first.
    activations : tuple of str
        The activation of each layer 1 .. L: ``"sigmoid"``, ``"tanh"`` or ``"identity"``.
    x, y : sympy.Matrix
        The inputs (N, D_0) and the targets (N, D_L), one symbol per entry.
    weights, biases : tuple of sympy.Matrix
        :math:`W^l` (D_{l-1}, D_l) and :math:`b^l` (1, D_l), one symbol per entry.
    zs, outputs : tuple of sympy.Matrix
        :math:`z^l` and :math:`a^l` for l = 1 .. L, written out in x, W and b.
    loss : sympy.Expr
        L written out in x, y, W and b: nothing is left abstract.
    """

    sizes: tuple[int, ...]
    activations: tuple[str, ...]
    x: sp.Matrix
    y: sp.Matrix
    weights: tuple[sp.Matrix, ...]
    biases: tuple[sp.Matrix, ...]
    zs: tuple[sp.Matrix, ...]
    outputs: tuple[sp.Matrix, ...]
    loss: sp.Expr

    @property
    def n_layers(self) -> int:
        """L, the number of layers with weights."""
        return len(self.weights)

    @property
    def n_samples(self) -> int:
        """N, the number of examples in the batch."""
        return self.x.rows

    def _layer(self, layer: int, lowest: int = 1) -> int:
        if not isinstance(layer, int) or isinstance(layer, bool) or not (
            lowest <= layer <= self.n_layers
        ):
            raise ValueError(
                f"layer must be an int from {lowest} to {self.n_layers}, got {layer!r}"
            )
        return layer

    def W(self, layer: int) -> sp.Matrix:  # noqa: N802 (the book's symbol)
        """:math:`W^l`, shape (D_{l-1}, D_l)."""
        return self.weights[self._layer(layer) - 1]

    def b(self, layer: int) -> sp.Matrix:
        """:math:`b^l` as a row, shape (1, D_l)."""
        return self.biases[self._layer(layer) - 1]

    def z(self, layer: int) -> sp.Matrix:
        """:math:`z^l`, shape (N, D_l), written out in x, W and b."""
        return self.zs[self._layer(layer) - 1]

    def a(self, layer: int) -> sp.Matrix:
        """:math:`a^l`, shape (N, D_l); ``a(0)`` is the input x."""
        return self.x if self._layer(layer, lowest=0) == 0 else self.outputs[layer - 1]

    def dense(self, layer: int, a_prev: sp.Matrix) -> sp.Matrix:
        """Layer l's affine map of any (N, D_{l-1}) matrix: ``a_prev @ W^l + b^l``.

        The bias row is added to every row, as NumPy's broadcasting does.
        """
        return a_prev * self.W(layer) + sp.ones(a_prev.rows, 1) * self.b(layer)

    def sigma(self, layer: int, z: sp.Matrix) -> sp.Matrix:
        """Layer l's activation applied to every entry of ``z``."""
        return z.applyfunc(_ACTIVATIONS[self.activations[self._layer(layer) - 1]])

    def sigma_prime(self, layer: int, z: sp.Matrix) -> sp.Matrix:
        """The derivative of layer l's activation at every entry of ``z``, as SymPy finds it.

        For the sigmoid that is :math:`e^{-z} / (1 + e^{-z})^2`, which equals
        :math:`\\sigma(z)(1 - \\sigma(z))`.
        """
        t = sp.Dummy("t", real=True)
        derivative = sp.diff(_ACTIVATIONS[self.activations[self._layer(layer) - 1]](t), t)
        return z.applyfunc(lambda entry: derivative.xreplace({t: entry}))

    def loss_of(self, output: sp.Matrix) -> sp.Expr:
        """The loss as a function of any (N, D_L) output matrix: mean of (output - y)²."""
        if output.shape != self.y.shape:
            raise ValueError(f"output must have shape {self.y.shape}, got {output.shape}")
        return _mean_squared_error(output, self.y)

    def symbols(self, name: str, layer: int) -> sp.Matrix:
        """Fresh symbols of layer l's batch shape (N, D_l), e.g. ``name="z"`` gives
        :math:`z^l_{n,j}`: stand-ins for quantities that the text treats as variables."""
        width = self.sizes[self._layer(layer, lowest=0)]
        return _symbol_matrix(name, self.n_samples, width, layer)

    def loss_from_z(self, layer: int) -> tuple[sp.Matrix, sp.Expr]:
        """The loss as a function of layer l's pre-activation, held as symbols.

        Returns
        -------
        Z : sympy.Matrix
            Symbols :math:`z^l_{n,j}`, shape (N, D_l).
        loss : sympy.Expr
            L computed from Z through layers l .. L (their W, b and y stay symbols),
            so that :math:`\\delta^l = \\partial L / \\partial z^l` is ``diff(loss, Z[n, j])``.
        """
        Z = self.symbols("z", layer)
        a = self.sigma(layer, Z)
        for k in range(layer + 1, self.n_layers + 1):
            a = self.sigma(k, self.dense(k, a))
        return Z, self.loss_of(a)

    def gradient(self, wrt: sp.Matrix) -> sp.Matrix:
        """:math:`\\partial L / \\partial` ``wrt`` entry by entry, from the written-out loss.

        ``wrt`` is a matrix of symbols (``net.W(1)``, ``net.b(2)``, ``net.x``, ...);
        the result has its shape.
        """
        return wrt.applyfunc(lambda s: sp.diff(self.loss, s))

    @property
    def parameters(self) -> tuple[sp.Symbol, ...]:
        """Every weight and bias symbol, in the order W^1 (row by row), b^1, W^2, b^2, ..."""
        out: list[sp.Symbol] = []
        for W, b in zip(self.weights, self.biases, strict=True):
            out += [*W, *b]
        return tuple(out)

    @property
    def variables(self) -> tuple[sp.Symbol, ...]:
        """Every free symbol of ``loss``: the parameters, then x and y row by row."""
        return (*self.parameters, *self.x, *self.y)

    def arguments(
        self,
        weights: Sequence[np.ndarray],
        biases: Sequence[np.ndarray],
        x: np.ndarray,
        y: np.ndarray,
    ) -> list[float]:
        """Numbers for :attr:`variables`, in its order, to call a function made by :func:`lambdify`.

        Parameters
        ----------
        weights, biases : sequence of numpy.ndarray
            :math:`W^1, \\dots, W^L` (each (D_{l-1}, D_l)) and :math:`b^1, \\dots, b^L`
            (each (D_l,)).
        x, y : numpy.ndarray
            The batch, (N, D_0) and (N, D_L).

        Raises
        ------
        ValueError
            If an array does not have the shape of the symbols it stands for.
        """
        if len(weights) != self.n_layers or len(biases) != self.n_layers:
            raise ValueError(
                f"expected {self.n_layers} weight matrices and {self.n_layers} biases, "
                f"got {len(weights)} and {len(biases)}"
            )
        named = []
        for layer, (W, b) in enumerate(zip(weights, biases, strict=True), start=1):
            named += [(f"W{layer}", W, self.W(layer).shape), (f"b{layer}", b, (self.sizes[layer],))]
        named += [("x", x, self.x.shape), ("y", y, self.y.shape)]
        values: list[float] = []
        for name, value, shape in named:
            arr = np.asarray(value, dtype=np.float64)
            if arr.shape != shape:
                raise ValueError(f"{name} must have shape {shape}, got {arr.shape}")
            values += arr.reshape(-1).tolist()
        return values


def dense_network(
    sizes: Sequence[int],
    activation: str | Sequence[str] = "sigmoid",
    n_samples: int = 1,
) -> DenseNetwork:
    """Build a fully connected network and its mean-squared-error loss in SymPy.

    Parameters
    ----------
    sizes : sequence of int
        :math:`(D_0, D_1, \\dots, D_L)`: the input width, then the width of each layer.
        ``(2, 3, 2)`` is two inputs, three hidden units and two outputs.
    activation : str or sequence of str, default "sigmoid"
        ``"sigmoid"``, ``"tanh"`` or ``"identity"``: one name for every layer, or one
        name per layer (e.g. ``("sigmoid", "identity")`` for a linear output layer).
    n_samples : int, default 1
        N, the number of examples in the symbolic batch. Keep it small: the
        written-out loss grows with N times the number of weights.

    Returns
    -------
    DenseNetwork

    Examples
    --------
    >>> net = dense_network((2, 3, 2))
    >>> net.W(1).shape, net.b(1).shape, net.z(2).shape
    ((2, 3), (1, 3), (1, 2))
    >>> net.z(1)[0, 0]
    W^{1}_{11}*x_{1} + W^{1}_{21}*x_{2} + b^{1}_{1}
    """
    sizes = tuple(sizes)
    if len(sizes) < 2 or any(
        isinstance(s, bool) or not isinstance(s, int) or s < 1 for s in sizes
    ):
        raise ValueError(
            f"sizes must be at least two positive ints (inputs, then each layer), got {sizes!r}"
        )
    if isinstance(n_samples, bool) or not isinstance(n_samples, int) or n_samples < 1:
        raise ValueError(f"n_samples must be a positive int, got {n_samples!r}")
    n_layers = len(sizes) - 1
    names = (activation,) * n_layers if isinstance(activation, str) else tuple(activation)
    if len(names) != n_layers:
        raise ValueError(f"{n_layers} layers need {n_layers} activations, got {len(names)}")
    unknown = [name for name in names if name not in _ACTIVATIONS]
    if unknown:
        raise ValueError(
            f"unknown activation {unknown[0]!r}; choose from {', '.join(_ACTIVATIONS)}"
        )
    x = _symbol_matrix("x", n_samples, sizes[0])
    y = _symbol_matrix("y", n_samples, sizes[-1])
    weights = tuple(
        _symbol_matrix("W", sizes[k - 1], sizes[k], k) for k in range(1, n_layers + 1)
    )
    biases = tuple(_symbol_matrix("b", 1, sizes[k], k) for k in range(1, n_layers + 1))
    ones = sp.ones(n_samples, 1)
    zs, outputs, a = [], [], x
    for W, b, name in zip(weights, biases, names, strict=True):
        z = a * W + ones * b
        a = z.applyfunc(_ACTIVATIONS[name])
        zs.append(z)
        outputs.append(a)
    return DenseNetwork(
        sizes=sizes,
        activations=names,
        x=x,
        y=y,
        weights=weights,
        biases=biases,
        zs=tuple(zs),
        outputs=tuple(outputs),
        loss=_mean_squared_error(a, y),
    )
