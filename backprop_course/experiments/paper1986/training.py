"""Training a task's network from many seeds at once: ``run`` and ``sweep``."""

from __future__ import annotations

import numbers
from collections.abc import Iterable

import numpy as np

from ...data import _non_negative_int, _number
from ...sigmoid_nets import _backward, _forward, _output_error, forward
from .results import Result, SweepResult
from .tasks import (
    FAMILY_WARMUP,
    INIT_RANGE,
    MAX_SWEEPS,
    OVERRIDES,
    TOLERANCE,
    Task,
    _group_mask,
    _n_weights,
    _task,
    _views,
    task_data,
)

__all__ = ["run", "sweep"]


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
