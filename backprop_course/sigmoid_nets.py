"""Forward and backward passes of layered logistic networks, batched over seeds."""

from __future__ import annotations

import functools
from collections.abc import Callable

import numpy as np

from .data import _number

__all__ = ["forward", "output_error", "backward", "gradients"]


# ------------------------------------------------------------ argument checks
# forward, output_error and backward check their arguments through a decorator; the
# training loop calls them unchecked (_forward, ...), since it makes its arguments itself.
def _checked_by(check: Callable[..., None]) -> Callable[[Callable], Callable]:
    """Call ``check`` with a function's arguments before the function (it raises if they
    are wrong). The undecorated function stays available as ``__wrapped__``."""
    def decorate(f: Callable) -> Callable:
        @functools.wraps(f)
        def checked(*args: object, **kwargs: object) -> object:
            check(*args, **kwargs)
            return f(*args, **kwargs)
        return checked
    return decorate


def _real(name: str, value: object, where: str, finite: bool = True) -> np.ndarray:
    if not isinstance(value, np.ndarray) or value.dtype.kind not in "biuf":
        raise TypeError(f"{where}: {name} must be a NumPy array of real numbers, got "
                        f"{type(value).__name__}"
                        + (f" of dtype {value.dtype}" if isinstance(value, np.ndarray) else ""))
    if finite and not np.isfinite(value).all():
        raise ValueError(f"{where}: {name} contains NaN or infinite values")
    return value


def _check_params(params: object, where: str) -> tuple[list, list]:
    """``params`` as forward takes it: lists W and b whose shapes chain, D None or fitting."""
    if (not isinstance(params, dict) or not isinstance(params.get("W"), list | tuple)
            or not isinstance(params.get("b"), list | tuple)):
        raise ValueError(f"{where}: params must be a dict with lists 'W' and 'b' (and 'D' or "
                         "None), as Result and SweepResult.network give; got "
                         f"{type(params).__name__}")
    W, b = params["W"], params["b"]
    if not W or len(W) != len(b):
        raise ValueError(f"{where}: params needs one bias per weight matrix, at least one of "
                         f"each; got {len(W)} in 'W' and {len(b)} in 'b'")
    for k, (Wk, bk) in enumerate(zip(W, b, strict=True)):
        _real(f"params['W'][{k}]", Wk, where, finite=False)
        _real(f"params['b'][{k}]", bk, where, finite=False)
        below = W[k - 1].shape[-1] if k else None
        if Wk.ndim < 2 or bk.shape[-1:] != Wk.shape[-1:] or (k and Wk.shape[-2] != below):
            raise ValueError(
                f"{where}: the layers of params do not fit together: W[{k}] has shape "
                f"{Wk.shape} (inputs, units) and b[{k}] {bk.shape}"
                + (f", but the layer below has {below} units" if k else "")
            )
    D = params.get("D")
    if D is not None:
        shape = (W[0].shape[-2], W[-1].shape[-1])
        if _real("params['D']", D, where, finite=False).shape[-2:] != shape:
            raise ValueError(f"{where}: params['D'] connects the inputs to the outputs, so it "
                             f"must be {shape}; got {D.shape}")
    return W, b


def _check_forward(params: dict, X: np.ndarray) -> None:
    W, _ = _check_params(params, "forward")
    _real("X", X, "forward")
    if X.ndim < 2 or X.shape[-1] != W[0].shape[-2]:
        raise ValueError(f"forward: X must be patterns (N, {W[0].shape[-2]}), one row per "
                         f"pattern for W[0] of shape {W[0].shape}; got {X.shape}")


def _check_margin(margin: object, where: str) -> None:
    if margin is not None:
        _number("margin", margin, where, lambda m: 0 < m <= 0.5, "None or a number in (0, 0.5]")


def _check_output_error(y: np.ndarray, d: np.ndarray, margin: float | None = None) -> None:
    _real("y", y, "output_error")
    _real("d", d, "output_error")
    if d.ndim < 1 or y.shape[y.ndim - d.ndim:] != d.shape:
        raise ValueError(f"output_error: y (outputs) and d (targets) must have the same shape, "
                         f"got {y.shape} and {d.shape}")
    _check_margin(margin, "output_error")


def _check_backward(params: dict, acts: list[np.ndarray], e: np.ndarray, grads: dict) -> None:
    W, b = _check_params(params, "backward")
    if not isinstance(acts, list | tuple) or len(acts) != len(W) + 1:
        raise ValueError(f"backward: acts must be what forward returned, a list [X, a_1, ..., y] "
                         f"of {len(W) + 1} arrays for {len(W)} layers; got "
                         f"{len(acts) if isinstance(acts, list | tuple) else type(acts).__name__}")
    for k, a in enumerate(acts):
        units = W[k].shape[-2] if k < len(W) else W[-1].shape[-1]
        if _real(f"acts[{k}]", a, "backward").ndim < 2 or a.shape[-1] != units:
            raise ValueError(f"backward: acts[{k}] must have {units} columns (the units of layer "
                             f"{k}), got shape {a.shape}; pass what forward(params, X) returned")
    if _real("e", e, "backward").shape != acts[-1].shape:
        raise ValueError(f"backward: e = dE/dy must have the shape of the outputs y = acts[-1], "
                         f"{acts[-1].shape}; got {e.shape}")
    keys = ("W", "b", "D") if params.get("D") is not None else ("W", "b")
    if not isinstance(grads, dict) or any(k not in grads for k in keys):
        raise ValueError(f"backward: grads must be a dict with the structure of params (keys "
                         f"{', '.join(keys)}), arrays it overwrites; got {type(grads).__name__}"
                         + (f" with keys {sorted(grads)}" if isinstance(grads, dict) else ""))
    pairs = [(f"grads['{key}'][{k}]", g, p) for key in ("W", "b")
             for k, (g, p) in enumerate(zip(grads[key], params[key], strict=False))]
    if len(grads["W"]) != len(W) or len(grads["b"]) != len(b):
        raise ValueError(f"backward: grads needs {len(W)} arrays in 'W' and in 'b', like params")
    if "D" in keys:
        pairs.append(("grads['D']", grads["D"], params["D"]))
    for name, g, p in pairs:
        if not isinstance(g, np.ndarray) or g.dtype.kind != "f" or g.shape != p.shape:
            raise ValueError(f"backward: {name} must be a float array of shape {p.shape}, like "
                             f"params (np.empty_like(p)), to be overwritten; got "
                             f"{getattr(g, 'shape', type(g).__name__)}"
                             + (f" of dtype {g.dtype}" if isinstance(g, np.ndarray) else ""))


# ------------------------------------------------------------ forward and backward
def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * z))  # = 1 / (1 + e^-z), without overflow


@_checked_by(_check_forward)
def forward(params: dict, X: np.ndarray) -> list[np.ndarray]:
    """Every layer's activity, ``[X, a_1, ..., y]``, for a batch of patterns ``X``.

    ``params`` holds lists ``"W"`` and ``"b"`` and, for a net with direct
    connections, ``"D"``; arrays may carry a leading axis of seeds.

    Raises
    ------
    ValueError
        If ``params`` is not such a dict, its shapes do not chain, or ``X`` is not
        patterns (N, n_in) for ``W[0]`` (n_in, n_out), or holds NaN or infinities.
    TypeError
        If ``X`` or an array of ``params`` is not a NumPy array of real numbers.
    """
    acts = [X]
    for layer, (W, b) in enumerate(zip(params["W"], params["b"], strict=True)):
        z = acts[-1] @ W + b  # eq. (1): the total input, the bias as a weight
        if layer == len(params["W"]) - 1 and params.get("D") is not None:
            z = z + X @ params["D"]  # the direct input-to-output connections
        acts.append(_sigmoid(z))  # eq. (2)
    return acts


@_checked_by(_check_output_error)
def output_error(y: np.ndarray, d: np.ndarray, margin: float | None = None) -> np.ndarray:
    """dE/dy = y - d (eq. 4), zero where an output is already beyond the margin.

    ``margin`` is None or in (0, 0.5]. Raises ValueError if ``y`` and ``d`` differ in
    shape (``d`` may lack ``y``'s leading axis of seeds) or hold NaN, or the margin is
    out of range; TypeError if they are not NumPy arrays of real numbers.
    """
    e = y - d
    if margin is not None:  # Fig. 4: on-units above 1 - margin, off-units below it
        e = np.where(((d == 1) & (y > 1 - margin)) | ((d == 0) & (y < margin)), 0.0, e)
    return e


@functools.lru_cache(maxsize=16)
def _ones(shape: tuple[int, ...]) -> np.ndarray:
    ones = np.ones(shape)
    ones.flags.writeable = False
    return ones


@_checked_by(_check_backward)
def backward(params: dict, acts: list[np.ndarray], e: np.ndarray, grads: dict) -> None:
    """Backpropagate dE/dy = ``e`` through the net; write dE/dw into ``grads``.

    ``acts`` is what :func:`forward` returned; ``grads`` has the structure of
    ``params`` (arrays of the same shapes), and every entry is overwritten.
    The error is summed over the patterns, so every gradient is a sum over them.
    The decorator checks the arguments first: a ValueError or TypeError names the
    one that does not fit.
    """
    delta = e * acts[-1] * (1 - acts[-1])  # eq. (5): dE/dz of the output units
    X = acts[0]
    ones = _ones(X.shape[:-2] + (1, X.shape[-2]))  # sums over patterns, as products
    if params.get("D") is not None:
        np.matmul(np.swapaxes(X, -1, -2), delta, out=grads["D"])
    for layer in range(len(params["W"]) - 1, -1, -1):
        a = acts[layer]  # the activity feeding this layer
        np.matmul(np.swapaxes(a, -1, -2), delta, out=grads["W"][layer])  # eq. (6)
        np.matmul(ones, delta, out=grads["b"][layer])  # a bias: an input always 1
        if layer:  # eq. (7), then eq. (5) for the layer below
            W_T = np.swapaxes(params["W"][layer], -1, -2)
            delta = (delta @ W_T) * a * (1 - a)


def gradients(params: dict, X: np.ndarray, D: np.ndarray, margin: float | None = None
              ) -> tuple[dict, np.ndarray]:
    """dE/dw of E = 1/2 sum over patterns and outputs of (y - d)^2 (eq. 3).

    Returns the gradients (same structure as ``params``) and the outputs ``y``.

    Raises
    ------
    ValueError, TypeError
        As :func:`forward`; and if ``D`` is not the targets (N, n_out), one row per
        pattern of ``X``, or ``margin`` is not None or a number in (0, 0.5].
    """
    _check_targets(params, X, D, "gradients")
    _check_margin(margin, "gradients")
    acts = forward(params, X)
    grads = {key: ([np.empty_like(p) for p in value] if isinstance(value, list)
                   else None if value is None else np.empty_like(value))
             for key, value in params.items()}
    backward(params, acts, output_error(acts[-1], D, margin), grads)
    return grads, acts[-1]


def _check_targets(params: dict, X: np.ndarray, D: np.ndarray, where: str) -> None:
    """X patterns for params and D their targets, one row of n_out per pattern."""
    W, _ = _check_params(params, where)
    _real("X", X, where)
    _real("D", D, where)
    n_in, n_out = W[0].shape[-2], W[-1].shape[-1]
    if X.ndim < 2 or X.shape[-1] != n_in or D.shape != X.shape[:-1] + (n_out,):
        raise ValueError(f"{where}: X must be patterns (N, {n_in}) and D their targets "
                         f"(N, {n_out}), one row per pattern; got X {X.shape} and D {D.shape}")


# The training loop's own calls: its arguments are right by construction (see _checked_by).
_forward, _output_error, _backward = (forward.__wrapped__, output_error.__wrapped__,
                                      backward.__wrapped__)
