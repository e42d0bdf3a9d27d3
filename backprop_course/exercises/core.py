"""The machinery shared by every exercise checker.

An :class:`Exercise` knows how to draw fresh random inputs and how to compute the
expected answer *numerically* (with central differences), so a checker never
trusts a hand-written formula: it compares the learner's function with the
definition of the derivative. :func:`run_check` calls the learner's function
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

import contextlib
import difflib
import keyword
import numbers
import secrets
import signal
import sys
import textwrap
import threading
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..gradcheck import _check_number, numerical_gradient
from ..tensor import Tensor, _as_array

__all__ = [
    "CheckResult",
    "Exercise",
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


@dataclass(frozen=True)
class Output:
    """One named output of an exercise function, such as ``dL/dw``, and its expected shape."""

    name: str


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


def gradients_by_differences(loss: Callable[..., float], args: Sequence[Any]) -> tuple:
    """The expected answer of most checkers: d loss(*args) / d args[i] for every i, by
    central differences (:func:`~backprop_course.gradcheck.numerical_gradient`), one argument
    nudged at a time while the others keep their values.

    Raises
    ------
    TypeError
        If ``loss`` is not a function or ``args`` is not a list or tuple of arguments (an
        array would be taken as one argument per row).
    ValueError
        If ``args`` is empty.
    """
    if not callable(loss):
        raise TypeError(f"gradients_by_differences: loss must be a function, got {loss!r}")
    if not isinstance(args, list | tuple):
        raise TypeError(
            f"gradients_by_differences: args must be a list or tuple of the loss's arguments, "
            f"got {type(args).__name__}; for one argument a write [a]"
        )
    if not args:
        raise ValueError("gradients_by_differences: args is empty: there is nothing to nudge")
    grads = []
    for i in range(len(args)):

        def loss_i(value: np.ndarray, i: int = i) -> float:
            nudged = list(args)
            nudged[i] = value
            return loss(*nudged)

        grads.append(numerical_gradient(loss_i, args[i]))
    return tuple(grads)


TIME_LIMIT = 30.0  # seconds a check may take before its verdict says the function hangs


class _TimedOut(BaseException):
    """The learner's function ran past the time limit (a BaseException: no `except
    Exception` in the learner's code can swallow it)."""


@contextlib.contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Raise _TimedOut in the block after ``seconds``.

    A timer signal where there is one (Unix, the main thread: a notebook's kernel);
    elsewhere a trace function that looks at the clock at every step of Python code.
    Either way a loop of Python code is stopped; a single long NumPy call is
    stopped when it returns.
    """
    def expire(*_: Any) -> None:
        raise _TimedOut

    if hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGALRM, expire)
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        return
    deadline = time.monotonic() + seconds
    tracer_before = sys.gettrace()

    def tracer(frame: Any, event: str, arg: Any) -> Any:
        if time.monotonic() > deadline:
            raise _TimedOut
        frame.f_trace_opcodes = True  # `while True: pass` has no line events, only opcodes
        return tracer

    sys.settrace(tracer)
    try:
        yield
    finally:
        sys.settrace(tracer_before)


def _describe_call_error(err: BaseException) -> str:
    """Say what the learner's function raised and on which of its lines."""
    frames = [
        f for f in traceback.extract_tb(err.__traceback__) if "backprop_course" not in f.filename
    ]
    where = ""
    if frames:
        last = frames[-1]
        code = f": `{last.line.strip()}`" if last.line else ""
        where = f" at line {last.lineno} of {last.name}(){code}"
    if isinstance(err, SystemExit):
        return (f"Your function called sys.exit() or exit() (SystemExit {err}){where}: it "
                "must return its answer instead")
    return f"Your function raised {type(err).__name__}: {err}{where}"


def _argument_names(signature: str) -> list[str]:
    """``"f(w, x, b=0)"`` -> ``["w", "x", "b"]``."""
    inside = signature.split("(", 1)[1].rsplit(")", 1)[0]
    return [p.split(":")[0].split("=")[0].strip() for p in inside.split(",") if p.strip()]


def _format_args(args: Sequence[Any], names: Sequence[str]) -> str:
    parts = []
    with np.printoptions(precision=4, suppress=True):
        for n, a in zip(names, args, strict=False):
            text = (
                f"{float(a):.4g}"
                if np.ndim(a) == 0
                else np.array2string(np.asarray(a), separator=", ")
            )
            parts.append(f"{n}={text}")
    return ", ".join(parts)


def _diagnose(expected: np.ndarray, got: np.ndarray) -> str:
    """Recognise the common kinds of wrong answer."""
    if np.allclose(got, 0.0) and not np.allclose(expected, 0.0):
        return "Your answer is zero everywhere."
    if np.allclose(got, -expected, rtol=1e-5, atol=1e-8):
        return "Every entry has the wrong sign."
    nonzero = np.abs(expected) > 1e-8
    zeros_right = np.allclose(got[~nonzero], 0.0, atol=1e-7)  # a factor leaves zeros at zero
    if nonzero.sum() >= 2 and zeros_right:  # one number is always "a constant times" another
        ratio = got[nonzero] / expected[nonzero]
        if np.allclose(ratio, ratio.flat[0], rtol=1e-5) and abs(ratio.flat[0]) > 1e-12:
            factor = ratio.flat[0]
            return f"Every entry is {factor:.4g} times the right one: a constant factor is wrong."
    return ""


def compare(output: Output, expected: np.ndarray, got: Any) -> str | None:
    """None when ``got`` matches ``expected``; otherwise what is wrong, in words.

    ``got`` is the learner's answer, and anything goes (the words say what is wrong
    with it). ``output`` and ``expected`` come from the checker.

    Raises
    ------
    TypeError
        If ``output`` is not an :class:`Output` or ``expected`` is not real numbers.
    ValueError
        If ``expected`` holds NaN or infinite values (no answer could match it).
    """
    if not isinstance(output, Output):
        raise TypeError(f"compare: output must be an Output such as Output('dL/dw'), got "
                        f"{output!r}")
    expected = _as_array(expected, "compare: expected").astype(np.float64, copy=False)
    if got is None:
        return f"{output.name}: your function returned None. Did you forget `return`?"
    raw = got.data if hasattr(got, "data") and not isinstance(got, np.ndarray) else got
    if np.iscomplexobj(raw):
        return (f"{output.name}: expected real numbers, got complex numbers "
                f"({str(got)[:60]}): a square root or log of a negative number?")
    try:
        got_arr = np.asarray(raw, dtype=np.float64)
    except (TypeError, ValueError):
        return f"{output.name}: expected numbers, got {type(got).__name__} ({str(got)[:60]})"
    if got_arr.shape != expected.shape:
        if got_arr.size == 1 and expected.size == 1:
            got_arr = got_arr.reshape(expected.shape)
        else:
            return (
                f"{output.name}: expected an array of shape {expected.shape}, got shape "
                f"{got_arr.shape}."
            )
    if not np.isfinite(got_arr).all():
        idx = tuple(int(i) for i in np.argwhere(~np.isfinite(got_arr))[0])
        return f"{output.name}: entry {idx} is {got_arr[idx]} (not a finite number)."
    diff = np.abs(got_arr - expected)
    tolerance = 1e-7 + 1e-5 * np.maximum(np.abs(expected), np.abs(got_arr))
    if (diff <= tolerance).all():
        return None
    idx = tuple(int(i) for i in np.unravel_index(int(np.argmax(diff / tolerance)), expected.shape))
    entry = f"entry {idx} of {output.name}" if expected.ndim else output.name
    message = f"{entry}: expected {expected[idx]:.6g}, got {got_arr[idx]:.6g}."
    diagnosis = _diagnose(expected, got_arr)
    return f"{message} {diagnosis}".rstrip()


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
    _check_number("timeout", timeout, "a positive number of seconds")


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
            if exercise.trial is not None:
                problem = _first_trial_problem(exercise, fn, rng)
            else:
                problem = _first_output_problem(exercise, fn, rng)
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


# ------------------------------------------- the reference functions' checks of their input
# The exercises' reference functions (neuron_loss, mse, ...) are what learners compare
# their answers with; they refuse what they cannot compute correctly instead of
# broadcasting it into a plausible number.
def _real_array(value: Any, what: str, ndim: int | tuple[int, ...] | None = None) -> np.ndarray:
    """Finite real numbers as float64, of ``ndim`` dimensions (one of them, for a tuple)."""
    if isinstance(value, Tensor):
        raise TypeError(f"{what} must be a NumPy array, got a Tensor; pass its .data")
    arr = _as_array(value, what).astype(np.float64, copy=False)
    allowed = (ndim,) if isinstance(ndim, int) else ndim
    if allowed is not None and arr.ndim not in allowed:
        dims = " or ".join(f"{d}-D" for d in allowed)
        raise ValueError(f"{what} must be {dims}, got shape {arr.shape}")
    return arr


def _real_number(value: Any, what: str) -> float:
    """One finite real number: a Python or NumPy number or a 0-d array."""
    if isinstance(value, bool) or (
        not isinstance(value, numbers.Real | np.ndarray | np.generic)
    ):
        raise TypeError(f"{what} must be a real number, got {type(value).__name__} {value!r}")
    arr = _real_array(value, what)
    if arr.ndim != 0:
        raise ValueError(f"{what} must be one number, got an array of shape {arr.shape}")
    return float(arr)


def _rows(value: Any, what: str) -> np.ndarray:
    """Rows of logits along the last axis (a 1-D array is one row), none of them empty."""
    arr = _real_array(value, what)
    if arr.ndim == 0 or arr.shape[-1] == 0:
        raise ValueError(
            f"{what} must be rows of at least one logit (along the last axis), got shape "
            f"{arr.shape}"
        )
    return arr


def _shape_is(arr: np.ndarray, shape: tuple[int, ...], what: str, why: str = "") -> None:
    if arr.shape != shape:
        raise ValueError(f"{what} must have shape {shape}{why}, got {arr.shape}")


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
