"""Argument checks shared by the package: one home for each validator.

Every public function checks what a learner passes it and raises a clear error at the
operation, naming the function, the argument, what it needed and what it got. The checks
that several modules share live here. By convention a value of the wrong kind (a string
where a number goes, None, a bool where an int goes) is a TypeError and a value of the
right kind that is out of range is a ValueError.
"""

from __future__ import annotations

import inspect
import numbers
from typing import Any

import numpy as np

__all__ = ["as_array", "check_callable", "flag", "check_axis", "normalise_axes"]


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
