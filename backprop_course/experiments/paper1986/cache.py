"""The chapter's many-seed results, cached in ``paper1986_results.json``, and the CLI."""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

import numpy as np

from ...sigmoid_nets import forward
from . import __doc__ as _package_doc
from .analysis import EndState, classify, end_state
from .results import Result, SweepResult, Unfinished
from .tasks import FURTHER_SWEEPS, LONG_SWEEPS, XOR_EPSILON, XOR_STUCK_EPSILON, _task, task_data
from .training import run, sweep

__all__ = ["RESULTS_FILE", "load_results", "load_network", "regenerate"]

# the file stays beside the package (package data of backprop_course.experiments)
RESULTS_FILE = Path(__file__).parent.with_name("paper1986_results.json")


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
    parser = argparse.ArgumentParser(description=_package_doc.splitlines()[0])
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

