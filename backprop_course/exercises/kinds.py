"""What an exercise is: two kinds behind one interface.

Every :class:`Exercise` has a name, a task, a signature and a hint in two steps, and
answers one question, :meth:`Exercise.first_problem`: run the learner's function on
fresh random cases and say what is wrong with the first one that fails (None when all
pass). ``check(name, fn)`` asks it and turns the answer into a verdict, whichever kind
the exercise is:

- :class:`ReferenceExercise` compares the function's outputs with a reference computed
  *numerically* (central differences of a definition, never a hand-written formula for
  the derivative), within the checkers' tolerance.
- :class:`TrialExercise` runs a trial of its own: for an answer that is not an array
  (a ``Value`` node, a list of nodes, a rule), ``trial(fn, rng)`` checks it and returns
  what is wrong, or None.

A chapter adds an exercise by listing one of either kind in its module's ``EXERCISES``.
"""

from __future__ import annotations

import numbers
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..checks import positive_int
from .comparison import Output, _argument_names, _format_args, compare
from .sandbox import _describe_call_error, _TimedOut

__all__ = ["Exercise", "ReferenceExercise", "TrialExercise", "custom_exercise"]

Trial = Callable[[Callable[..., Any], np.random.Generator], "str | None"]


@dataclass(frozen=True, kw_only=True)
class Exercise:
    """What every exercise has: the task, how to call the learner's function, a hint in
    two steps. Build one of its two kinds, :class:`ReferenceExercise` or
    :class:`TrialExercise`; ``check`` treats them alike.

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
        If ``Exercise`` itself is built (build one of its kinds), or a text field is not
        a string.
    ValueError
        If ``name`` is not a Python name, ``chapter`` is negative, ``signature`` does not
        read like a call, ``n_cases`` is not a positive int, or the nudge is empty or
        the whole hint.
    """

    name: str
    chapter: int
    task: str
    signature: str
    hint: str
    nudge: str
    n_cases: int = 5
    verified_by: str = "the numerical gradient"

    def __new__(cls, *args: Any, **kwargs: Any) -> Exercise:
        if cls is Exercise:
            raise TypeError(
                "Exercise: build one of its kinds, ReferenceExercise(...) (outputs compared "
                "with a reference) or TrialExercise(...) (a trial of your own)"
            )
        return super().__new__(cls)

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
        positive_int(self.n_cases, "n_cases", where)
        if not self.nudge.strip():
            raise ValueError(f"exercise {self.name!r}: expected a nudge, got an empty one")
        if self.nudge.strip() == self.hint.strip():
            raise ValueError(
                f"exercise {self.name!r}: expected a nudge that does not give the whole hint, "
                "got the hint itself"
            )

    def first_problem(self, fn: Callable[..., Any], rng: np.random.Generator) -> str | None:
        """Run ``fn`` on ``n_cases`` fresh cases drawn from ``rng``: None if every case
        passes, else what is wrong with the first that fails, in words (an exception the
        learner's code raised included)."""
        raise NotImplementedError  # each kind says how


@dataclass(frozen=True, kw_only=True)
class ReferenceExercise(Exercise):
    """An exercise whose answer is compared with a reference computed numerically.

    Attributes
    ----------
    outputs : tuple
        Of ``Output`` records (``backprop_course.exercises.comparison``): what the
        function returns, in order.
    make_inputs : callable
        ``make_inputs(rng) -> tuple`` of positional arguments for one test case.
    expected : callable
        ``expected(*args) -> tuple of arrays``, one per output, computed numerically.

    and those of :class:`Exercise`.

    Raises
    ------
    TypeError
        If ``outputs`` is not a tuple of ``Output`` records, ``make_inputs`` or ``expected``
        is not a function, or as :class:`Exercise`.
    ValueError
        As :class:`Exercise`.
    """

    outputs: tuple[Output, ...]
    make_inputs: Callable[[np.random.Generator], tuple]
    expected: Callable[..., tuple[np.ndarray, ...]]

    def __post_init__(self) -> None:
        super().__post_init__()
        where = f"exercise {self.name!r}"
        if not isinstance(self.outputs, tuple) or not all(
            isinstance(o, Output) for o in self.outputs
        ):
            raise TypeError(f"{where}: outputs must be a tuple of Output, got {self.outputs!r}")
        for field_name in ("make_inputs", "expected"):
            if not callable(getattr(self, field_name)):
                raise TypeError(f"{where}: {field_name} must be a function, got "
                                f"{getattr(self, field_name)!r}")

    def first_problem(self, fn: Callable[..., Any], rng: np.random.Generator) -> str | None:
        """Compare ``fn``'s outputs with the expected ones on fresh cases: None if they all
        agree, else what is wrong with the first case that fails, and that case's input."""
        arg_names = _argument_names(self.signature)
        for _ in range(self.n_cases):
            args = self.make_inputs(rng)
            expected = self.expected(*[np.copy(a) for a in args])
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
            problem = self._outputs_problem(expected, got)
            if problem:
                return f"{problem}\nThe input was {_format_args(args, arg_names)}."
        return None

    def _outputs_problem(self, expected: tuple, got: Any) -> str | None:
        """What is wrong with the answer ``got`` to one case, or None."""
        if len(self.outputs) > 1:
            if not isinstance(got, tuple | list) or len(got) != len(self.outputs):
                wanted = ", ".join(o.name for o in self.outputs)
                return (
                    f"Return a tuple of {len(self.outputs)} values ({wanted}); "
                    f"got {type(got).__name__}"
                    + (f" of length {len(got)}" if isinstance(got, tuple | list) else "")
                    + "."
                )
            gots = tuple(got)
        else:
            gots = (got,)
        for output, exp, g in zip(self.outputs, expected, gots, strict=True):
            problem = compare(output, np.asarray(exp, dtype=np.float64), g)
            if problem:
                return problem
        return None


@dataclass(frozen=True, kw_only=True)
class TrialExercise(Exercise):
    """An exercise whose check is a trial of its own instead of "compare the outputs".

    Attributes
    ----------
    trial : callable
        ``trial(fn, rng)`` runs one random case of the learner's ``fn`` and returns None
        when it is right, or a sentence saying what is wrong (expected vs got). It may
        let the learner's exceptions propagate: the verdict reports them. Use it where
        the answer is not an array, e.g. a function that builds a ``Value`` node, whose
        gradient the trial then checks numerically.

    and those of :class:`Exercise`.

    Raises
    ------
    TypeError
        If ``trial`` is not a function, or as :class:`Exercise`.
    ValueError
        As :class:`Exercise`.
    """

    trial: Trial

    def __post_init__(self) -> None:
        super().__post_init__()
        if not callable(self.trial):
            raise TypeError(
                f"exercise {self.name!r}: trial must be a function trial(fn, rng), got "
                f"{self.trial!r}"
            )

    def first_problem(self, fn: Callable[..., Any], rng: np.random.Generator) -> str | None:
        """Run the trial on fresh cases: None if every case passes, else the first failure
        in words (an exception the learner's code raised included)."""
        for _ in range(self.n_cases):
            with np.errstate(all="ignore"):
                try:
                    problem = self.trial(fn, rng)
                except (KeyboardInterrupt, _TimedOut):
                    raise
                except BaseException as err:  # the learner's bug (even sys.exit): report it
                    return f"{_describe_call_error(err)}."
            if problem:
                return problem
        return None


def custom_exercise(
    name: str,
    chapter: int,
    task: str,
    signature: str,
    hint: str,
    trial: Trial,
    n_cases: int = 5,
    verified_by: str = "the numerical gradient",
    *,
    nudge: str,
) -> TrialExercise:
    """Deprecated: build :class:`TrialExercise` instead (same arguments, by keyword).

    Raises
    ------
    TypeError
        If ``trial`` is not a function, or as :class:`TrialExercise`.
    ValueError
        As :class:`TrialExercise`.
    """
    warnings.warn(
        "custom_exercise is deprecated: build TrialExercise(name=..., trial=..., ...) instead",
        DeprecationWarning,
        stacklevel=2,
    )
    if not callable(trial):
        raise TypeError(
            f"custom_exercise {name!r}: trial must be a function trial(fn, rng), got {trial!r}"
        )
    return TrialExercise(
        name=name, chapter=chapter, task=task, signature=signature, hint=hint, nudge=nudge,
        n_cases=n_cases, verified_by=verified_by, trial=trial,
    )
