"""The checks of the exercises' reference functions on their input.

The exercises' reference functions (neuron_loss, mse, ...) are what learners compare
their answers with; they refuse what they cannot compute correctly instead of
broadcasting it into a plausible number.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..checks import real_array

__all__: list[str] = []


def _rows(value: Any, name: str, where: str) -> np.ndarray:
    """Rows of logits along the last axis (a 1-D array is one row), none of them empty."""
    arr = real_array(value, name, where, float64=True)
    if arr.ndim == 0 or arr.shape[-1] == 0:
        raise ValueError(
            f"{where}: {name} must be rows of at least one logit (along the last axis), got "
            f"shape {arr.shape}"
        )
    return arr


def _shape_is(arr: np.ndarray, shape: tuple[int, ...], what: str, why: str = "") -> None:
    if arr.shape != shape:
        raise ValueError(f"{what} must have shape {shape}{why}, got {arr.shape}")
