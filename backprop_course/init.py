"""Weight initialisers (chapter 11 explains why the scales matter).

Every initialiser returns a float64 array of shape ``(fan_in, fan_out)``, the
book's ``W`` layout, and takes ``rng``: a seed (int) or a
``numpy.random.Generator``, so that every draw can be repeated. A fan that is not
an int raises TypeError, one below 1 ValueError (as does a bad ``rng``, see
:func:`as_rng`).

* Xavier/Glorot (Glorot & Bengio 2010): variance ``2 / (fan_in + fan_out)``, which
  keeps activations and gradients at a steady scale through tanh or sigmoid layers.
* He (He et al. 2015): variance ``2 / fan_in``, for ReLU layers, which zero half
  their inputs.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from .checks import describe as _describe
from .checks import int_at_least as _int_at_least
from .checks import positive_number as _positive_number

__all__ = ["as_rng", "xavier_uniform", "xavier_normal", "he_uniform", "he_normal", "uniform"]

RngLike = int | np.random.Generator | None


def as_rng(rng: RngLike) -> np.random.Generator:
    """A Generator from a seed, a Generator (returned as it is) or None (seed 0, so runs repeat).

    Raises
    ------
    TypeError
        If ``rng`` is anything else (a float, a string, a legacy ``RandomState``).
    ValueError
        If the seed is negative.
    """
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None:
        return np.random.default_rng(0)
    if isinstance(rng, numbers.Integral) and not isinstance(rng, bool):
        if rng < 0:
            raise ValueError(f"rng: a seed must be an int >= 0, got {rng!r}")
        return np.random.default_rng(int(rng))
    hint = (" (numpy.random.default_rng(seed) makes one)"
            if isinstance(rng, np.random.RandomState) else "")
    raise TypeError(
        f"rng must be an int seed or a numpy.random.Generator, got {_describe(rng)}{hint}"
    )


def _check_fans(fan_in: int, fan_out: int, where: str) -> None:
    """Both fans are ints >= 1: TypeError for another kind of thing, ValueError for < 1."""
    _int_at_least(fan_in, 1, "fan_in", where)
    _int_at_least(fan_out, 1, "fan_out", where)


def xavier_uniform(fan_in: int, fan_out: int, rng: RngLike = None) -> np.ndarray:
    """Uniform on ``[-a, a]``, ``a = √(6 / (fan_in + fan_out))``: variance 2/(fan_in+fan_out)."""
    _check_fans(fan_in, fan_out, "xavier_uniform")
    limit = math.sqrt(6.0 / (fan_in + fan_out))
    return as_rng(rng).uniform(-limit, limit, size=(fan_in, fan_out))


def xavier_normal(fan_in: int, fan_out: int, rng: RngLike = None) -> np.ndarray:
    """Normal with mean 0 and variance ``2 / (fan_in + fan_out)``."""
    _check_fans(fan_in, fan_out, "xavier_normal")
    return as_rng(rng).normal(0.0, math.sqrt(2.0 / (fan_in + fan_out)), size=(fan_in, fan_out))


def he_uniform(fan_in: int, fan_out: int, rng: RngLike = None) -> np.ndarray:
    """Uniform on ``[-√(6/fan_in), +√(6/fan_in)]``: variance 2/fan_in."""
    _check_fans(fan_in, fan_out, "he_uniform")
    limit = math.sqrt(6.0 / fan_in)
    return as_rng(rng).uniform(-limit, limit, size=(fan_in, fan_out))


def he_normal(fan_in: int, fan_out: int, rng: RngLike = None) -> np.ndarray:
    """Normal with mean 0 and variance ``2 / fan_in``."""
    _check_fans(fan_in, fan_out, "he_normal")
    return as_rng(rng).normal(0.0, math.sqrt(2.0 / fan_in), size=(fan_in, fan_out))


def uniform(fan_in: int, fan_out: int, rng: RngLike = None, scale: float = 0.3) -> np.ndarray:
    """Uniform on ``[-scale, scale]``, independent of the layer's size (the 1986 paper used 0.3)."""
    _check_fans(fan_in, fan_out, "uniform")
    scale = _positive_number(scale, "scale", "uniform")
    return as_rng(rng).uniform(-scale, scale, size=(fan_in, fan_out))
