"""Figures the chapters share, one module per kind of picture.

=====================  ============================================  ==========
module                 what it draws                                 chapters
=====================  ============================================  ==========
``viz.calculus``       a tangent line; gradient descent on a loss    1, 2, 4
``viz.graphs``         the computational graph of a ``Value``        3
``viz.matrices``       matrix shapes, outer products, cells, Hinton  5, 9, 12
``viz.training``       decision regions, curves, confusion, digits   7
``viz.landscape``      gradient norms per layer, slices of the loss  11
``viz.paper1986``      the 1986 paper's Fig. 4, redrawn              9
``viz.step_through``   the backward pass step by step, as HTML       2, 3, 6, 8
=====================  ============================================  ==========

Every name is used as ``bc.viz.<name>``. Importing this package loads Matplotlib, so
``import backprop_course`` imports it only on first use of ``bc.viz``.
``show_source`` and ``source_bundle`` moved to :mod:`backprop_course.source`; the old
names here still work for one release, with a ``DeprecationWarning``.
"""

from __future__ import annotations

import warnings
from typing import Any

from .calculus import plot_descent_1d, plot_descent_contour, plot_tangent
from .graphs import draw_graph
from .landscape import plot_layer_grid, plot_loss_slice
from .matrices import plot_grid, plot_hinton, plot_matmul_shapes, plot_outer_products
from .paper1986 import plot_person_units
from .step_through import step_through, trace_backward
from .training import plot_confusion_matrix, plot_curves, plot_decision_boundary, plot_digits

__all__ = [
    "plot_tangent", "plot_descent_1d", "plot_descent_contour",  # calculus
    "draw_graph",  # graphs
    "plot_matmul_shapes", "plot_outer_products", "plot_hinton", "plot_grid",  # matrices
    "plot_decision_boundary", "plot_curves", "plot_confusion_matrix", "plot_digits",  # training
    "plot_layer_grid", "plot_loss_slice",  # landscape
    "plot_person_units",  # paper1986
    "step_through", "trace_backward",  # step_through (an interactive page, not a Figure)
]

_MOVED = {"show_source": "backprop_course.source", "source_bundle": "backprop_course.source"}


def __getattr__(name: str) -> Any:
    """The names that moved out of ``viz``, with a DeprecationWarning naming their new place."""
    if name in _MOVED:
        new = f"{_MOVED[name]}.{name}"
        warnings.warn(
            f"backprop_course.viz.{name} moved to {new}: use bc.source.{name} (the old name "
            "will be removed in the next release)",
            DeprecationWarning,
            stacklevel=2,
        )
        from .. import source

        return getattr(source, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
