"""Comparing the learner's answer with the expected one, and saying what differs.

The expected answer of most checkers comes from central differences of a definition
(:func:`gradients_by_differences`); the verdict shows the case's inputs by the names of
the exercise's signature and recognises the usual kinds of wrong answer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..checks import as_array as _as_array
from ..gradcheck import numerical_gradient

__all__ = ["ATOL", "RTOL", "Output", "compare", "gradients_by_differences"]

RTOL = 1e-5
"""The relative tolerance of every checker: an answer agrees with the expected one when
``|got - expected| <= ATOL + RTOL * max(|got|, |expected|)``, entry by entry."""

ATOL = 1e-7
"""The absolute tolerance of every checker (for entries near zero); see :data:`RTOL`."""


@dataclass(frozen=True)
class Output:
    """One named output of an exercise function, such as ``dL/dw``: the name verdicts use.

    Raises
    ------
    TypeError
        If ``name`` is not a non-empty string.
    """

    name: str

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise TypeError(
                f"Output: name must be a non-empty str such as 'dL/dw', got {self.name!r}"
            )


def _allowed_error(got: Any, expected: Any) -> np.ndarray:
    """The error an answer may have, entry by entry: ATOL + RTOL * max(|got|, |expected|)."""
    return ATOL + RTOL * np.maximum(np.abs(got), np.abs(expected))


def _close(got: Any, expected: Any) -> bool:
    """Whether ``got`` agrees with ``expected`` within the checkers' tolerance, every entry."""
    return bool(np.all(np.abs(np.subtract(got, expected)) <= _allowed_error(got, expected)))


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
    if _close(got, -expected):
        return "Every entry has the wrong sign."
    nonzero = np.abs(expected) > 1e-8
    zeros_right = np.allclose(got[~nonzero], 0.0, atol=ATOL)  # a factor leaves zeros at zero
    if nonzero.sum() >= 2 and zeros_right:  # one number is always "a constant times" another
        ratio = got[nonzero] / expected[nonzero]
        if np.allclose(ratio, ratio.flat[0], rtol=RTOL) and abs(ratio.flat[0]) > 1e-12:
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
        If ``output`` is not an ``Output`` or ``expected`` is not real numbers.
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
    tolerance = _allowed_error(got_arr, expected)
    if (diff <= tolerance).all():
        return None
    idx = tuple(int(i) for i in np.unravel_index(int(np.argmax(diff / tolerance)), expected.shape))
    entry = f"entry {idx} of {output.name}" if expected.ndim else output.name
    message = f"{entry}: expected {expected[idx]:.6g}, got {got_arr[idx]:.6g}."
    diagnosis = _diagnose(expected, got_arr)
    return f"{message} {diagnosis}".rstrip()
