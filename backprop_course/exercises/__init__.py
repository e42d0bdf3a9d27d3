"""Exercise checkers: call :func:`check` with an exercise's name and your function.

>>> from backprop_course.exercises import check
>>> def sigmoid_derivative(z):
...     s = 1 / (1 + np.exp(-z))
...     return s * (1 - s)
>>> check("sigmoid_derivative", sigmoid_derivative)   # doctest: +SKIP
sigmoid_derivative: correct. ...

The checker calls your function on fresh random inputs, compares what it returns
with a numerical gradient, and prints a verdict: "correct", or which output and
which entry is wrong, the expected and the returned value, and a hint. If your
function raises, the verdict says what it raised and where; nothing your function
does, and no misspelt exercise name, makes the checker raise. Only a call that is
wrong in itself does (the name not a string, a bad ``seed``, ``hint`` or ``timeout``).

The hint comes in two steps: first a nudge towards the idea or the usual slip;
``check(name, fn, hint=2)`` gives the whole hint, formula included, and so does
the third failed try of an exercise in a row. A failing verdict ends with the
seed of its case: ``check(name, fn, seed=...)`` runs that case again.
"""

from __future__ import annotations

import importlib
import numbers
from collections.abc import Callable
from typing import Any

from .core import (
    CheckResult,
    Exercise,
    ReferenceExercise,
    TrialExercise,
    _check_hint_level,
    _check_seed,
    _unknown_exercise,
    run_check,
)

__all__ = [
    "check",
    "list_exercises",
    "describe",
    "CheckResult",
    "Exercise",
    "ReferenceExercise",
    "TrialExercise",
    "EXERCISES",
]


CHAPTER_MODULES = (
    "learning_as_optimisation",
    "chain_rule",
    "computational_graphs",
    "forward_vs_reverse",
    "matrix_backprop",
    "losses",
    "training",
    "tensor_engine",
    "paper_1986",
    "gradient_checking",
    "when_backprop_struggles",
    "beyond_dense",
    "modern_frameworks",
    "modern_architectures",
)
"""The modules that set exercises, one per chapter, named after the chapter's notebook
(``book/03_computational_graphs.ipynb``: ``computational_graphs``). Each gives its chapter's
number once, as ``CHAPTER``, and its exercises, in book order, as ``EXERCISES``. A new
chapter's exercises: a module here, and its name in this list."""


def _collect() -> dict[str, Exercise]:
    """Every chapter module's ``EXERCISES``, by name, in book order."""
    found: list[Exercise] = []
    for module_name in CHAPTER_MODULES:
        module = importlib.import_module(f"{__name__}.{module_name}")
        for ex in module.EXERCISES:
            if ex.chapter != module.CHAPTER:
                raise RuntimeError(
                    f"exercise {ex.name!r} in {module_name} gives chapter {ex.chapter}, its "
                    f"module {module.CHAPTER}"
                )
        found += module.EXERCISES
    found.sort(key=lambda ex: ex.chapter)  # stable: book order within a chapter
    names = [ex.name for ex in found]
    duplicates = {n for n in names if names.count(n) > 1}
    if duplicates:
        raise RuntimeError(f"exercise names used twice: {sorted(duplicates)}")
    return {ex.name: ex for ex in found}


EXERCISES: dict[str, Exercise] = _collect()


def list_exercises(chapter: int | None = None) -> list[str]:
    """The names of the exercises, in book order (only ``chapter``'s if given).

    Raises
    ------
    TypeError
        If ``chapter`` is neither None nor an int (``"2"`` or ``2.0`` included).
    ValueError
        If no chapter of that number sets exercises (the message lists those that do),
        rather than an empty list that looks like "nothing to do".
    """
    if chapter is None:
        return list(EXERCISES)
    if isinstance(chapter, bool) or not isinstance(chapter, numbers.Integral):
        raise TypeError(
            f"list_exercises: chapter must be an int such as 2, got {type(chapter).__name__} "
            f"{chapter!r}"
        )
    names = [name for name, ex in EXERCISES.items() if ex.chapter == chapter]
    if not names:
        chapters = sorted({ex.chapter for ex in EXERCISES.values()})
        raise ValueError(
            f"list_exercises: chapter {chapter} sets no exercises; the chapters with "
            f"exercises are {', '.join(map(str, chapters))}"
        )
    return names


def describe(name: str) -> str:
    """What the exercise ``name`` asks for: its signature and task.

    Raises
    ------
    TypeError
        If ``name`` is not a string (e.g. the function itself).
    ValueError
        If there is no exercise ``name`` (the message suggests the closest name).
    """
    _check_name(name, "describe")
    if name not in EXERCISES:
        raise ValueError(
            f"describe: {_unknown_exercise(name, EXERCISES)} list_exercises() lists them."
        )
    ex = EXERCISES[name]
    return f"{ex.signature}  (chapter {ex.chapter})\n{ex.task}"


def _check_name(name: object, func: str) -> None:
    """TypeError unless ``name`` is a string; says so when the arguments look swapped."""
    if isinstance(name, str):
        return
    swapped = (
        f" It looks like the function: the name comes first, {func}('{name.__name__}', "
        f"{name.__name__})."
        if callable(name) and str(getattr(name, "__name__", "")).isidentifier()
        else ""
    )
    raise TypeError(
        f"{func}: name must be the exercise's name as a str, such as 'sigmoid_derivative', "
        f"got {type(name).__name__}.{swapped}"
    )


def check(
    name: str,
    fn: Callable[..., Any],
    *,
    seed: int | None = None,
    hint: int = 1,
    quiet: bool = False,
    timeout: float = 30.0,
) -> CheckResult:
    """Check your solution ``fn`` of the exercise ``name`` and print the verdict.

    Parameters
    ----------
    name : str
        The exercise, e.g. ``"sigmoid_derivative"``; :func:`list_exercises` lists them.
    fn : callable
        Your function (pass the function itself, do not call it).
    seed : int, optional
        Seed of the random test inputs; by default a fresh one on every call. A failing
        verdict prints the seed it used, so that ``seed=`` runs the same case again.
    hint : {1, 2}, default 1
        How much a wrong answer's verdict gives away: 1, a nudge towards the idea or the
        usual slip; 2, the whole hint, formula included. After three failed tries of the
        same exercise in a row, the whole hint comes either way; a pass starts the count
        again.
    quiet : bool, default False
        Return the verdict without printing it.
    timeout : float, default 30
        Seconds the check may take; a function that runs longer (an endless loop,
        usually) gets a failing verdict that says so. Nothing your function does,
        not even ``sys.exit()``, escapes the checker.

    Returns
    -------
    CheckResult
        ``passed`` and ``message``; ``bool(result)`` is ``result.passed``. Whatever ``fn``
        is or does, the answer is a verdict; so is an unknown exercise ``name`` (a
        misspelling gets a failing verdict that suggests the closest name and lists the
        exercises), so that a notebook cell never ends in a traceback from the checker.

    Raises
    ------
    TypeError
        If ``name`` is not a string (the arguments swapped, ``check(fn, "name")``, say
        so), ``seed`` is not an int, or ``quiet`` is not a bool: these are mistakes in
        the call itself, not in the function being checked.
    ValueError
        If ``hint`` is neither 1 nor 2, ``timeout`` is not a positive number, or ``seed``
        is negative.
    """
    _check_name(name, "check")
    _check_hint_level(hint)
    _check_seed(seed, "check")
    if not isinstance(quiet, bool):
        raise TypeError(f"check: quiet must be True or False, got {quiet!r}")
    if name not in EXERCISES:
        result = CheckResult(
            name,
            False,
            f"{_unknown_exercise(name, EXERCISES)} The exercises are: {', '.join(EXERCISES)}.",
        )
    else:
        result = run_check(EXERCISES[name], fn, seed=seed, hint=hint, timeout=timeout)
    if not quiet:
        print(result)
        result._printed = True
    return result
