"""2-D convolution and max pooling as forward/backward pairs (chapter 12).

Images are batch first, channels first (NCHW): ``x`` has shape (N, C, H, W)
for N images of C channels and H × W pixels. A convolution has F filters
``W`` of shape (F, C, KH, KW), one KH × KW window per input channel, and a
bias ``b`` of shape (F,). Output pixel (i, j) of filter f is a sum over a
window of the zero-padded input ``xp``, as in every deep-learning library
(strictly a cross-correlation: the kernel is not flipped):

    out[n, f, i, j] = b[f] + Σ_c Σ_p Σ_q xp[n, c, s·i + p, s·j + q] · W[f, c, p, q]

with stride ``s``. Both layers use **im2col**: every window is gathered into a
column, so that a convolution becomes one matrix product (a dense layer
applied at every position), and its backward pass is the dense layer's
backward pass followed by **col2im**, which adds each column's gradient back
onto the pixels the window came from.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..checks import describe as _describe
from ..checks import int_at_least as _int_at_least
from ..checks import real_array as _float_array
from ..checks import same_shape as _same_shape
from ..checks import unpack_cache as _unpack_cache

__all__ = [
    "conv_output_size",
    "im2col_indices",
    "im2col",
    "col2im",
    "conv2d_forward",
    "conv2d_backward",
    "maxpool2d_forward",
    "maxpool2d_backward",
]

Indices = tuple[np.ndarray, np.ndarray, np.ndarray]

# What each forward pass keeps in its cache, for _unpack_cache: an int is an array's ndim.
_CONV_CACHE = (tuple, 3, 4, int, int)  # x_shape, cols, W, stride, pad
_POOL_CACHE = (tuple, tuple)  # x_shape, argmax


def _image_shape(x_shape: Any, where: str) -> tuple[int, int, int, int]:
    """``x_shape`` as four ints (N, C, H, W), each >= 0."""
    if not isinstance(x_shape, tuple | list):
        hint = " (pass x.shape, not x)" if isinstance(x_shape, np.ndarray) else ""
        raise TypeError(
            f"{where}: x_shape must be a tuple (N, C, H, W) of four ints, got "
            f"{_describe(x_shape)}{hint}"
        )
    if len(x_shape) != 4:
        raise ValueError(
            f"{where}: x_shape must be a tuple (N, C, H, W) of four ints, got {tuple(x_shape)}"
        )
    N, C, H, W = (_int_at_least(n, 0, f"x_shape[{k}]", where) for k, n in enumerate(x_shape))
    return N, C, H, W


def _check_window(
    x_shape: Any, KH: Any, KW: Any, stride: Any, pad: Any, where: str
) -> tuple[int, int, int, int]:
    """An image shape, a KH × KW window that fits in the padded image, a stride and a padding.

    Returns the shape (N, C, H, W). Raises TypeError for a value that is not an int (or a
    shape that is not a tuple) and ValueError for one out of range.
    """
    N, C, H, W = _image_shape(x_shape, where)
    KH, KW = _int_at_least(KH, 1, "KH", where), _int_at_least(KW, 1, "KW", where)
    stride, pad = _int_at_least(stride, 1, "stride", where), _int_at_least(pad, 0, "pad", where)
    if KH > H + 2 * pad or KW > W + 2 * pad:
        raise ValueError(
            f"{where}: the window ({KH}, {KW}) is larger than the padded image "
            f"({H + 2 * pad}, {W + 2 * pad}) (x_shape {tuple(x_shape)} with pad={pad})"
        )
    return N, C, H, W


def conv_output_size(size: int, kernel: int, stride: int = 1, pad: int = 0) -> int:
    """How many positions a window of ``kernel`` pixels takes along an axis of ``size``.

    ``(size + 2 pad - kernel) // stride + 1``. When the stride does not divide
    ``size + 2 pad - kernel``, the last pixels that no window reaches are left
    out (as in PyTorch).

    Raises
    ------
    TypeError
        If an argument is not an int.
    ValueError
        If ``size`` < 0, ``kernel`` < 1, ``stride`` < 1 or ``pad`` < 0, or the window
        is larger than the padded axis (it would take no position at all).
    """
    where = "conv_output_size"
    size, kernel = _int_at_least(size, 0, "size", where), _int_at_least(kernel, 1, "kernel", where)
    stride, pad = _int_at_least(stride, 1, "stride", where), _int_at_least(pad, 0, "pad", where)
    if kernel > size + 2 * pad:
        raise ValueError(
            f"conv_output_size: a window of {kernel} pixels is larger than {size} pixels padded "
            f"by {pad} on each side ({size + 2 * pad})"
        )
    return (size + 2 * pad - kernel) // stride + 1


def im2col_indices(
    x_shape: tuple[int, int, int, int],
    KH: int,
    KW: int,
    stride: int = 1,
    pad: int = 0,
) -> Indices:
    """Index arrays ``(c, i, j)``: ``xp[:, c, i, j]`` is the im2col matrix.

    Parameters
    ----------
    x_shape : tuple (N, C, H, W)
        The shape of the (unpadded) input.
    KH, KW : int
        The window's height and width.
    stride, pad : int
        As in :func:`conv2d_forward`.

    Returns
    -------
    c, i, j : numpy.ndarray of int
        ``c`` has shape (C·KH·KW, 1), ``i`` and ``j`` have shape
        (C·KH·KW, H_out·W_out). Indexing the padded input ``xp``
        (N, C, H + 2 pad, W + 2 pad) with them gives an array of shape
        (N, C·KH·KW, H_out·W_out): column k is the window of output pixel k
        (row by row), and its rows run over (c, p, q) in the order of
        ``W[f].ravel()``.

    Raises
    ------
    TypeError
        If ``x_shape`` is not a tuple of four ints, or a size is not an int.
    ValueError
        If a size is out of range or the window is larger than the padded image.
    """
    _, C, H, W = _check_window(x_shape, KH, KW, stride, pad, "im2col_indices")
    H_out = conv_output_size(H, KH, stride, pad)
    W_out = conv_output_size(W, KW, stride, pad)
    # Row r of a column is entry (c, p, q) of the window: channel, row, col.
    c = np.repeat(np.arange(C), KH * KW)[:, None]
    p = np.tile(np.repeat(np.arange(KH), KW), C)[:, None]
    q = np.tile(np.arange(KW), KH * C)[:, None]
    # Column k is output pixel (k // W_out, k % W_out): its window's corner.
    top = stride * np.repeat(np.arange(H_out), W_out)[None, :]
    left = stride * np.tile(np.arange(W_out), H_out)[None, :]
    return c, p + top, q + left


def _pad(x: np.ndarray, pad: int) -> np.ndarray:
    """Zeros around the two pixel axes of an (N, C, H, W) array."""
    return np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))


def im2col(x: np.ndarray, KH: int, KW: int, stride: int = 1, pad: int = 0) -> np.ndarray:
    """Every KH × KW window of the zero-padded ``x`` (N, C, H, W) as a column.

    Returns an array of shape (N, C·KH·KW, H_out·W_out); see :func:`im2col_indices`.
    Raises TypeError or ValueError for an ``x`` that is not a 4-D array of finite
    numbers, and as :func:`im2col_indices` for the window.
    """
    x = _float_array(x, "x", "im2col")
    if x.ndim != 4:
        raise ValueError(f"im2col needs x of shape (N, C, H, W), got {x.shape}")
    _check_window(x.shape, KH, KW, stride, pad, "im2col")
    c, i, j = im2col_indices(x.shape, KH, KW, stride, pad)
    return _pad(x, pad)[:, c, i, j]


def _check_cols(
    cols: Any, x_shape: Any, KH: int, KW: int, stride: int, pad: int
) -> np.ndarray:
    """col2im's ``cols``: finite numbers, of the shape im2col gives for ``x_shape``."""
    N, C, H, W = _check_window(x_shape, KH, KW, stride, pad, "col2im")
    cols = _float_array(cols, "cols", "col2im")
    L = conv_output_size(H, KH, stride, pad) * conv_output_size(W, KW, stride, pad)
    if cols.shape != (N, C * KH * KW, L):
        raise ValueError(
            f"col2im: cols has shape {cols.shape}, but im2col of an image of shape "
            f"{tuple(x_shape)} with KH={KH}, KW={KW}, stride={stride}, pad={pad} gives "
            f"{(N, C * KH * KW, L)}"
        )
    return cols


def col2im(
    cols: np.ndarray,
    x_shape: tuple[int, int, int, int],
    KH: int,
    KW: int,
    stride: int = 1,
    pad: int = 0,
) -> np.ndarray:
    """The backward pass of :func:`im2col`: add each column onto its window.

    A pixel that lies in several windows (a stride smaller than the kernel)
    appears in several columns, so its gradient is the *sum* of their entries:
    ``np.add.at`` adds once per occurrence. The padding is then cut off.

    Parameters
    ----------
    cols : numpy.ndarray, shape (N, C·KH·KW, H_out·W_out)
    x_shape : tuple (N, C, H, W)

    Returns
    -------
    numpy.ndarray, shape (N, C, H, W)

    Raises
    ------
    TypeError, ValueError
        As :func:`im2col_indices`, or if ``cols`` is not finite numbers of exactly
        that shape (no broadcasting).
    """
    cols = _check_cols(cols, x_shape, KH, KW, stride, pad)
    N, C, H, W = x_shape
    xp = np.zeros((N, C, H + 2 * pad, W + 2 * pad), dtype=cols.dtype)
    c, i, j = im2col_indices(x_shape, KH, KW, stride, pad)
    np.add.at(xp, (slice(None), c, i, j), cols)
    return xp[:, :, pad : pad + H, pad : pad + W]


# ------------------------------------------------------------- convolution
def conv2d_forward(
    x: np.ndarray, W: np.ndarray, b: np.ndarray, stride: int = 1, pad: int = 0
) -> tuple[np.ndarray, tuple]:
    """A 2-D convolution layer: F filters slid over the zero-padded images.

    Parameters
    ----------
    x : numpy.ndarray, shape (N, C, H, W_in)
        N images of C channels, H × W_in pixels.
    W : numpy.ndarray, shape (F, C, KH, KW)
        F filters, each a KH × KW window for every input channel.
    b : numpy.ndarray, shape (F,)
        One bias per filter.
    stride : int, default 1
        Step between neighbouring windows, in pixels.
    pad : int, default 0
        Rows and columns of zeros added on every side of each image.

    Returns
    -------
    out : numpy.ndarray, shape (N, F, H_out, W_out)
        With ``H_out = (H + 2 pad - KH) // stride + 1`` and ``W_out`` alike.
    cache : tuple
        ``(x_shape, cols, W, stride, pad)`` for :func:`conv2d_backward`.

    Raises
    ------
    TypeError
        If an array is not real numbers, or ``stride`` or ``pad`` is not an int.
    ValueError
        If the shapes do not fit together (x's channels are not W's, the kernel
        is larger than the padded image, W has no filter or an empty kernel, ...);
        the message names them. Or an array holds NaN or inf, ``stride`` < 1, ``pad`` < 0.
    """
    where = "conv2d_forward"
    x, W, b = _float_array(x, "x", where), _float_array(W, "W", where), _float_array(b, "b", where)
    if x.ndim != 4 or W.ndim != 4 or b.ndim != 1:
        raise ValueError(
            "conv2d_forward needs x (N, C, H, W), W (F, C, KH, KW) and b (F,); got "
            f"x {x.shape}, W {W.shape}, b {b.shape}"
        )
    stride, pad = _int_at_least(stride, 1, "stride", where), _int_at_least(pad, 0, "pad", where)
    N, C, H, W_in = x.shape
    F, C_w, KH, KW = W.shape
    if C != C_w:
        raise ValueError(
            f"conv2d_forward: x {x.shape} has C = {C} channels but the kernel W {W.shape} "
            f"expects C = {C_w}: W's second axis must equal x's channel axis"
        )
    if b.shape[0] != F:
        raise ValueError(
            f"conv2d_forward: b has shape {b.shape} but W {W.shape} has F = {F} filters"
        )
    if F == 0 or KH == 0 or KW == 0:
        raise ValueError(
            f"conv2d_forward: W {W.shape} must have at least one filter and a kernel of at "
            "least 1 × 1"
        )
    if KH > H + 2 * pad or KW > W_in + 2 * pad:
        raise ValueError(
            f"conv2d_forward: the kernel ({KH}, {KW}) of W {W.shape} is larger than the padded "
            f"input ({H + 2 * pad}, {W_in + 2 * pad}) (x {x.shape} with pad={pad})"
        )
    H_out = conv_output_size(H, KH, stride, pad)
    W_out = conv_output_size(W_in, KW, stride, pad)
    cols = im2col(x, KH, KW, stride, pad)  # (N, C·KH·KW, H_out·W_out)
    # A dense layer at every position: each filter, flattened, times each window.
    out = W.reshape(F, -1) @ cols + b[:, None]  # (N, F, H_out·W_out)
    return out.reshape(N, F, H_out, W_out), (x.shape, cols, W, stride, pad)


def conv2d_backward(
    dout: np.ndarray, cache: tuple
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients of a convolution layer.

    The dense layer's three equations, applied to the windows: with
    ``δ = dout`` flattened to (N, F, H_out·W_out) and the windows ``cols``,

    * ``db[f] = Σ δ[:, f]``: a bias is added at every position of every image;
    * ``dW = Σ_n δ[n] cols[n]ᵀ``: each weight's input times the error, summed
      over positions and images (a correlation of the input with ``dout``);
    * ``dcols = Wᵀ δ``, then :func:`col2im` adds each window's gradient back
      onto its pixels. For stride 1 this is a full convolution of ``dout``
      with the flipped kernel.

    Parameters
    ----------
    dout : numpy.ndarray, shape (N, F, H_out, W_out)
        dL/d(out).
    cache : tuple
        From :func:`conv2d_forward`.

    Returns
    -------
    dx : numpy.ndarray, shape (N, C, H, W_in)
    dW : numpy.ndarray, shape (F, C, KH, KW)
    db : numpy.ndarray, shape (F,)

    Raises
    ------
    TypeError
        If ``cache`` is not what :func:`conv2d_forward` returned, or ``dout`` is not numbers.
    ValueError
        If ``dout`` does not have the output's shape, or holds NaN or inf.
    """
    x_shape, cols, W, stride, pad = _unpack_cache(cache, "conv2d_backward", _CONV_CACHE)
    N, F = x_shape[0], W.shape[0]
    H_out = conv_output_size(x_shape[2], W.shape[2], stride, pad)
    W_out = conv_output_size(x_shape[3], W.shape[3], stride, pad)
    dout = _same_shape(dout, (N, F, H_out, W_out), "conv2d_backward")
    delta = dout.reshape(N, F, -1)  # (N, F, H_out·W_out)
    db = delta.sum(axis=(0, 2))
    dW = np.tensordot(delta, cols, axes=([0, 2], [0, 2])).reshape(W.shape)
    dcols = W.reshape(F, -1).T @ delta  # (N, C·KH·KW, H_out·W_out)
    dx = col2im(dcols, x_shape, W.shape[2], W.shape[3], stride, pad)
    return dx, dW, db


# ------------------------------------------------------------- max pooling
def maxpool2d_forward(
    x: np.ndarray, size: int = 2, stride: int | None = None
) -> tuple[np.ndarray, tuple]:
    """Max pooling: the largest entry of every ``size`` × ``size`` window, channel by channel.

    Parameters
    ----------
    x : numpy.ndarray, shape (N, C, H, W)
    size : int, default 2
        The window's side.
    stride : int, optional
        Step between windows; by default ``size`` (windows that do not overlap).

    Returns
    -------
    out : numpy.ndarray, shape (N, C, H_out, W_out)
        ``H_out = (H - size) // stride + 1``, ``W_out`` alike.
    cache : tuple
        ``(x_shape, argmax)``: ``argmax`` is a tuple of four integer arrays of
        shape (N, C, H_out, W_out), the position of every window's winner in
        ``x``, so that ``out == x[argmax]``. Of equal entries, the first in
        the window (row by row) wins.

    Raises
    ------
    TypeError
        If ``x`` is not real numbers, or ``size`` or ``stride`` is not an int.
    ValueError
        If ``x`` is not 4-D or holds NaN or inf, ``size`` or ``stride`` < 1, or the
        window is larger than the image.
    """
    where = "maxpool2d_forward"
    x = _float_array(x, "x", where)
    if x.ndim != 4:
        raise ValueError(f"maxpool2d_forward needs x of shape (N, C, H, W), got {x.shape}")
    size = _int_at_least(size, 1, "size", where)
    stride = size if stride is None else _int_at_least(stride, 1, "stride", where)
    N, C, H, W = x.shape
    if size > H or size > W:
        raise ValueError(
            f"maxpool2d_forward: the pooling window ({size}, {size}) is larger than the image "
            f"{x.shape}"
        )
    H_out, W_out = conv_output_size(H, size, stride), conv_output_size(W, size, stride)
    # Every channel of every image as its own one-channel image: its windows as columns.
    _, i, j = im2col_indices((N * C, 1, H, W), size, size, stride)
    windows = x.reshape(N * C, H, W)[:, i, j]  # (N·C, size², H_out·W_out)
    winner = windows.argmax(axis=1)  # (N·C, H_out·W_out): which row of the column
    column = np.arange(H_out * W_out)
    image = np.arange(N * C)[:, None]
    shape = (N, C, H_out, W_out)
    argmax = tuple(
        np.broadcast_to(a, winner.shape).reshape(shape)
        for a in (image // C, image % C, i[winner, column], j[winner, column])
    )
    return x[argmax], (x.shape, argmax)


def maxpool2d_backward(dout: np.ndarray, cache: tuple) -> np.ndarray:
    """Max pooling's gradient goes to each window's argmax; the rest get 0.

    Parameters
    ----------
    dout : numpy.ndarray, shape (N, C, H_out, W_out)
    cache : tuple
        From :func:`maxpool2d_forward`.

    Returns
    -------
    dx : numpy.ndarray, shape (N, C, H, W)
        ``dout`` added at the winners' positions (``np.add.at``: with
        overlapping windows an entry can win several times and receives every
        share).

    Raises
    ------
    TypeError
        If ``cache`` is not what :func:`maxpool2d_forward` returned, or ``dout`` is not numbers.
    ValueError
        If ``dout`` does not have the output's shape, or holds NaN or inf.
    """
    x_shape, argmax = _unpack_cache(cache, "maxpool2d_backward", _POOL_CACHE)
    dout = _same_shape(dout, argmax[0].shape, "maxpool2d_backward")
    dx = np.zeros(x_shape)
    np.add.at(dx, argmax, dout)
    return dx
