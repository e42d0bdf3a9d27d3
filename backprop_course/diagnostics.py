"""Looking inside a struggling backward pass: gradients layer by layer, and clipping (chapter 11).

Backpropagation computes the exact gradient, but in a deep network its parts can
differ by many orders of magnitude from one layer to the next. This module
measures that, and holds the standard repair for gradients that are too large:

* :func:`deep_mlp` builds the chapter's test networks: ``depth`` dense layers of
  one width, with a chosen activation and initialisation (see ``INITS``);
* :func:`layer_statistics` runs one forward and backward pass and reports, for
  every dense layer, the spread of its pre-activations ``z``, the size of its error
  signal ``δ = ∂L/∂z`` and of its weight gradient ``dW``;
* :func:`grad_norm` and :func:`clip_grad_norm`: the global norm of all the
  gradients, and scaling them down to at most ``max_norm`` (PyTorch's
  ``torch.nn.utils.clip_grad_norm_``).

>>> import numpy as np, backprop_course as bc
>>> net = bc.diagnostics.deep_mlp(depth=5, width=16, activation="tanh", init="xavier", rng=0)
>>> stats = bc.diagnostics.layer_statistics(net, np.ones((4, 16)), np.zeros(4, dtype=int))
>>> stats.delta_norm.shape
(5,)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

from . import init as initialisers
from .checks import choice as _choice
from .checks import describe as _describe
from .checks import int_at_least as _int_at_least
from .checks import positive_number as _positive_number
from .checks import real_array as _float_array
from .checks import real_number as _real_number
from .losses import cross_entropy
from .nn import Linear, Module, Sequential, Sigmoid, Tanh
from .nn import ReLU as ReLUModule
from .optim import parameter_list
from .tensor import Tensor, as_tensor

__all__ = [
    "INITS",
    "deep_mlp",
    "LayerStatistics",
    "layer_statistics",
    "grad_norm",
    "clip_grad_norm",
]

Initialiser = Callable[[int, int, np.random.Generator], np.ndarray]


def _small(fan_in: int, fan_out: int, rng: np.random.Generator) -> np.ndarray:
    """Normal weights with standard deviation 0.01, whatever the layer's size."""
    return rng.normal(0.0, 0.01, size=(fan_in, fan_out))


def _naive(fan_in: int, fan_out: int, rng: np.random.Generator) -> np.ndarray:
    """Standard normal weights, whatever the layer's size: the scale nobody derived."""
    return rng.normal(0.0, 1.0, size=(fan_in, fan_out))


INITS: dict[str, Initialiser] = {
    "small": _small,  # variance 1e-4
    "naive": _naive,  # variance 1
    "xavier": initialisers.xavier_normal,  # variance 2 / (fan_in + fan_out)
    "he": initialisers.he_normal,  # variance 2 / fan_in
}

_ACTIVATIONS: dict[str, type[Module]] = {"sigmoid": Sigmoid, "tanh": Tanh, "relu": ReLUModule}


def deep_mlp(
    depth: int,
    width: int,
    activation: str = "tanh",
    init: str | Initialiser = "xavier",
    *,
    n_in: int | None = None,
    n_out: int | None = None,
    rng: initialisers.RngLike = None,
) -> Sequential:
    """A deep network of ``depth`` dense layers with an activation between them.

    Layer ``l`` computes ``z_l = a_{l-1} @ W_l + b_l`` and ``a_l = f(z_l)``; the
    last layer has no activation (its outputs are logits). Biases start at 0.

    Parameters
    ----------
    depth : int
        Number of dense (Linear) layers, at least 1.
    width : int
        Size of every hidden layer (and of the input and output unless given).
    activation : {"sigmoid", "tanh", "relu"}
    init : {"small", "naive", "xavier", "he"} or callable
        How the weights are drawn: ``"small"`` has standard deviation 0.01,
        ``"naive"`` is standard normal (variance 1),
        ``"xavier"`` variance ``2 / (fan_in + fan_out)``, ``"he"`` variance
        ``2 / fan_in``, all Gaussian; or a function ``(fan_in, fan_out, rng) -> W``.
    n_in, n_out : int, optional
        Input and output sizes (``width`` by default).
    rng : int or numpy.random.Generator, optional
        Seed or generator of the weights.

    Returns
    -------
    Sequential
        ``Linear, activation, Linear, ..., Linear``.

    Raises
    ------
    TypeError
        If a size is not an int, ``activation`` is not a name, ``init`` is neither a
        name nor a function, or an ``init`` function returns something that is not numbers.
    ValueError
        If a size is < 1, a name is unknown, or an ``init`` function returns an array of
        the wrong shape or with NaN or inf.
    """
    where = "deep_mlp"
    depth = _int_at_least(depth, 1, "depth", where)
    width = _int_at_least(width, 1, "width", where)
    n_in = width if n_in is None else _int_at_least(n_in, 1, "n_in", where)
    n_out = width if n_out is None else _int_at_least(n_out, 1, "n_out", where)
    _choice(activation, _ACTIVATIONS, "activation", where)
    if isinstance(init, str):
        if init not in INITS:
            raise ValueError(
                f"deep_mlp: unknown init {init!r}; choose one of {sorted(INITS)} or a function"
            )
        draw = INITS[init]
    elif callable(init):
        draw = init
    else:
        raise TypeError(
            f"deep_mlp: init must be a name or a function, got {_describe(init)}"
        )
    generator = initialisers.as_rng(rng)
    sizes = [n_in] + [width] * (depth - 1) + [n_out]
    layers: list[Module] = []
    for i, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=True)):
        layer = Linear(fan_in, fan_out, rng=0)
        W = _float_array(draw(fan_in, fan_out, generator), "the array init returned", where)
        if W.shape != (fan_in, fan_out):
            raise ValueError(
                f"deep_mlp: init returned shape {W.shape}, expected {(fan_in, fan_out)}"
            )
        layer.W = Tensor(W, requires_grad=True)
        layers.append(layer)
        if i < depth - 1:
            layers.append(_ACTIVATIONS[activation]())
    return Sequential(*layers)


@dataclass(frozen=True)
class LayerStatistics:
    """What one forward and backward pass looked like, one entry per dense layer (input first).

    Attributes
    ----------
    z_std : numpy.ndarray
        Standard deviation of the layer's pre-activations ``z`` over the batch and units.
    delta_norm : numpy.ndarray
        Norm of the layer's error signal ``δ = ∂L/∂z`` (the whole (N, D_out) array).
    dW_norm : numpy.ndarray
        Norm of the layer's weight gradient ``∂L/∂W``.
    loss : float
        The loss of the pass.

    Raises TypeError or ValueError unless the three arrays are 1-D arrays of finite
    numbers of one length and ``loss`` is a number.
    """

    z_std: np.ndarray
    delta_norm: np.ndarray
    dW_norm: np.ndarray
    loss: float

    def __post_init__(self) -> None:
        arrays = {}
        for name in ("z_std", "delta_norm", "dW_norm"):
            arrays[name] = _float_array(getattr(self, name), name, "LayerStatistics")
            if arrays[name].ndim != 1:
                raise ValueError(
                    f"LayerStatistics: {name} must be 1-D (one entry per layer), got shape "
                    f"{arrays[name].shape}"
                )
            object.__setattr__(self, name, arrays[name])
        lengths = {name: len(a) for name, a in arrays.items()}
        if len(set(lengths.values())) > 1:
            raise ValueError(
                f"LayerStatistics: one entry per layer in each array, got lengths {lengths}"
            )
        loss = _real_number(self.loss, "loss", "a number", lambda v: True, "LayerStatistics")
        object.__setattr__(self, "loss", loss)


def layer_statistics(
    model: Sequential,
    x: np.ndarray | Tensor,
    target: np.ndarray,
    loss_fn: Callable[[Tensor, np.ndarray], Tensor] = cross_entropy,
) -> LayerStatistics:
    """Run ``loss_fn(model(x), target)`` forward and backward and measure every dense layer.

    The error signal ``δ = ∂L/∂z`` of a layer is an intermediate gradient, which an
    autodiff engine need not keep. To see it, a *probe*, a zero Tensor that
    requires a gradient, is added to each layer's output: ``z + probe`` has the
    same value as ``z``, and ``∂L/∂probe = ∂L/∂z``.

    The model's parameters are left holding the gradients of this pass.

    Parameters
    ----------
    model : Sequential
        Made of :class:`~backprop_course.nn.Linear` layers and activations.
    x : array, shape (N, D_in)
    target : array
        What ``loss_fn`` compares the output with (class labels by default).
    loss_fn : callable, default :func:`~backprop_course.losses.cross_entropy`

    Returns
    -------
    LayerStatistics

    Raises
    ------
    TypeError
        If ``model`` is not a Sequential, ``x`` is not numbers, ``loss_fn`` is not
        callable or does not return a Tensor.
    ValueError
        If ``x`` has no examples, the model has no Linear layer, ``loss_fn`` does not
        return one number, or ``x`` or ``target`` do not fit the model (raised by the
        layer or the loss).
    """
    where = "layer_statistics"
    if not isinstance(model, Sequential):
        raise TypeError(f"layer_statistics needs a Sequential model, got {type(model).__name__}")
    if not callable(loss_fn):
        raise TypeError(
            f"layer_statistics: loss_fn must be a function (logits, target) -> loss, got "
            f"{_describe(loss_fn)}"
        )
    out = as_tensor(x, where, "x")
    if out.ndim != 2 or out.shape[0] == 0:
        raise ValueError(
            f"layer_statistics needs x of shape (N, D_in) with N >= 1, got {out.shape}"
        )
    model.zero_grad()
    z_std, probes, linears = [], [], []
    for layer in model:
        out = layer(out)
        if isinstance(layer, Linear):
            probe = Tensor(np.zeros(out.shape), requires_grad=True)
            z_std.append(float(out.data.std()))
            probes.append(probe)
            linears.append(layer)
            out = out + probe  # the same values; probe.grad will be dL/dz
    if not linears:
        raise ValueError("the model has no Linear layer to measure")
    loss = loss_fn(out, target)
    if not isinstance(loss, Tensor):
        raise TypeError(
            f"layer_statistics: loss_fn must return a Tensor (the loss), got {_describe(loss)}"
        )
    if loss.size != 1:
        raise ValueError(
            f"layer_statistics: loss_fn must return one number (a mean over the batch), got a "
            f"Tensor of shape {loss.shape}"
        )
    loss.backward()
    return LayerStatistics(
        z_std=np.array(z_std),
        delta_norm=np.array([np.linalg.norm(p.grad) for p in probes]),
        dW_norm=np.array([np.linalg.norm(layer.W.grad) for layer in linears]),
        loss=loss.item(),
    )


def grad_norm(params: Iterable[Tensor]) -> float:
    """The global gradient norm ``√(Σ_p ‖∂L/∂p‖²)`` over every parameter that has a gradient.

    It is the length of the whole gradient vector, as if all the parameters were
    one long vector; parameters whose ``grad`` is None are skipped. ``params`` is an
    iterable of Tensors (``model.parameters()``) or one Tensor; anything else (the
    model itself, arrays) is a TypeError.
    """
    total = 0.0
    for p in parameter_list(params, "grad_norm", one_tensor_ok=True):
        if p.grad is not None:
            g = np.asarray(p.grad, dtype=np.float64)
            total += float(np.vdot(g, g))
    return math.sqrt(total)


def clip_grad_norm(params: Iterable[Tensor], max_norm: float) -> float:
    """Scale all the gradients together so that their global norm is at most ``max_norm``.

    If the global norm ``n`` (see :func:`grad_norm`) exceeds ``max_norm``, every
    gradient is multiplied by ``max_norm / n``; otherwise nothing changes. The
    direction of the whole gradient is kept, only its length is capped (Pascanu
    et al. 2013). This is PyTorch's ``torch.nn.utils.clip_grad_norm_``; call it
    between ``loss.backward()`` and ``optimizer.step()``.

    Parameters
    ----------
    params : iterable of Tensor, or a Tensor
        Usually ``model.parameters()``; those whose ``grad`` is None are skipped.
    max_norm : float
        The largest global norm allowed, positive.

    Returns
    -------
    float
        The global norm *before* clipping (worth logging: spikes show up in it).

    Raises
    ------
    TypeError
        If ``params`` is not Tensors (see :func:`grad_norm`) or ``max_norm`` is not a number.
    ValueError
        If ``max_norm`` is not positive (``inf`` is allowed: nothing is clipped).
    FloatingPointError
        If a gradient holds NaN or inf (no rescaling can repair that).
    """
    max_norm = _positive_number(max_norm, "max_norm", "clip_grad_norm", allow_inf=True)
    params = parameter_list(params, "clip_grad_norm", one_tensor_ok=True)
    total = grad_norm(params)
    if not math.isfinite(total):
        raise FloatingPointError(
            "a gradient contains NaN or inf, so its norm is not finite: clipping cannot "
            "repair it; lower the learning rate or look for the overflow"
        )
    if total > max_norm:
        scale = max_norm / total
        for p in params:
            if p.grad is not None:
                p.grad = p.grad * scale
    return total
