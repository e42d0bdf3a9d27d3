"""Deprecated, kept for one release: moved to :mod:`.matrix_backprop`."""

from .matrix_backprop import EXERCISES, two_layer_loss

__all__ = ["EXERCISES", "two_layer_loss"]
