"""Neural-network modules on :class:`~backprop_course.tensor.Tensor`, shaped like PyTorch's.

``Module`` gives ``parameters()``, ``zero_grad()`` and ``__call__``; ``Linear``,
``Sequential`` and ``MLP`` are built from it. The names are PyTorch's so that
moving on is free; the machinery is the course's own and small enough to read:

>>> import numpy as np, backprop_course as bc
>>> model = bc.nn.MLP([2, 8, 3], activation="tanh", rng=0)
>>> logits = model(np.zeros((5, 2)))
>>> logits.shape
(5, 3)

One difference from PyTorch: ``Linear.W`` has shape ``(in_features, out_features)``
and a layer computes ``x @ W + b``, as the book writes it (PyTorch stores the
transpose).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import numpy as np

from . import init as initialisers
from .checks import choice as _choice
from .checks import describe as _describe
from .checks import flag as _flag
from .checks import int_at_least as _int_at_least
from .graph import rule
from .tensor import Tensor, as_tensor

__all__ = ["Module", "linear", "Linear", "ReLU", "Tanh", "Sigmoid", "Sequential", "MLP"]
# and chapter 14's modules, defined in nn_blocks and nn_attention (imported at the end):
__all__ += ["Dropout", "LayerNorm", "Embedding", "LSTM"]
__all__ += ["MultiHeadAttention", "TransformerBlock", "CharTransformer"]


def _as_tensors(x: Any, W: Any, b: Any) -> tuple[Tensor, Tensor, Tensor | None]:
    """linear's operands as Tensors (one call on the common path: all of them already are)."""
    if type(x) is Tensor and type(W) is Tensor and (b is None or type(b) is Tensor):
        return x, W, b
    return (
        as_tensor(x, "linear", "x"),
        as_tensor(W, "linear", "W"),
        None if b is None else as_tensor(b, "linear", "b"),
    )


def linear(x: Tensor | np.ndarray, W: Tensor, b: Tensor | None = None) -> Tensor:
    """``x @ W + b`` as one node of the graph, with the dense layer's three backward equations.

    It gives the same values and gradients as ``x @ W + b`` built from two
    operations, with one node instead of two and no broadcasting to undo
    (chapter 8 checks this to 1e-12).

    Parameters
    ----------
    x : Tensor or array, shape (N, D_in) or (D_in,)
    W : Tensor, shape (D_in, D_out)
    b : Tensor, shape (D_out,), optional

    An array given for ``W`` or ``b`` is a constant (it gets no gradient). Raises
    TypeError for an input that is not real numbers and ValueError for shapes that do
    not fit (no broadcasting of the bias) or NaN or inf.
    """
    x, W, b = _as_tensors(x, W, b)  # arrays become constants
    xd, Wd = x.data, W.data
    if xd.ndim not in (1, 2) or Wd.ndim != 2:
        raise ValueError(
            f"linear needs x (N, D_in) or (D_in,) and W (D_in, D_out); got x {x.shape}, W {W.shape}"
        )
    if xd.shape[-1] != Wd.shape[0]:
        raise ValueError(
            f"linear: cannot multiply {x.shape} @ {W.shape}: inner dimensions {xd.shape[-1]} "
            f"and {Wd.shape[0]} differ"
        )
    z = xd @ Wd
    if b is not None:
        if b.shape != (Wd.shape[1],):
            raise ValueError(f"linear: bias has shape {b.shape}, expected ({Wd.shape[1]},)")
        z += b.data
    prev = (x, W) if b is None else (x, W, b)
    needs = (W,) * x.requires_grad + (x,) * W.requires_grad  # dx = g W^T, dW = x^T g
    out = Tensor.from_op(z, prev, "linear", saved=needs)
    if out.requires_grad:

        def _backward(grad: np.ndarray) -> None:  # grad = dL/dz = delta
            # each result below is a new array: owned=True spares a copy
            if x.requires_grad:
                x.accumulate_grad(grad @ Wd.T, owned=True)  # dx = delta W^T
            if W.requires_grad:
                dW = np.outer(xd, grad) if xd.ndim == 1 else xd.T @ grad  # dW = x^T delta
                W.accumulate_grad(dW, owned=True)
            if b is not None and b.requires_grad:
                if grad.ndim == 1:
                    b.accumulate_grad(grad)
                else:
                    b.accumulate_grad(grad.sum(axis=0), owned=True)  # db = sum of delta

        out._backward = _backward
    return out



@rule("linear")
def _linear_rule(out: Tensor, g: Tensor) -> tuple:
    x, W, *b = out._prev  # z = x W + b
    dx = g @ W.T if x.requires_grad else None
    dW = None
    if W.requires_grad:
        dW = x.reshape(-1, 1) @ g.reshape(1, -1) if x.ndim == 1 else x.T @ g
    return (dx, dW, *[g if g.ndim == 1 else g.sum(axis=0) for _ in b])


class Module:
    """Base class: a callable with parameters.

    Subclasses set their parameters (Tensors with ``requires_grad=True``) and
    sub-modules as attributes and define ``forward``. ``parameters()`` finds them
    all, in the order they were assigned.

    Like PyTorch's modules, a module is in training mode (``training`` is True) until
    ``eval()`` switches it, and every module inside it, to evaluation mode; ``train()``
    switches them back. Only modules whose forward pass differs between the two (dropout,
    chapter 14) look at the flag.
    """

    training: bool = True

    def modules(self) -> list[Module]:
        """This module and every module it holds (in attributes, lists and tuples), each once."""
        found: list[Module] = []
        seen: set[int] = set()
        stack: list[Any] = [self]
        while stack:
            obj = stack.pop()
            if isinstance(obj, Module):
                if id(obj) not in seen:
                    seen.add(id(obj))
                    found.append(obj)
                    stack.extend(reversed(list(vars(obj).values())))
            elif isinstance(obj, list | tuple):
                stack.extend(reversed(obj))
        return found

    def train(self, mode: bool = True) -> Module:
        """Training mode (``mode=True``) or evaluation mode, for this module and all inside it.

        Returns the module, so that ``model = MLP(...).eval()`` works.
        """
        mode = _flag(mode, f"{type(self).__name__}.train: mode")
        for module in self.modules():
            module.training = mode
        return self

    def eval(self) -> Module:
        """Evaluation mode (``train(False)``): dropout passes its input through unchanged."""
        return self.train(False)

    def forward(self, *args: Any) -> Tensor:
        raise NotImplementedError(f"{type(self).__name__} must define forward()")

    def __call__(self, *args: Any) -> Tensor:
        return self.forward(*args)

    def parameters(self) -> list[Tensor]:
        """Every parameter of this module and its sub-modules, each once."""
        found: list[Tensor] = []
        seen: set[int] = set()

        def visit(obj: Any) -> None:
            if isinstance(obj, Tensor):
                if obj.requires_grad and id(obj) not in seen:
                    seen.add(id(obj))
                    found.append(obj)
            elif isinstance(obj, Module):
                for value in vars(obj).values():
                    visit(value)
            elif isinstance(obj, list | tuple):
                for item in obj:
                    visit(item)

        for value in vars(self).values():
            visit(value)
        return found

    def zero_grad(self) -> None:
        """Forget every parameter's gradient (``grad = None``), before the next backward pass."""
        for p in self.parameters():
            p.grad = None

    def num_parameters(self) -> int:
        """How many numbers the parameters hold."""
        return sum(p.size for p in self.parameters())


_INITIALISERS: dict[str, Callable[..., np.ndarray]] = {
    "xavier": initialisers.xavier_uniform,
    "glorot": initialisers.xavier_uniform,
    "xavier_normal": initialisers.xavier_normal,
    "he": initialisers.he_normal,
    "he_uniform": initialisers.he_uniform,
    "uniform": initialisers.uniform,
}


class Linear(Module):
    """A dense layer ``x @ W + b`` with ``W`` of shape (in_features, out_features).

    Parameters
    ----------
    in_features, out_features : int
    bias : bool, default True
    init : {"xavier", "glorot", "xavier_normal", "he", "he_uniform", "uniform"}, default "xavier"
        How ``W`` is drawn (see :mod:`backprop_course.init`); ``b`` starts at zero.
    rng : int or numpy.random.Generator, optional
        Seed or generator for ``W``.

    Raises
    ------
    TypeError
        If a size is not an int, ``bias`` is not True or False, ``init`` is not a
        name, or ``rng`` is not a seed or Generator.
    ValueError
        If a size is < 1, ``init`` is an unknown name, or the seed is negative.
    """

    def __init__(
        self,
        in_features: int,
        out_features: int,
        bias: bool = True,
        *,
        init: str = "xavier",
        rng: initialisers.RngLike = None,
    ) -> None:
        in_features = _int_at_least(in_features, 1, "in_features", "Linear")
        out_features = _int_at_least(out_features, 1, "out_features", "Linear")
        if not isinstance(bias, bool | np.bool_):
            raise TypeError(f"Linear: bias must be True or False, got {_describe(bias)}")
        _choice(init, _INITIALISERS, "init", "Linear")
        self.in_features, self.out_features = in_features, out_features
        self.W = Tensor(_INITIALISERS[init](in_features, out_features, rng), requires_grad=True)
        self.b = Tensor(np.zeros(out_features), requires_grad=True) if bias else None

    def forward(self, x: Tensor | np.ndarray) -> Tensor:
        if not isinstance(x, Tensor):
            x = as_tensor(x, "Linear", "input")
        if x.data.ndim not in (1, 2) or x.data.shape[-1] != self.in_features:
            raise ValueError(
                f"{self!r} expects inputs of shape (N, {self.in_features}), got {x.shape}"
            )
        return linear(x, self.W, self.b)

    def __repr__(self) -> str:
        return f"Linear({self.in_features}, {self.out_features}, bias={self.b is not None})"


class ReLU(Module):
    """Elementwise max(0, x)."""

    def forward(self, x: Tensor | np.ndarray) -> Tensor:
        if not isinstance(x, Tensor):
            x = as_tensor(x, "ReLU", "input")
        return x.relu()

    def __repr__(self) -> str:
        return "ReLU()"


class Tanh(Module):
    """Elementwise tanh."""

    def forward(self, x: Tensor | np.ndarray) -> Tensor:
        if not isinstance(x, Tensor):
            x = as_tensor(x, "Tanh", "input")
        return x.tanh()

    def __repr__(self) -> str:
        return "Tanh()"


class Sigmoid(Module):
    """Elementwise logistic function."""

    def forward(self, x: Tensor | np.ndarray) -> Tensor:
        if not isinstance(x, Tensor):
            x = as_tensor(x, "Sigmoid", "input")
        return x.sigmoid()

    def __repr__(self) -> str:
        return "Sigmoid()"


_ACTIVATIONS: dict[str, type[Module]] = {"relu": ReLU, "tanh": Tanh, "sigmoid": Sigmoid}


class Sequential(Module):
    """Modules applied one after the other: ``Sequential(Linear(2, 8), Tanh(), Linear(8, 1))``."""

    def __init__(self, *layers: Module) -> None:
        for layer in layers:
            if not isinstance(layer, Module):
                raise TypeError(f"Sequential takes Modules, got {type(layer).__name__}")
        self.layers = list(layers)

    def forward(self, x: Tensor | np.ndarray) -> Tensor:
        out = x if isinstance(x, Tensor) else as_tensor(x, type(self).__name__, "input")
        for layer in self.layers:
            out = layer(out)
        return out

    def __getitem__(self, i: int) -> Module:
        try:
            return self.layers[i]
        except IndexError:
            raise IndexError(
                f"{type(self).__name__} has {len(self.layers)} layers (0..{len(self.layers) - 1}); "
                f"index {i} is out of range"
            ) from None

    def __len__(self) -> int:
        return len(self.layers)

    def __iter__(self) -> Iterator[Module]:
        return iter(self.layers)

    def __repr__(self) -> str:
        inner = ",\n".join(f"  {layer!r}" for layer in self.layers)
        return f"{type(self).__name__}(\n{inner}\n)"


class MLP(Sequential):
    """A multi-layer perceptron: Linear layers with an activation between them.

    ``MLP([64, 128, 64, 10])`` is ``Linear(64, 128), ReLU(), Linear(128, 64), ReLU(),
    Linear(64, 10)``: the last layer has no activation, so its outputs are logits
    for :func:`~backprop_course.losses.cross_entropy`.

    Parameters
    ----------
    sizes : sequence of int
        Input size, hidden sizes, output size (at least two numbers).
    activation : {"relu", "tanh", "sigmoid"}, default "relu"
    output_activation : {"relu", "tanh", "sigmoid"} or None, default None
    init : str, optional
        The weights' initialiser; by default "he" for ReLU and "xavier" otherwise.
    rng : int or numpy.random.Generator, optional

    Raises
    ------
    TypeError
        If ``sizes`` is not a sequence of ints, or an activation or ``init`` is not a name.
    ValueError
        If there are fewer than two sizes, a size is < 1, or a name is unknown.
    """

    def __init__(
        self,
        sizes: Sequence[int],
        activation: str = "relu",
        *,
        output_activation: str | None = None,
        init: str | None = None,
        rng: initialisers.RngLike = None,
    ) -> None:
        if isinstance(sizes, str) or not isinstance(sizes, Iterable):
            raise TypeError(
                f"MLP: sizes must be a list of ints such as [2, 8, 1] (input, hidden, output), "
                f"got {_describe(sizes)}"
            )
        sizes = list(sizes)
        if len(sizes) < 2:
            raise ValueError(f"MLP: sizes must be at least two positive ints, got {sizes}")
        sizes = [_int_at_least(n, 1, f"sizes[{i}]", "MLP") for i, n in enumerate(sizes)]
        _choice(activation, _ACTIVATIONS, "activation", "MLP")
        if output_activation is not None:
            _choice(output_activation, _ACTIVATIONS, "output_activation", "MLP")
        if init is None:
            init = "he" if activation == "relu" else "xavier"
        _choice(init, _INITIALISERS, "init", "MLP")
        generator = initialisers.as_rng(rng)
        layers: list[Module] = []
        for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=True)):
            layers.append(Linear(n_in, n_out, init=init, rng=generator))
            last = i == len(sizes) - 2
            if not last:
                layers.append(_ACTIVATIONS[activation]())
            elif output_activation is not None:
                layers.append(_ACTIVATIONS[output_activation]())
        super().__init__(*layers)
        self.sizes = sizes


# ----------------------------------------------------------- chapter 14's modules
# Defined in nn_blocks and nn_attention (which import Module from here); bc.nn.X for each.
from .nn_attention import CharTransformer, MultiHeadAttention, TransformerBlock  # noqa: E402, F401
from .nn_blocks import LSTM, Dropout, Embedding, LayerNorm  # noqa: E402, F401
