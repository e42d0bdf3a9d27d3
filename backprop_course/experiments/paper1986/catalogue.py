"""What the chapter's cache holds: the many-seed runs, by name, and how each is checked.

Every entry of ``CACHED_RUNS`` is (name, task, number of seeds, overrides of ``sweep``).
The runs of ``TRAINED_ON`` also keep their unfinished seeds trained on (``Unfinished``),
those of ``KEEP_WEIGHTS`` their final weights. Besides the runs the file holds one
rotation of held-out family-tree cases (``family.rotation``), two runs followed sweep by
sweep (``family.layer_balance``) and single networks (``CACHED_NETWORKS``).

**Staleness, on any CPU.** A long run amplifies round-off: another BLAS kernel gives
another sweep count after some thousands of sweeps (the family trees' after about 200).
So the file cannot be checked by rerunning it. Instead every entry keeps the settings
it was made with (the task's, and its overrides) and a *probe*: the error of its first
``PROBE_SEEDS`` seeds at sweeps ``PROBE_AT``, which every kernel computes alike to far
better than ``PROBE_RTOL``. ``check_cache`` reruns the probes and compares the settings:
a change of the code or the settings that changes the results shows there.
"""

from __future__ import annotations

import dataclasses
import json

import numpy as np

from .family import WORKING
from .tasks import INIT_RANGE, MAX_SWEEPS, TOLERANCE, XOR_STUCK_EPSILON, _task
from .training import _seeds, _settings, _train

__all__: list[str] = []  # the lists below are importable from the package, not API

X10 = WORKING
X5 = {**WORKING, "epsilon": 0.05, "warmup": (20, 0.025, 0.5)}
X2 = {**WORKING, "epsilon": 0.02, "warmup": (20, 0.01, 0.5)}
CACHED_RUNS = [
    ("xor", "xor", 200, {}),
    ("xor, epsilon 0.25", "xor", 200, {"epsilon": XOR_STUCK_EPSILON}),
    ("xor, weights ±0.1", "xor", 200, {"init_range": 0.1}),
    ("xor, weights ±1", "xor", 200, {"init_range": 1.0}),
    ("xor_direct", "xor_direct", 200, {}),
    ("symmetry", "symmetry", 200, {}),
    ("symmetry, mean error", "symmetry", 100, {"error": "mean"}),
    ("symmetry, -1/+1 inputs", "symmetry", 100, {"inputs": "bipolar"}),
    ("parity", "parity", 100, {}),
    ("parity, weights ±1", "parity", 100, {"init_range": 1.0}),
    ("encoder", "encoder", 100, {}),
    ("encoder, epsilon 0.5", "encoder", 100, {"epsilon": 0.5}),
    # the family trees: the paper's settings and readings of them, 1,500 sweeps ...
    ("family_trees", "family_trees", 50, {}),
    ("family_trees, 10,000 sweeps", "family_trees", 20, {"sweeps": 10_000}),
    ("family_trees, one-sided", "family_trees", 30, {"one_sided": True}),
    ("family_trees, weights ±1", "family_trees", 30, {"init_range": 1.0}),
    ("family_trees, biases spared", "family_trees", 30, {"decay_biases": False}),
    ("family_trees, epsilon 0.001", "family_trees", 30, {"epsilon": 0.001}),
    ("family_trees, no decay, 1,500 sweeps", "family_trees", 30, {"decay": 0.0}),
    ("family_trees, no decay", "family_trees", 20, {"decay": 0.0, "sweeps": None}),
    # ... and the set-up that learns (family.WORKING), with one thing changed at a time
    ("family_trees, x10", "family_trees", 30, X10),
    ("family_trees, x10, 3,000 sweeps", "family_trees", 30, {**X10, "sweeps": 3000}),
    ("family_trees, x10, zeroed error", "family_trees", 30, {**X10, "one_sided": False}),
    ("family_trees, x10, biases spared", "family_trees", 30, {**X10, "decay_biases": False}),
    ("family_trees, x10, no decay", "family_trees", 30, {**X10, "decay": 0.0}),
    ("family_trees, x10, weights ±0.3", "family_trees", 30, {**X10, "init_range": INIT_RANGE}),
    ("family_trees, x5", "family_trees", 30, X5),
    ("family_trees, x2", "family_trees", 30, X2),
]
# the runs whose unfinished seeds are trained on to LONG_SWEEPS (and FURTHER_SWEEPS) and
# measured where they end (Unfinished)
TRAINED_ON = ("xor", "xor, epsilon 0.25", "xor, weights ±0.1", "xor, weights ±1", "xor_direct",
              "symmetry", "symmetry, -1/+1 inputs", "parity", "parity, weights ±1",
              "encoder, epsilon 0.5")
# the runs whose final weights the file keeps (SweepResult.network works on them)
KEEP_WEIGHTS = ("symmetry", "parity", "parity, weights ±1", "encoder", "family_trees, x10")
ROTATIONS = 3  # family.rotation(ROTATIONS, **X10): every case held out three times
TRACES = {"stated": {}, "x10": X10}  # family.layer_balance(0, **overrides)
# (name, task, seed, overrides): single networks, too slow to rerun in the chapter
CACHED_NETWORKS = [
    ("family_trees, no decay, seed 0", "family_trees", 0, {"decay": 0.0, "sweeps": None}),
]
HISTORY_POINTS = 400  # a cached network or trace keeps this many log-spaced sweeps
PROBE_SEEDS = 2  # the probe: the first two seeds of a run ...
PROBE_AT = (1, 10, 100)  # ... their error at these sweeps ...
PROBE_RTOL = 1e-9  # ... must agree to this (every kernel agrees to about 1e-15)


def task_settings(task: str) -> dict:
    """Everything a run of ``task`` depends on besides its overrides: the task's settings
    and the defaults, as JSON stores them (tuples as lists)."""
    spec = dataclasses.asdict(_task(task))
    spec |= {"init_range": INIT_RANGE, "max_sweeps": MAX_SWEEPS, "tolerance": TOLERANCE}
    return json.loads(json.dumps(spec))


def probe(task: str, seeds: object, overrides: dict, held: np.ndarray | None = None) -> list:
    """The error of the runs of ``seeds`` at the sweeps ``PROBE_AT`` (rows: seeds)."""
    spec = _task(task)
    s = _settings(spec, {**overrides, "sweeps": max(PROBE_AT)}, "probe")
    history = _train(spec, _seeds(seeds), s, held)["history"]
    return history[:, list(PROBE_AT)].tolist()


def log_spaced(n: int) -> np.ndarray:
    """``HISTORY_POINTS`` sweep numbers from 0 to n - 1, log-spaced, the ends included."""
    points = np.geomspace(1, n, HISTORY_POINTS) - 1
    return np.unique(np.concatenate([[0, n - 1], points]).round().astype(int))
