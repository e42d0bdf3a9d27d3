"""The checks of the exercises' reference functions on their input.

The exercises' reference functions (neuron_loss, mse, ...) are what learners compare
their answers with; they refuse what they cannot compute correctly instead of
broadcasting it into a plausible number.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from ..checks import as_array as _as_array
from ..tensor import Tensor

__all__: list[str] = []


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
