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
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .. import data

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


# ------------------------------------------------------------ forward and backward
def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * z))  # = 1 / (1 + e^-z), without overflow


def forward(params: dict, X: np.ndarray) -> list[np.ndarray]:
    """Every layer's activity, ``[X, a_1, ..., y]``, for a batch of patterns ``X``.

    ``params`` holds lists ``"W"`` and ``"b"`` and, for a net with direct
    connections, ``"D"``; arrays may carry a leading axis of seeds.
    """
    acts = [X]
    for layer, (W, b) in enumerate(zip(params["W"], params["b"], strict=True)):
        z = acts[-1] @ W + b  # eq. (1): the total input, the bias as a weight
        if layer == len(params["W"]) - 1 and params.get("D") is not None:
            z = z + X @ params["D"]  # the direct input-to-output connections
        acts.append(_sigmoid(z))  # eq. (2)
    return acts


def output_error(y: np.ndarray, d: np.ndarray, margin: float | None = None) -> np.ndarray:
    """dE/dy = y - d (eq. 4), zero where an output is already beyond the margin."""
    e = y - d
    if margin is not None:  # Fig. 4: on-units above 1 - margin, off-units below it
        e = np.where(((d == 1) & (y > 1 - margin)) | ((d == 0) & (y < margin)), 0.0, e)
    return e


@functools.lru_cache(maxsize=16)
def _ones(shape: tuple[int, ...]) -> np.ndarray:
    ones = np.ones(shape)
    ones.flags.writeable = False
    return ones


def backward(params: dict, acts: list[np.ndarray], e: np.ndarray, grads: dict) -> None:
    """Backpropagate dE/dy = ``e`` through the net; write dE/dw into ``grads``.

    ``acts`` is what :func:`forward` returned; ``grads`` has the structure of
    ``params`` (arrays of the same shapes), and every entry is overwritten.
    The error is summed over the patterns, so every gradient is a sum over them.
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
    """
    acts = forward(params, X)
    grads = {key: ([np.empty_like(p) for p in value] if isinstance(value, list)
                   else None if value is None else np.empty_like(value))
             for key, value in params.items()}
    backward(params, acts, output_error(acts[-1], D, margin), grads)
    return grads, acts[-1]


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


def _check_single(params: dict) -> None:
    if not isinstance(params, dict) or "W" not in params or "b" not in params:
        raise ValueError("params must be a dict with lists 'W' and 'b' (and 'D' or None), "
                         "as Result and SweepResult.network give")
    for W in params["W"]:
        if np.ndim(W) != 2:
            raise ValueError("params must hold one network: every W two-dimensional, "
                             f"got an array of shape {np.shape(W)} (use SweepResult.network(i))")


def hessian(params: dict, X: np.ndarray, D: np.ndarray) -> np.ndarray:
    """The exact Hessian of E = 1/2 sum (y - d)^2 with respect to every weight of one net.

    The weights are numbered as :func:`end_state` numbers them: each W (row by row),
    then each bias, then the direct connections D. The error is written with
    :class:`~backprop_course.tensor.Tensor` operations and differentiated twice by
    :func:`backprop_course.higher.hessian` (reverse over reverse, no finite differences),
    so even eigenvalues of 1e-12 are right to round-off, not to a step size.
    """
    from ..higher import hessian as _hessian
    from ..tensor import Tensor

    _check_single(params)
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

    def to_json(self) -> dict:
        return {"error": self.error, "gradient_norm": self.gradient_norm,
                "weight_norm": self.weight_norm, "eigenvalues": self.eigenvalues.tolist(),
                "ray_error": self.ray_error}

    @classmethod
    def from_json(cls, d: dict) -> EndState:
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
    """
    _check_single(params)
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
    """
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

    def network(self, i: int) -> dict:
        """The final weights of the ``i``-th seed's net: ``{"W": [...], "b": [...], "D": ...}``."""
        if self.theta is None:
            raise ValueError("this result holds no weights (it was loaded from the cache)")
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
        """Quantiles of the sweeps of the converged runs."""
        return np.quantile(self.sweeps[self.converged], list(q))

    def summary(self) -> str:
        """One line: how many converged, the median sweeps and the middle half."""
        n_ok, n = int(self.converged.sum()), len(self.seeds)
        text = f"{n_ok}/{n} converged within {self.max_sweeps:,} sweeps"
        if n_ok:
            low, high = self.quantiles()
            text += f"; median {self.median:,.0f}, middle half {low:,.0f}-{high:,.0f}"
        return text

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
        """The percentage of converged runs that needed fewer sweeps than ``sweeps``."""
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


def _settings(task: Task, overrides: dict) -> dict:
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
    return s


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
        acts = forward(params, X)
        y = acts[-1]
        e = scale * output_error(y, D, task.margin)
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
        backward(params, acts, e, grads)
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
    """
    spec = _task(task)
    seed = int(_seeds([seed])[0])
    trained = _train(spec, np.array([seed]), _settings(spec, overrides))
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
    """
    spec = _task(task)
    seed_arr = _seeds(seeds)
    s = _settings(spec, overrides)
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


def regenerate(path: Path | str = RESULTS_FILE) -> dict:
    """Run every entry of ``CACHED_RUNS`` and write the results to ``path`` (JSON)."""
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
    """The cached many-seed results, by name (see ``CACHED_RUNS``)."""
    content = json.loads(Path(path).read_text())
    out = {}
    for name, r in content["runs"].items():
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
    """
    content = json.loads(Path(path).read_text())["networks"]
    if name not in content:
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
