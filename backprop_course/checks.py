"""Argument checks shared by the package: one home for each validator.

Every public function checks what a learner passes it and raises a clear error at the
operation, naming the function, the argument, what it needed and what it got. The checks
that several modules share live here. By convention a value of the wrong kind (a string
where a number goes, None, a bool where an int goes) is a TypeError and a value of the
right kind that is out of range is a ValueError.
"""

from __future__ import annotations

import inspect
import math
import numbers
from collections.abc import Callable
from typing import Any

import numpy as np

__all__ = ["as_array", "check_callable", "flag", "check_axis", "normalise_axes"]
__all__ += ["describe", "real_array", "rows", "int_at_least", "real_number", "positive_number"]
__all__ += ["not_numbers", "same_shape", "unpack_cache", "finite_positive", "positive_int"]
__all__ += ["one_number", "choice", "unpack_step_caches"]


def as_array(data: Any, what: str = "Tensor data") -> np.ndarray:
    """Convert user data to a float array, with clear errors for bad input."""
    try:
        arr = np.asarray(data)
    except (ValueError, TypeError) as err:  # ragged nested lists
        raise TypeError(f"{what} must be numbers in a regular (rectangular) shape: {err}") from None
    kind = arr.dtype.kind
    if kind == "f":
        if arr.dtype.itemsize < 4:  # float16 is too coarse for gradients
            arr = arr.astype(np.float32)
    elif kind in "biu":
        arr = arr.astype(np.float64)
    else:
        described = {"c": "complex", "U": "strings", "S": "bytes", "O": "Python objects"}.get(
            kind, str(arr.dtype)
        )
        raise TypeError(
            f"{what} must be real numbers, got an array of {described} (dtype {arr.dtype}): "
            f"{np.array2string(arr.ravel()[:3], threshold=3)}"
        )
    if not np.isfinite(arr).all():
        bad = np.argwhere(~np.isfinite(arr))
        first = tuple(int(i) for i in bad[0]) if arr.ndim else ()
        raise ValueError(
            f"{what} contains {len(bad)} NaN or infinite value(s), the first at index {first}: "
            f"{arr[first] if arr.ndim else arr}"
        )
    return arr


def check_callable(f: Any, what: str, called_with: str, *args: Any, **kwargs: Any) -> None:
    """Raise TypeError unless ``f`` is a function that can be called with ``args``.

    ``what`` names ``f`` for the message ("gradcheck: f"), ``called_with`` says in words
    what it will be given ("2 Tensors, one per input").
    """
    if not callable(f):
        raise TypeError(f"{what} must be a function, got {type(f).__name__} ({f!r:.40})")
    try:
        signature = inspect.signature(f)
    except (TypeError, ValueError):  # a built-in without a signature: let the call decide
        return
    try:
        signature.bind(*args, **kwargs)
    except TypeError as err:
        raise TypeError(
            f"{what} is called with {called_with}, but its parameters are {signature}: {err}"
        ) from None


def flag(value: Any, what: str) -> bool:
    """A bool option (NumPy's bool too); anything else, even a truthy string, is refused."""
    if isinstance(value, bool | np.bool_):
        return bool(value)
    raise TypeError(f"{what} must be True or False, got {type(value).__name__} {value!r:.40}")


def check_axis(axis: int, ndim: int) -> int:
    if not isinstance(axis, numbers.Integral) or isinstance(axis, bool):
        raise TypeError(f"axis must be an int, got {type(axis).__name__}")
    if not -max(ndim, 1) <= axis < max(ndim, 1):
        raise ValueError(f"axis {axis} is out of range for a tensor with {ndim} dimensions")
    return int(axis) % max(ndim, 1)


def normalise_axes(axis: int | tuple[int, ...] | None, ndim: int) -> tuple[int, ...]:
    if axis is None:
        return tuple(range(ndim))
    axes = (axis,) if not isinstance(axis, tuple | list) else tuple(axis)
    normalised = tuple(check_axis(a, ndim) for a in axes)
    if ndim == 0:  # as PyTorch: a scalar's axis 0 (or -1) is the scalar itself
        return ()
    if len(set(normalised)) != len(normalised):
        raise ValueError(f"repeated axis in {axis}")
    return normalised


# ------------------------------------------------ checks of a learner's arguments
# Each takes the value first, then its name and ``where`` (the function that was called,
# prefixed to the message when given).
def describe(value: Any) -> str:
    """A value as an error message shows it: short values as typed, others by kind and shape."""
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} (dtype {value.dtype})"
    if type(value).__name__ == "Tensor":
        return f"a Tensor of shape {value.shape}"
    if isinstance(value, tuple):
        kinds = ", ".join(type(item).__name__ for item in value[:6])
        return f"a tuple of {len(value)}: ({kinds}{', ...' if len(value) > 6 else ''})"
    if isinstance(value, list):
        return f"a list of {len(value)} item(s)"
    if value is None or isinstance(value, bool):
        return repr(value)
    if isinstance(value, str | numbers.Number):
        text = repr(value)
        text = text if len(text) <= 40 else text[:37] + "..."
        return f"{text} ({_a(type(value).__name__)})"
    return _a(type(value).__name__)


def _a(noun: str) -> str:
    return f"{'an' if noun[:1].lower() in 'aeiou' else 'a'} {noun}"


def _prefix(where: str) -> str:
    return f"{where}: " if where else ""


_KINDS = {"b": "booleans", "c": "complex numbers", "U": "strings", "S": "bytes",
          "O": "Python objects", "M": "dates", "m": "time spans", "V": "records"}


def not_numbers(a: Any, arr: np.ndarray) -> str:
    """What ``a`` (as the array ``arr``) is, when it is not the numbers it should be."""
    if arr.dtype.kind == "O" and not isinstance(a, list | tuple):
        return describe(a)  # None, a Tensor, a dict, ...
    return f"an array of {_KINDS.get(arr.dtype.kind, str(arr.dtype))} (dtype {arr.dtype})"


def real_array(a: Any, name: str, where: str = "", *,
               ndim: int | tuple[int, ...] | None = None, finite: bool = True,
               float64: bool = False) -> np.ndarray:
    """``a`` as a float array of real numbers (ints and bools are converted).

    Raises TypeError if ``a`` is not numbers in a rectangular shape (None, strings, complex,
    a ragged list, a Tensor), ValueError if it has not ``ndim`` dimensions (when given; a
    tuple allows each of its numbers) or, with ``finite``, holds NaN or inf. With
    ``float64`` every float type becomes float64; otherwise a float array keeps its type.
    """
    try:
        arr = np.asarray(a)
    except (TypeError, ValueError):  # a ragged nested list
        raise TypeError(
            f"{_prefix(where)}{name} must be an array of real numbers in a rectangular shape, "
            f"got a ragged {type(a).__name__} (rows of different lengths)"
        ) from None
    if arr.dtype.kind not in "biuf":
        got = not_numbers(a, arr)
        tensor = got.startswith("a Tensor")
        hint = " (a NumPy array is needed here: pass t.data)" if tensor else ""
        raise TypeError(f"{_prefix(where)}{name} must be an array of real numbers, got {got}{hint}")
    allowed = (ndim,) if isinstance(ndim, int) else ndim
    if allowed is not None and arr.ndim not in allowed:
        dims = " or ".join(f"{d}-D" for d in allowed)
        raise ValueError(
            f"{_prefix(where)}{name} must be {dims}, got an array of shape {arr.shape}"
        )
    if float64 or arr.dtype.kind != "f":
        arr = arr.astype(np.float64, copy=False)
    if finite and not np.isfinite(arr).all():
        bad = np.argwhere(~np.isfinite(arr))
        first = tuple(int(i) for i in bad[0])
        where_first = f", the first at index {first}: {arr[first]}" if arr.ndim else f": {arr[()]}"
        raise ValueError(
            f"{_prefix(where)}{name} contains {len(bad)} NaN or infinite value(s){where_first}"
        )
    return arr


def rows(value: Any, name: str, where: str = "") -> np.ndarray:
    """``value`` as an array with one row per example (at least one dimension).

    A single number or None (no dimension) is a TypeError.
    """
    arr = np.asarray(value)
    if arr.ndim == 0:
        raise TypeError(
            f"{_prefix(where)}{name} must be an array with one row per example, got "
            f"{describe(value)}"
        )
    return arr


def int_at_least(value: Any, low: int, name: str, where: str = "") -> int:
    """An int (a Python or NumPy integer, not a bool) that is at least ``low``."""
    if type(value) is int and value >= low:  # the common case, without the checks below
        return value
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{_prefix(where)}{name} must be an int >= {low}, got {describe(value)}")
    if value < low:
        raise ValueError(f"{_prefix(where)}{name} must be an int >= {low}, got {value!r}")
    return int(value)


def positive_int(value: Any, name: str, where: str = "") -> int:
    """:func:`int_at_least` 1, for the functions whose every refusal is a ValueError.

    ``symbolic``'s sizes and the exercises' ``n_cases`` have always refused a float, a bool
    or a string with a ValueError "``name`` must be a positive int"; new code uses
    :func:`int_at_least`, which makes those a TypeError.
    """
    try:
        return int_at_least(value, 1, name, where)
    except (TypeError, ValueError):
        raise ValueError(f"{_prefix(where)}{name} must be a positive int, got {value!r}") from None


def real_number(value: Any, name: str, must: str, ok: Callable[[float], bool], where: str = "",
                *, finite: bool = False) -> float:
    """A real number (not a bool, a string or an array of several) for which ``ok`` holds.

    ``must`` says what it must be ("a positive number"); NaN fails every ``ok``, and with
    ``finite`` so does an infinity.
    """
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value[()]
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{_prefix(where)}{name} must be {must}, got {describe(value)}")
    if (finite and not math.isfinite(value)) or not ok(float(value)):
        raise ValueError(f"{_prefix(where)}{name} must be {must}, got {value!r}")
    return float(value)


def one_number(value: Any, name: str, where: str = "", *, positive: bool = False,
               nonnegative: bool = False) -> float:
    """One finite real number: a Python or NumPy number, or an array holding exactly one.

    Where a learner may pass the result of an array computation (a slope, a bias), an
    array of one entry counts as its number. With ``positive`` it must be > 0, with
    ``nonnegative`` >= 0.

    Raises TypeError if ``value`` is not a number (a string, a bool, None, a list; a Tensor
    or a Value, with how to get its number), ValueError if it is an array of several
    numbers, NaN or infinite, or not positive (not negative) as asked.
    """
    hint = {"Value": "; pass its .data", "Tensor": "; pass its .item()"}.get(
        type(value).__name__, "")
    arr = np.asarray(None)  # what a bool, a string or a ragged list counts as
    if not isinstance(value, bool | str):
        try:
            arr = np.asarray(value)
        except (TypeError, ValueError):
            pass
    if arr.dtype.kind not in "iuf":
        raise TypeError(f"{_prefix(where)}{name} must be a real number, got "
                        f"{type(value).__name__} {repr(value)[:40]}{hint}")
    if arr.size != 1:
        raise ValueError(
            f"{_prefix(where)}{name} must be one number, got an array of shape {arr.shape}")
    number = float(arr.reshape(()))
    if not math.isfinite(number):
        raise ValueError(f"{_prefix(where)}{name} must be a finite number, got {number}")
    if positive and number <= 0:
        raise ValueError(f"{_prefix(where)}{name} must be positive, got {number:g}")
    if nonnegative and number < 0:
        raise ValueError(f"{_prefix(where)}{name} must be at least 0, got {number:g}")
    return number


def positive_number(value: Any, name: str, where: str = "", *, allow_inf: bool = False) -> float:
    """A number > 0, finite unless ``allow_inf``."""
    return real_number(value, name, "a positive number",
                       lambda v: v > 0 and (allow_inf or math.isfinite(v)), where)


def finite_positive(value: Any, name: str, must: str, *, zero_ok: bool = False,
                    where: str = "") -> float:
    """A step, a tolerance or a time limit: a finite real number > 0 (>= 0 with ``zero_ok``).

    ``must`` says what it must be ("a positive number", "a number >= 0"). Unlike the other
    checks, every refusal is a ValueError, a value of the wrong kind too (a string, a bool,
    None): ``gradcheck``'s ``eps``, ``rtol`` and ``atol``, ``higher``'s ``tol`` and the
    exercises' ``timeout`` have always refused that way, and learners' code catches it.
    """
    try:
        return real_number(value, name, must, (lambda v: v >= 0) if zero_ok else (lambda v: v > 0),
                           where, finite=True)
    except TypeError as err:
        raise ValueError(str(err)) from None


def same_shape(dout: Any, shape: tuple[int, ...], layer: str) -> np.ndarray:
    """``dout`` for a backward pass: real, finite, and of the forward output's shape."""
    dout = real_array(dout, "dout", layer)
    if dout.shape != shape:
        raise ValueError(f"{layer}: dout has shape {dout.shape}, but the output had shape {shape}")
    return dout


def unpack_cache(cache: Any, layer: str, parts: tuple) -> tuple:
    """The cache a ``*_backward`` was given, checked to be what its ``*_forward`` returned.

    ``parts`` has one entry per item of the cache: an int is the ndim of an array, a type
    (or tuple of types) is what the item must be an instance of.
    """

    def fits(item: Any, part: Any) -> bool:
        if isinstance(part, int):
            return isinstance(item, np.ndarray) and item.ndim == part
        return isinstance(item, part)

    if not (isinstance(cache, tuple) and len(cache) == len(parts)
            and all(fits(item, part) for item, part in zip(cache, parts, strict=True))):
        forward = layer.replace("_backward", "_forward")
        raise TypeError(
            f"{layer} needs the cache that {forward} returned (its second value), got "
            f"{describe(cache)}"
        )
    return cache


def unpack_step_caches(cache: Any, layer: str, parts: tuple) -> list:
    """A recurrent ``*_backward``'s cache: the non-empty list of step caches (each checked
    with :func:`unpack_cache` against ``parts``) that its ``*_forward`` returned."""
    if not (isinstance(cache, list) and cache
            and all(isinstance(step, tuple) and len(step) == len(parts) for step in cache)):
        forward = layer.replace("_backward", "_forward")
        raise TypeError(
            f"{layer} needs the cache that {forward} returned (its second value, a list of "
            f"step caches), got {describe(cache)}"
        )
    return [unpack_cache(step, layer, parts) for step in cache]


def choice(name: Any, choices: Any, what: str, where: str) -> str:
    """One of the names in ``choices`` (a dict or any collection of strings), such as an
    activation or an initialiser chosen by name.

    Raises TypeError if ``name`` is not a string and ValueError if it is not one of
    ``choices``; both messages list the choices.
    """
    if not isinstance(name, str):
        raise TypeError(
            f"{where}: {what} must be a name, one of {sorted(choices)}; got {describe(name)}"
        )
    if name not in choices:
        raise ValueError(f"{where}: unknown {what} {name!r}; choose one of {sorted(choices)}")
    return name
