"""The experiments of Rumelhart, Hinton & Williams (1986), reproduced (chapter 9).

>>> from backprop_course.experiments import paper1986
>>> result = paper1986.run("symmetry", seed=0)
>>> result.converged, result.weights[0].shape
(True, (6, 2))

``run`` trains one network with the paper's procedure (Nature 323, pp. 533-535):
logistic units; a bias is a weight from an extra input that is always 1; the
error is summed over the cases and the output units,
E = 1/2 sum_c sum_j (y_jc - d_jc)^2; the gradient is accumulated over all the
cases and the weights change once per sweep, with momentum,
dw(t) = -epsilon dE/dw(t) + alpha dw(t-1). ``sweep`` runs many seeds at once
(the seeds are stacked along a first axis, so a sweep of every seed is a few
batched matrix products) and returns the distribution of sweeps.

The chapter's many-seed results are cached in ``paper1986_results.json`` beside
this file; regenerate them with

    python -m backprop_course.experiments.paper1986 --regenerate
"""

from __future__ import annotations

import argparse
import functools
import json
import numbers
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .. import data
from ..data import _non_negative_int, _number, _positive_int

__all__ = ["TASKS", "Task", "Result", "SweepResult", "Unfinished", "EndState", "run", "sweep",
           "forward", "backward", "gradients", "output_error", "task_data", "hessian",
           "end_state", "classify", "load_results", "load_network", "regenerate",
           "RESULTS_FILE"]

# ------------------------------------------------------------ the paper's constants
# "Nature" is Rumelhart, Hinton & Williams, Nature 323, 533-536 (1986); "PDP" is
# their chapter 8 of Parallel Distributed Processing, vol. 1 (1986), pp. 318-362,
# whose numbers we could check only against a page-referenced transcription.
INIT_RANGE = 0.3  # Nature p. 534, Fig. 1 caption: initial weights uniform in [-0.3, 0.3]
SYMMETRY_EPSILON = 0.1  # Nature Fig. 1 caption: epsilon = 0.1 ...
SYMMETRY_ALPHA = 0.9  # ... and alpha = 0.9
SYMMETRY_SWEEPS = 1425  # Nature Fig. 1 caption: "The learning required 1,425 sweeps"
PDP_ALPHA = 0.9  # PDP p. 330: "in most of our simulations alpha was about 0.9"
XOR_EPSILON = 0.5  # PDP p. 331: the XOR net with one hidden unit, learning rate 0.5
XOR_DIRECT_SWEEPS = 558  # PDP p. 331: ... solved after 558 sweeps
XOR_STUCK_RUNS = 2  # PDP pp. 331-332: local minima in 2 of "hundreds" of XOR runs,
XOR_STUCK_EPSILON = 0.25  # both with 2 hidden units, one at learning rate 0.25
PARITY_EPSILON = 0.5  # PDP p. 335: 4-bit parity, 4 hidden units, learning rate 0.5
PARITY_PRESENTATIONS = 2825  # PDP p. 335: solved after 2,825 presentations
ENCODER_EPSILON = SYMMETRY_EPSILON  # not confirmed for the encoder: we use the one
ENCODER_ALPHA = SYMMETRY_ALPHA  # fully documented set-up, Nature's Fig. 1
FAMILY_SWEEPS = 1500  # Nature p. 535, Fig. 4 caption: trained for 1,500 sweeps
FAMILY_WARMUP = (20, 0.005, 0.5)  # Fig. 4: epsilon 0.005, alpha 0.5 for 20 sweeps,
FAMILY_EPSILON = 0.01  # then epsilon 0.01 (one transcription reads 0.001) ...
FAMILY_ALPHA = 0.9  # ... and alpha 0.9
FAMILY_DECAY = 0.002  # Fig. 4: every weight decremented by 0.2 % after each change
FAMILY_MARGIN = 0.2  # Fig. 4: no error for on-units above 0.8, off-units below 0.2
FAMILY_HELD_OUT = 4  # Nature p. 534: trained on 100 of the 104 triples
# Ours, not the paper's (which states no stopping rule for these tasks):
TOLERANCE = 0.1  # stop once every output is within 0.1 of its target
MAX_SWEEPS = 20_000  # stop after this many sweeps: the run is unfinished, not yet "stuck"
LONG_SWEEPS = 100_000  # the unfinished runs of the cache train on to here (slow or stuck?)
FURTHER_SWEEPS = 500_000  # ... and those still level ("minimum at infinity", "flat") to here
RAY_SCALE = 1.5  # end_state's ray test: the error with weights made 1.5 times larger

RESULTS_FILE = Path(__file__).with_name("paper1986_results.json")


@dataclass(frozen=True)
class Task:
    """One experiment: the network, the paper's settings and what the paper reports."""

    name: str
    layers: tuple[int, ...]  # units per layer, input first
    epsilon: float
    alpha: float
    reported: str  # what the source reports, in words
    source: str
    direct: bool = False  # extra connections from the inputs straight to the output
    groups: tuple[int, ...] = ()  # input groups, each wired to its own first-layer group
    decay: float = 0.0
    warmup: tuple[int, float, float] | None = None  # (sweeps, epsilon, alpha) at first
    margin: float | None = None  # error zero beyond 1 - margin (on) and margin (off)
    sweeps: int | None = None  # a fixed training length instead of a stopping rule
    held_out: int = 0

    def __post_init__(self) -> None:
        if not isinstance(self.layers, tuple) or len(self.layers) < 2:
            raise ValueError(f"Task: layers must be a tuple of units per layer, input first, at "
                             f"least two layers; got {self.layers!r}")
        for n in self.layers:
            _positive_int(f"each of layers {self.layers!r}", n, "Task")
        _number("epsilon", self.epsilon, "Task", lambda v: v > 0, "a positive finite number")
        _number("alpha", self.alpha, "Task", lambda v: v >= 0, "a finite non-negative number")


TASKS: dict[str, Task] = {
    "xor": Task("xor", (2, 2, 1), XOR_EPSILON, PDP_ALPHA,
                f"local minima in {XOR_STUCK_RUNS} of hundreds of runs", "PDP pp. 331-332"),
    "xor_direct": Task("xor_direct", (2, 1, 1), XOR_EPSILON, PDP_ALPHA,
                       f"{XOR_DIRECT_SWEEPS} sweeps", "PDP p. 331", direct=True),
    "symmetry": Task("symmetry", (6, 2, 1), SYMMETRY_EPSILON, SYMMETRY_ALPHA,
                     f"{SYMMETRY_SWEEPS:,} sweeps", "Nature Fig. 1"),
    "parity": Task("parity", (4, 4, 1), PARITY_EPSILON, PDP_ALPHA,
                   f"{PARITY_PRESENTATIONS:,} presentations", "PDP p. 335"),
    "encoder": Task("encoder", (8, 3, 8), ENCODER_EPSILON, ENCODER_ALPHA,
                    "a binary-like 3-bit code", "PDP pp. 335-337"),
    "family_trees": Task("family_trees", (36, 12, 12, 6, 24), FAMILY_EPSILON, FAMILY_ALPHA,
                         "4 of 4 held-out triples correct", "Nature Figs 2-4",
                         groups=(24, 12), decay=FAMILY_DECAY, warmup=FAMILY_WARMUP,
                         margin=FAMILY_MARGIN, sweeps=FAMILY_SWEEPS,
                         held_out=FAMILY_HELD_OUT),
}
OVERRIDES = ("epsilon", "alpha", "init_range", "max_sweeps", "tolerance", "error",
             "inputs", "sweeps", "decay", "warmup", "held_out")


def _task(name: object) -> Task:
    if not isinstance(name, str) or name not in TASKS:
        raise ValueError(f"unknown task {name!r}; the tasks are: {', '.join(TASKS)}")
    return TASKS[str(name)]


def task_data(name: str) -> tuple[np.ndarray, np.ndarray]:
    """The task's inputs ``X`` (N, n_in) and targets ``D`` (N, n_out), 0/1 as in the paper."""
    task = _task(name)
    if task.name in ("xor", "xor_direct"):
        X, y = data.xor()
    elif task.name == "symmetry":
        X, y = data.symmetry(6)
    elif task.name == "parity":
        X, y = data.parity(task.layers[0])
    elif task.name == "encoder":
        return data.encoder(task.layers[0])
    else:
        trees = data.family_trees()
        return trees.X, trees.Y
    return X, y[:, None].astype(np.float64)


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
        _number("margin", margin, where, lambda m: 0 < m <= 0.5, "None or a number in (0, 0.5]")


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
def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * z))  # = 1 / (1 + e^-z), without overflow


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
        acts.append(_sigmoid(z))  # eq. (2)
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


# ------------------------------------------------------------ where training stopped
GRADIENT_ZERO = 1e-9  # |dE/dw| below this is zero to round-off, for these small nets
CURVATURE_ZERO = 1e-9  # a Hessian eigenvalue within this of 0 (times the largest) is flat
NEGATIVE_CURVATURE = 1e-3  # an eigenvalue below -this (times the largest) is clearly negative
FLAT_FALL = 0.01  # training on lowered E by less than this fraction: the error is level


def _flat_params(params: dict) -> list[np.ndarray]:
    """The weight arrays in one fixed order: every W, then every b (as rows), then D."""
    arrays = [np.asarray(W, dtype=np.float64) for W in params["W"]]
    arrays += [np.asarray(b, dtype=np.float64).reshape(1, -1) for b in params["b"]]
    if params.get("D") is not None:
        arrays.append(np.asarray(params["D"], dtype=np.float64))
    return arrays


def _check_single(params: dict, X: np.ndarray, D: np.ndarray, where: str) -> None:
    if not isinstance(params, dict) or "W" not in params or "b" not in params:
        raise ValueError(f"{where}: params must be a dict with lists 'W' and 'b' (and 'D' or "
                         "None), as Result and SweepResult.network give")
    for W in params["W"]:
        if np.ndim(W) != 2:
            raise ValueError(f"{where}: params must hold one network: every W two-dimensional, "
                             f"got an array of shape {np.shape(W)} (use SweepResult.network(i))")
    X, D = np.asarray(X), np.asarray(D)
    _check_targets(params, X, D, where)
    if X.ndim != 2:
        raise ValueError(f"{where}: X must be patterns (N, n_in) for one network, got {X.shape}")


def hessian(params: dict, X: np.ndarray, D: np.ndarray) -> np.ndarray:
    """The exact Hessian of E = 1/2 sum (y - d)^2 with respect to every weight of one net.

    The weights are numbered as :func:`end_state` numbers them: each W (row by row),
    then each bias, then the direct connections D. The error is written with
    :class:`~backprop_course.tensor.Tensor` operations and differentiated twice by
    :func:`backprop_course.higher.hessian` (reverse over reverse, no finite differences),
    so even eigenvalues of 1e-12 are right to round-off, not to a step size.

    Raises
    ------
    ValueError, TypeError
        If ``params`` is not one network (every W 2-D) or ``X``, ``D`` are not its
        patterns (N, n_in) and targets (N, n_out) as NumPy arrays of finite numbers.
    """
    from ..higher import hessian as _hessian
    from ..tensor import Tensor

    _check_single(params, X, D, "hessian")
    X, D = np.asarray(X, dtype=np.float64), np.asarray(D, dtype=np.float64)
    n_layers, direct = len(params["W"]), params.get("D") is not None

    def error(*arrays: Tensor) -> Tensor:
        a = Tensor(X)
        for k in range(n_layers):
            z = a @ arrays[k] + arrays[n_layers + k]
            if direct and k == n_layers - 1:
                z = z + Tensor(X) @ arrays[-1]
            a = z.sigmoid()
        e = a - Tensor(D)
        return 0.5 * (e * e).sum()

    H = _hessian(error, _flat_params(params))
    return 0.5 * (H + H.T)  # symmetric in exact arithmetic; remove the round-off


@dataclass(frozen=True)
class EndState:
    """What the weights say about where training has taken a network.

    Gradient descent slows down in four kinds of place, and these numbers tell them
    apart: on a **plateau** the gradient is small but not zero and training on
    escapes; on the way to a **minimum at infinity** the gradient is small but not
    zero, the error keeps falling and the weights keep growing; at a **local
    minimum** the gradient is zero and every eigenvalue of the Hessian is positive;
    at a **saddle** the gradient is zero and some eigenvalue is negative.
    """

    error: float  # E, summed over the cases (no margin)
    gradient_norm: float  # |dE/dw| over every weight
    weight_norm: float  # |w| over every weight
    eigenvalues: np.ndarray  # of the Hessian of E, ascending
    ray_error: float  # the lower E of two rays: every weight and bias times RAY_SCALE, or
    #                   those of the hidden layers only (the output layer's unchanged)

    def __post_init__(self) -> None:
        for name in ("error", "gradient_norm", "weight_norm", "ray_error"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, numbers.Real):
                raise TypeError(f"EndState: {name} must be a number, got "
                                f"{type(value).__name__} {value!r:.30}")
        e = self.eigenvalues
        if not isinstance(e, np.ndarray) or e.ndim != 1 or e.size == 0 or e.dtype.kind not in "iuf":
            raise TypeError("EndState: eigenvalues must be a 1-D float NumPy array (ascending), "
                            f"got {type(e).__name__} {getattr(e, 'shape', '')}")

    def to_json(self) -> dict:
        return {"error": self.error, "gradient_norm": self.gradient_norm,
                "weight_norm": self.weight_norm, "eigenvalues": self.eigenvalues.tolist(),
                "ray_error": self.ray_error}

    @classmethod
    def from_json(cls, d: dict) -> EndState:
        keys = ("error", "gradient_norm", "weight_norm", "eigenvalues", "ray_error")
        missing = [k for k in keys if not isinstance(d, dict) or k not in d]
        if missing:
            raise ValueError(f"EndState.from_json needs a dict with keys {', '.join(keys)} (as "
                             f"to_json writes); {missing[0]!r} is missing")
        return cls(d["error"], d["gradient_norm"], d["weight_norm"], np.array(d["eigenvalues"]),
                   d["ray_error"])


def end_state(params: dict, X: np.ndarray, D: np.ndarray) -> EndState:
    """Measure one network (``params`` as :attr:`Result` or ``SweepResult.network`` give).

    Returns its error, the norm of its gradient (backpropagation), the norm of its
    weights, the eigenvalues of its exact Hessian (:func:`hessian`), and the error
    further out along two rays through the weights, directions in which a run heading
    for a minimum at infinity may be going: the lower of E with every weight and bias
    multiplied by ``RAY_SCALE`` (1.5), and E with only the hidden layers' weights and
    biases so multiplied (which saturates the hidden units further and leaves the
    output unit's answer to them as it is).

    Raises
    ------
    ValueError, TypeError
        As :func:`hessian`.
    """
    _check_single(params, X, D, "end_state")
    X, D = np.asarray(X, dtype=np.float64), np.asarray(D, dtype=np.float64)
    grads, y = gradients(params, X, D)
    g = np.concatenate([a.ravel() for a in _flat_params(grads)])
    w = np.concatenate([a.ravel() for a in _flat_params(params)])
    eigenvalues = np.linalg.eigvalsh(hessian(params, X, D))
    n = len(params["W"])
    rays = []
    for hidden_only in (False, True):  # the output layer (and D) scaled too, or not
        f = [1.0 if hidden_only and i == n - 1 else RAY_SCALE for i in range(n)]
        scaled = {"W": [f[i] * np.asarray(W) for i, W in enumerate(params["W"])],
                  "b": [f[i] * np.asarray(b) for i, b in enumerate(params["b"])],
                  "D": None if params.get("D") is None else f[-1] * np.asarray(params["D"])}
        rays.append(_summed_error(forward(scaled, X)[-1], D))
    return EndState(_summed_error(y, D), float(np.linalg.norm(g)),
                    float(np.linalg.norm(w)), eigenvalues, min(rays))


def _summed_error(y: np.ndarray, D: np.ndarray) -> float:
    """E = 1/2 sum (y - d)^2 over the cases and the outputs (eq. 3), no margin."""
    return float(0.5 * np.sum((y - D) ** 2))


def classify(before: EndState, after: EndState | None) -> str:
    """Name where an unfinished run is, from its state at the cap and after training on.

    ``after`` is None if the run met the criterion while training on: it was on a
    **plateau**, slow, not stuck. Otherwise the state after training on decides:

    - ``"local minimum"``: the gradient is zero to round-off (below ``GRADIENT_ZERO``)
      and every Hessian eigenvalue is positive;
    - ``"saddle"``: the gradient is zero and some eigenvalue is clearly negative;
    - ``"still descending"``: the error fell by more than ``FLAT_FALL`` (1 %) of its
      value while training on: the run is moving from one plateau to a lower one;
    - ``"near a saddle"``: the error stayed level and the gradient is not zero, but
      the Hessian has a clearly negative eigenvalue (below ``-NEGATIVE_CURVATURE``
      times the largest in magnitude): a direction in which the error curves down;
    - ``"minimum at infinity"``: the error stayed level but still fell a little, the
      weights grew, the gradient is not zero, no curvature is clearly negative, and
      making the weights larger (``EndState.ray_error``) lowers the error further:
      the run looks as if it is sliding down a valley whose floor it reaches only as
      the weights grow without bound. A very long plateau looks the same, so this
      verdict is provisional: ``Unfinished`` trains such runs on further, and calls
      one that then learns a "long plateau";
    - ``"flat"``: level, the gradient not zero, no clear negative curvature, but
      larger weights do not lower the error: a plateau not yet left, or a flat region
      near a minimum; the budget cannot tell which (``Unfinished`` trains such runs
      on further too);
    - ``"undecided"``: none of these (e.g. the error rose).

    A verdict on an unfinished run is only as good as the budget it was given: a run
    that approaches a flat local minimum slowly never gets its gradient below
    ``GRADIENT_ZERO`` in any number of sweeps we can afford.

    Raises TypeError if ``before`` is not an :class:`EndState` or ``after`` is neither
    an EndState nor None.
    """
    for name, state in (("before", before), ("after", after)):
        if not isinstance(state, EndState) and not (name == "after" and state is None):
            raise TypeError(f"classify: {name} must be an EndState (see end_state)"
                            + (" or None" if name == "after" else "")
                            + f", got {type(state).__name__}")
    if after is None:
        return "plateau"
    scale = max(float(np.abs(after.eigenvalues).max()), 1e-300)
    negative = after.eigenvalues[0] < -NEGATIVE_CURVATURE * scale
    if after.gradient_norm < GRADIENT_ZERO:
        if negative:
            return "saddle"
        if after.eigenvalues[0] > CURVATURE_ZERO * scale:
            return "local minimum"
        return "undecided"
    if after.error < (1 - FLAT_FALL) * before.error:
        return "still descending"
    if negative:
        return "near a saddle"
    if after.error > before.error:
        return "undecided"
    if after.weight_norm > before.weight_norm and after.ray_error < after.error:
        return "minimum at infinity"
    return "flat"


# ------------------------------------------------------------ training
@dataclass
class Result:
    """One trained network (see :func:`run`)."""

    task: str
    seed: int
    sweeps: int  # sweeps (weight changes) before the stopping criterion first held
    converged: bool  # did it hold within the cap?
    weights: list[np.ndarray]  # input layer first, each (n_in, n_out)
    biases: list[np.ndarray]
    direct: np.ndarray | None  # (n_in, n_out) input-to-output weights, or None
    hidden: list[np.ndarray]  # each hidden layer's activities, (N patterns, units)
    outputs: np.ndarray  # (N, n_out) for every pattern
    history: np.ndarray  # E before each weight change, then at the end
    held_out: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))
    held_out_correct: int | None = None  # held-out cases right (outputs on the right
    #                                      side of 0.5), for the family trees

    def __post_init__(self) -> None:
        _task(self.task)
        if not isinstance(self.weights, list) or not isinstance(self.biases, list) or (
                len(self.weights) != len(self.biases)):
            raise ValueError("Result: weights and biases must be lists with one bias vector per "
                             f"weight matrix, got {type(self.weights).__name__} and "
                             f"{type(self.biases).__name__}")


@dataclass
class SweepResult:
    """Many seeds of one task (see :func:`sweep`)."""

    task: str
    seeds: np.ndarray
    sweeps: np.ndarray  # per seed; the cap for a run that never converged
    converged: np.ndarray
    max_sweeps: int
    held_out_correct: np.ndarray | None = None
    settings: dict = field(default_factory=dict)
    theta: np.ndarray | None = field(default=None, repr=False)  # final weights, flat
    unfinished: Unfinished | None = None  # the cache's runs past the cap (see Unfinished)

    def __post_init__(self) -> None:
        _task(self.task)
        arrays = {"seeds": self.seeds, "sweeps": self.sweeps, "converged": self.converged}
        for name, value in arrays.items():
            if not isinstance(value, np.ndarray) or value.ndim != 1:
                raise TypeError(f"SweepResult: {name} must be a 1-D NumPy array, one entry per "
                                f"seed, got {type(value).__name__} {getattr(value, 'shape', '')}")
        if not len(self.seeds) == len(self.sweeps) == len(self.converged):
            raise ValueError(f"SweepResult: seeds, sweeps and converged need one entry per seed; "
                             f"got {len(self.seeds)}, {len(self.sweeps)} and "
                             f"{len(self.converged)}")

    def network(self, i: int) -> dict:
        """The final weights of the ``i``-th seed's net: ``{"W": [...], "b": [...], "D": ...}``.

        ``i`` counts the seeds of this result, from 0 (negative counts from the end, as
        for a list). Raises IndexError if it is out of range, TypeError if it is not an
        int, ValueError if the result holds no weights (it was loaded from the cache).
        """
        if self.theta is None:
            raise ValueError("this result holds no weights (it was loaded from the cache)")
        n = len(self.theta)
        if isinstance(i, bool) or not isinstance(i, numbers.Integral):
            raise TypeError(f"SweepResult.network: i must be an int index of a seed, got "
                            f"{type(i).__name__} {i!r}")
        if not -n <= i < n:
            raise IndexError(f"SweepResult.network: index {i} is out of range for {n} seeds "
                             f"(0..{n - 1})")
        i = int(i) % n
        views = _views(self.theta[i:i + 1], _task(self.task))
        return {"W": [W[0].copy() for W in views["W"]],
                "b": [b[0].ravel().copy() for b in views["b"]],
                "D": None if views["D"] is None else views["D"][0].copy()}

    @property
    def failure_rate(self) -> float:
        return float(1.0 - np.mean(self.converged))

    @property
    def median(self) -> float:
        """Median sweeps of the runs that converged (NaN if none did)."""
        ok = self.sweeps[self.converged]
        return float(np.median(ok)) if ok.size else float("nan")

    def quantiles(self, q: Iterable[float] = (0.25, 0.75)) -> np.ndarray:
        """Quantiles of the sweeps of the converged runs.

        Raises ValueError if a ``q`` is not a number in [0, 1], or no run converged.
        """
        if isinstance(q, str | bytes) or not isinstance(q, Iterable):
            raise ValueError(f"SweepResult.quantiles: q must be numbers in [0, 1], got {q!r}")
        for value in q:
            _number("each q", value, "SweepResult.quantiles", lambda v: 0 <= v <= 1,
                    "a number in [0, 1]")
        self._some_converged("quantiles")
        return np.quantile(self.sweeps[self.converged], list(q))

    def summary(self) -> str:
        """One line: how many converged, the median sweeps and the middle half."""
        n_ok, n = int(self.converged.sum()), len(self.seeds)
        text = f"{n_ok}/{n} converged within {self.max_sweeps:,} sweeps"
        if n_ok:
            low, high = self.quantiles()
            text += f"; median {self.median:,.0f}, middle half {low:,.0f}-{high:,.0f}"
        return text

    def _some_converged(self, where: str) -> None:
        if not np.any(self.converged):
            raise ValueError(f"SweepResult.{where}: none of the {len(self.seeds)} runs converged "
                             f"within {self.max_sweeps:,} sweeps, so there are no sweeps to "
                             "compare with")

    def trained_on(self) -> SweepResult:
        """The same runs, with the unfinished ones as they ended at ``LONG_SWEEPS``.

        Only for a cached result of ``TRAINED_ON``: every run then counts as converged
        if it met the criterion within ``unfinished.max_sweeps`` sweeps.
        """
        if self.unfinished is None:
            raise ValueError(f"{self.task} result holds no unfinished runs trained on; "
                             f"the cached results that do are: {', '.join(TRAINED_ON)}")
        where = {int(seed): i for i, seed in enumerate(self.seeds)}
        sweeps, converged = self.sweeps.copy(), self.converged.copy()
        u = self.unfinished
        for seed, n, ok in zip(u.seeds.tolist(), u.sweeps.tolist(), u.converged.tolist(),
                               strict=True):
            sweeps[where[seed]], converged[where[seed]] = n, ok
        return SweepResult(self.task, self.seeds, sweeps, converged, u.max_sweeps,
                           self.held_out_correct, {**self.settings, "max_sweeps": u.max_sweeps})

    def percentile_of(self, sweeps: float) -> float:
        """The percentage of converged runs that needed fewer sweeps than ``sweeps``.

        Raises ValueError if ``sweeps`` is not a number (an infinity is allowed), or no
        run converged.
        """
        if (isinstance(sweeps, bool) or not isinstance(sweeps, numbers.Real)
                or np.isnan(sweeps)):
            raise ValueError(f"SweepResult.percentile_of: sweeps must be a number, got "
                             f"{sweeps!r}")
        self._some_converged("percentile_of")
        return float(100.0 * np.mean(self.sweeps[self.converged] < sweeps))


@dataclass
class Unfinished:
    """The runs of a cached result that had not converged at its cap, trained on.

    Each was trained on to ``max_sweeps`` (``LONG_SWEEPS``). For a run that still did
    not converge, ``states[seed]`` holds its :class:`EndState` at the first cap and at
    the end, and :func:`classify` names where it is.
    """

    seeds: np.ndarray
    sweeps: np.ndarray  # sweeps to converge when trained on, or max_sweeps
    converged: np.ndarray
    max_sweeps: int
    states: dict[int, tuple[EndState, EndState]]
    further: dict[int, tuple[int, bool]] = field(default_factory=dict)  # level runs ("flat",
    #     "minimum at infinity"): (sweeps, converged) when trained on to FURTHER_SWEEPS

    def __post_init__(self) -> None:
        if not len(self.seeds) == len(self.sweeps) == len(self.converged):
            raise ValueError(f"Unfinished: seeds, sweeps and converged need one entry per seed; "
                             f"got {len(self.seeds)}, {len(self.sweeps)} and "
                             f"{len(self.converged)}")
        missing = [int(seed) for seed, ok in zip(self.seeds, self.converged, strict=True)
                   if not ok and int(seed) not in self.states]
        if missing:
            raise ValueError(f"Unfinished: every run that did not converge needs its states "
                             f"(EndState at the cap, EndState at the end); seed {missing[0]} "
                             "has none")

    def kinds(self) -> dict[int, str]:
        """Each seed's verdict: "plateau" if it converged when trained on, else classify(),
        where a level run that converged when trained on further is a "long plateau"."""
        out = {}
        for seed, ok in zip(self.seeds.tolist(), self.converged.tolist(), strict=True):
            kind = "plateau" if ok else classify(*self.states[seed])
            if self.further.get(seed, (0, False))[1]:  # level, then learned after all
                kind = "long plateau"
            out[seed] = kind
        return out

    def summary(self) -> str:
        """One line: how many of the unfinished runs learned when trained on."""
        n, n_ok = len(self.seeds), int(self.converged.sum())
        text = f"{n_ok} of {n} learned by {self.max_sweeps:,} sweeps"
        if n_ok:
            ok = self.sweeps[self.converged]
            text += f" (after {ok.min():,} to {ok.max():,})"
        return text


def _settings(task: Task, overrides: dict, where: str = "") -> dict:
    unknown = sorted(set(overrides) - set(OVERRIDES))
    if unknown:
        raise ValueError(f"unknown setting {unknown[0]!r}; the settings are: "
                         f"{', '.join(OVERRIDES)}")
    s = {"epsilon": task.epsilon, "alpha": task.alpha, "init_range": INIT_RANGE,
         "max_sweeps": MAX_SWEEPS, "tolerance": TOLERANCE, "error": "sum",
         "inputs": "binary", "sweeps": task.sweeps, "decay": task.decay,
         "warmup": task.warmup, "held_out": task.held_out} | overrides
    choices = {"error": ("sum", "mean"), "inputs": ("binary", "bipolar")}
    for key, valid in choices.items():
        if s[key] not in valid:
            raise ValueError(f"{key} must be one of {', '.join(valid)}; got {s[key]!r}")
    _check_settings(task, s, where)
    return s


def _check_settings(task: Task, s: dict, where: str) -> None:
    """Refuse a setting no run can use, before any training (the values are not changed)."""
    positive, non_negative = "a positive finite number", "a finite non-negative number"
    _number("epsilon", s["epsilon"], where, lambda v: v > 0, positive)
    _number("alpha", s["alpha"], where, lambda v: v >= 0, non_negative)
    _number("init_range", s["init_range"], where, lambda v: v >= 0, non_negative)
    _non_negative_int("max_sweeps", s["max_sweeps"], where)
    _number("tolerance", s["tolerance"], where, lambda v: v > 0, positive)
    if s["sweeps"] is not None:
        _non_negative_int("sweeps", s["sweeps"], where)
    _number("decay", s["decay"], where, lambda v: 0 <= v < 1, "a number in [0, 1)")
    warmup = s["warmup"]
    if warmup is not None:
        if not isinstance(warmup, tuple | list) or len(warmup) != 3:
            raise ValueError(f"{where}: warmup must be None or (sweeps, epsilon, alpha), e.g. "
                             f"{FAMILY_WARMUP}; got {warmup!r}")
        _non_negative_int("warmup's sweeps", warmup[0], where)
        _number("warmup's epsilon", warmup[1], where, lambda v: v > 0, positive)
        _number("warmup's alpha", warmup[2], where, lambda v: v >= 0, non_negative)
    n_cases = len(task_data(task.name)[0])
    if not 0 <= _non_negative_int("held_out", s["held_out"], where) < n_cases:
        raise ValueError(f"{where}: held_out must leave at least one of the {n_cases} cases of "
                         f"{task.name} to train on; got {s['held_out']}")


def _seeds(seeds: object) -> np.ndarray:
    message = ("seeds must be a positive int (that many seeds: 0, 1, ..., n - 1) or a "
               f"non-empty sequence of non-negative int seeds; got {seeds!r}")
    if isinstance(seeds, numbers.Integral) and not isinstance(seeds, bool):
        if seeds < 1:
            raise ValueError(message)
        return np.arange(int(seeds))
    try:
        out = np.array(list(seeds))  # type: ignore[call-overload]
    except TypeError as err:
        raise ValueError(message) from err
    if out.size == 0 or out.dtype.kind not in "iu" or out.ndim != 1 or (out < 0).any():
        raise ValueError(message)
    return out.astype(np.int64)


def _initial(task: Task, seed: int, s: dict, n_cases: int) -> tuple[dict, np.ndarray]:
    """Initial weights, uniform in [-r, r], and the held-out cases, both from ``seed``."""
    rng = np.random.default_rng(int(seed))
    held = np.zeros(0, dtype=np.int64)
    if s["held_out"]:
        held = np.sort(rng.choice(n_cases, size=s["held_out"], replace=False))
    r = s["init_range"]
    sizes = task.layers
    params: dict = {"W": [], "b": [], "D": None}
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:], strict=True):
        params["W"].append(rng.uniform(-r, r, (fan_in, fan_out)))
        params["b"].append(rng.uniform(-r, r, (1, fan_out)))
    if task.groups:
        params["W"][0] *= _group_mask(task)
    if task.direct:
        params["D"] = rng.uniform(-r, r, (sizes[0], sizes[-1]))
    return params, held


def _group_mask(task: Task) -> np.ndarray:
    """Each input group connects only to its own share of the first hidden layer."""
    mask = np.zeros(task.layers[:2])
    per_group = task.layers[1] // len(task.groups)
    start = 0
    for k, size in enumerate(task.groups):
        mask[start:start + size, k * per_group:(k + 1) * per_group] = 1.0
        start += size
    return mask


def _views(theta: np.ndarray, task: Task) -> dict:
    """``params`` as views into one flat array ``theta`` of shape (seeds, n_weights)."""
    S, offset = theta.shape[0], 0

    def take(shape: tuple[int, int]) -> np.ndarray:
        nonlocal offset
        size = shape[0] * shape[1]
        view = theta[:, offset:offset + size].reshape(S, *shape)
        offset += size
        return view

    pairs = list(zip(task.layers[:-1], task.layers[1:], strict=True))
    params = {"W": [take(pair) for pair in pairs], "b": [take((1, n)) for _, n in pairs]}
    params["D"] = take((task.layers[0], task.layers[-1])) if task.direct else None
    return params


def _n_weights(task: Task) -> int:
    pairs = list(zip(task.layers[:-1], task.layers[1:], strict=True))
    n = sum(a * b + b for a, b in pairs)
    return n + (task.layers[0] * task.layers[-1] if task.direct else 0)


def _train(task: Task, seeds: np.ndarray, s: dict) -> dict:
    """Train one network per seed, all at once: the seeds are the leading axis.

    The weights of all the seeds live in one array ``theta`` (seeds, n_weights),
    so a weight change is three array operations. A seed whose run has stopped
    is copied out and dropped from the batch.
    """
    X_all, D_all = task_data(task.name)
    if s["inputs"] == "bipolar":
        X_all = 2.0 * X_all - 1.0
    n, n_w = len(seeds), _n_weights(task)
    theta = np.zeros((n, n_w))
    held = []
    for i, seed in enumerate(seeds):
        p, h = _initial(task, seed, s, len(X_all))
        target = _views(theta[i:i + 1], task)
        for key in ("W", "b"):
            for dst, src in zip(target[key], p[key], strict=True):
                dst[0] = src
        if task.direct:
            target["D"][0] = p["D"]
        held.append(h)
    held_arr = np.array(held, dtype=np.int64).reshape(n, -1)
    train = np.stack([np.setdiff1d(np.arange(len(X_all)), h) for h in held_arr])
    X, D = X_all[train], D_all[train]  # (seeds, training cases, units)
    scale = 1.0 if s["error"] == "sum" else 1.0 / X.shape[1]
    mask = np.ones(n_w)  # 0 for the absent connections between input groups
    if task.groups:
        _views(mask[None], task)["W"][0][0] *= _group_mask(task)
    fixed = s["sweeps"]
    cap = fixed if fixed is not None else s["max_sweeps"]
    final, history = theta.copy(), np.full((n, cap + 1), np.nan)
    first_ok = np.full(n, -1)
    rows = np.arange(n)  # which seeds are still in the batch
    change, grad = np.zeros_like(theta), np.empty_like(theta)
    params, grads = _views(theta, task), _views(grad, task)
    for t in range(cap + 1):
        acts = _forward(params, X)
        y = acts[-1]
        e = scale * _output_error(y, D, task.margin)
        history[rows, t] = 0.5 / scale * np.einsum("sij,sij->s", e, e)
        if task.margin is not None:
            ok = ~np.any(e, axis=(1, 2))
        else:
            ok = np.all(np.abs(y - D) <= s["tolerance"], axis=(1, 2))
        first_ok[rows[ok & (first_ok[rows] < 0)]] = t
        done = np.full(len(rows), t == cap) | (ok if fixed is None else False)
        if done.any():  # copy the finished seeds out and shrink the batch
            final[rows[done]] = theta[done]
            keep = ~done
            rows, theta, change = rows[keep], theta[keep], change[keep]
            grad, X, D = grad[keep], X[keep], D[keep]
            if not rows.size:
                break
            params, grads = _views(theta, task), _views(grad, task)
            acts = [a[keep] for a in acts]
            e = e[keep]
        _backward(params, acts, e, grads)
        eps, alpha = s["epsilon"], s["alpha"]
        if s["warmup"] is not None and t < s["warmup"][0]:
            _, eps, alpha = s["warmup"]
        change *= alpha
        change -= eps * (grad * mask)  # eq. (9): dw(t) = -eps dE/dw + alpha dw(t-1)
        theta += change
        if s["decay"]:
            theta *= 1.0 - s["decay"]  # Fig. 4: shrink every weight after each change
    converged = first_ok >= 0
    return {"theta": final, "held": held_arr, "X_all": X_all, "D_all": D_all,
            "history": history, "sweeps": np.where(converged, first_ok, cap),
            "converged": converged, "cap": cap}


def _held_out_correct(y: np.ndarray, d: np.ndarray) -> int:
    """Cases whose every output is on the right side of 0.5."""
    return int(np.sum(np.all((y > 0.5) == (d == 1), axis=-1)))


def run(task: str, seed: int = 0, **overrides: object) -> Result:
    """Train the paper's network for ``task`` with the paper's procedure.

    Parameters
    ----------
    task : str
        One of ``TASKS``: "xor", "xor_direct", "symmetry", "parity", "encoder",
        "family_trees".
    seed : int
        Seeds the initial weights (uniform in [-0.3, 0.3]) and, for the family
        trees, which 4 of the 104 cases are held out.
    **overrides
        Change a setting: ``epsilon``, ``alpha``, ``init_range``, ``max_sweeps``
        (default 20,000), ``tolerance`` (0.1), ``error`` ("sum", the paper's, or
        "mean"), ``inputs`` ("binary", the paper's 0/1, or "bipolar" for -1/+1),
        ``sweeps`` (a fixed length; the family trees' is 1,500), ``decay``,
        ``warmup``, ``held_out``.

    Returns
    -------
    Result
        Training stops once every output is within ``tolerance`` of its target
        (for the family trees, beyond the 0.2/0.8 margin) or at the cap; the
        family trees train for the paper's fixed 1,500 sweeps and ``sweeps`` is
        the first at which the margin criterion held.

    Raises
    ------
    ValueError
        Before any training: if ``task`` is not one of ``TASKS``, ``seed`` is not a
        non-negative int, or a setting is unknown or out of range (``epsilon`` and
        ``tolerance`` positive; ``alpha``, ``init_range`` non-negative; ``max_sweeps``,
        ``sweeps`` non-negative ints; ``decay`` in [0, 1); ``warmup`` None or
        (sweeps, epsilon, alpha); ``held_out`` leaving a case to train on).
    """
    spec = _task(task)
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise ValueError(f"run: seed must be one of the non-negative int seeds 0, 1, 2, ...; "
                         f"got {seed!r}")
    seed = int(_seeds([seed])[0])
    trained = _train(spec, np.array([seed]), _settings(spec, overrides, "run"))
    params = {key: (None if value is None else [v[0] for v in value]
                    if isinstance(value, list) else value[0])
              for key, value in _views(trained["theta"], spec).items()}
    acts = forward(params, trained["X_all"])
    held = trained["held"][0]
    correct = (_held_out_correct(acts[-1][held], trained["D_all"][held])
               if held.size else None)
    history = trained["history"][0]
    return Result(
        task=spec.name, seed=seed, sweeps=int(trained["sweeps"][0]),
        converged=bool(trained["converged"][0]),
        weights=[W.copy() for W in params["W"]], biases=[b.ravel() for b in params["b"]],
        direct=None if params["D"] is None else params["D"].copy(),
        hidden=acts[1:-1], outputs=acts[-1], history=history[~np.isnan(history)],
        held_out=held, held_out_correct=correct,
    )


def sweep(task: str, seeds: int | Iterable[int] = 20, **overrides: object) -> SweepResult:
    """Train ``task`` from many seeds (all at once) and collect the sweeps each needed.

    ``seeds`` is a number of seeds (0, 1, ..., n - 1) or a list of seeds; the
    overrides are those of :func:`run`, whose results this matches seed by seed.
    Bad arguments raise ValueError before any training, as for :func:`run`.
    """
    spec = _task(task)
    seed_arr = _seeds(seeds)
    s = _settings(spec, overrides, "sweep")
    trained = _train(spec, seed_arr, s)
    correct = None
    if s["held_out"]:
        y = forward(_views(trained["theta"], spec), trained["X_all"])[-1]
        correct = np.array([_held_out_correct(y[i][h], trained["D_all"][h])
                            for i, h in enumerate(trained["held"])])
    return SweepResult(spec.name, seed_arr, trained["sweeps"], trained["converged"],
                       trained["cap"], correct, dict(overrides), trained["theta"])


# ------------------------------------------------------------ the cached results
# (name, task, number of seeds, overrides): what the chapter reports
CACHED_RUNS = [
    ("xor", "xor", 200, {}),
    ("xor, epsilon 0.25", "xor", 200, {"epsilon": XOR_STUCK_EPSILON}),
    ("xor_direct", "xor_direct", 200, {}),
    ("symmetry", "symmetry", 200, {}),
    ("symmetry, mean error", "symmetry", 100, {"error": "mean"}),
    ("symmetry, -1/+1 inputs", "symmetry", 100, {"inputs": "bipolar"}),
    ("parity", "parity", 100, {}),
    ("encoder", "encoder", 100, {}),
    ("encoder, epsilon 0.5", "encoder", 100, {"epsilon": XOR_EPSILON}),
    ("family_trees", "family_trees", 50, {}),
    ("family_trees, no decay", "family_trees", 20, {"decay": 0.0, "sweeps": None}),
]
# the runs whose unfinished seeds are trained on to LONG_SWEEPS and measured (EndState)
TRAINED_ON = ("xor", "xor, epsilon 0.25", "xor_direct", "symmetry", "parity",
              "encoder, epsilon 0.5")
# (name, task, seed, overrides): single networks the chapter draws, too slow to rerun there
CACHED_NETWORKS = [
    ("family_trees, no decay, seed 0", "family_trees", 0, {"decay": 0.0, "sweeps": None}),
]
HISTORY_POINTS = 400  # a cached network keeps its error at this many log-spaced sweeps


def _train_on(res: SweepResult) -> dict:
    """Train the unfinished seeds of ``res`` on to LONG_SWEEPS; measure those still unfinished."""
    stopped = np.flatnonzero(~res.converged)
    seeds = res.seeds[stopped]
    if not seeds.size:
        return {"seeds": [], "sweeps": [], "converged": [], "max_sweeps": LONG_SWEEPS,
                "states": {}, "further": {}}
    on = sweep(res.task, seeds, **{**res.settings, "max_sweeps": LONG_SWEEPS})
    X, D = task_data(res.task)
    states, flat = {}, []
    for k, i in enumerate(stopped):
        if not on.converged[k]:
            before = end_state(res.network(int(i)), X, D)
            after = end_state(on.network(k), X, D)
            states[str(int(seeds[k]))] = [before.to_json(), after.to_json()]
            if classify(before, after) in ("flat", "minimum at infinity"):
                flat.append(int(seeds[k]))
    further = {}
    if flat:
        longer = sweep(res.task, flat, **{**res.settings, "max_sweeps": FURTHER_SWEEPS})
        further = {str(seed): [int(n), bool(ok)] for seed, n, ok
                   in zip(flat, longer.sweeps, longer.converged, strict=True)}
    return {"seeds": seeds.tolist(), "sweeps": on.sweeps.tolist(),
            "converged": on.converged.tolist(), "max_sweeps": LONG_SWEEPS, "states": states,
            "further": further}


def _unfinished(d: dict | None) -> Unfinished | None:
    if d is None:
        return None
    states = {int(seed): (EndState.from_json(a), EndState.from_json(b))
              for seed, (a, b) in d["states"].items()}
    further = {int(seed): (int(n), bool(ok)) for seed, (n, ok) in d.get("further", {}).items()}
    return Unfinished(np.array(d["seeds"], dtype=np.int64), np.array(d["sweeps"], dtype=np.int64),
                      np.array(d["converged"], dtype=bool), d["max_sweeps"], states, further)


def _network_json(result: Result) -> dict:
    n = len(result.history)
    keep = np.unique(np.concatenate([[0, n - 1], np.geomspace(1, n, HISTORY_POINTS) - 1])
                     .round().astype(int))
    return {"sweeps": result.sweeps, "converged": result.converged,
            "weights": [W.tolist() for W in result.weights],
            "biases": [b.tolist() for b in result.biases],
            "history_sweeps": keep.tolist(), "history": result.history[keep].tolist(),
            "held_out": result.held_out.tolist(),
            "held_out_correct": result.held_out_correct}


def _path(path: object, where: str) -> Path:
    if not isinstance(path, str | os.PathLike):
        raise TypeError(f"{where}: path must be a file path (str or Path), got "
                        f"{type(path).__name__} {path!r:.40}")
    return Path(path)


def _results(path: object, key: str, where: str) -> dict:
    """The ``key`` part ("runs" or "networks") of the results file at ``path``."""
    path = _path(path, where)
    if not path.is_file():
        raise FileNotFoundError(
            f"{where}: no results file at {path}"
            + (" (it is a directory)" if path.is_dir() else "")
            + "; the package's own is paper1986.RESULTS_FILE, made by "
            "python -m backprop_course.experiments.paper1986 --regenerate"
        )
    try:
        content = json.loads(path.read_text())
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise ValueError(f"{where}: {path} is not a results file (not JSON: {err})") from None
    if not isinstance(content, dict) or not isinstance(content.get(key), dict):
        raise ValueError(f"{where}: {path} is not a paper1986 results file: it has no "
                         f"{key!r} (make one with regenerate())")
    return content[key]


def regenerate(path: Path | str = RESULTS_FILE) -> dict:
    """Run every entry of ``CACHED_RUNS`` and write the results to ``path`` (JSON).

    This takes hours. ``path`` is checked first, so that the work is not lost at the
    end: TypeError if it is not a path, FileNotFoundError if its folder does not
    exist, IsADirectoryError if it is a folder, PermissionError if it cannot be written.
    """
    target = _path(path, "regenerate")
    if target.is_dir():
        raise IsADirectoryError(f"regenerate: {target} is a directory; pass a file path such "
                                "as paper1986_results.json")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise FileNotFoundError(f"regenerate: the folder {folder} of {target} does not exist")
    if not os.access(target if target.exists() else folder, os.W_OK):
        raise PermissionError(f"regenerate: {target} cannot be written")
    runs = {}
    for name, task, n, overrides in CACHED_RUNS:
        res = sweep(task, n, **overrides)
        runs[name] = {"task": task, "overrides": overrides, "seeds": res.seeds.tolist(),
                      "sweeps": res.sweeps.tolist(), "converged": res.converged.tolist(),
                      "max_sweeps": res.max_sweeps,
                      "held_out_correct": None if res.held_out_correct is None
                      else res.held_out_correct.tolist(),
                      "unfinished": _train_on(res) if name in TRAINED_ON else None}
    networks = {}
    for name, task, seed, overrides in CACHED_NETWORKS:
        networks[name] = {"task": task, "seed": seed, "overrides": overrides,
                          **_network_json(run(task, seed, **overrides))}
    content = {"command": "python -m backprop_course.experiments.paper1986 --regenerate",
               "runs": runs, "networks": networks}
    Path(path).write_text(json.dumps(content, indent=1) + "\n")
    return content


def regenerate_unfinished(path: Path | str = RESULTS_FILE) -> dict:
    """Recompute only the ``"unfinished"`` entries of the file (the runs of ``TRAINED_ON``).

    Each run is repeated to its cap first, and must give the sweeps the file holds,
    so the entries always describe the file's own runs; the rest of the file (some
    of it a record of long, round-off-sensitive runs) is left as it is.
    """
    content = json.loads(Path(path).read_text())
    runs = content["runs"]
    unknown = [name for name in TRAINED_ON if name not in runs]
    if unknown:
        raise ValueError(f"{unknown[0]!r} is not in {path}; run --regenerate first")
    for name in runs:
        r = runs[name]
        if name not in TRAINED_ON:
            r["unfinished"] = None
            continue
        res = sweep(r["task"], r["seeds"], **r["overrides"])
        if res.sweeps.tolist() != r["sweeps"]:
            raise RuntimeError(f"{name}: a fresh run no longer gives the file's sweeps; "
                               "run --regenerate")
        r["unfinished"] = _train_on(res)
    Path(path).write_text(json.dumps(content, indent=1) + "\n")
    return content


def load_results(path: Path | str = RESULTS_FILE) -> dict[str, SweepResult]:
    """The cached many-seed results, by name (see ``CACHED_RUNS``).

    Raises TypeError if ``path`` is not a path, FileNotFoundError if there is no
    file, ValueError if the file is not a results file.
    """
    out = {}
    for name, r in _results(path, "runs", "load_results").items():
        correct = r["held_out_correct"]
        out[name] = SweepResult(r["task"], np.array(r["seeds"]), np.array(r["sweeps"]),
                                np.array(r["converged"], dtype=bool), r["max_sweeps"],
                                None if correct is None else np.array(correct),
                                r["overrides"], unfinished=_unfinished(r.get("unfinished")))
    return out


def load_network(name: str, path: Path | str = RESULTS_FILE) -> tuple[Result, np.ndarray]:
    """A cached network (see ``CACHED_NETWORKS``), its activities recomputed.

    Its ``history`` holds E at the sweeps listed in ``history_sweeps`` only
    (log-spaced), which is returned as the second value.

    Raises ValueError if there is no cached network ``name`` (the message lists
    them), and as :func:`load_results` for ``path``.
    """
    content = _results(path, "networks", "load_network")
    if not isinstance(name, str) or name not in content:
        raise ValueError(f"no cached network {name!r}; the cached networks are: "
                         f"{', '.join(content)}")
    r = content[name]
    spec = _task(r["task"])
    weights = [np.array(W) for W in r["weights"]]
    biases = [np.array(b) for b in r["biases"]]
    X, D = task_data(spec.name)
    acts = forward({"W": weights, "b": biases, "D": None}, X)
    return Result(
        task=spec.name, seed=r["seed"], sweeps=r["sweeps"], converged=r["converged"],
        weights=weights, biases=biases, direct=None, hidden=acts[1:-1], outputs=acts[-1],
        history=np.array(r["history"]), held_out=np.array(r["held_out"], dtype=np.int64),
        held_out_correct=r["held_out_correct"],
    ), np.array(r["history_sweeps"])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--regenerate", action="store_true",
                        help=f"re-run the cached experiments and rewrite {RESULTS_FILE.name}")
    parser.add_argument("--unfinished", action="store_true",
                        help="recompute only the unfinished runs trained on to "
                             f"{LONG_SWEEPS:,} sweeps")
    args = parser.parse_args(argv)
    if args.unfinished:
        content = regenerate_unfinished()
        for name, r in content["runs"].items():
            if r["unfinished"] is not None:
                print(f"{name:24s} {len(r['unfinished']['seeds']):3d} unfinished, "
                      f"{sum(r['unfinished']['converged']):3d} learned by {LONG_SWEEPS:,}")
    elif args.regenerate:
        content = regenerate()
        for name, r in content["runs"].items():
            ok = np.array(r["converged"])
            print(f"{name:24s} {ok.mean():6.1%} converged, median "
                  f"{np.median(np.array(r['sweeps'])[ok]) if ok.any() else float('nan'):8.0f}")
    else:
        parser.print_help()


if __name__ == "__main__":
    main()
