"""Deprecated, kept for one release: moved to :mod:`.forward_vs_reverse`."""

from .forward_vs_reverse import EXERCISES, g

__all__ = ["EXERCISES", "g"]
