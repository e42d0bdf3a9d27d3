"""Numerical differentiation and the measures that compare it with backpropagation.

The first half of :mod:`backprop_course.gradcheck` (private: import these from there, where
the documentation and the tests name them): :func:`numerical_gradient`, the central
difference of every entry; :func:`rel_error`, the scale-free distance between two
gradients; :func:`below`, a bound on such an error in words every machine agrees on. The
other half, :func:`~backprop_course.gradcheck.gradcheck` and its report, is built on them.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from .checks import as_array as _as_array
from .checks import check_callable as _check_callable
from .checks import finite_positive, real_number
from .tensor import Tensor

__all__ = ["numerical_gradient", "rel_error", "below"]


def _scalar_output(value: Any, where: str) -> float:
    """Turn what ``f`` returned into a float, or say clearly why it cannot be one."""
    if isinstance(value, Tensor):
        value = value.data
    elif hasattr(value, "data") and not isinstance(value, np.ndarray | np.generic):  # a Value
        value = value.data
    try:
        arr = np.asarray(value)
    except ValueError:  # a ragged nested list
        raise TypeError(f"f must return a real number, got a ragged list {where}") from None
    if arr.dtype.kind not in "iuf":  # a bool too: a comparison is not a function value
        raise TypeError(f"f must return a real number, got {type(value).__name__} {where}")
    if arr.size != 1:
        raise ValueError(
            f"f must return a scalar, got an array of shape {arr.shape} {where}; "
            "reduce it (e.g. with .sum()) first"
        )
    result = float(arr.reshape(()))
    if not math.isfinite(result):
        raise ValueError(f"f returned {result} {where}")
    return result


def numerical_gradient(
    f: Callable[[np.ndarray], float], x: np.ndarray | float, eps: float = 1e-6
) -> np.ndarray:
    """The gradient of ``f`` at ``x`` by central differences, in float64.

    Parameters
    ----------
    f : callable
        Maps an ndarray shaped like ``x`` to a scalar (a float, a 0-d array, a
        one-element Tensor or a Value).
    x : array_like
        The point, of any shape. It is not modified: ``f`` is called on a float64
        copy, one entry of which is nudged at a time and then restored.
    eps : float, default 1e-6
        The step. About the cube root of float64's machine epsilon (6e-6) balances
        truncation error against round-off.

    Returns
    -------
    numpy.ndarray
        float64 array of ``x``'s shape: entry i is (f(x + eps e_i) - f(x - eps e_i)) / (2 eps).

    Raises
    ------
    TypeError
        If ``f`` is not a function of one array, ``x`` is not numeric, or ``f`` does not
        return a number (a bool is not one).
    ValueError
        If ``eps`` is not positive, ``x`` has NaN/inf, or ``f`` returns a non-scalar or NaN.
    """
    finite_positive(eps, "eps", "a positive number")
    x_in = _as_array(x.data if isinstance(x, Tensor) else x, "x")
    point = np.array(x_in, dtype=np.float64, copy=True)
    _check_callable(f, "numerical_gradient: f", "one array shaped like x", point)
    grad = np.zeros_like(point)
    flat, gflat = point.reshape(-1), grad.reshape(-1)  # views into point and grad
    for i in range(flat.size):
        original = flat[i]
        flat[i] = original + eps
        f_plus = _scalar_output(f(point), f"at x + eps e_{i}")
        flat[i] = original - eps
        f_minus = _scalar_output(f(point), f"at x - eps e_{i}")
        flat[i] = original
        gflat[i] = (f_plus - f_minus) / (2 * eps)
    return grad


def rel_error(a: np.ndarray | float, b: np.ndarray | float) -> float:
    """The largest elementwise relative error ``|a - b| / max(|a|, |b|)``.

    It is 0 for equal arrays (0/0 counts as 0) and does not depend on the scale:
    a 1 % difference is 0.01 whether the entries are of size 1e4 or 1e-4.

    Parameters
    ----------
    a, b : array_like
        Arrays of the same shape (or scalars).

    Returns
    -------
    float
        The maximum over all entries; 0.0 for empty arrays.

    Raises
    ------
    TypeError
        If ``a`` or ``b`` is not real numbers (a string, None, complex numbers).
    ValueError
        If the shapes differ or an entry is NaN or infinite.
    """
    a_arr, b_arr = _real_array(a, "a"), _real_array(b, "b")
    if a_arr.shape != b_arr.shape:
        raise ValueError(
            f"rel_error needs arrays of the same shape, got {a_arr.shape} and {b_arr.shape}"
        )
    if a_arr.size == 0:
        return 0.0
    diff = np.abs(a_arr - b_arr)
    scale = np.maximum(np.abs(a_arr), np.abs(b_arr))
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(scale > 0, diff / scale, 0.0)
    return float(ratio.max())


def _real_array(x: Any, what: str) -> np.ndarray:
    """``x`` (numbers, an array, a Tensor, Values) as a float64 array of finite numbers.

    The engines' objects are unwrapped here; :func:`~backprop_course.checks.as_array` says
    what is wrong with anything else (None, strings, complex numbers, NaN).
    """
    try:
        arr = np.asarray(x.data if isinstance(x, Tensor) else x)
        if arr.dtype == object:  # Values are numbers; float() refuses None (astype: NaN)
            arr = np.array([float(e) for e in arr.flat]).reshape(arr.shape)
    except (ValueError, TypeError):  # a ragged list, or objects that are not numbers
        arr = x
    return _as_array(arr, f"rel_error: {what}").astype(np.float64, copy=False)


# What below() needs of its value and bound; an array of errors is the usual slip.
_A_NUMBER = "a number (for an array of errors: reduce it first, e.g. with .max())"


def below(value: float, bound: float) -> str:
    """Check that ``value < bound`` and say so in words every float64 machine agrees on.

    Round-off errors have no stable digits: the same relative error is 0.0 with one BLAS
    kernel, 1e-17 with another and 3e-16 with a third, because each adds the same numbers
    in another order. What every correct machine agrees on is the bound. So a chapter
    prints ``below(err, 1e-12)``, which returns ``"below 1e-12"``, and the check is the
    same line as the printout: a value at or above the bound raises.

    >>> below(3e-17, 1e-12)
    'below 1e-12'
    >>> below(0.0, 1e-7)
    'below 1e-7'

    Parameters
    ----------
    value : float
        A non-negative size, typically a :func:`rel_error`.
    bound : float
        The positive bound it must stay below.

    Returns
    -------
    str
        ``"below <bound>"``, the bound written with one significant digit (``1e-7``,
        ``0.01``, ``300``), rounded up where it has more (a computed bound such as
        ``n * eps`` = 7.3e-15 is written ``8e-15``), so that the sentence is true.

    Raises
    ------
    AssertionError
        If ``value`` is not below ``bound`` (NaN never is), naming both.
    ValueError
        If ``bound`` is not a positive finite number.
    TypeError
        If ``value`` or ``bound`` is not a number (a string, an array of several entries).
    """
    bound = real_number(bound, "the bound", _A_NUMBER, lambda v: True, "below()")
    if not (np.isfinite(bound) and bound > 0):
        raise ValueError(f"below() needs a positive finite bound, got {bound!r}")
    value = real_number(value, "the value", _A_NUMBER, lambda v: True, "below()")
    if not value < bound:  # also catches NaN
        raise AssertionError(f"{value:.3g} is not below {bound:.3g}")
    return f"below {_short(_one_digit_up(bound))}"


def _one_digit_up(x: float) -> float:
    """The smallest number with one significant digit that is at least ``x`` (x > 0):
    1e-7 stays 1e-7, 7.3e-15 becomes 8e-15, 9.4 becomes 10. A bound printed this way
    stays true for every value below ``x``."""
    mantissa, exponent = f"{x:.0e}".split("e")
    if float(f"{mantissa}e{exponent}") < x:
        mantissa = str(int(mantissa) + 1)
    return float(f"{mantissa}e{exponent}")


def _short(x: float) -> str:
    """``x`` with one significant digit, as a person writes it: 1e-7, 0.01, 300, 2e5."""
    if 1e-3 <= abs(x) < 1e4:
        return f"{float(f'{x:.0e}'):g}"
    mantissa, exponent = f"{x:.0e}".split("e")
    return f"{mantissa}e{int(exponent)}"


for _public in (numerical_gradient, rel_error, below):
    _public.__module__ = "backprop_course.gradcheck"  # their public home, as documented
