"""The family trees (Nature Figs 2-4): why the stated settings learn nothing, the set-up
that learns, what its person units encode, and how it generalises.

``WORKING`` is the set-up that learns the 100 training cases within the paper's 1,500
sweeps: the paper's procedure with every learning rate ten times the stated one, the
margin read as one-sided targets (:func:`~backprop_course.sigmoid_nets.output_error`)
and initial weights in [-1, 1] (the paper states none for this network).
:func:`layer_balance` follows one run sweep by sweep: how far each layer's gradient
moves its weights, against how far the decay shrinks them. :func:`separating_units`
reads the weights of Fig. 4, from the 24 people to the six units that encode person 1;
:func:`rotation` holds every case out in turn.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from ... import data
from ...checks import int_at_least, real_array
from ...sigmoid_nets import forward, n_weights
from .tasks import TASKS, _views
from .training import _seeds, _settings, _train

__all__ = ["WORKING", "person_features", "person_units", "separating_units", "LayerBalance",
           "layer_balance", "Rotation", "rotation"]

WORKING = {"epsilon": 0.1, "warmup": (20, 0.05, 0.5), "one_sided": True, "init_range": 1.0}
"""Overrides of ``run``/``sweep`` for the family trees: learning rates x10, one-sided
0.2/0.8 targets, initial weights in [-1, 1]; the stated momentum, decay and 1,500 sweeps."""

# Fig. 2, the English tree (the Italian is the same, person for person): generation 1 is
# Christopher = Penelope and Andrew = Christine; their children and the children's spouses
# are generation 2; Colin and Charlotte, children of James = Victoria, generation 3. The
# branch is the couple of generation 1 a person descends from (for Margaret and Charles,
# who married in, their spouse's); Colin and Charlotte descend from both.
_GENERATION = {"Christopher": 1, "Penelope": 1, "Andrew": 1, "Christine": 1, "Margaret": 2,
               "Arthur": 2, "Victoria": 2, "James": 2, "Jennifer": 2, "Charles": 2, "Colin": 3,
               "Charlotte": 3}
_LEFT = {"Christopher", "Penelope", "Arthur", "Margaret", "Victoria"}
_RIGHT = {"Andrew", "Christine", "James", "Jennifer", "Charles"}
_FEATURES = ("nationality", "generation", "branch")


def person_features() -> dict[str, np.ndarray]:
    """For each of the 24 people (``data.family_trees().people`` order): ``nationality``
    (0 English, 1 Italian), ``generation`` (1 to 3) and ``branch`` (0 Christopher and
    Penelope's, 1 Andrew and Christine's, -1 both: Colin and Charlotte)."""
    english = data.family_trees().people[:12]
    generation = np.array([_GENERATION[p] for p in english] * 2)
    branch = np.array([0 if p in _LEFT else 1 if p in _RIGHT else -1 for p in english] * 2)
    return {"nationality": np.repeat([0, 1], 12), "generation": generation, "branch": branch}


def person_units(theta: np.ndarray) -> np.ndarray:
    """The weights of Fig. 4, from the 24 person inputs to their 6 units, (nets, 24, 6),
    from family-tree weights ``theta`` (nets, n_weights) as ``SweepResult.theta``.

    Raises ValueError if ``theta`` is not (nets, n_weights) of the family-tree network,
    TypeError if it is not real numbers.
    """
    task = TASKS["family_trees"]
    size = n_weights(task.layers)
    arr = real_array(theta, "theta", "person_units")
    if arr.ndim != 2 or arr.shape[1] != size:
        raise ValueError(f"person_units: theta must be (nets, {size}), the family-tree "
                         f"weights of SweepResult.theta; got {arr.shape}")
    return _views(arr.astype(np.float64), task)["W"][0][:, :24, :6]


def _ordered_apart(w: np.ndarray, groups: list[np.ndarray]) -> bool:
    """Do the groups' weights lie in separate intervals, in this order or its reverse?"""
    for order in (groups, groups[::-1]):
        if all(w[a].max() < w[b].min() for a, b in zip(order, order[1:], strict=False)):
            return True
    return False


def separating_units(W_people: np.ndarray) -> dict[str, np.ndarray]:
    """Which of the six person units separate each feature of :func:`person_features`.

    A unit separates a feature if its weights from the people of each value lie in
    intervals that do not overlap, in the feature's order: every English weight above
    (or below) every Italian one; generation 1 below generation 2 below generation 3 (or
    the reverse); one branch above the other (Colin and Charlotte, of both, left out).
    ``W_people`` is (24, 6) or (nets, 24, 6); returns, per feature, a bool array of units
    (6,) or (nets, 6). Raises ValueError if ``W_people`` is not so shaped (or holds NaN),
    TypeError if it is not real numbers.
    """
    W = real_array(W_people, "W_people", "separating_units", float64=True)
    if W.shape[-2:] != (24, 6) or W.ndim not in (2, 3):
        raise ValueError(f"separating_units: W_people must be (24, 6) or (nets, 24, 6), the "
                         f"weights from the 24 people to their 6 units; got {W.shape}")
    f = person_features()
    groups = {"nationality": [f["nationality"] == k for k in (0, 1)],
              "generation": [f["generation"] == k for k in (1, 2, 3)],
              "branch": [f["branch"] == k for k in (0, 1)]}
    flat = W.reshape(-1, 24, 6)
    out = {name: np.array([[_ordered_apart(net[:, k], groups[name]) for k in range(6)]
                           for net in flat]).reshape(W.shape[:-2] + (6,)) for name in _FEATURES}
    return out


@dataclass(frozen=True)
class LayerBalance:
    """One family-trees run followed sweep by sweep (rows: sweeps 0, 1, ...).

    For each weight layer k (input to encoding, encoding to central, central to
    penultimate, penultimate to output): ``pushed[t, k]``, how far the gradient moves the
    layer's weights at sweep t, ``eps_t |dE/dW_k|`` (the connections it has); ``pulled[t, k]``,
    how far the decay pulls them in, ``decay |W_k|``; ``size[t, k]`` = ``|W_k|``. Where pushed,
    times 1 / (1 - alpha) (what momentum builds from a steady push), stays below pulled,
    the decay wins whatever the gradient's direction: the layer's weights shrink. ``on``
    and ``off``: the
    mean output for the training targets 1 and 0.
    """

    pushed: np.ndarray
    pulled: np.ndarray
    size: np.ndarray
    on: np.ndarray
    off: np.ndarray
    error: np.ndarray  # E (as the run counts it) before each weight change

    def __post_init__(self) -> None:
        names = [f.name for f in dataclasses.fields(self)]
        arrays = [getattr(self, name) for name in names]
        if not all(isinstance(a, np.ndarray) and a.dtype.kind in "iuf" for a in arrays):
            raise TypeError(f"LayerBalance: {', '.join(names)} must be NumPy arrays of numbers")
        n = len(self.error)
        if any(len(a) != n for a in arrays) or any(
                a.shape != (n, 4) for a in (self.pushed, self.pulled, self.size)):
            raise ValueError(f"LayerBalance: every array needs one row per sweep ({n}, as error "
                             "has), and pushed, pulled and size one column per weight layer (4)")


def layer_balance(seed: int = 0, **overrides: object) -> LayerBalance:
    """Train the family trees from ``seed`` (overrides as for ``run``) and record, at every
    sweep, the balance of :class:`LayerBalance`. Raises ValueError as ``run`` does."""
    task, seeds = TASKS["family_trees"], _seeds([seed])
    s = _settings(task, overrides, "layer_balance")
    start = _train(task, seeds, _settings(task, {**overrides, "sweeps": 0}, "layer_balance"))
    X, D, mask = start["X_all"][start["train"][0]], start["D_all"][start["train"][0]], start["mask"]
    rows: dict[str, list] = {key: [] for key in ("pushed", "size", "on", "off")}

    def monitor(t: int, _: np.ndarray, theta: np.ndarray, grad: np.ndarray) -> None:
        warm = s.train.warmup is not None and t < s.train.warmup[0]
        eps = s.train.warmup[1] if warm else s.train.epsilon
        params, grads = _views(theta, task), _views(grad * mask, task)
        rows["pushed"].append([eps * np.linalg.norm(g) for g in grads["W"]])
        rows["size"].append([np.linalg.norm(W) for W in params["W"]])
        y = forward(params, X)[-1][0]
        rows["on"].append(y[D == 1].mean())
        rows["off"].append(y[D == 0].mean())

    history = _train(task, seeds, s, monitor=monitor)["history"][0]
    out = {key: np.array(value) for key, value in rows.items()}
    return LayerBalance(pulled=s.train.decay * out["size"], **out,
                        error=history[:len(out["size"])])


@dataclass(frozen=True)
class Rotation:
    """Every case held out in turn: ``rotations`` shufflings of the 104 cases, each cut
    into 26 folds of 4, one network per fold (``seeds``). ``held[r]`` are the cases run
    r held out and ``right[r]`` whether each was right by the 0.5 rule; ``train_correct``
    counts each run's training cases right by the same rule."""

    seeds: np.ndarray
    held: np.ndarray  # (runs, 4)
    right: np.ndarray  # (runs, 4) bool
    train_correct: np.ndarray  # (runs,)
    settings: dict

    def __post_init__(self) -> None:
        arrays = (self.seeds, self.held, self.right, self.train_correct)
        if not all(isinstance(a, np.ndarray) for a in arrays) or not isinstance(
                self.settings, dict):
            raise TypeError("Rotation: seeds, held, right and train_correct must be NumPy "
                            "arrays and settings a dict")
        n = len(self.seeds)
        if (self.held.ndim != 2 or self.held.shape != self.right.shape or len(self.held) != n
                or self.train_correct.shape != (n,) or self.held.dtype.kind not in "iu"
                or self.held.min(initial=0) < 0 or self.held.max(initial=0) > 103):
            raise ValueError(f"Rotation: held and right need one row per run ({n}), of the "
                             "same shape, held of case numbers 0 to 103; train_correct one "
                             "count per run")

    def by_relation(self) -> dict[str, tuple[int, int]]:
        """For each relationship: (held-out cases right, held-out cases), over every run."""
        trees = data.family_trees()
        relation = np.array([trees.relations.index(r) for _, r, _ in trees.cases])
        return {name: (int(self.right[relation[self.held] == k].sum()),
                       int((relation[self.held] == k).sum()))
                for k, name in enumerate(trees.relations)}


def rotation(rotations: int = 3, **overrides: object) -> Rotation:
    """Hold out every one of the 104 cases, four at a time, ``rotations`` times over
    (shuffled by seeds 0, 1, ...: run r * 26 + k trains from seed r * 26 + k without fold
    k of shuffle r). Overrides as for ``sweep`` (``WORKING`` for the set-up that learns).
    Raises ValueError if ``rotations`` is not a positive int, or as ``sweep`` does."""
    from .training import sweep

    rotations = int_at_least(rotations, 1, "rotations", "rotation")
    folds = [np.random.default_rng(r).permutation(104).reshape(26, 4) for r in range(rotations)]
    held = np.concatenate(folds)
    res = sweep("family_trees", len(held), held=held, **overrides)
    y = forward(_views(res.theta, TASKS["family_trees"]), data.family_trees().X)[-1]
    D = data.family_trees().Y
    right = np.all((y > 0.5) == (D == 1), axis=-1)  # (runs, 104)
    return Rotation(res.seeds, np.sort(held, axis=1),
                    np.take_along_axis(right, np.sort(held, axis=1), 1), res.train_correct,
                    dict(overrides))
