"""Reproducible set-ups of published experiments.

paper1986   the experiments of Rumelhart, Hinton & Williams (1986): XOR, mirror
            symmetry, parity, the 8-3-8 encoder and the family trees (chapter 9)
char_transformer  a tiny character-level transformer trained on Shakespeare's
            Sonnets, with a cached longer run (chapter 14)

``from backprop_course.experiments import paper1986`` imports it; the import is
lazy, so that ``python -m backprop_course.experiments.paper1986`` runs cleanly.
"""

import importlib
from typing import Any

__all__ = ["paper1986", "char_transformer"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
