"""Checks shared by the figures of :mod:`backprop_course.viz` (private).

Every figure checks what it is given before it draws, so that a mistake is named by
the function and the argument instead of surfacing deep inside NumPy or Matplotlib.
"""

from __future__ import annotations

import difflib
import numbers

import matplotlib
import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import Colormap, is_color_like

from ..checks import int_at_least, one_number, real_array


def _axes(ax: object, func: str, name: str = "ax") -> None:
    if ax is not None and not isinstance(ax, Axes):
        raise TypeError(
            f"{func}: {name} must be matplotlib Axes (e.g. from plt.subplots()) or None, got "
            f"{type(ax).__name__}"
        )










def _limits(value: object, func: str, name: str) -> tuple[float, float]:
    """``(low, high)``: two finite numbers, low < high."""
    if isinstance(value, str) or not isinstance(value, tuple | list | np.ndarray) or len(
        value
    ) != 2:
        raise TypeError(f"{func}: {name} must be a pair (low, high), got {value!r}")
    low, high = (one_number(v, name, func) for v in value)
    if not low < high:
        raise ValueError(f"{func}: {name} must have low < high, got ({low:g}, {high:g})")
    return low, high


def _cmap(cmap: object, func: str) -> None:
    """A colormap name Matplotlib knows, or a Colormap."""
    if isinstance(cmap, Colormap):
        return
    if not isinstance(cmap, str):
        raise TypeError(f"{func}: cmap must be a colormap name such as 'viridis', got {cmap!r}")
    if cmap not in matplotlib.colormaps:
        close = difflib.get_close_matches(cmap, list(matplotlib.colormaps), n=3)
        maybe = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
        raise ValueError(f"{func}: unknown colormap {cmap!r}{maybe}")


def _color(color: object, func: str, name: str = "color") -> None:
    if not is_color_like(color):
        raise ValueError(
            f"{func}: {name} must be a colour Matplotlib knows (e.g. 'C3', 'red', "
            f"'#1f77b4'), got {color!r}"
        )


def _levels(levels: object, func: str, minimum: int) -> int | np.ndarray:
    """How many contour levels (an int >= 1) or their values (increasing, >= ``minimum``)."""
    if isinstance(levels, numbers.Integral) and not isinstance(levels, bool):
        return int_at_least(levels, 1, "levels", func)
    if isinstance(levels, bool | str) or not isinstance(levels, list | tuple | np.ndarray):
        raise TypeError(
            f"{func}: levels must be an int (how many) or a list of values, got {levels!r}"
        )
    values = real_array(levels, "levels", func, ndim=1, float64=True)
    if values.size < minimum or np.any(np.diff(values) <= 0):
        raise ValueError(
            f"{func}: levels must be at least {minimum} increasing values, got {values}"
        )
    return values


def _callable(f: object, func: str, name: str) -> None:
    if not callable(f):
        raise TypeError(
            f"{func}: {name} must be a function, got {type(f).__name__}; pass the function "
            "itself, not its value"
        )


def _elementwise(values: object, shape: tuple[int, ...], func: str, name: str) -> np.ndarray:
    """What a learner's function returned for an array of ``shape``: one number per entry
    (in that shape, or in any shape of as many entries, such as a column)."""
    try:
        out = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        out = None
    if out is not None and out.size == int(np.prod(shape)):
        return out.reshape(shape)
    if out is None or out.shape != shape:
        got = "something that is not numbers" if out is None else f"shape {out.shape}"
        raise ValueError(
            f"{func}: {name} must work elementwise on a NumPy array: for an array of shape "
            f"{shape} it returned {got}"
        )
    return out


def _margin(lo: float, hi: float, fraction: float) -> tuple[float, float]:
    """``[lo, hi]`` widened by ``fraction`` of its width on each side (by 1 if it is a point)."""
    pad = fraction * (hi - lo) if hi > lo else 1.0
    return lo - pad, hi + pad
