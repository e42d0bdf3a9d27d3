"""The figures of the 1986 paper that chapter 9 redraws from its own networks."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from ..checks import real_array
from .matrices import plot_hinton

__all__ = ["plot_person_units"]


def plot_person_units(W_people: np.ndarray, people: list[str],
                      titles: list[str] | None = None) -> plt.Figure:
    """The paper's Fig. 4: the weights from the 24 people to the 6 units that encode person 1.

    Each unit is one Hinton diagram of two rows, as in the paper: the 12 English people
    in the top row, their 12 Italian counterparts below them, column by column. White
    squares are positive weights, black negative, one scale for every unit.

    Parameters
    ----------
    W_people : numpy.ndarray, shape (24, 6)
        ``W_people[i, k]``: the weight from person ``i`` (the English first, then the
        Italians in the same order) to unit ``k``.
    people : list of 24 str
        The names, in the order of the rows of ``W_people``; the English name labels a column.
    titles : list of 6 str, optional
        A title per unit; "unit 1" ... "unit 6" by default.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    TypeError
        If ``W_people`` is not real numbers, or ``people`` or ``titles`` is not a list of str.
    ValueError
        If ``W_people`` is not (24, 6) or holds NaN/inf, or ``people`` (``titles``) does not
        have 24 (6) entries.
    """
    func = "plot_person_units"
    W = real_array(W_people, "W_people", func, float64=True)
    if W.shape != (24, 6):
        raise ValueError(f"{func}: W_people must be (24, 6), from the 24 people to their 6 "
                         f"units; got {W.shape}")
    for name, labels, n in (("people", people, 24), ("titles", titles, 6)):
        if labels is None and name == "titles":
            continue
        if not isinstance(labels, list | tuple) or not all(isinstance(x, str) for x in labels):
            raise TypeError(f"{func}: {name} must be a list of {n} str, got {labels!r:.60}")
        if len(labels) != n:
            raise ValueError(f"{func}: {name} needs {n} entries, got {len(labels)}")
    titles = list(titles) if titles is not None else [f"unit {k + 1}" for k in range(6)]
    fig, axes = plt.subplots(3, 2, figsize=(10, 5.4))
    scale = float(np.abs(W).max()) or 1.0
    for k, ax in enumerate(axes.ravel()):
        plot_hinton(W[:, k].reshape(2, 12), ax=ax, max_weight=scale,
                    row_labels=["English", "Italian"] if k % 2 == 0 else None,
                    col_labels=list(people[:12]) if k >= 4 else None, title=titles[k])
        if k >= 4:
            ax.tick_params(axis="x", labelrotation=90, labelsize=8)
    fig.tight_layout()
    return fig
