"""Layered networks of logistic units, many at once, and the one trainer for them.

Chapter 9 (``experiments.paper1986``) and chapter 11 (``landscape``) train many small
networks from different starts at once: their weights are stacked along a first axis,
so that a sweep of every network is a few batched matrix products. The networks are
stored as ``params``, a dict of lists ``"W"`` (each (nets, n_in, n_out)) and ``"b"``
(each (nets, 1, n_out)) and ``"D"`` (direct input-to-output weights, or None); for
training, all of them live in one flat array ``theta`` (nets, n_weights), of which
:func:`views` gives ``params`` as views. :func:`train` runs the sweeps with the
settings of a :class:`TrainSettings`, checked once when it is made.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from .checks import int_at_least, real_number
from .numerics import sigmoid

__all__ = ["forward", "output_error", "backward", "gradients", "n_weights", "views", "pack",
           "TrainSettings", "Trained", "train"]


# ------------------------------------------------------------ argument checks
# forward, output_error and backward check their arguments through a decorator; the
# training loop calls them unchecked (_forward, ...), since it makes its arguments itself.
def _checked_by(check: Callable[..., None]) -> Callable[[Callable], Callable]:
    """Call ``check`` with a function's arguments before the function (it raises if they
    are wrong). The undecorated function stays available as ``__wrapped__``."""
    def decorate(f: Callable) -> Callable:
        @functools.wraps(f)
        def checked(*args: object, **kwargs: object) -> object:
            check(*args, **kwargs)
            return f(*args, **kwargs)
        return checked
    return decorate


def _real(name: str, value: object, where: str, finite: bool = True) -> np.ndarray:
    if not isinstance(value, np.ndarray) or value.dtype.kind not in "biuf":
        raise TypeError(f"{where}: {name} must be a NumPy array of real numbers, got "
                        f"{type(value).__name__}"
                        + (f" of dtype {value.dtype}" if isinstance(value, np.ndarray) else ""))
    if finite and not np.isfinite(value).all():
        raise ValueError(f"{where}: {name} contains NaN or infinite values")
    return value


def _check_params(params: object, where: str) -> tuple[list, list]:
    """``params`` as forward takes it: lists W and b whose shapes chain, D None or fitting."""
    if (not isinstance(params, dict) or not isinstance(params.get("W"), list | tuple)
            or not isinstance(params.get("b"), list | tuple)):
        raise ValueError(f"{where}: params must be a dict with lists 'W' and 'b' (and 'D' or "
                         "None), as Result and SweepResult.network give; got "
                         f"{type(params).__name__}")
    W, b = params["W"], params["b"]
    if not W or len(W) != len(b):
        raise ValueError(f"{where}: params needs one bias per weight matrix, at least one of "
                         f"each; got {len(W)} in 'W' and {len(b)} in 'b'")
    for k, (Wk, bk) in enumerate(zip(W, b, strict=True)):
        _real(f"params['W'][{k}]", Wk, where, finite=False)
        _real(f"params['b'][{k}]", bk, where, finite=False)
        below = W[k - 1].shape[-1] if k else None
        if Wk.ndim < 2 or bk.shape[-1:] != Wk.shape[-1:] or (k and Wk.shape[-2] != below):
            raise ValueError(
                f"{where}: the layers of params do not fit together: W[{k}] has shape "
                f"{Wk.shape} (inputs, units) and b[{k}] {bk.shape}"
                + (f", but the layer below has {below} units" if k else "")
            )
    D = params.get("D")
    if D is not None:
        shape = (W[0].shape[-2], W[-1].shape[-1])
        if _real("params['D']", D, where, finite=False).shape[-2:] != shape:
            raise ValueError(f"{where}: params['D'] connects the inputs to the outputs, so it "
                             f"must be {shape}; got {D.shape}")
    return W, b


def _check_forward(params: dict, X: np.ndarray) -> None:
    W, _ = _check_params(params, "forward")
    _real("X", X, "forward")
    if X.ndim < 2 or X.shape[-1] != W[0].shape[-2]:
        raise ValueError(f"forward: X must be patterns (N, {W[0].shape[-2]}), one row per "
                         f"pattern for W[0] of shape {W[0].shape}; got {X.shape}")


def _check_margin(margin: object, where: str) -> None:
    if margin is not None:
        real_number(margin, "margin", "None or a number in (0, 0.5]", lambda m: 0 < m <= 0.5,
                    where, finite=True)


def _check_output_error(y: np.ndarray, d: np.ndarray, margin: float | None = None) -> None:
    _real("y", y, "output_error")
    _real("d", d, "output_error")
    if d.ndim < 1 or y.shape[y.ndim - d.ndim:] != d.shape:
        raise ValueError(f"output_error: y (outputs) and d (targets) must have the same shape, "
                         f"got {y.shape} and {d.shape}")
    _check_margin(margin, "output_error")


def _check_backward(params: dict, acts: list[np.ndarray], e: np.ndarray, grads: dict) -> None:
    W, b = _check_params(params, "backward")
    if not isinstance(acts, list | tuple) or len(acts) != len(W) + 1:
        raise ValueError(f"backward: acts must be what forward returned, a list [X, a_1, ..., y] "
                         f"of {len(W) + 1} arrays for {len(W)} layers; got "
                         f"{len(acts) if isinstance(acts, list | tuple) else type(acts).__name__}")
    for k, a in enumerate(acts):
        units = W[k].shape[-2] if k < len(W) else W[-1].shape[-1]
        if _real(f"acts[{k}]", a, "backward").ndim < 2 or a.shape[-1] != units:
            raise ValueError(f"backward: acts[{k}] must have {units} columns (the units of layer "
                             f"{k}), got shape {a.shape}; pass what forward(params, X) returned")
    if _real("e", e, "backward").shape != acts[-1].shape:
        raise ValueError(f"backward: e = dE/dy must have the shape of the outputs y = acts[-1], "
                         f"{acts[-1].shape}; got {e.shape}")
    keys = ("W", "b", "D") if params.get("D") is not None else ("W", "b")
    if not isinstance(grads, dict) or any(k not in grads for k in keys):
        raise ValueError(f"backward: grads must be a dict with the structure of params (keys "
                         f"{', '.join(keys)}), arrays it overwrites; got {type(grads).__name__}"
                         + (f" with keys {sorted(grads)}" if isinstance(grads, dict) else ""))
    pairs = [(f"grads['{key}'][{k}]", g, p) for key in ("W", "b")
             for k, (g, p) in enumerate(zip(grads[key], params[key], strict=False))]
    if len(grads["W"]) != len(W) or len(grads["b"]) != len(b):
        raise ValueError(f"backward: grads needs {len(W)} arrays in 'W' and in 'b', like params")
    if "D" in keys:
        pairs.append(("grads['D']", grads["D"], params["D"]))
    for name, g, p in pairs:
        if not isinstance(g, np.ndarray) or g.dtype.kind != "f" or g.shape != p.shape:
            raise ValueError(f"backward: {name} must be a float array of shape {p.shape}, like "
                             f"params (np.empty_like(p)), to be overwritten; got "
                             f"{getattr(g, 'shape', type(g).__name__)}"
                             + (f" of dtype {g.dtype}" if isinstance(g, np.ndarray) else ""))


# ------------------------------------------------------------ forward and backward
@_checked_by(_check_forward)
def forward(params: dict, X: np.ndarray) -> list[np.ndarray]:
    """Every layer's activity, ``[X, a_1, ..., y]``, for a batch of patterns ``X``.

    ``params`` holds lists ``"W"`` and ``"b"`` and, for a net with direct
    connections, ``"D"``; arrays may carry a leading axis of seeds.

    Raises
    ------
    ValueError
        If ``params`` is not such a dict, its shapes do not chain, or ``X`` is not
        patterns (N, n_in) for ``W[0]`` (n_in, n_out), or holds NaN or infinities.
    TypeError
        If ``X`` or an array of ``params`` is not a NumPy array of real numbers.
    """
    acts = [X]
    for layer, (W, b) in enumerate(zip(params["W"], params["b"], strict=True)):
        z = acts[-1] @ W + b  # eq. (1): the total input, the bias as a weight
        if layer == len(params["W"]) - 1 and params.get("D") is not None:
            z = z + X @ params["D"]  # the direct input-to-output connections
        acts.append(sigmoid(z))  # eq. (2)
    return acts


@_checked_by(_check_output_error)
def output_error(y: np.ndarray, d: np.ndarray, margin: float | None = None) -> np.ndarray:
    """dE/dy = y - d (eq. 4), zero where an output is already beyond the margin.

    ``margin`` is None or in (0, 0.5]. Raises ValueError if ``y`` and ``d`` differ in
    shape (``d`` may lack ``y``'s leading axis of seeds) or hold NaN, or the margin is
    out of range; TypeError if they are not NumPy arrays of real numbers.
    """
    e = y - d
    if margin is not None:  # Fig. 4: on-units above 1 - margin, off-units below it
        e = np.where(((d == 1) & (y > 1 - margin)) | ((d == 0) & (y < margin)), 0.0, e)
    return e


@functools.lru_cache(maxsize=16)
def _ones(shape: tuple[int, ...]) -> np.ndarray:
    ones = np.ones(shape)
    ones.flags.writeable = False
    return ones


@_checked_by(_check_backward)
def backward(params: dict, acts: list[np.ndarray], e: np.ndarray, grads: dict) -> None:
    """Backpropagate dE/dy = ``e`` through the net; write dE/dw into ``grads``.

    ``acts`` is what :func:`forward` returned; ``grads`` has the structure of
    ``params`` (arrays of the same shapes), and every entry is overwritten.
    The error is summed over the patterns, so every gradient is a sum over them.
    The decorator checks the arguments first: a ValueError or TypeError names the
    one that does not fit.
    """
    delta = e * acts[-1] * (1 - acts[-1])  # eq. (5): dE/dz of the output units
    X = acts[0]
    ones = _ones(X.shape[:-2] + (1, X.shape[-2]))  # sums over patterns, as products
    if params.get("D") is not None:
        np.matmul(np.swapaxes(X, -1, -2), delta, out=grads["D"])
    for layer in range(len(params["W"]) - 1, -1, -1):
        a = acts[layer]  # the activity feeding this layer
        np.matmul(np.swapaxes(a, -1, -2), delta, out=grads["W"][layer])  # eq. (6)
        np.matmul(ones, delta, out=grads["b"][layer])  # a bias: an input always 1
        if layer:  # eq. (7), then eq. (5) for the layer below
            W_T = np.swapaxes(params["W"][layer], -1, -2)
            delta = (delta @ W_T) * a * (1 - a)


def gradients(params: dict, X: np.ndarray, D: np.ndarray, margin: float | None = None
              ) -> tuple[dict, np.ndarray]:
    """dE/dw of E = 1/2 sum over patterns and outputs of (y - d)^2 (eq. 3).

    Returns the gradients (same structure as ``params``) and the outputs ``y``.

    Raises
    ------
    ValueError, TypeError
        As :func:`forward`; and if ``D`` is not the targets (N, n_out), one row per
        pattern of ``X``, or ``margin`` is not None or a number in (0, 0.5].
    """
    _check_targets(params, X, D, "gradients")
    _check_margin(margin, "gradients")
    acts = forward(params, X)
    grads = {key: ([np.empty_like(p) for p in value] if isinstance(value, list)
                   else None if value is None else np.empty_like(value))
             for key, value in params.items()}
    backward(params, acts, output_error(acts[-1], D, margin), grads)
    return grads, acts[-1]


def _check_targets(params: dict, X: np.ndarray, D: np.ndarray, where: str) -> None:
    """X patterns for params and D their targets, one row of n_out per pattern."""
    W, _ = _check_params(params, where)
    _real("X", X, where)
    _real("D", D, where)
    n_in, n_out = W[0].shape[-2], W[-1].shape[-1]
    if X.ndim < 2 or X.shape[-1] != n_in or D.shape != X.shape[:-1] + (n_out,):
        raise ValueError(f"{where}: X must be patterns (N, {n_in}) and D their targets "
                         f"(N, {n_out}), one row per pattern; got X {X.shape} and D {D.shape}")


# The training loop's own calls: its arguments are right by construction (see _checked_by).
_forward, _output_error, _backward = (forward.__wrapped__, output_error.__wrapped__,
                                      backward.__wrapped__)


# ------------------------------------------------------------ the weights of many nets
def _layers(layers: object, where: str) -> tuple[int, ...]:
    if not isinstance(layers, tuple | list) or len(layers) < 2:
        raise ValueError(f"{where}: layers must be units per layer, input first, at least two "
                         f"layers, e.g. (2, 2, 1); got {layers!r}")
    return tuple(int_at_least(n, 1, f"each of layers {tuple(layers)!r}", where) for n in layers)


def n_weights(layers: tuple[int, ...], direct: bool = False) -> int:
    """How many weights a net of ``layers`` units (input first) has, biases included.

    Raises ValueError if ``layers`` is not at least two positive ints.
    """
    layers = _layers(layers, "n_weights")
    pairs = list(zip(layers[:-1], layers[1:], strict=True))
    n = sum(a * b + b for a, b in pairs)
    return n + (layers[0] * layers[-1] if direct else 0)


def views(theta: np.ndarray, layers: tuple[int, ...], direct: bool = False) -> dict:
    """``params`` as views into one flat array ``theta`` of shape (nets, n_weights).

    The order is every W (row by row), then every bias (as a row (1, units)), then the
    direct connections D: writing into a view writes into ``theta``.

    Raises ValueError if ``layers`` is not at least two positive ints or ``theta`` is not
    (nets, n_weights); TypeError if it is not a NumPy array of real numbers.
    """
    P = n_weights(_layers(layers, "views"), direct)
    if _real("theta", theta, "views", finite=False).ndim != 2 or theta.shape[1] != P:
        raise ValueError(f"views: theta must be (nets, {P}), one row of weights per net of "
                         f"{tuple(layers)}; got {theta.shape}")
    return _views(theta, tuple(layers), direct)


def _views(theta: np.ndarray, layers: tuple[int, ...], direct: bool) -> dict:
    S, offset = theta.shape[0], 0

    def take(shape: tuple[int, int]) -> np.ndarray:
        nonlocal offset
        size = shape[0] * shape[1]
        view = theta[:, offset:offset + size].reshape(S, *shape)
        offset += size
        return view

    pairs = list(zip(layers[:-1], layers[1:], strict=True))
    params = {"W": [take(pair) for pair in pairs], "b": [take((1, n)) for _, n in pairs]}
    params["D"] = take((layers[0], layers[-1])) if direct else None
    return params


def pack(params: dict) -> np.ndarray:
    """The inverse of :func:`views`: ``params`` of S nets (a leading axis) -> (S, n_weights).

    Raises ValueError or TypeError, as :func:`forward`, if ``params`` is not such a dict,
    or if its arrays lack the leading axis of nets.
    """
    W, b = _check_params(params, "pack")
    arrays = list(W) + list(b) + ([params["D"]] if params.get("D") is not None else [])
    S = len(W[0])
    if W[0].ndim != 3 or any(len(a) != S or a.ndim < 2 for a in arrays):
        raise ValueError(f"pack: every array of params needs the leading axis of nets, {S} "
                         "of them, e.g. W (nets, n_in, n_out) and b (nets, 1, n_out)")
    return np.concatenate([a.astype(np.float64).reshape(S, -1) for a in arrays], axis=1)


# ------------------------------------------------------------ the trainer
@dataclass(frozen=True)
class TrainSettings:
    """How :func:`train` changes the weights, and when it stops: checked once, here.

    Every sweep is one change of every weight, by the gradient of the error summed over
    the cases (``error="mean"`` divides it by the number of cases), with momentum:
    ``dw(t) = -epsilon dE/dw + alpha dw(t-1)`` (eq. 9 of the 1986 paper).

    Attributes
    ----------
    epsilon, alpha : float
        The learning rate (positive) and the momentum (non-negative).
    sweeps : int
        The most weight changes a net gets (the cap).
    stop : bool
        Stop a net once every output meets the criterion (else train to the cap and only
        note the first sweep at which it held).
    tolerance : float or None
        The criterion: every output within ``tolerance`` of its target; None: none.
    margin : float or None
        No error for an output beyond the margin (on-units above 1 - margin, off-units
        below it); the criterion then is no error left, and ``tolerance`` is not used.
    error : {"sum", "mean"}
    warmup : (sweeps, epsilon, alpha) or None
        Other rates for the first sweeps.
    decay : float
        Every weight shrinks by this fraction after each change, in [0, 1).
    caller : str
        The function whose arguments these are, named in the errors; ``names`` maps a
        setting to the name the caller gives it (e.g. ``{"epsilon": "lr"}``).

    Raises
    ------
    ValueError
        If a setting is out of range or of the wrong kind.
    """

    epsilon: float
    alpha: float
    sweeps: int
    stop: bool = False
    tolerance: float | None = None
    margin: float | None = None
    error: str = "sum"
    warmup: tuple[int, float, float] | None = None
    decay: float = 0.0
    caller: str = field(default="TrainSettings", compare=False, repr=False)
    names: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        where, name = self.caller, lambda key: self.names.get(key, key)
        positive, non_negative = "a positive finite number", "a finite non-negative number"
        real_number(self.epsilon, name("epsilon"), positive, lambda v: v > 0, where, finite=True)
        real_number(self.alpha, name("alpha"), non_negative + " (0.9 is usual)", lambda v: v >= 0,
                    where, finite=True)
        int_at_least(self.sweeps, 0, name("sweeps"), where)
        if self.tolerance is not None:
            real_number(self.tolerance, name("tolerance"), positive, lambda v: v > 0, where,
                        finite=True)
        _check_margin(self.margin, where)
        if self.error not in ("sum", "mean"):
            raise ValueError(f"error must be one of sum, mean; got {self.error!r}")
        real_number(self.decay, name("decay"), "a number in [0, 1)", lambda v: 0 <= v < 1, where,
                    finite=True)
        warmup = self.warmup
        if warmup is not None:
            if not isinstance(warmup, tuple | list) or len(warmup) != 3:
                raise ValueError(f"{where}: warmup must be None or (sweeps, epsilon, alpha), "
                                 f"e.g. (20, 0.005, 0.5); got {warmup!r}")
            int_at_least(warmup[0], 0, "warmup's sweeps", where)
            real_number(warmup[1], "warmup's epsilon", positive, lambda v: v > 0, where,
                        finite=True)
            real_number(warmup[2], "warmup's alpha", non_negative, lambda v: v >= 0, where,
                        finite=True)


@dataclass(frozen=True)
class Trained:
    """What :func:`train` returns, one entry (row) per net."""

    theta: np.ndarray  # the final weights (nets, n_weights), in the layout of views()
    history: np.ndarray  # E before each weight change, then at the end; NaN after a stop
    sweeps: np.ndarray  # the first sweep at which the criterion held, else the cap
    converged: np.ndarray  # did it hold within the cap?

    def __post_init__(self) -> None:
        arrays = (self.theta, self.history, self.sweeps, self.converged)
        if not all(isinstance(a, np.ndarray) for a in arrays) or len(
                {len(a) for a in arrays}) != 1:
            raise ValueError("Trained: theta, history, sweeps and converged must be NumPy "
                             "arrays with one row per net")


def train(settings: TrainSettings, theta: np.ndarray, layers: tuple[int, ...], X: np.ndarray,
          D: np.ndarray, direct: bool = False, mask: np.ndarray | None = None) -> Trained:
    """Train S nets at once, full batch, as ``settings`` say; ``theta`` is not changed.

    ``theta`` (S, n_weights) holds their weights (see :func:`views`); ``X`` and ``D`` are
    the patterns and targets, (N, n) shared by every net or (S, N, n) one set per net;
    ``mask`` (n_weights,), 0 for a connection that does not exist, keeps it at its value.
    The arguments are checked here, once; the sweeps run unchecked.

    Raises
    ------
    TypeError
        If ``settings`` is not a :class:`TrainSettings`, or an array is not real numbers.
    ValueError
        If the shapes do not fit ``layers`` and each other, or an array holds NaN.
    """
    where = settings.caller if isinstance(settings, TrainSettings) else "train"
    if not isinstance(settings, TrainSettings):
        raise TypeError(f"train: settings must be a TrainSettings, got {type(settings).__name__}")
    layers = _layers(layers, where)
    P = n_weights(layers, direct)
    if _real("theta", theta, where).ndim != 2 or theta.shape[1] != P:
        raise ValueError(f"{where}: theta must be (nets, {P}), one row of weights per net of "
                         f"{layers}; got {theta.shape}")
    _real("X", X, where)
    _real("D", D, where)
    shared = X.ndim == 2 and D.ndim == 2
    lead = () if shared else (len(theta),)
    if (X.shape != lead + X.shape[-2:] or X.shape[-1] != layers[0]
            or D.shape != X.shape[:-1] + (layers[-1],)):
        raise ValueError(f"{where}: X must be patterns (N, {layers[0]}) and D their targets "
                         f"(N, {layers[-1]}), or one such pair per net; got X {X.shape} and "
                         f"D {D.shape}")
    if mask is not None and _real("mask", mask, where).shape != (P,):
        raise ValueError(f"{where}: mask must have one entry per weight, ({P},); got "
                         f"{mask.shape}")
    return _train(settings, theta.astype(np.float64), layers, direct, X, D, mask)


def _train(s: TrainSettings, theta: np.ndarray, layers: tuple[int, ...], direct: bool,
           X: np.ndarray, D: np.ndarray, mask: np.ndarray | None) -> Trained:
    """The sweeps of :func:`train`, unchecked. A net that has stopped is copied out and
    dropped from the batch. ``theta`` is changed in place."""
    n = len(theta)
    scale = 1.0 if s.error == "sum" else 1.0 / X.shape[-2]
    cap, shared, criterion = s.sweeps, X.ndim == 2, s.margin is not None or s.tolerance is not None
    final, history = theta.copy(), np.full((n, cap + 1), np.nan)
    first_ok = np.full(n, -1)
    rows = np.arange(n)  # which nets are still in the batch
    change, grad = np.zeros_like(theta), np.empty_like(theta)
    params, grads = _views(theta, layers, direct), _views(grad, layers, direct)
    for t in range(cap + 1):
        acts = _forward(params, X)
        y = acts[-1]
        e = scale * _output_error(y, D, s.margin)
        history[rows, t] = 0.5 / scale * np.einsum("sij,sij->s", e, e)
        if criterion:
            if s.margin is not None:
                ok = ~np.any(e, axis=(1, 2))
            else:
                ok = np.all(np.abs(y - D) <= s.tolerance, axis=(1, 2))
            first_ok[rows[ok & (first_ok[rows] < 0)]] = t
        done = np.full(len(rows), t == cap) | (ok if s.stop and criterion else False)
        if done.any():  # copy the finished nets out and shrink the batch
            final[rows[done]] = theta[done]
            keep = ~done
            rows, theta, change, grad = rows[keep], theta[keep], change[keep], grad[keep]
            if not shared:
                X, D = X[keep], D[keep]
            if not rows.size:
                break
            params, grads = _views(theta, layers, direct), _views(grad, layers, direct)
            acts = [a if a.ndim == 2 else a[keep] for a in acts]
            e = e[keep]
        _backward(params, acts, e, grads)
        eps, alpha = s.epsilon, s.alpha
        if s.warmup is not None and t < s.warmup[0]:
            _, eps, alpha = s.warmup
        change *= alpha
        # eq. (9): dw(t) = -eps dE/dw + alpha dw(t-1)
        change -= eps * (grad if mask is None else grad * mask)
        theta += change
        if s.decay:
            theta *= 1.0 - s.decay  # every weight shrinks after each change
    converged = first_ok >= 0
    return Trained(final, history, np.where(converged, first_ok, cap), converged)
