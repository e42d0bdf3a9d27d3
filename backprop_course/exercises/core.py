"""The checker: from an exercise and the learner's function to a verdict.

An exercise (:mod:`.kinds`) says what is wrong with the learner's function on fresh
random cases; :func:`run_check` calls it, whichever kind the exercise is, and calls
the learner's function
safely: whatever the learner's code does (raise, return None, return the wrong
shape or NaN), the result is a verdict in plain words, never a traceback from
inside the checker.

A failing verdict gives its hint in two steps, so that it does not spoil the
exercise: first a *nudge* (the idea to use or the usual slip, no formula) and
the call that asks for more; then, with ``hint=2`` or after three failed tries
of the same exercise in one session, the whole hint. It ends with the seed that
reproduces the failing case.
"""

from __future__ import annotations

import difflib
import keyword
import numbers
import secrets
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..checks import finite_positive
from .comparison import Output, compare, gradients_by_differences
from .kinds import Exercise, ReferenceExercise, TrialExercise, custom_exercise
from .sandbox import TIME_LIMIT, _time_limit, _TimedOut

__all__ = [
    "CheckResult",
    "Exercise",
    "ReferenceExercise",
    "TrialExercise",
    "Output",
    "custom_exercise",
    "compare",
    "gradients_by_differences",
    "reset_tries",
    "run_check",
]

HINT_LEVELS = (1, 2)
"""The allowed values of ``hint``: 1, a nudge; 2, the whole hint."""

WHOLE_HINT_FROM_TRY = 3
"""From this failed try of one exercise in a row on, a verdict gives the whole hint."""

_SEED_BOUND = 10**6  # a drawn seed has at most 6 digits, short enough to retype

# Failed tries of each exercise, by name, since its last pass (or since the session began).
_failed_tries: dict[str, int] = {}


@dataclass
class CheckResult:
    """The verdict of a checker. ``bool(result)`` is ``result.passed``.

    ``check`` prints ``message`` as soon as it is known; in a notebook the
    returned object does not print it a second time.
    """

    exercise: str
    passed: bool
    message: str
    _printed: bool = field(default=False, repr=False, compare=False)

    def __bool__(self) -> bool:
        return self.passed

    def __str__(self) -> str:
        """The message, wrapped at 74 columns (the book shows about 76 before it scrolls)."""
        lines = self.message.splitlines()
        return "\n".join(textwrap.fill(ln, 74, subsequent_indent="  ") for ln in lines)

    def _ipython_display_(self) -> None:
        if not self._printed:
            print(self)
            self._printed = True


def reset_tries(name: str | None = None) -> None:
    """Forget the failed tries of exercise ``name`` (of every exercise if None).

    A pass forgets them too; until then, the third failed try of an exercise and every
    later one give the whole hint.

    Raises
    ------
    TypeError
        If ``name`` is neither None nor a string.
    ValueError
        If there is no exercise ``name`` (the message suggests the closest name).
    """
    if name is None:
        _failed_tries.clear()
        return
    from . import EXERCISES  # here: the package imports this module first

    if not isinstance(name, str):
        raise TypeError(f"reset_tries: name must be an exercise's name (a str), got {name!r}")
    if name not in EXERCISES and name not in _failed_tries:
        raise ValueError(
            f"reset_tries: {_unknown_exercise(name, EXERCISES)} list_exercises() lists them."
        )
    _failed_tries.pop(name, None)


def _unknown_exercise(name: str, known: Any) -> str:
    """"There is no exercise called ...", with the closest name if one is close."""
    close = difflib.get_close_matches(name, list(known), n=1)
    suggestion = f" Did you mean {close[0]!r}?" if close else ""
    return f"There is no exercise called {name!r}.{suggestion}"


def _check_seed(seed: Any, func: str) -> None:
    """None (a fresh seed) or a non-negative int, which ``np.random.default_rng`` takes."""
    if seed is None:
        return
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise TypeError(
            f"{func}: seed must be a non-negative int (the one a failing verdict printed) or "
            f"None, got {type(seed).__name__} {seed!r}"
        )
    if seed < 0:
        raise ValueError(f"{func}: seed must be a non-negative int, got {seed}")


def _check_hint_level(hint: Any) -> None:
    """Raise ValueError unless ``hint`` is one of :data:`HINT_LEVELS`."""
    if isinstance(hint, bool) or hint not in HINT_LEVELS:
        raise ValueError(f"hint must be 1 (a nudge) or 2 (the whole hint), got {hint!r}.")


def _function_name(fn: Any) -> str:
    """What to call the learner's function in a line of code they can copy."""
    name = getattr(fn, "__name__", None)
    if isinstance(name, str) and name.isidentifier() and not keyword.iskeyword(name):
        return name
    return "your_function"


_NUMBER_WORDS = {3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine"}


def _failure(
    exercise: Exercise, fn: Callable[..., Any], seed: int, hint: int, problem: str
) -> CheckResult:
    """The failing verdict: ``problem``, the hint at the right level, and how to rerun the case.

    Counts the failed try; the third in a row, and every later one, gives the whole hint
    even when ``hint`` is 1.
    """
    name = exercise.name
    tries = _failed_tries.get(name, 0) + 1
    _failed_tries[name] = tries
    call = f'check("{name}", {_function_name(fn)}'
    lines = [f"{name}: not yet. {problem}"]
    if hint == 2:
        lines.append(f"Hint: {exercise.hint}")
    elif tries >= WHOLE_HINT_FROM_TRY:
        lines.append(f"After {_NUMBER_WORDS.get(tries, tries)} tries, here is the whole hint.")
        lines.append(f"Hint: {exercise.hint}")
    else:
        lines.append(f"Hint: {exercise.nudge}")
        lines.append(f"For the whole hint: {call}, hint=2).")
    lines.append(f"To run this case again: {call}, seed={seed}).")
    return CheckResult(name, False, "\n".join(lines))


def _check_timeout(timeout: Any) -> None:
    finite_positive(timeout, "timeout", "a positive number of seconds")


def _success(exercise: Exercise) -> CheckResult:
    """The passing verdict; it forgets the exercise's failed tries."""
    _failed_tries.pop(exercise.name, None)
    return CheckResult(
        exercise.name,
        True,
        f"{exercise.name}: correct. Your function agrees with {exercise.verified_by} on "
        f"{exercise.n_cases} random inputs.",
    )


def run_check(
    exercise: Exercise, fn: Any, seed: int | None = None, hint: int = 1,
    timeout: float = TIME_LIMIT,
) -> CheckResult:
    """Run ``fn`` on fresh random cases and compare it with the numerical answer.

    Parameters
    ----------
    exercise : Exercise
    fn : callable
        The learner's function.
    seed : int, optional
        Seed for the random cases. By default a fresh one below 10**6 is drawn, and a
        failing verdict prints it, so that ``seed=`` brings the same case back.
    hint : {1, 2}, default 1
        1 gives the exercise's nudge with a wrong answer, 2 its whole hint. From the
        third failed try of the exercise in a row on, the whole hint comes either way.
    timeout : float, default 30
        Seconds the whole check may take. A function still running then gets a
        failing verdict that names an endless loop as the likely cause.

    Returns
    -------
    CheckResult
        The verdict. A failing one ends with the call that reruns its case.

    Raises
    ------
    TypeError
        If ``exercise`` is not an :class:`Exercise`, or ``seed`` is not an int.
    ValueError
        If ``hint`` is neither 1 nor 2, ``timeout`` is not a positive number, or ``seed``
        is negative.
    """
    if not isinstance(exercise, Exercise):
        raise TypeError(
            f"run_check: exercise must be an Exercise, got {type(exercise).__name__} "
            f"{exercise!r}; to check by name use check(name, fn)"
        )
    _check_hint_level(hint)
    _check_timeout(timeout)
    _check_seed(seed, "run_check")
    name = exercise.name
    if not callable(fn):
        return CheckResult(
            name,
            False,
            f"{name}: expected a function, got {type(fn).__name__}. "
            f"Pass the function itself, without calling it: check({name!r}, my_function).",
        )
    if seed is None:
        seed = secrets.randbelow(_SEED_BOUND)
    rng = np.random.default_rng(seed)
    try:
        with _time_limit(timeout):
            problem = exercise.first_problem(fn, rng)
    except _TimedOut:
        problem = (
            f"Your function did not return within {timeout:g} seconds. The likely cause is "
            "a loop that never ends: a while loop whose condition never becomes false, or a "
            "counter that is never updated. (A function that is only slow can have more "
            f"time: check({name!r}, ..., timeout=120).)"
        )
    if problem is None:
        return _success(exercise)
    return _failure(exercise, fn, seed, hint, problem)
