"""The package's deprecation warning for a renamed public name (kept for one release)."""

from __future__ import annotations

import warnings


def deprecated(old: str, new: str) -> None:
    """Warn that ``old`` is now called ``new``, pointing at the caller of the old name."""
    warnings.warn(
        f"{old} is now called {new}; the old name will be removed in the next release",
        DeprecationWarning,
        stacklevel=3,  # this function, the deprecated wrapper, then its caller
    )
