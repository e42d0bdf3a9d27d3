"""Deprecated, kept for one release: moved to :mod:`.losses`."""

from .losses import EXERCISES, log_softmax_reference, mean_bce, mean_cross_entropy

__all__ = ["EXERCISES", "log_softmax_reference", "mean_cross_entropy", "mean_bce"]
