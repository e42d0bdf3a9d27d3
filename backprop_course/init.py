"""Weight initialisers (chapter 11 explains why the scales matter).

Every initialiser returns a float64 array of shape ``(fan_in, fan_out)``, the
book's ``W`` layout, and takes ``rng``: a seed (int) or a
``numpy.random.Generator``, so that every draw can be repeated.

* Xavier/Glorot (Glorot & Bengio 2010): variance ``2 / (fan_in + fan_out)``, which
  keeps activations and gradients at a steady scale through tanh or sigmoid layers.
* He (He et al. 2015): variance ``2 / fan_in``, for ReLU layers, which zero half
  their inputs.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

__all__ = ["as_rng", "xavier_uniform", "xavier_normal", "he_uniform", "he_normal", "uniform"]

RngLike = int | np.random.Generator | None


def as_rng(rng: RngLike) -> np.random.Generator:
    """A Generator from a seed, a Generator (returned as it is) or None (seed 0, so runs repeat)."""
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None:
        return np.random.default_rng(0)
    if isinstance(rng, numbers.Integral) and not isinstance(rng, bool):
        return np.random.default_rng(int(rng))
    raise TypeError(
        f"rng must be an int seed or a numpy.random.Generator, got {type(rng).__name__}"
    )


def _check_fans(fan_in: int, fan_out: int) -> None:
    for name, n in (("fan_in", fan_in), ("fan_out", fan_out)):
        if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 1:
            raise ValueError(f"{name} must be a positive int, got {n!r}")


def xavier_uniform(fan_in: int, fan_out: int, rng: RngLike = None) -> np.ndarray:
    """Uniform on ``[-a, a]``, ``a = √(6 / (fan_in + fan_out))``: variance 2/(fan_in+fan_out)."""
    _check_fans(fan_in, fan_out)
    limit = math.sqrt(6.0 / (fan_in + fan_out))
    return as_rng(rng).uniform(-limit, limit, size=(fan_in, fan_out))


def xavier_normal(fan_in: int, fan_out: int, rng: RngLike = None) -> np.ndarray:
    """Normal with mean 0 and variance ``2 / (fan_in + fan_out)``."""
    _check_fans(fan_in, fan_out)
    return as_rng(rng).normal(0.0, math.sqrt(2.0 / (fan_in + fan_out)), size=(fan_in, fan_out))


def he_uniform(fan_in: int, fan_out: int, rng: RngLike = None) -> np.ndarray:
    """Uniform on ``[-√(6/fan_in), +√(6/fan_in)]``: variance 2/fan_in."""
    _check_fans(fan_in, fan_out)
    limit = math.sqrt(6.0 / fan_in)
    return as_rng(rng).uniform(-limit, limit, size=(fan_in, fan_out))


def he_normal(fan_in: int, fan_out: int, rng: RngLike = None) -> np.ndarray:
    """Normal with mean 0 and variance ``2 / fan_in``."""
    _check_fans(fan_in, fan_out)
    return as_rng(rng).normal(0.0, math.sqrt(2.0 / fan_in), size=(fan_in, fan_out))


def uniform(fan_in: int, fan_out: int, rng: RngLike = None, scale: float = 0.3) -> np.ndarray:
    """Uniform on ``[-scale, scale]``, independent of the layer's size (the 1986 paper used 0.3)."""
    _check_fans(fan_in, fan_out)
    if not scale > 0:
        raise ValueError(f"scale must be positive, got {scale}")
    return as_rng(rng).uniform(-scale, scale, size=(fan_in, fan_out))
