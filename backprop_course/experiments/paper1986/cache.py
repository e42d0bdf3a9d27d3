"""The chapter's many-seed results, cached in ``paper1986_results.json``, and the CLI.

What the file holds is listed in :mod:`.catalogue`; :func:`regenerate` makes it (or
some entries of it), :func:`check_cache` checks it against the code without rerunning
it, and the ``load_*`` functions read it.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

import numpy as np

from ...sigmoid_nets import forward
from . import __doc__ as _package_doc
from .analysis import EndState, Settled, end_state, settle
from .catalogue import (
    CACHED_NETWORKS,
    CACHED_RUNS,
    KEEP_WEIGHTS,
    PROBE_AT,
    PROBE_RTOL,
    PROBE_SEEDS,
    ROTATIONS,
    TRACES,
    TRAINED_ON,
    X10,
    log_spaced,
    probe,
    task_settings,
)
from .family import LayerBalance, Rotation, layer_balance, rotation
from .results import Result, SweepResult, Unfinished
from .tasks import FURTHER_SWEEPS, LONG_SWEEPS, _task, task_data
from .training import run, sweep

__all__ = ["RESULTS_FILE", "load_results", "load_network", "load_rotation", "load_trace",
           "check_cache", "regenerate"]

# the file stays beside the package (package data of backprop_course.experiments)
RESULTS_FILE = Path(__file__).parent.with_name("paper1986_results.json")


# ------------------------------------------------------------ making the entries
def _train_on(res: SweepResult) -> dict:
    """Train the unfinished seeds of ``res`` on to LONG_SWEEPS, those still unfinished to
    FURTHER_SWEEPS, and measure where those still unfinished then are."""
    seeds = res.seeds[~res.converged]
    out = {"seeds": seeds.tolist(), "sweeps": [], "converged": [], "max_sweeps": LONG_SWEEPS,
           "further_sweeps": FURTHER_SWEEPS, "further": {}, "states": {}}
    if not seeds.size:
        return out
    on = sweep(res.task, seeds, **{**res.settings, "max_sweeps": LONG_SWEEPS})
    out["sweeps"], out["converged"] = on.sweeps.tolist(), on.converged.tolist()
    left = np.flatnonzero(~on.converged)
    if not left.size:
        return out
    longer = sweep(res.task, seeds[left], **{**res.settings, "max_sweeps": FURTHER_SWEEPS})
    X, D = task_data(res.task)
    for j, k in enumerate(left):
        seed = str(int(seeds[k]))
        out["further"][seed] = [int(longer.sweeps[j]), bool(longer.converged[j])]
        if not longer.converged[j]:
            _, settled = settle(longer.network(j), X, D)
            out["states"][seed] = [end_state(on.network(int(k)), X, D).to_json(),
                                   end_state(longer.network(j), X, D).to_json(),
                                   settled.to_json()]
    return out


def _entry(name: str, task: str, n: int, overrides: dict) -> dict:
    res = sweep(task, n, **overrides)
    entry = {"task": task, "overrides": overrides, "task_settings": task_settings(task),
             "seeds": res.seeds.tolist(), "sweeps": res.sweeps.tolist(),
             "converged": res.converged.tolist(), "max_sweeps": res.max_sweeps,
             "probe": probe(task, res.seeds[:PROBE_SEEDS], overrides)}
    for key in ("held_out_correct", "held_out", "train_correct", "train_strict"):
        value = getattr(res, key)
        entry[key] = None if value is None else value.tolist()
    if name in KEEP_WEIGHTS:
        entry["theta"] = res.theta.tolist()
    entry["unfinished"] = _train_on(res) if name in TRAINED_ON else None
    return entry


def _rotation_entry() -> dict:
    rot = rotation(ROTATIONS, **X10)
    return {"task": "family_trees", "overrides": X10, "task_settings": task_settings(
        "family_trees"), "rotations": ROTATIONS, "seeds": rot.seeds.tolist(),
        "held": rot.held.tolist(), "right": rot.right.tolist(),
        "train_correct": rot.train_correct.tolist(),
        "probe": probe("family_trees", rot.seeds[:PROBE_SEEDS], X10, rot.held[:PROBE_SEEDS])}


def _trace_entry(overrides: dict) -> dict:
    balance = layer_balance(0, **overrides)
    keep = log_spaced(len(balance.error))
    fields = {f.name: getattr(balance, f.name)[keep].tolist()
              for f in LayerBalance.__dataclass_fields__.values()}
    return {"seed": 0, "overrides": overrides, "task_settings": task_settings("family_trees"),
            "sweeps": keep.tolist(), **fields,
            "probe": probe("family_trees", [0], overrides)}


def _network_entry(task: str, seed: int, overrides: dict) -> dict:
    result = run(task, seed, **overrides)
    keep = log_spaced(len(result.history))
    return {"task": task, "seed": seed, "overrides": overrides, "sweeps": result.sweeps,
            "converged": result.converged, "weights": [W.tolist() for W in result.weights],
            "biases": [b.tolist() for b in result.biases], "history_sweeps": keep.tolist(),
            "history": result.history[keep].tolist(), "held_out": result.held_out.tolist(),
            "held_out_correct": result.held_out_correct}


# ------------------------------------------------------------ the file
def _path(path: object, where: str) -> Path:
    if not isinstance(path, str | os.PathLike):
        raise TypeError(f"{where}: path must be a file path (str or Path), got "
                        f"{type(path).__name__} {path!r:.40}")
    return Path(path)


def _content(path: object, where: str) -> dict:
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
    if not isinstance(content, dict) or not isinstance(content.get("runs"), dict):
        raise ValueError(f"{where}: {path} is not a paper1986 results file: it has no 'runs' "
                         "(make one with regenerate())")
    return content


def _part(path: object, key: str, where: str) -> dict:
    """The ``key`` part ("runs", "networks", "traces", "rotation") of the file."""
    part = _content(path, where).get(key)
    if not isinstance(part, dict):
        raise ValueError(f"{where}: {path} has no {key!r}: make it with regenerate()")
    return part


def _writable(path: object) -> Path:
    target = _path(path, "regenerate")
    if target.is_dir():
        raise IsADirectoryError(f"regenerate: {target} is a directory; pass a file path such "
                                "as paper1986_results.json")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise FileNotFoundError(f"regenerate: the folder {folder} of {target} does not exist")
    if not os.access(target if target.exists() else folder, os.W_OK):
        raise PermissionError(f"regenerate: {target} cannot be written")
    return target


def regenerate(path: Path | str = RESULTS_FILE, only: list[str] | None = None) -> dict:
    """Make the entries of the file at ``path`` (JSON): every one, or those named ``only``
    (names of ``CACHED_RUNS``, ``CACHED_NETWORKS``, "rotation" or "trace <name>").

    All of them take hours on two cores. The file is written after each entry, the
    entries not (yet) made kept as they were, so that a run stopped half-way loses
    only the entry it was making. ``path`` is checked first: TypeError if it is not a
    path, FileNotFoundError if its folder does not exist, IsADirectoryError if it is a
    folder, PermissionError if it cannot be written; ValueError for an unknown name in
    ``only``.
    """
    target = _writable(path)
    names = ([n for n, *_ in CACHED_RUNS] + [n for n, *_ in CACHED_NETWORKS] + ["rotation"]
             + [f"trace {n}" for n in TRACES])
    unknown = [n for n in (only or []) if n not in names]
    if unknown:
        raise ValueError(f"regenerate: no entry {unknown[0]!r}; the entries are: "
                         f"{', '.join(names)}")
    try:
        content = _content(target, "regenerate")
    except (FileNotFoundError, ValueError):
        content = {}
    content = {"command": "python -m backprop_course.experiments.paper1986 --regenerate",
               "runs": {}, "networks": {}, "traces": {}} | content
    makers = {name: (("runs", name), lambda spec=spec: _entry(*spec))
              for spec in CACHED_RUNS for name in spec[:1]}
    makers |= {name: (("networks", name), lambda spec=spec: _network_entry(*spec[1:]))
               for spec in CACHED_NETWORKS for name in spec[:1]}
    makers["rotation"] = ((None, "rotation"), _rotation_entry)
    makers |= {f"trace {n}": (("traces", n), lambda o=o: _trace_entry(o))
               for n, o in TRACES.items()}
    for name in only or names:
        (part, key), make = makers[name]
        (content[part] if part else content)[key] = make()
        order = [n for n, *_ in CACHED_RUNS]  # the catalogue's order
        content["runs"] = {n: content["runs"][n] for n in order if n in content["runs"]}
        target.write_text(json.dumps(content, indent=1) + "\n")
    return content


# ------------------------------------------------------------ reading it
def _unfinished(d: dict | None) -> Unfinished | None:
    if d is None:
        return None
    states = {int(seed): (EndState.from_json(a), EndState.from_json(b),
                          None if c is None else Settled.from_json(c))
              for seed, (a, b, c) in d["states"].items()}
    further = {int(seed): (int(n), bool(ok)) for seed, (n, ok) in d["further"].items()}
    return Unfinished(np.array(d["seeds"], dtype=np.int64), np.array(d["sweeps"], dtype=np.int64),
                      np.array(d["converged"], dtype=bool), d["max_sweeps"], states, further,
                      d["further_sweeps"])


def _array(value: list | None) -> np.ndarray | None:
    return None if value is None else np.array(value)


def load_results(path: Path | str = RESULTS_FILE) -> dict[str, SweepResult]:
    """The cached many-seed results, by name (see ``CACHED_RUNS``).

    Raises TypeError if ``path`` is not a path, FileNotFoundError if there is no
    file, ValueError if the file is not a results file.
    """
    out = {}
    for name, r in _part(path, "runs", "load_results").items():
        out[name] = SweepResult(
            r["task"], np.array(r["seeds"]), np.array(r["sweeps"]),
            np.array(r["converged"], dtype=bool), r["max_sweeps"],
            _array(r["held_out_correct"]), r["overrides"], _array(r.get("theta")),
            unfinished=_unfinished(r["unfinished"]), held_out=_array(r["held_out"]),
            train_correct=_array(r["train_correct"]), train_strict=_array(r["train_strict"]))
    return out


def load_network(name: str, path: Path | str = RESULTS_FILE) -> tuple[Result, np.ndarray]:
    """A cached network (see ``CACHED_NETWORKS``), its activities recomputed.

    Its ``history`` holds E at the sweeps listed in ``history_sweeps`` only
    (log-spaced), which is returned as the second value.

    Raises ValueError if there is no cached network ``name`` (the message lists
    them), and as :func:`load_results` for ``path``.
    """
    content = _part(path, "networks", "load_network")
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


def load_rotation(path: Path | str = RESULTS_FILE) -> Rotation:
    """The cached rotation of held-out family-tree cases (``family.rotation``).

    Raises as :func:`load_results`, and ValueError if the file holds no rotation.
    """
    content = _content(path, "load_rotation")
    r = content.get("rotation")
    if not isinstance(r, dict):
        raise ValueError(f"load_rotation: {path} holds no rotation; make it with "
                         "regenerate(only=['rotation'])")
    return Rotation(np.array(r["seeds"]), np.array(r["held"]), np.array(r["right"], dtype=bool),
                    np.array(r["train_correct"]), r["overrides"])


def load_trace(name: str, path: Path | str = RESULTS_FILE) -> tuple[LayerBalance, np.ndarray]:
    """A cached ``family.layer_balance`` run, "stated" or "x10" (see ``TRACES``), at
    log-spaced sweeps, which are returned as the second value.

    Raises ValueError for an unknown name (the message lists them), and as
    :func:`load_results` for ``path``.
    """
    traces = _part(path, "traces", "load_trace")
    if not isinstance(name, str) or name not in traces:
        raise ValueError(f"load_trace: no cached trace {name!r}; the traces are: "
                         f"{', '.join(traces)}")
    r = traces[name]
    fields = {key: np.array(r[key]) for key in LayerBalance.__dataclass_fields__}
    return LayerBalance(**fields), np.array(r["sweeps"])


# ------------------------------------------------------------ is it current?
def _normal(value: object) -> object:
    """``value`` as JSON gives it back (tuples as lists), to compare with the file."""
    return json.loads(json.dumps(value))


def check_cache(path: Path | str = RESULTS_FILE, names: list[str] | None = None) -> int:
    """Check that the file holds what the code computes today, on any CPU, in seconds.

    For each entry (or those named): its task's settings and its overrides are those
    the code and ``CACHED_RUNS`` give, and its probe, the error of its first seeds at the
    sweeps ``PROBE_AT``, is what a fresh run gives to within ``PROBE_RTOL`` (those
    sweeps come out alike on every BLAS kernel; the whole runs need not). Returns how
    many entries were checked.

    Raises ValueError naming the first stale entry and how to remake it, or an
    unknown name; and as :func:`load_results` for ``path``.
    """
    content = _content(path, "check_cache")
    runs = {n: (task, n_seeds, overrides) for n, task, n_seeds, overrides in CACHED_RUNS}
    entries = {n: content["runs"].get(n) for n in runs}
    entries |= {"rotation": content.get("rotation")}
    entries |= {f"trace {n}": content.get("traces", {}).get(n) for n in TRACES}
    unknown = [n for n in (names or []) if n not in entries]
    if unknown:
        raise ValueError(f"check_cache: no entry {unknown[0]!r}; the entries are: "
                         f"{', '.join(entries)}")
    for name in names or entries:
        _check_entry(name, entries[name], runs.get(name))
    return len(names or entries)


def _check_entry(name: str, r: dict | None, spec: tuple | None) -> None:
    def stale(why: str) -> ValueError:
        return ValueError(f"check_cache: the cached entry {name!r} is stale ({why}); remake it "
                          "with python -m backprop_course.experiments.paper1986 --regenerate "
                          f"--only {name!r}")

    if r is None:
        raise stale("it is missing")
    overrides = spec[2] if spec else X10 if name == "rotation" else TRACES[name[6:]]
    task = r.get("task", "family_trees")
    if r["task_settings"] != task_settings(task) or r["overrides"] != _normal(overrides):
        raise stale(f"the settings of {task} or of the entry have changed")
    if spec and (spec[0] != task or len(r["seeds"]) != spec[1]):
        raise stale("its task or number of seeds has changed")
    seeds = r["seeds"][:PROBE_SEEDS] if "seeds" in r else [r["seed"]]
    held = np.array(r["held"][:PROBE_SEEDS]) if name == "rotation" else None
    fresh = np.array(probe(task, seeds, overrides, held))
    if not np.allclose(fresh, r["probe"], rtol=PROBE_RTOL, atol=0):
        raise stale(f"a fresh run's error at sweeps {PROBE_AT} differs from the file's")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=_package_doc.splitlines()[0])
    parser.add_argument("--regenerate", action="store_true",
                        help=f"re-run the cached experiments and rewrite {RESULTS_FILE.name}")
    parser.add_argument("--only", action="append", metavar="NAME",
                        help="with --regenerate: remake only this entry (repeatable)")
    parser.add_argument("--check", action="store_true",
                        help="check the file against the code (settings and probes)")
    args = parser.parse_args(argv)
    if args.regenerate:
        content = regenerate(only=args.only)
        for name, r in content["runs"].items():
            if args.only and name not in args.only:
                continue
            ok = np.array(r["converged"])
            print(f"{name:36s} {ok.sum():3d}/{ok.size} converged within {r['max_sweeps']:,}")
    elif args.check:
        print(f"{check_cache()} entries are current")
    else:
        parser.print_help()
