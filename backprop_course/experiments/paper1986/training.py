"""Training a task's network from many seeds at once: ``run`` and ``sweep``."""

from __future__ import annotations

import numbers
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

from ... import sigmoid_nets
from ...checks import int_at_least, real_number
from ...sigmoid_nets import TrainSettings, forward, pack, views
from .results import Result, SweepResult
from .tasks import (
    INIT_RANGE,
    MAX_SWEEPS,
    OVERRIDES,
    TOLERANCE,
    Task,
    _group_mask,
    _task,
    _views,
    task_data,
)

__all__ = ["run", "sweep"]


@dataclass(frozen=True)
class _Settings:
    """A run's settings, the task's with ``run``'s or ``sweep``'s overrides, checked once."""

    train: TrainSettings  # how the weights change, and when a run stops
    init_range: float  # initial weights uniform in [-init_range, init_range]
    inputs: str  # "binary" (the paper's 0/1) or "bipolar" (-1/+1)
    held_out: int  # cases held out of training, chosen by the seed


def _settings(task: Task, overrides: dict, where: str = "") -> _Settings:
    """The settings of ``task`` with ``overrides``; ValueError for one no run can use,
    before any training (the values are not changed)."""
    unknown = sorted(set(overrides) - set(OVERRIDES))
    if unknown:
        raise ValueError(f"unknown setting {unknown[0]!r}; the settings are: "
                         f"{', '.join(OVERRIDES)}")
    s = {"epsilon": task.epsilon, "alpha": task.alpha, "init_range": INIT_RANGE,
         "max_sweeps": MAX_SWEEPS, "tolerance": TOLERANCE, "error": "sum",
         "inputs": "binary", "sweeps": task.sweeps, "decay": task.decay,
         "warmup": task.warmup, "held_out": task.held_out, "one_sided": False,
         "decay_biases": True} | overrides
    if s["inputs"] not in ("binary", "bipolar"):
        raise ValueError(f"inputs must be one of binary, bipolar; got {s['inputs']!r}")
    real_number(s["init_range"], "init_range", "a finite non-negative number", lambda v: v >= 0,
                where, finite=True)
    int_at_least(s["max_sweeps"], 0, "max_sweeps", where)
    fixed = s["sweeps"]  # a fixed length, or None: stop once the criterion holds
    if fixed is not None:
        int_at_least(fixed, 0, "sweeps", where)
    n_cases = len(task_data(task.name)[0])
    if not 0 <= int_at_least(s["held_out"], 0, "held_out", where) < n_cases:
        raise ValueError(f"{where}: held_out must leave at least one of the {n_cases} cases of "
                         f"{task.name} to train on; got {s['held_out']}")
    train = TrainSettings(s["epsilon"], s["alpha"], s["max_sweeps"] if fixed is None else fixed,
                          stop=fixed is None, tolerance=s["tolerance"], margin=task.margin,
                          error=s["error"], warmup=s["warmup"], decay=s["decay"],
                          one_sided=s["one_sided"], decay_biases=s["decay_biases"], caller=where)
    return _Settings(train, s["init_range"], s["inputs"], s["held_out"])


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


def _initial(task: Task, seed: int, s: _Settings, n_cases: int) -> tuple[dict, np.ndarray]:
    """Initial weights, uniform in [-r, r], and the held-out cases, both from ``seed``."""
    rng = np.random.default_rng(int(seed))
    held = np.zeros(0, dtype=np.int64)
    if s.held_out:
        held = np.sort(rng.choice(n_cases, size=s.held_out, replace=False))
    r = s.init_range
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


def _train(task: Task, seeds: np.ndarray, s: _Settings, held: np.ndarray | None = None,
           monitor: Callable | None = None) -> dict:
    """Train one network per seed, all at once, with the shared trainer
    (:func:`backprop_course.sigmoid_nets.train`): the seeds are the leading axis, and the
    weights of all of them live in one array ``theta`` (seeds, n_weights). ``held``
    (seeds, k), if given, are the cases each seed holds out instead of those its seed
    draws (the initial weights stay those of the seed); ``monitor`` goes to the trainer."""
    X_all, D_all = task_data(task.name)
    if s.inputs == "bipolar":
        X_all = 2.0 * X_all - 1.0
    initial = [_initial(task, seed, s, len(X_all)) for seed in seeds]
    stacked = {key: [np.stack(arrays) for arrays in zip(*(p[key] for p, _ in initial),
                                                        strict=True)] for key in ("W", "b")}
    stacked["D"] = np.stack([p["D"] for p, _ in initial]) if task.direct else None
    theta = pack(stacked)
    held_arr = np.array([h for _, h in initial], dtype=np.int64).reshape(len(seeds), -1)
    if held is not None:
        held_arr = np.sort(np.asarray(held, dtype=np.int64), axis=1)
    train = np.stack([np.setdiff1d(np.arange(len(X_all)), h) for h in held_arr])
    X, D = X_all[train], D_all[train]  # (seeds, training cases, units)
    mask = None  # or 0 for the absent connections between input groups
    if task.groups:
        mask = np.ones(theta.shape[1])
        views(mask[None], task.layers, task.direct)["W"][0][0] *= _group_mask(task)
    out = sigmoid_nets.train(s.train, theta, task.layers, X, D, task.direct, mask, monitor)
    return {"theta": out.theta, "held": held_arr, "train": train, "X_all": X_all,
            "D_all": D_all, "history": out.history, "sweeps": out.sweeps,
            "converged": out.converged, "cap": s.train.sweeps, "mask": mask}


def _held_out_correct(y: np.ndarray, d: np.ndarray) -> int:
    """Cases whose every output is on the right side of 0.5 (the 0.5 rule)."""
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


def sweep(task: str, seeds: int | Iterable[int] = 20, *, held: object = None,
          **overrides: object) -> SweepResult:
    """Train ``task`` from many seeds (all at once) and collect the sweeps each needed.

    ``seeds`` is a number of seeds (0, 1, ..., n - 1) or a list of seeds; the
    overrides are those of :func:`run`, whose results this matches seed by seed.
    ``held``, for a task with held-out cases (the family trees): the cases each seed
    holds out, one row of distinct case numbers per seed, instead of those its seed
    draws (the seed still draws the initial weights). For such a task the result also
    counts, per seed, the training cases right by the 0.5 rule (``train_correct``) and
    those with no error left beyond the margin (``train_strict``).
    Bad arguments raise ValueError before any training, as for :func:`run`.
    """
    spec = _task(task)
    seed_arr = _seeds(seeds)
    s = _settings(spec, overrides, "sweep")
    held = _check_held(held, len(seed_arr), len(task_data(spec.name)[0]))
    trained = _train(spec, seed_arr, s, held)
    counts: dict = {}
    if s.held_out or held is not None:
        y = forward(_views(trained["theta"], spec), trained["X_all"])[-1]
        D_all = trained["D_all"]
        right = np.all((y > 0.5) == (D_all == 1), axis=-1)  # (seeds, cases): the 0.5 rule
        done = ~np.any(sigmoid_nets.output_error(y, D_all, s.train.margin, s.train.one_sided),
                       axis=-1)  # no error left: every output beyond the margin
        counts = {"held_out": trained["held"],
                  "train_correct": np.take_along_axis(right, trained["train"], 1).sum(1),
                  "train_strict": np.take_along_axis(done, trained["train"], 1).sum(1)}
        correct = np.take_along_axis(right, trained["held"], 1).sum(1)
    return SweepResult(spec.name, seed_arr, trained["sweeps"], trained["converged"],
                       trained["cap"], correct if counts else None, dict(overrides),
                       trained["theta"], **counts)


def _check_held(held: object, n_seeds: int, n_cases: int) -> np.ndarray | None:
    """``held`` as (seeds, k) distinct case numbers per row, or None."""
    if held is None:
        return None
    arr = np.asarray(held)
    if (arr.dtype.kind not in "iu" or arr.ndim != 2 or arr.shape[0] != n_seeds
            or not 0 < arr.shape[1] < n_cases or arr.min() < 0 or arr.max() >= n_cases
            or any(len(set(row)) != len(row) for row in arr.tolist())):
        raise ValueError(f"sweep: held must be one row of distinct case numbers (0 to "
                         f"{n_cases - 1}) per seed, {n_seeds} rows, leaving cases to train on; "
                         f"got {held!r:.60}")
    return arr.astype(np.int64)
