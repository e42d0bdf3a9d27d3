"""Deprecated, kept for one release: moved to :mod:`.paper_1986`."""

from .paper_1986 import EXERCISES, margin_error, summed_error

__all__ = ["EXERCISES", "summed_error", "margin_error"]
