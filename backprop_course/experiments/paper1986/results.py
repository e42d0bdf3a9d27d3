"""What a run and a sweep of many seeds return, and the cache's unfinished runs."""

from __future__ import annotations

import numbers
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from ...checks import real_number
from .analysis import classify
from .tasks import _task, _views

__all__ = ["Result", "SweepResult", "Unfinished"]


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
    held_out: np.ndarray | None = None  # (seeds, k): the cases each seed held out
    train_correct: np.ndarray | None = None  # training cases right by the 0.5 rule
    train_strict: np.ndarray | None = None  # training cases with no error left (the margin)

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
            real_number(value, "each q", "a number in [0, 1]", lambda v: 0 <= v <= 1,
                        "SweepResult.quantiles", finite=True)
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

    def trained_on(self, further: bool = False) -> SweepResult:
        """The same runs, with the unfinished ones as they ended when trained on: at
        ``LONG_SWEEPS``, or with ``further=True`` at ``FURTHER_SWEEPS``.

        Only for a cached result of ``TRAINED_ON``: every run then counts as converged
        if it met the criterion within the longer cap. Raises ValueError for another.
        """
        if self.unfinished is None:
            from .catalogue import TRAINED_ON  # (the cache imports this module)

            raise ValueError(f"{self.task} result holds no unfinished runs trained on; "
                             f"the cached results that do are: {', '.join(TRAINED_ON)}")
        where = {int(seed): i for i, seed in enumerate(self.seeds)}
        sweeps, converged = self.sweeps.copy(), self.converged.copy()
        u = self.unfinished
        cap = u.further_sweeps if further else u.max_sweeps
        for seed, n, ok in zip(u.seeds.tolist(), u.sweeps.tolist(), u.converged.tolist(),
                               strict=True):
            if further and not ok:
                n, ok = u.further[seed]
            sweeps[where[seed]], converged[where[seed]] = n, ok
        return SweepResult(self.task, self.seeds, sweeps, converged, cap,
                           self.held_out_correct, {**self.settings, "max_sweeps": cap})

    def converged_within(self, cap: int) -> int:
        """How many runs met the criterion within ``cap`` sweeps: from the runs themselves
        up to their cap, then from those of the cache trained on (``unfinished``).

        Raises ValueError if ``cap`` is not a non-negative int or lies beyond what the
        result knows (its cap, or the caps of its runs trained on).
        """
        known = self.max_sweeps
        if self.unfinished is not None:
            known = max(self.unfinished.max_sweeps, self.unfinished.further_sweeps)
        if (isinstance(cap, bool) or not isinstance(cap, numbers.Integral)
                or not 0 <= cap <= known):
            raise ValueError(f"SweepResult.converged_within: cap must be an int from 0 to "
                             f"{known:,}, the longest this result was trained; got {cap!r}")
        n = int(np.sum(self.converged & (self.sweeps <= cap)))
        u = self.unfinished
        if u is not None and cap > self.max_sweeps:
            n += int(np.sum(u.converged & (u.sweeps <= cap)))
            n += sum(ok and k <= cap for k, ok in u.further.values())
        return n

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

    Each was trained on to ``max_sweeps`` (``LONG_SWEEPS``); ``sweeps`` and ``converged``
    say when it met the criterion. Those that did not were trained on again, to
    ``FURTHER_SWEEPS``: ``further[seed]`` is (sweeps, converged) of that run. For a run
    that did not converge even then, ``states[seed]`` holds its :class:`EndState` at
    ``max_sweeps`` and at ``FURTHER_SWEEPS``, and what :func:`settle` found from the
    second (a :class:`Settled`, or None), and :func:`classify` names where it is.
    """

    seeds: np.ndarray
    sweeps: np.ndarray  # sweeps to converge when trained on, or max_sweeps
    converged: np.ndarray
    max_sweeps: int
    states: dict[int, tuple]  # (EndState, EndState, Settled | None) per seed still unfinished
    further: dict[int, tuple[int, bool]] = field(default_factory=dict)  # every run unfinished
    #     at max_sweeps: (sweeps, converged) when trained on to further_sweeps
    further_sweeps: int = 0

    def __post_init__(self) -> None:
        if not len(self.seeds) == len(self.sweeps) == len(self.converged):
            raise ValueError(f"Unfinished: seeds, sweeps and converged need one entry per seed; "
                             f"got {len(self.seeds)}, {len(self.sweeps)} and "
                             f"{len(self.converged)}")
        missing = [int(seed) for seed, ok in zip(self.seeds, self.converged, strict=True)
                   if not ok and not self.further.get(int(seed), (0, False))[1]
                   and int(seed) not in self.states]
        if missing:
            raise ValueError(f"Unfinished: every run that did not converge needs its states "
                             f"(EndState at the caps, Settled or None); seed {missing[0]} "
                             "has none")

    def kinds(self) -> dict[int, str]:
        """Each seed's verdict: "plateau" if it converged by ``max_sweeps``, "long plateau"
        if by ``further_sweeps``, else what :func:`classify` makes of its states."""
        out = {}
        for seed, ok in zip(self.seeds.tolist(), self.converged.tolist(), strict=True):
            if ok:
                out[seed] = "plateau"
            elif self.further.get(seed, (0, False))[1]:
                out[seed] = "long plateau"
            else:
                out[seed] = classify(*self.states[seed])
        return out

    def summary(self) -> str:
        """One line: how many of the unfinished runs learned when trained on."""
        n, n_ok = len(self.seeds), int(self.converged.sum())
        text = f"{n_ok} of {n} learned by {self.max_sweeps:,} sweeps"
        if n_ok:
            ok = self.sweeps[self.converged]
            text += f" (after {ok.min():,} to {ok.max():,})"
        if self.further:
            later = sum(ok for _, ok in self.further.values())
            text += f", {later} of {len(self.further)} more by {self.further_sweeps:,}"
        return text
