"""Numerical gradients and gradient checking: how every gradient in the course is verified.

A gradient computed by backpropagation is checked against the *central
difference*

.. math:: \\frac{\\partial f}{\\partial x_i} \\approx
          \\frac{f(x + h e_i) - f(x - h e_i)}{2h},

with a small step :math:`h` (the argument ``eps``), whose error shrinks like
:math:`h^2` (a one-sided difference only like :math:`h`). It costs two
evaluations of ``f`` per entry of ``x``, which is why it is a check and not a way
to train: backpropagation gets every entry in one backward pass.

The module can be called directly: ``bc.gradcheck(f, x)`` is
``bc.gradcheck.gradcheck(f, x)``.
"""

from __future__ import annotations

import math
import numbers
import sys
import textwrap
import types
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ._numerical import _short, below, numerical_gradient, rel_error
from .checks import as_array as _as_array
from .checks import check_callable as _check_callable
from .checks import finite_positive
from .tensor import Tensor

__all__ = ["numerical_gradient", "rel_error", "below", "gradcheck", "GradcheckReport"]


@dataclass
class GradcheckReport:
    """What :func:`gradcheck` found. ``bool(report)`` is ``report.passed``; ``print`` it to read it.

    Attributes
    ----------
    passed : bool
        Every entry of every input's gradient is within tolerance.
    rel_error : float
        Relative error ``|analytic - numerical| / max(|analytic|, |numerical|)`` at
        the worst entry.
    abs_error : float
        ``|analytic - numerical|`` at the worst entry.
    input_index, index : int, tuple
        Which input (0-based, in the order passed) and which entry of it is worst.
    analytic, numerical : float
        The two values at that entry: from ``backward()`` and from central differences.
    at_kink : bool
        Whether a failing check's worst entry sits at or within the step of a kink, a
        point where f has no derivative: its two one-sided slopes disagree by a gap that
        does not shrink in proportion to the step (a smooth f's gap, about
        ``eps * f''``, does), so the central difference averages two slopes.
    kink_near : bool
        With ``at_kink``: the kink is beside the point, within the step, not at it (nor
        within about a hundredth of the step, which counts as at it). f is
        differentiable at the point itself, so the backward pass can be right and it is
        the central difference, straddling the kink, that is off.
    curved : bool
        Not a kink, but the step is too large for f at the worst entry: a central
        difference with a tenth of the step comes at least ten times closer to the
        backward pass (a truncation error shrinks like the step squared; the error of a
        wrong backward pass does not shrink at all). f is strongly curved there, or has a
        kink at the edge of the step, where the gap is too small to tell.
    missing : list of int
        Inputs that received no gradient at all (``.grad`` stayed None).
    n_entries : int
        How many gradient entries were compared.
    """

    passed: bool
    rel_error: float
    abs_error: float
    input_index: int
    index: tuple[int, ...]
    analytic: float
    numerical: float
    at_kink: bool = False
    missing: list[int] = field(default_factory=list)
    n_entries: int = 0
    rtol: float = 1e-6
    atol: float = 0.0
    kink_near: bool = False
    curved: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.passed, bool | np.bool_):
            raise TypeError(f"GradcheckReport: passed must be True or False, got {self.passed!r}")
        self.passed = bool(self.passed)
        for name in ("rel_error", "abs_error", "analytic", "numerical", "rtol", "atol"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, numbers.Real):
                raise TypeError(f"GradcheckReport: {name} must be a number, got {value!r}")
        if isinstance(self.input_index, bool) or not isinstance(self.input_index, int) \
                or self.input_index < 0:
            raise ValueError(
                f"GradcheckReport: input_index must be an int >= 0, got {self.input_index!r}"
            )
        if not isinstance(self.index, tuple):
            raise TypeError(f"GradcheckReport: index must be a tuple, got {self.index!r}")

    def __bool__(self) -> bool:
        return self.passed

    def __str__(self) -> str:
        # Positions count from 0, as Python's do: "entry (0,) of input 1" is x[0] of the
        # second input.
        where = f"entry {self.index} of input {self.input_index} (both counted from 0)"
        values = (
            f"backward gave {self.analytic:.6g}, central differences give {self.numerical:.6g}"
        )
        if self.passed:
            # The worst error of a passing check is round-off, whose digits change from one
            # machine to another: say what held, not those digits (they are in .rel_error).
            slack = " (plus an absolute allowance for round-off)" if self.atol else ""
            return textwrap.fill(
                f"gradcheck passed: all {self.n_entries} gradient entries agree with central "
                f"differences to a relative {_short(self.rtol)}{slack}.",
                width=74,
            )
        allowed = f"{self.atol:.1e} + {self.rtol:.0e} x size" if self.atol else (
            f"{self.rtol:.0e} x size")
        if not (math.isfinite(self.analytic) and math.isfinite(self.numerical)):
            side = "the backward pass" if not math.isfinite(self.analytic) else (
                "the central difference")
            return textwrap.fill(
                f"gradcheck FAILED at {where}: {values}. {side[0].upper()}{side[1:]} gave "
                "a value that is not a finite number (NaN or infinity), which no gradient "
                "can be: look for a division by zero, a log or square root at 0, or an "
                "overflow in that computation.",
                width=74,
            )
        lines = [
            f"gradcheck FAILED at {where}: {values} "
            f"(relative error {self.rel_error:.1e}, absolute {self.abs_error:.1e}; "
            f"allowed: {allowed})."
        ]
        if self.missing:
            lines.append(
                "Input(s) " + ", ".join(map(str, self.missing)) + " received no gradient: "
                "is every operation on the path from them to the output differentiable, "
                "and did backward reach them?"
            )
        if self.at_kink and self.kink_near:
            lines.append(
                "f has a kink within the step of this point: its left and right slopes over "
                "the step differ, but agree over a smaller step. The central difference "
                "straddles the kink and averages two slopes, so it is the numerical gradient "
                "that is off. Check at a point further from the kink."
            )
        elif self.at_kink:
            lines.append(
                "f is not differentiable at this point (its left and right slopes differ, as "
                "at ReLU(0) or |x| at 0), so the numerical gradient averages two slopes and "
                "both answers can be right. Check at a point away from the kink."
            )
        elif self.curved:
            lines.append(
                "A central difference with a tenth of the step comes at least ten times "
                "closer to the backward pass: the step is too large for f at this point (f is "
                "strongly curved here, or has a kink at the edge of the step). Check again "
                "with a smaller eps."
            )
        return "\n".join(textwrap.fill(line, width=74) for line in lines)

    def __repr__(self) -> str:
        return (
            f"GradcheckReport(passed={self.passed}, rel_error={self.rel_error:.2e}, "
            f"input_index={self.input_index}, index={self.index})"
        )


def gradcheck(
    f: Callable[..., Tensor],
    *inputs: np.ndarray | float,
    eps: float = 1e-6,
    rtol: float = 1e-6,
    atol: float | None = None,
    seed: int = 0,
) -> GradcheckReport:
    """Check ``f``'s backward pass against central differences, for every input.

    ``f`` is called on float64 Tensors made from ``inputs`` (all with
    ``requires_grad=True``) and must return a Tensor built from them. Its
    ``backward()`` gradients are compared entry by entry with
    :func:`numerical_gradient`. A non-scalar output is checked through a random
    projection: the scalar ``sum(f(...) * r)`` with a fixed random ``r``, which
    tests the whole vector-Jacobian product.

    An entry passes when ``|analytic - numerical| <= atol + rtol * max(|analytic|, |numerical|)``.

    Parameters
    ----------
    f : callable
        ``f(*tensors) -> Tensor``.
    *inputs : array_like
        The point at which to check, one array (or Tensor, or number) per argument of ``f``.
    eps : float, default 1e-6
        Step of the central differences.
    rtol : float, default 1e-6
        Relative tolerance.
    atol : float, optional
        Absolute tolerance, for entries near zero, where relative error means
        nothing. By default it is set from the round-off that central differences
        cannot avoid: about ``1e-13 * max(1, |f(x)|) / eps`` (1e-7 for f of size 1).
    seed : int, default 0
        Seed of the random projection for non-scalar outputs.

    Returns
    -------
    GradcheckReport
        ``passed``, the worst entry and both values there; print it for a sentence.

    Raises
    ------
    TypeError
        If ``f`` is not a function of as many Tensors as there are inputs or does not
        return a Tensor, or an input is not real numbers.
    ValueError
        If no inputs are given, an input contains NaN or inf, ``eps``, ``rtol``, ``atol``
        are not numbers of the right sign, or ``seed`` is not an int >= 0.
    """
    _check_options(inputs, eps, rtol, atol, seed)
    arrays = [
        np.array(_as_array(x.data if isinstance(x, Tensor) else x, f"gradcheck input {i}"),
                 dtype=np.float64, copy=True)
        for i, x in enumerate(inputs)
    ]
    out, projection, analytic, missing = _backward_pass(f, arrays, seed)
    if atol is None:  # the round-off a central difference cannot avoid, about 1e-13 |f| / eps
        atol = 1e-13 * max(1.0, abs(_projected(out.data, projection))) / eps
    numerical = [numerical_gradient(_along(f, arrays, projection, i), x, eps)
                 for i, x in enumerate(arrays)]
    score, i, idx = _worst_entry(analytic, numerical, atol, rtol)
    if score < 0:  # every input was empty
        return GradcheckReport(True, 0.0, 0.0, 0, (), 0.0, 0.0, rtol=rtol, atol=atol)
    a_val, n_val = float(analytic[i][idx]), float(numerical[i][idx])
    passed = score <= 1.0
    cause = "" if passed or not (math.isfinite(a_val) and math.isfinite(n_val)) else _diagnose(
        _along(f, arrays, projection, i), arrays[i], idx, eps, atol, rtol, a_val, n_val)
    return _report(a_val, n_val, passed, cause, input_index=i, index=idx, missing=missing,
                   n_entries=sum(num.size for num in numerical), rtol=rtol, atol=atol)


def _report(a_val: float, n_val: float, passed: bool, cause: str,
            **details: Any) -> GradcheckReport:
    """The report on the worst entry: its two values, their errors, and ``cause``, the
    diagnosis of :func:`_diagnose` ("kink", "kink near", "curved" or "")."""
    finite = math.isfinite(a_val) and math.isfinite(n_val)
    abs_err = abs(a_val - n_val) if finite else math.inf
    rel = abs_err / max(abs(a_val), abs(n_val)) if max(abs(a_val), abs(n_val)) > 0 else 0.0
    if not finite:
        rel = math.inf
    return GradcheckReport(
        passed=passed,
        rel_error=rel,
        abs_error=abs_err,
        analytic=a_val,
        numerical=n_val,
        at_kink=cause in ("kink", "kink near"),
        kink_near=cause == "kink near",
        curved=cause == "curved",
        **details,
    )


def _check_options(inputs: tuple, eps: Any, rtol: Any, atol: Any, seed: Any) -> None:
    """gradcheck's arguments other than f, checked; each refusal is a ValueError."""
    if not inputs:
        raise ValueError("gradcheck needs at least one input array")
    finite_positive(eps, "eps", "a positive number")
    finite_positive(rtol, "rtol", "a number >= 0", zero_ok=True)
    if atol is not None:
        finite_positive(atol, "atol", "a number >= 0 or None", zero_ok=True)
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise ValueError(f"seed must be an int >= 0, got {seed!r}")


def _backward_pass(
    f: Callable[..., Tensor], arrays: list[np.ndarray], seed: int
) -> tuple[Tensor, np.ndarray | None, list[np.ndarray], list[int]]:
    """Run ``f`` on Tensors of ``arrays`` and backpropagate: what the check compares.

    Returns ``f``'s output, the random projection of a non-scalar output (None for a
    scalar), every input's gradient (zeros where none arrived) and the inputs that
    received none.
    """
    tensors = [Tensor(a, requires_grad=True) for a in arrays]
    _check_callable(f, "gradcheck: f", f"{len(tensors)} Tensor(s), one per input", *tensors)
    out = f(*tensors)
    if not isinstance(out, Tensor):
        raise TypeError(
            f"f must return a Tensor computed from its arguments, got {type(out).__name__}; "
            "without a Tensor there is no backward pass to check"
        )
    projection = None
    if out.size != 1:
        projection = np.random.default_rng(seed).standard_normal(out.shape)
    if out.requires_grad:
        out.backward(projection)
    analytic = [t.grad if t.grad is not None else np.zeros_like(t.data) for t in tensors]
    missing = [i for i, t in enumerate(tensors) if t.grad is None]
    return out, projection, analytic, missing


def _projected(y: np.ndarray, projection: np.ndarray | None) -> float:
    """The scalar that is checked: ``sum(y * r)`` for a non-scalar output, else ``y``."""
    return float(np.sum(y * projection)) if projection is not None else float(y.sum())


def _along(
    f: Callable[..., Tensor], arrays: list[np.ndarray], projection: np.ndarray | None, i: int
) -> Callable[[np.ndarray], float]:
    """The checked scalar as a function of input ``i`` alone, the others held fixed."""

    def f_i(xi: np.ndarray) -> float:
        args = [Tensor(xi if j == i else arrays[j]) for j in range(len(arrays))]
        return _projected(f(*args).data, projection)

    return f_i


def _worst_entry(
    analytic: list[np.ndarray], numerical: list[np.ndarray], atol: float, rtol: float
) -> tuple[float, int, tuple[int, ...]]:
    """The entry that fails worst: ``(score, input, index)``, where a score above 1 fails.

    The score is ``|analytic - numerical| / (atol + rtol * max(|analytic|, |numerical|))``;
    ``(-1.0, 0, ())`` when every input is empty.
    """
    worst: tuple[float, int, tuple[int, ...]] = (-1.0, 0, ())
    for i, (a, num) in enumerate(zip(analytic, numerical, strict=True)):
        with np.errstate(invalid="ignore", over="ignore"):
            diff = np.abs(a - num)
            scale = np.maximum(np.abs(a), np.abs(num))
            score = diff / (atol + rtol * scale)  # > 1 means this entry fails
        # NaN or inf on either side fails: a NaN score is never "worse" than another, so
        # without this the entry would be skipped and the check would pass
        score = np.where(np.isfinite(a) & np.isfinite(num), score, np.inf)
        if score.size and score.max() > worst[0]:
            flat = int(score.argmax())
            where = tuple(int(k) for k in np.unravel_index(flat, num.shape))
            worst = (float(score.max()), i, where)
    return worst


def _diagnose(
    f: Callable[[np.ndarray], float],
    x: np.ndarray,
    idx: Sequence[int],
    eps: float,
    atol: float,
    rtol: float,
    analytic: float,
    numerical: float,
) -> str:
    """Why a failing entry may fail without a bug: "kink", "kink near", "curved" or "".

    The one-sided slopes along entry ``idx``, right ``(f(x + s) - f(x)) / s`` and left
    ``(f(x) - f(x - s)) / s``, differ by a gap. For a smooth f the gap is about ``s f''``:
    it shrinks in proportion to the step s. A kink at x keeps it at the jump in slope
    whatever the step; a kink beside x, within the step, makes it vanish once the step no
    longer reaches the kink. So a large gap at ``eps`` is a kink unless the gaps at
    ``eps / 3`` and ``eps / 10`` are a third and a tenth of it. Two smaller steps, not one:
    for a kink at distance d the gap at s is the jump times ``1 - d / s``, and with a single
    ratio one distance (``eps / 11`` for ``eps / 10``) would look smooth; the two ratios
    never look smooth at the same distance.
    """
    point = np.array(x, dtype=np.float64, copy=True)
    idx = tuple(idx)
    f0 = f(point)
    original = point[idx]

    def at(step: float) -> tuple[float, float]:
        point[idx] = original + step
        f_plus = f(point)
        point[idx] = original - step
        f_minus = f(point)
        point[idx] = original
        return f_plus, f_minus

    def gap(f_plus: float, f_minus: float, step: float) -> float:
        return (f_plus - f0) / step - (f0 - f_minus) / step

    f_plus, f_minus = at(eps)
    right, left = (f_plus - f0) / eps, (f0 - f_minus) / eps
    # The gap must stand out from round-off and from ordinary curvature at this step.
    large = abs(right - left) > 1e3 * (atol + rtol * max(abs(right), abs(left))) + 1e-3 * max(
        1.0, abs(right), abs(left)
    )
    small = {k: at(eps / k) for k in (3, 10)}
    if large:
        g = right - left
        share = {k: gap(*small[k], eps / k) / g for k in (3, 10)}  # 1/3, 1/10 if smooth
        if not all(abs(share[k] * k - 1) < 0.5 for k in share):
            # at the kink itself the gap keeps (nearly) its size at every step
            return "kink" if all(v > 0.9 for v in share.values()) else "kink near"
    # Smooth: is it the step? A truncation error falls like the step squared.
    f_plus, f_minus = small[10]
    finer = (f_plus - f_minus) / (2 * eps / 10)
    if abs(analytic - finer) <= 0.1 * abs(analytic - numerical):
        return "curved"
    return ""


class _CallableModule(types.ModuleType):
    """Lets ``bc.gradcheck(f, x)`` call :func:`gradcheck`; ``bc.gradcheck.rel_error`` works too."""

    def __call__(self, f: Callable[..., Tensor], *inputs: Any, **kwargs: Any) -> GradcheckReport:
        return gradcheck(f, *inputs, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
