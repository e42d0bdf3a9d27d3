"""Figures of a trained classifier: decision regions, training curves, a confusion matrix
and a grid of small images with their labels.

Used by chapter 7.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import matplotlib.pyplot as plt
import numpy as np

from ..checks import flag, int_at_least, one_number, real_array
from ._common import _axes, _callable, _cmap, _margin

__all__ = ["plot_decision_boundary", "plot_curves", "plot_confusion_matrix", "plot_digits"]


def _scores(model: Callable[[np.ndarray], object], points: np.ndarray) -> np.ndarray:
    """The model's outputs on ``points`` as an ndarray (a Module returns a Tensor)."""
    out = model(points)
    if not isinstance(out, np.ndarray) and hasattr(out, "data"):
        out = out.data
    return real_array(out, "the model's scores", "plot_decision_boundary", float64=True)


def _class_labels(y: object, n: int, func: str, name: str = "y") -> np.ndarray:
    """Class labels: one per point, whole numbers from 0 (floats such as 1.0 are whole)."""
    labels = np.asarray(y) if not isinstance(y, str) else np.asarray([y])
    if labels.dtype.kind not in "biuf":
        raise TypeError(
            f"{func}: {name} must be integer class labels 0, 1, ..., got dtype {labels.dtype}"
        )
    if labels.ndim != 1:
        hint = "; for one-hot rows pass y.argmax(axis=1)" if labels.ndim == 2 else ""
        raise ValueError(
            f"{func}: {name} must be a 1-D array of class labels, got shape {labels.shape}{hint}"
        )
    if len(labels) != n:
        raise ValueError(f"{func}: X has {n} rows but {name} has {len(labels)}")
    if labels.dtype.kind == "f" and not (np.isfinite(labels).all()
                                         and np.all(labels == np.round(labels))):
        bad = labels[~(np.isfinite(labels) & (labels == np.round(labels)))]
        raise ValueError(
            f"{func}: {name} must be integer class labels 0, 1, ..., got {bad[:3].tolist()}"
        )
    if labels.size and labels.min() < 0:
        raise ValueError(
            f"{func}: {name} must be class labels 0, 1, ..., got the negative {labels.min()}"
        )
    return labels.astype(np.int64)


def plot_decision_boundary(
    model: Callable[[np.ndarray], object],
    X: np.ndarray,
    y: np.ndarray,
    ax: plt.Axes | None = None,
    *,
    resolution: int = 200,
    margin: float = 0.1,
    cmap: str = "tab10",
    title: str | None = None,
) -> plt.Axes:
    """Colour the plane by the class a 2-D classifier predicts, with the data on top.

    The model is evaluated on a ``resolution × resolution`` grid covering the data
    (plus ``margin`` of its range on each side); each grid point gets the colour of
    its predicted class (the argmax of the outputs, or ``output > 0`` for a single
    output column). Where two colours meet is the decision boundary.

    Parameters
    ----------
    model : callable
        Maps an array of points (M, 2) to scores (M, C) or (M, 1), as an ndarray
        or a Tensor (an :class:`~backprop_course.nn.Module` does).
    X : numpy.ndarray, shape (N, 2)
        The points to scatter.
    y : numpy.ndarray of int, shape (N,)
        Their classes, which set their colours.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure's axes by default.
    resolution : int, default 200
        Grid points along each axis.
    margin : float, default 0.1
        How far the grid extends beyond the data, as a fraction of its range.
    cmap : str, default "tab10"
        A qualitative colormap: class ``k`` gets its colour ``k``.
    title : str, optional

    Returns
    -------
    matplotlib.axes.Axes
        The filled regions are ``ax.collections[0]`` (a contour set whose
        ``predicted`` attribute holds the grid's predicted classes, shape
        (resolution, resolution)); the scattered points are ``ax.collections[-1]``.

    Raises
    ------
    TypeError
        If ``model`` is not callable, ``X``, ``y`` or the scores are not real numbers,
        ``resolution`` is not an int, or ``ax`` is not Axes.
    ValueError
        If ``X`` is not (N, 2) with N >= 1 or holds NaN/inf; ``y`` is not one whole,
        non-negative class label per point (one-hot rows included); ``resolution`` is
        below 2; ``margin`` is negative; ``cmap`` is unknown; or the model's scores are
        not (M, C) with C >= 1, or hold NaN/inf.
    """
    X, y, resolution, margin = _boundary_arguments(model, X, y, ax, resolution, margin, cmap)
    if ax is None:
        _, ax = plt.subplots(figsize=(4, 4))
    (x_lo, y_lo), (x_hi, y_hi) = X.min(axis=0), X.max(axis=0)
    x_lo, x_hi = _margin(float(x_lo), float(x_hi), margin)
    y_lo, y_hi = _margin(float(y_lo), float(y_hi), margin)
    gx, gy = np.meshgrid(np.linspace(x_lo, x_hi, resolution), np.linspace(y_lo, y_hi, resolution))
    predicted = _predicted_classes(model, gx, gy)
    n_colors = int(max(predicted.max(), y.max() if y.size else 0)) + 1
    colors = plt.get_cmap(cmap)
    levels = np.arange(n_colors + 1) - 0.5
    palette = [colors(k % colors.N) for k in range(n_colors)]
    regions = ax.contourf(gx, gy, predicted, levels=levels, colors=palette, alpha=0.3)
    regions.predicted = predicted
    ax.contour(gx, gy, predicted, levels=levels[1:-1], colors="black", linewidths=0.6)
    ax.scatter(X[:, 0], X[:, 1], c=[palette[int(k)] for k in y], s=12, edgecolors="black",
               linewidths=0.3)
    ax.set(xlim=(x_lo, x_hi), ylim=(y_lo, y_hi), xlabel="$x_1$", ylabel="$x_2$")
    ax.set_aspect("equal")
    if title is not None:
        ax.set_title(title)
    return ax


def _boundary_arguments(
    model: object, X: object, y: object, ax: object, resolution: object, margin: object,
    cmap: object,
) -> tuple[np.ndarray, np.ndarray, int, float]:
    """:func:`plot_decision_boundary`'s arguments, checked: points (N, 2), their class
    labels, the resolution and the margin."""
    func = "plot_decision_boundary"
    _callable(model, func, "model")
    X = real_array(X, "X", func, float64=True)
    if X.ndim != 2 or X.shape[1] != 2 or len(X) == 0:
        raise ValueError(f"plot_decision_boundary needs points X of shape (N, 2), got {X.shape}")
    y = _class_labels(y, len(X), func)
    resolution = int_at_least(resolution, 2, "resolution", func)
    margin = one_number(margin, "margin", func, nonnegative=True)
    _cmap(cmap, func)
    _axes(ax, func)
    return X, y, resolution, margin


def _predicted_classes(model: Callable[[np.ndarray], object], gx: np.ndarray,
                       gy: np.ndarray) -> np.ndarray:
    """The class the model predicts at each grid point: the argmax of its scores, or
    ``score > 0`` for a single output column; shaped like the grid."""
    scores = _scores(model, np.column_stack([gx.ravel(), gy.ravel()]))
    if scores.ndim != 2 or len(scores) != gx.size or scores.shape[1] == 0:
        raise ValueError(
            f"the model must map (M, 2) points to (M, C) scores; for M = {gx.size} it returned "
            f"shape {scores.shape}"
        )
    predicted = (scores[:, 0] > 0).astype(int) if scores.shape[1] == 1 else scores.argmax(axis=1)
    return predicted.reshape(gx.shape)


def plot_curves(
    histories: dict[str, list[float]],
    ax: plt.Axes | None = None,
    *,
    xlabel: str = "epoch",
    ylabel: str = "loss",
    logy: bool = False,
    title: str | None = None,
) -> plt.Axes:
    """Draw several training curves on one axes, one line per entry, with a legend.

    Parameters
    ----------
    histories : dict of str to list of float
        ``{"SGD": history_a.loss, "Adam": history_b.loss}``: a label and its values,
        one per epoch (or per step). Point ``i`` is drawn at x = i + 1.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure's axes by default.
    xlabel, ylabel : str
    logy : bool, default False
        A logarithmic y axis (losses that fall by orders of magnitude).
    title : str, optional

    Returns
    -------
    matplotlib.axes.Axes
        One line per entry of ``histories``, in order.

    Raises
    ------
    TypeError
        If ``histories`` is not a dict (one curve is ``{"loss": values}``), a curve is
        not real numbers, ``logy`` is not a bool, or ``ax`` is not Axes.
    ValueError
        If there is no curve, a curve is empty, not 1-D, or holds NaN or infinite values
        (a diverged run: plot its finite part), or ``logy`` meets a value <= 0.
    """
    func = "plot_curves"
    if not isinstance(histories, Mapping):
        raise TypeError(
            f"plot_curves: histories must be a dict {{label: values}}, got "
            f"{type(histories).__name__}; for one curve pass {{'loss': values}}"
        )
    if not histories:
        raise ValueError("plot_curves needs at least one curve")
    logy = flag(logy, f"{func}: logy")
    _axes(ax, func)
    curves = {}
    for label, values in histories.items():
        values = real_array(values, f"curve {label!r}", func, float64=True)
        if values.ndim != 1 or values.size == 0:
            raise ValueError(f"curve {label!r} must be a non-empty list of numbers")
        if logy and (values <= 0).any():
            k = int(np.argmax(values <= 0))
            raise ValueError(
                f"plot_curves: logy needs positive values, but curve {label!r} has "
                f"{values[k]:g} at entry {k}"
            )
        curves[label] = values
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 3.5))
    for label, values in curves.items():
        ax.plot(np.arange(1, values.size + 1), values, lw=1.8, label=label)
    if logy:
        ax.set_yscale("log")
    ax.set(xlabel=xlabel, ylabel=ylabel)
    if title is not None:
        ax.set_title(title)
    ax.legend(frameon=False)
    ax.grid(alpha=0.3)
    return ax


def plot_confusion_matrix(
    y_true: np.ndarray,
    y_pred: np.ndarray,
    ax: plt.Axes | None = None,
    *,
    n_classes: int | None = None,
    cmap: str = "Blues",
    title: str | None = None,
) -> plt.Axes:
    """Draw the confusion matrix: row = true class, column = predicted class, with counts.

    Entry (i, j) counts the examples of class i that were predicted as j, so a
    perfect classifier has numbers only on the diagonal; each off-diagonal number
    is a kind of mistake.

    Parameters
    ----------
    y_true, y_pred : numpy.ndarray of int, shape (N,)
        True and predicted classes, in ``0 .. n_classes - 1``.
    ax : matplotlib.axes.Axes, optional
    n_classes : int, optional
        By default one more than the largest class seen.
    cmap : str, default "Blues"
    title : str, optional

    Returns
    -------
    matplotlib.axes.Axes
        The counts are the image's data, ``ax.images[0].get_array()``, and are
        written in the cells (zeros are left blank).

    Raises
    ------
    TypeError
        If ``ax`` is not Axes.
    ValueError
        If ``cmap`` is unknown, or the classes are not what
        :func:`~backprop_course.train.confusion_matrix` accepts (1-D integer arrays of
        one length, classes >= 0, ``n_classes`` above the largest).
    """
    from ..train import confusion_matrix  # here: viz need not load the training code

    _axes(ax, "plot_confusion_matrix")
    _cmap(cmap, "plot_confusion_matrix")
    counts = confusion_matrix(y_true, y_pred, n_classes)
    n = len(counts)
    if ax is None:
        _, ax = plt.subplots(figsize=(4.5, 4))
    ax.imshow(counts, cmap=cmap)
    threshold = counts.max() / 2 if counts.size else 0
    for i in range(n):
        for j in range(n):
            if counts[i, j]:
                color = "white" if counts[i, j] > threshold else "black"
                ax.text(j, i, str(counts[i, j]), ha="center", va="center", fontsize=8,
                        color=color)
    ax.set(xticks=range(n), yticks=range(n), xlabel="predicted class", ylabel="true class")
    if title is not None:
        ax.set_title(title)
    return ax


def plot_digits(
    images: np.ndarray,
    labels: np.ndarray,
    predictions: np.ndarray | None = None,
    *,
    ncols: int = 8,
    shape: tuple[int, int] = (8, 8),
    size: float = 1.2,
    title: str | None = None,
) -> plt.Figure:
    """Show small grey-scale images in a grid, each titled with its label (and prediction).

    Parameters
    ----------
    images : numpy.ndarray, shape (K, H*W) or (K, H, W)
        The images, e.g. rows of the 8×8 digits data set.
    labels : numpy.ndarray of int, shape (K,)
        The true labels.
    predictions : numpy.ndarray of int, shape (K,), optional
        If given, each title reads "true 3, pred 5", in red where they differ.
    ncols : int, default 8
        Images per row.
    shape : (int, int), default (8, 8)
        The shape of one image, when ``images`` holds flattened rows.
    size : float, default 1.2
        Width and height of one image, in inches.
    title : str, optional
        A title over the whole grid.

    Returns
    -------
    matplotlib.figure.Figure
        Its first ``K`` axes hold the images, in order (unused cells are hidden).

    Raises
    ------
    TypeError
        If ``images`` is not real numbers, or ``ncols`` or a side of ``shape`` is not
        an int.
    ValueError
        If ``images`` is not (K, H*W) or (K, H, W) with K >= 1 or holds NaN/inf, there is
        not one label (and prediction) per image in a 1-D array, ``shape`` is not two
        positive ints matching the pixels, ``ncols`` is below 1, or ``size`` is not
        positive.
    """
    images, labels, shape, ncols, size = _digit_arguments(images, labels, predictions, shape,
                                                          ncols, size)
    ncols = min(ncols, len(images))
    nrows = -(-len(images) // ncols)
    extra = 0.35 if title else 0.0
    fig, axes = plt.subplots(
        nrows, ncols, figsize=(size * ncols, size * nrows * 1.15 + extra), squeeze=False
    )
    for k, ax in enumerate(axes.flat):
        ax.axis("off")
        if k >= len(images):
            continue
        ax.imshow(images[k], cmap="gray_r", interpolation="nearest")
        if predictions is None:
            ax.set_title(f"{labels[k]}", fontsize=9)
        else:
            wrong = predictions[k] != labels[k]
            ax.set_title(f"true {labels[k]}, pred {predictions[k]}", fontsize=8,
                         color="C3" if wrong else "black")
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def _digit_arguments(
    images: object, labels: object, predictions: object, shape: object, ncols: object,
    size: object,
) -> tuple[np.ndarray, np.ndarray, tuple[int, int], int, float]:
    """:func:`plot_digits`'s arguments, checked: the images as (K, H, W), their labels, the
    shape of one image, the number of columns and the size of an image."""
    func = "plot_digits"
    images = real_array(images, "images", func, float64=True)
    labels = np.asarray(labels)
    if (isinstance(shape, str) or not isinstance(shape, tuple | list)
            or len(shape) != 2):
        raise ValueError(f"{func}: shape must be two ints (height, width), got {shape!r}")
    shape = tuple(int_at_least(n, 1, f"shape[{k}]", func) for k, n in enumerate(shape))
    ncols = int_at_least(ncols, 1, "ncols", func)
    size = one_number(size, "size", func, positive=True)
    for name, given in (("labels", labels), ("predictions", predictions)):
        if given is not None and np.ndim(given) != 1:
            raise ValueError(
                f"{func}: {name} must be a 1-D array, one per image, got shape {np.shape(given)}"
            )
    if images.ndim == 2:
        if images.shape[1] != shape[0] * shape[1]:
            raise ValueError(
                f"images have {images.shape[1]} pixels each, but shape={shape} needs "
                f"{shape[0] * shape[1]}"
            )
        images = images.reshape(len(images), *shape)
    if images.ndim != 3 or len(images) == 0:
        raise ValueError(f"images must be (K, H*W) or (K, H, W) with K >= 1, got {images.shape}")
    if len(labels) != len(images) or (predictions is not None and len(predictions) != len(images)):
        raise ValueError("need one label (and one prediction, if given) per image")
    return images, labels, shape, ncols, size
