"""Deprecated, kept for one release: moved to :mod:`.when_backprop_struggles`."""

from .when_backprop_struggles import EXERCISES

__all__ = ["EXERCISES"]
