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

from ._sigmoid_nets_checks import (
    _check_backward,
    _check_forward,
    _check_margin,
    _check_output_error,
    _check_params,
    _check_targets,
    _checked_by,
    _real,
)
from .checks import flag, int_at_least, real_number
from .numerics import sigmoid

__all__ = ["forward", "output_error", "backward", "gradients", "n_weights", "views", "pack",
           "TrainSettings", "Trained", "train"]


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
def output_error(y: np.ndarray, d: np.ndarray, margin: float | None = None,
                 one_sided: bool = False) -> np.ndarray:
    """dE/dy = y - d (eq. 4), zero where an output is already beyond the margin.

    ``margin`` is None or in (0, 0.5]. With a margin, an output whose target is 1 and
    which is above 1 - margin, or whose target is 0 and which is below the margin, has
    no error (the words of the paper's Fig. 4). Its error then jumps at the margin,
    from -margin (or +margin) to 0. ``one_sided=True`` reads the margin as targets
    instead: an on-unit aims at 1 - margin and an off-unit at the margin, with error
    only on the near side, ``min(y - (1 - margin), 0)`` and ``max(y - margin, 0)``,
    which goes to 0 continuously at the margin. Targets other than 0 and 1 keep y - d.

    Raises ValueError if ``y`` and ``d`` differ in shape (``d`` may lack ``y``'s leading
    axis of seeds) or hold NaN, or the margin is out of range; TypeError if they are
    not NumPy arrays of real numbers or ``one_sided`` is not a bool.
    """
    e = y - d
    if margin is not None and one_sided:  # targets 1 - margin and margin, one-sided
        e = np.where(d == 1, np.minimum(y - (1 - margin), 0.0),
                     np.where(d == 0, np.maximum(y - margin, 0.0), e))
    elif margin is not None:  # Fig. 4: on-units above 1 - margin, off-units below it
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


def gradients(params: dict, X: np.ndarray, D: np.ndarray, margin: float | None = None,
              one_sided: bool = False) -> tuple[dict, np.ndarray]:
    """dE/dw of E = 1/2 sum over patterns and outputs of (y - d)^2 (eq. 3).

    With a ``margin``, the error is that of :func:`output_error` (``one_sided`` as there).
    Returns the gradients (same structure as ``params``) and the outputs ``y``.

    Raises
    ------
    ValueError, TypeError
        As :func:`forward`; and if ``D`` is not the targets (N, n_out), one row per
        pattern of ``X``, ``margin`` is not None or a number in (0, 0.5], or
        ``one_sided`` is not a bool.
    """
    _check_targets(params, X, D, "gradients")
    _check_margin(margin, "gradients")
    flag(one_sided, "gradients: one_sided")
    acts = forward(params, X)
    grads = {key: ([np.empty_like(p) for p in value] if isinstance(value, list)
                   else None if value is None else np.empty_like(value))
             for key, value in params.items()}
    backward(params, acts, output_error(acts[-1], D, margin, one_sided), grads)
    return grads, acts[-1]


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
    one_sided : bool
        With a margin: aim on-units at 1 - margin and off-units at the margin, with
        error only short of them (see :func:`output_error`), instead of 0/1 targets
        whose error is zeroed beyond the margin.
    error : {"sum", "mean"}
    warmup : (sweeps, epsilon, alpha) or None
        Other rates for the first sweeps.
    decay : float
        Every weight shrinks by this fraction after each change, in [0, 1).
    decay_biases : bool
        False spares the biases from the decay (only the connection weights shrink).
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
    one_sided: bool = False
    decay_biases: bool = True
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
        flag(self.one_sided, f"{where}: {name('one_sided')}")
        flag(self.decay_biases, f"{where}: {name('decay_biases')}")
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
          D: np.ndarray, direct: bool = False, mask: np.ndarray | None = None,
          monitor: Callable[[int, np.ndarray, np.ndarray, np.ndarray], None] | None = None
          ) -> Trained:
    """Train S nets at once, full batch, as ``settings`` say; ``theta`` is not changed.

    ``theta`` (S, n_weights) holds their weights (see :func:`views`); ``X`` and ``D`` are
    the patterns and targets, (N, n) shared by every net or (S, N, n) one set per net;
    ``mask`` (n_weights,), 0 for a connection that does not exist, keeps it at its value.
    ``monitor``, if given, is called at every sweep ``t`` before the weights change, as
    ``monitor(t, rows, theta, grad)``: which nets are still training (their rows of the
    input ``theta``), their weights and their gradient dE/dw (the error's own, before
    ``mask``), arrays it must not change.
    The arguments are checked here, once; the sweeps run unchecked.

    Raises
    ------
    TypeError
        If ``settings`` is not a :class:`TrainSettings`, an array is not real numbers, or
        ``monitor`` is neither None nor callable.
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
    if monitor is not None and not callable(monitor):
        raise TypeError(f"{where}: monitor must be None or a function monitor(t, rows, theta, "
                        f"grad), got {type(monitor).__name__}")
    return _train(settings, theta.astype(np.float64), layers, direct, X, D, mask, monitor)


def _shrink(s: TrainSettings, n: int, layers: tuple[int, ...], direct: bool
            ) -> float | np.ndarray:
    """The factor the decay multiplies the weights by after each change: 1 - decay, or
    per weight (n,) with 1 for the biases when they are spared."""
    if s.decay_biases:
        return 1.0 - s.decay
    factor = np.full((1, n), 1.0 - s.decay)
    for b in _views(factor, layers, direct)["b"]:
        b[...] = 1.0
    return factor[0]


def _train(s: TrainSettings, theta: np.ndarray, layers: tuple[int, ...], direct: bool,
           X: np.ndarray, D: np.ndarray, mask: np.ndarray | None,
           monitor: Callable | None = None) -> Trained:
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
    shrink = _shrink(s, theta.shape[1], layers, direct)
    for t in range(cap + 1):
        acts = _forward(params, X)
        y = acts[-1]
        e = scale * _output_error(y, D, s.margin, s.one_sided)
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
        if monitor is not None:
            monitor(t, rows, theta, grad)
        eps, alpha = s.epsilon, s.alpha
        if s.warmup is not None and t < s.warmup[0]:
            _, eps, alpha = s.warmup
        change *= alpha
        # eq. (9): dw(t) = -eps dE/dw + alpha dw(t-1)
        change -= eps * (grad if mask is None else grad * mask)
        theta += change
        if s.decay:
            theta *= shrink  # every weight (or every one but the biases) shrinks
    converged = first_ok >= 0
    return Trained(final, history, np.where(converged, first_ok, cap), converged)
