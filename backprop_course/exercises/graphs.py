"""Deprecated, kept for one release: moved to :mod:`.computational_graphs`."""

from .computational_graphs import EXERCISES, fanout_loss

__all__ = ["EXERCISES", "fanout_loss"]
