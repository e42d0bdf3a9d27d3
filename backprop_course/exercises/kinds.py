"""What an exercise is: its task, its hint in two steps, and how its cases are run.

An :class:`Exercise` knows how to draw fresh random inputs and how to compute the
expected answer *numerically* (with central differences), so a checker never
trusts a hand-written formula: it compares the learner's function with the
definition of the derivative.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from .comparison import Output, _argument_names, _format_args, compare
from .sandbox import _describe_call_error, _TimedOut

__all__ = ["Exercise", "custom_exercise"]


@dataclass(frozen=True)
class Exercise:
    """One exercise: what the learner writes, how to test it, and a hint in two steps.

    Attributes
    ----------
    name : str
        The name passed to ``check``, also the suggested function name.
    chapter : int
        The chapter that sets the exercise.
    task : str
        One sentence: what the function must return.
    signature : str
        The function's signature as the learner should write it.
    outputs : tuple of Output
        What the function returns, in order (a tuple when there are several).
    make_inputs : callable
        ``make_inputs(rng) -> tuple`` of positional arguments for one test case.
    expected : callable
        ``expected(*args) -> tuple of arrays``, one per output, computed numerically.
    hint : str
        The whole hint, formula included: shown when the learner asks for it
        (``hint=2``) or after three failed tries.
    nudge : str
        The first hint, shown with every wrong answer: one or two sentences naming the
        idea to use or the usual slip, never the formula. It must differ from ``hint``.
    n_cases : int
        How many random cases to try.
    verified_by : str
        What the answer was compared with, for the success message.

    Raises
    ------
    TypeError
        If a text field is not a string, ``outputs`` is not a tuple of :class:`Output`,
        or ``make_inputs``, ``expected`` or ``trial`` is not a function.
    ValueError
        If ``name`` is not a Python name, ``chapter`` is negative, ``signature`` does not
        read like a call, ``n_cases`` is not a positive int, or the nudge is empty or
        the whole hint.
    """

    name: str
    chapter: int
    task: str
    signature: str
    outputs: tuple[Output, ...]
    make_inputs: Callable[[np.random.Generator], tuple]
    expected: Callable[..., tuple[np.ndarray, ...]]
    hint: str
    nudge: str
    n_cases: int = 5
    verified_by: str = "the numerical gradient"
    trial: Callable[[Callable[..., Any], np.random.Generator], str | None] | None = None

    def __post_init__(self) -> None:
        where = f"exercise {self.name!r}"
        if not isinstance(self.name, str) or not self.name.isidentifier():
            raise ValueError(
                f"an exercise's name must be a Python name (the learner's function is called "
                f"so), got {self.name!r}"
            )
        if isinstance(self.chapter, bool) or not isinstance(self.chapter, numbers.Integral) \
                or self.chapter < 0:
            raise ValueError(f"{where}: chapter must be an int >= 0, got {self.chapter!r}")
        for field_name in ("task", "signature", "hint", "nudge", "verified_by"):
            if not isinstance(getattr(self, field_name), str):
                raise TypeError(f"{where}: {field_name} must be a str, got "
                                f"{getattr(self, field_name)!r}")
        if "(" not in self.signature or not self.signature.rstrip().endswith(")"):
            raise ValueError(
                f"{where}: signature must read like a call, e.g. 'f(x, y)', got {self.signature!r}"
            )
        if not isinstance(self.outputs, tuple) or not all(
            isinstance(o, Output) for o in self.outputs
        ):
            raise TypeError(f"{where}: outputs must be a tuple of Output, got {self.outputs!r}")
        for field_name in ("make_inputs", "expected"):
            if not callable(getattr(self, field_name)):
                raise TypeError(f"{where}: {field_name} must be a function, got "
                                f"{getattr(self, field_name)!r}")
        if self.trial is not None and not callable(self.trial):
            raise TypeError(f"{where}: trial must be a function trial(fn, rng), got {self.trial!r}")
        if isinstance(self.n_cases, bool) or not isinstance(self.n_cases, numbers.Integral) \
                or self.n_cases < 1:
            raise ValueError(f"{where}: n_cases must be a positive int, got {self.n_cases!r}")
        if not self.nudge.strip():
            raise ValueError(f"exercise {self.name!r}: expected a nudge, got an empty one")
        if self.nudge.strip() == self.hint.strip():
            raise ValueError(
                f"exercise {self.name!r}: expected a nudge that does not give the whole hint, "
                "got the hint itself"
            )


def custom_exercise(
    name: str,
    chapter: int,
    task: str,
    signature: str,
    hint: str,
    trial: Callable[[Callable[..., Any], np.random.Generator], str | None],
    n_cases: int = 5,
    verified_by: str = "the numerical gradient",
    *,
    nudge: str,
) -> Exercise:
    """An exercise whose check is a function of its own instead of "compare the outputs".

    ``trial(fn, rng)`` runs one random case of the learner's ``fn`` and returns
    None when it is right, or a sentence saying what is wrong (expected vs got).
    It may let the learner's exceptions propagate: :func:`run_check` reports them.
    Use it where the answer is not an array, e.g. a function that builds a
    ``Value`` node, whose gradient the trial then checks numerically. ``hint`` and
    ``nudge`` are as for :class:`Exercise`, which checks every argument (a ``trial`` that
    is not a function raises TypeError).
    """
    if not callable(trial):
        raise TypeError(
            f"custom_exercise {name!r}: trial must be a function trial(fn, rng), got {trial!r}"
        )
    return Exercise(
        name=name,
        chapter=chapter,
        task=task,
        signature=signature,
        outputs=(),
        make_inputs=lambda rng: (),
        expected=lambda: (),
        hint=hint,
        nudge=nudge,
        n_cases=n_cases,
        verified_by=verified_by,
        trial=trial,
    )


def _first_output_problem(
    exercise: Exercise, fn: Callable[..., Any], rng: np.random.Generator
) -> str | None:
    """Compare ``fn``'s outputs with the expected ones on fresh cases: None if they all
    agree, else what is wrong with the first case that fails, and that case's input."""
    arg_names = _argument_names(exercise.signature)
    for _ in range(exercise.n_cases):
        args = exercise.make_inputs(rng)
        expected = exercise.expected(*[np.copy(a) for a in args])
        with np.errstate(all="ignore"):
            try:
                got = fn(*[np.copy(a) if isinstance(a, np.ndarray) else a for a in args])
            except (KeyboardInterrupt, _TimedOut):
                raise
            except BaseException as err:  # the learner's bug (even sys.exit): report it
                return (
                    f"{_describe_call_error(err)}.\n"
                    f"It was called with {_format_args(args, arg_names)}."
                )
        if len(exercise.outputs) > 1:
            if not isinstance(got, tuple | list) or len(got) != len(exercise.outputs):
                wanted = ", ".join(o.name for o in exercise.outputs)
                return (
                    f"Return a tuple of {len(exercise.outputs)} values ({wanted}); "
                    f"got {type(got).__name__}"
                    + (f" of length {len(got)}" if isinstance(got, tuple | list) else "")
                    + "."
                )
            gots = tuple(got)
        else:
            gots = (got,)
        for output, exp, g in zip(exercise.outputs, expected, gots, strict=True):
            problem = compare(output, np.asarray(exp, dtype=np.float64), g)
            if problem:
                return f"{problem}\nThe input was {_format_args(args, arg_names)}."
    return None


def _first_trial_problem(
    exercise: Exercise, fn: Callable[..., Any], rng: np.random.Generator
) -> str | None:
    """Run a custom exercise's ``trial`` on fresh cases: None if every case passes, else
    the first failure in words (an exception the learner's code raised included)."""
    assert exercise.trial is not None
    for _ in range(exercise.n_cases):
        with np.errstate(all="ignore"):
            try:
                problem = exercise.trial(fn, rng)
            except (KeyboardInterrupt, _TimedOut):
                raise
            except BaseException as err:  # the learner's bug (even sys.exit): report it
                return f"{_describe_call_error(err)}."
        if problem:
            return problem
    return None
