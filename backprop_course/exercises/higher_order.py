"""Deprecated, kept for one release: moved to :mod:`.modern_frameworks`."""

from .modern_frameworks import EXERCISES, softplus

__all__ = ["EXERCISES", "softplus"]
