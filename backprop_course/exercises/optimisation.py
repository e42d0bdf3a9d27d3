"""Deprecated, kept for one release: moved to :mod:`.learning_as_optimisation`."""

from .learning_as_optimisation import EXERCISES, mse

__all__ = ["EXERCISES", "mse"]
