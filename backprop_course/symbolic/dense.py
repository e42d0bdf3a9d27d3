"""A small fully connected network written out in SymPy, batch first, with its
mean-squared-error loss (:func:`dense_network`).

Used by chapter 5.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import sympy as sp

from ..checks import positive_int, real_array
from ._common import _name
from .helpers import sigmoid

__all__ = ["DenseNetwork", "dense_network"]


def _matrix(value: object, what: str) -> sp.Matrix:
    """A SymPy Matrix, or a 2-D array or list of rows made into one; TypeError otherwise."""
    if isinstance(value, sp.MatrixBase):
        return value
    rows = isinstance(value, list | tuple) and value and all(
        isinstance(r, list | tuple) for r in value
    )
    if isinstance(value, np.ndarray) and value.ndim == 2 or rows:
        return sp.Matrix(value)
    raise TypeError(
        f"{what} must be a SymPy Matrix (or a 2-D array), got {type(value).__name__} "
        f"{str(value)[:40]}"
    )


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

    def __post_init__(self) -> None:
        """Build it with :func:`dense_network`; built by hand, the fields must fit together."""
        if not isinstance(self.sizes, tuple) or len(self.sizes) < 2:
            raise ValueError(f"DenseNetwork: sizes must be a tuple of at least two ints, "
                             f"got {self.sizes!r}")
        n_layers = len(self.sizes) - 1
        for name in ("activations", "weights", "biases", "zs", "outputs"):
            value = getattr(self, name)
            if not isinstance(value, tuple) or len(value) != n_layers:
                raise ValueError(
                    f"DenseNetwork: {name} must be a tuple of {n_layers} entries (one per "
                    f"layer), got {value!r}"
                )
        unknown = [a for a in self.activations if a not in _ACTIVATIONS]
        if unknown:
            raise ValueError(f"DenseNetwork: unknown activation {unknown[0]!r}; choose from "
                             f"{', '.join(_ACTIVATIONS)}")
        matrices = {"x": self.x, "y": self.y}
        matrices.update({f"weights[{k}]": W for k, W in enumerate(self.weights)})
        matrices.update({f"biases[{k}]": b for k, b in enumerate(self.biases)})
        for name, value in matrices.items():
            if not isinstance(value, sp.MatrixBase):
                raise TypeError(f"DenseNetwork: {name} must be a SymPy Matrix, got {value!r}")

    @property
    def n_layers(self) -> int:
        """L, the number of layers with weights."""
        return len(self.weights)

    @property
    def n_samples(self) -> int:
        """N, the number of examples in the batch."""
        return self.x.rows

    def _layer(self, layer: int, lowest: int = 1) -> int:
        if not isinstance(layer, numbers.Integral) or isinstance(layer, bool) or not (
            lowest <= layer <= self.n_layers
        ):
            raise ValueError(
                f"layer must be an int from {lowest} to {self.n_layers}, got {layer!r}"
            )
        return int(layer)

    def _batch(self, value: object, layer: int, what: str) -> sp.Matrix:
        """A matrix of layer ``layer``'s batch shape (N, D_layer), or a clear error."""
        m = _matrix(value, what)
        shape = (self.n_samples, self.sizes[layer])
        if m.shape != shape:
            raise ValueError(f"{what} must have shape {shape}, got {m.shape}")
        return m

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

        Raises
        ------
        TypeError
            If ``a_prev`` is not a SymPy Matrix (or a 2-D array).
        ValueError
            If ``a_prev`` does not have D_{l-1} columns, or ``layer`` is not a layer.
        """
        width = self.sizes[self._layer(layer) - 1]
        a_prev = _matrix(a_prev, "DenseNetwork.dense: a_prev")
        if a_prev.cols != width:
            raise ValueError(
                f"DenseNetwork.dense: layer {layer} takes a_prev with {width} columns "
                f"(N, {width}), got shape {a_prev.shape}"
            )
        return a_prev * self.W(layer) + sp.ones(a_prev.rows, 1) * self.b(layer)

    def sigma(self, layer: int, z: sp.Matrix) -> sp.Matrix:
        """Layer l's activation applied to every entry of ``z`` (a Matrix of any shape)."""
        z = _matrix(z, "DenseNetwork.sigma: z")
        return z.applyfunc(_ACTIVATIONS[self.activations[self._layer(layer) - 1]])

    def sigma_prime(self, layer: int, z: sp.Matrix) -> sp.Matrix:
        """The derivative of layer l's activation at every entry of ``z``, as SymPy finds it.

        For the sigmoid that is :math:`e^{-z} / (1 + e^{-z})^2`, which equals
        :math:`\\sigma(z)(1 - \\sigma(z))`.
        """
        z = _matrix(z, "DenseNetwork.sigma_prime: z")
        t = sp.Dummy("t", real=True)
        derivative = sp.diff(_ACTIVATIONS[self.activations[self._layer(layer) - 1]](t), t)
        return z.applyfunc(lambda entry: derivative.xreplace({t: entry}))

    def loss_of(self, output: sp.Matrix) -> sp.Expr:
        """The loss as a function of any (N, D_L) output matrix: mean of (output - y)²."""
        output = _matrix(output, "DenseNetwork.loss_of: output")
        if output.shape != self.y.shape:
            raise ValueError(f"output must have shape {self.y.shape}, got {output.shape}")
        return _mean_squared_error(output, self.y)

    def symbols(self, name: str, layer: int) -> sp.Matrix:
        """Fresh symbols of layer l's batch shape (N, D_l), e.g. ``name="z"`` gives
        :math:`z^l_{n,j}`: stand-ins for quantities that the text treats as variables."""
        name = _name(name, "DenseNetwork.symbols: name")
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

        Raises
        ------
        TypeError
            If ``wrt`` is not a Matrix (for one symbol ``s``: ``sp.diff(net.loss, s)``).
        ValueError
            If an entry is not one of :attr:`variables` (a symbol made anew with the same
            name is another symbol; its derivative would be 0).
        """
        if not isinstance(wrt, sp.MatrixBase):
            raise TypeError(
                f"DenseNetwork.gradient: wrt must be a Matrix of the network's symbols "
                f"(net.W(1), net.b(1), net.x), got {type(wrt).__name__} {str(wrt)[:40]}; "
                "for one symbol s use sp.diff(net.loss, s)"
            )
        own = set(self.variables)
        for (i, j), s in np.ndenumerate(np.array(wrt.tolist(), dtype=object)):
            if s not in own:
                raise ValueError(
                    f"DenseNetwork.gradient: wrt[{i}, {j}] = {s} is not a symbol of this network "
                    "(a symbol of the same name made anew has other assumptions): take the "
                    "matrices from the network, e.g. net.W(1)"
                )
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
        TypeError
            If ``weights`` or ``biases`` is not a list or tuple of arrays, or an array is
            not real numbers.
        ValueError
            If an array does not have the shape of the symbols it stands for, or holds NaN
            or infinite values.
        """
        for name, seq in (("weights", weights), ("biases", biases)):
            if not isinstance(seq, list | tuple):
                raise TypeError(
                    f"DenseNetwork.arguments: {name} must be a list of {self.n_layers} arrays "
                    f"(one per layer), got {type(seq).__name__}"
                )
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
            arr = real_array(value, name, "DenseNetwork.arguments", float64=True)
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

    Raises
    ------
    TypeError
        If ``sizes`` is not a sequence of ints, or ``activation`` is neither a name nor a
        sequence of names.
    ValueError
        If there are fewer than two sizes, a size or ``n_samples`` is not a positive int,
        an activation is unknown, or there is not one activation per layer.

    Examples
    --------
    >>> net = dense_network((2, 3, 2))
    >>> net.W(1).shape, net.b(1).shape, net.z(2).shape
    ((2, 3), (1, 3), (1, 2))
    >>> net.z(1)[0, 0]
    W^{1}_{11}*x_{1} + W^{1}_{21}*x_{2} + b^{1}_{1}
    """
    sizes = _checked_sizes(sizes)
    n_samples = positive_int(n_samples, "n_samples")
    n_layers = len(sizes) - 1
    names = _checked_activations(activation, n_layers)
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


def _checked_sizes(sizes: object) -> tuple[int, ...]:
    """:func:`dense_network`'s sizes: a sequence of at least two positive ints."""
    if isinstance(sizes, str) or not isinstance(sizes, Sequence | np.ndarray):
        raise TypeError(
            f"dense_network: sizes must be a sequence of ints such as (2, 3, 1), got "
            f"{type(sizes).__name__} {sizes!r}"
        )
    sizes = tuple(sizes)
    if len(sizes) < 2 or any(
        isinstance(s, bool) or not isinstance(s, numbers.Integral) or s < 1 for s in sizes
    ):
        raise ValueError(
            f"sizes must be at least two positive ints (inputs, then each layer), got {sizes!r}"
        )
    return tuple(int(s) for s in sizes)


def _checked_activations(activation: object, n_layers: int) -> tuple[str, ...]:
    """:func:`dense_network`'s activation as one known name per layer."""
    if isinstance(activation, str):
        names = (activation,) * n_layers
    elif isinstance(activation, Sequence) and all(isinstance(a, str) for a in activation):
        names = tuple(activation)
    else:
        raise TypeError(
            f"dense_network: activation must be a name ({', '.join(_ACTIVATIONS)}) or a "
            f"sequence of names, one per layer, got {activation!r}"
        )
    if len(names) != n_layers:
        raise ValueError(f"{n_layers} layers need {n_layers} activations, got {len(names)}")
    unknown = [name for name in names if name not in _ACTIVATIONS]
    if unknown:
        raise ValueError(
            f"unknown activation {unknown[0]!r}; choose from {', '.join(_ACTIVATIONS)}"
        )
    return names
