"""The argument checks of :mod:`backprop_course.sigmoid_nets` (forward, output_error,
backward, gradients, train): each raises a TypeError or ValueError that names the
argument, what it needs and what it got."""

from __future__ import annotations

import functools
from collections.abc import Callable

import numpy as np

from .checks import flag, real_number


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
        real_number(margin, "margin", "None or a number in (0, 0.5]", lambda m: 0 < m <= 0.5,
                    where, finite=True)


def _check_output_error(y: np.ndarray, d: np.ndarray, margin: float | None = None,
                        one_sided: bool = False) -> None:
    _real("y", y, "output_error")
    _real("d", d, "output_error")
    if d.ndim < 1 or y.shape[y.ndim - d.ndim:] != d.shape:
        raise ValueError(f"output_error: y (outputs) and d (targets) must have the same shape, "
                         f"got {y.shape} and {d.shape}")
    _check_margin(margin, "output_error")
    flag(one_sided, "output_error: one_sided")


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


def _check_targets(params: dict, X: np.ndarray, D: np.ndarray, where: str) -> None:
    """X patterns for params and D their targets, one row of n_out per pattern."""
    W, _ = _check_params(params, where)
    _real("X", X, where)
    _real("D", D, where)
    n_in, n_out = W[0].shape[-2], W[-1].shape[-1]
    if X.ndim < 2 or X.shape[-1] != n_in or D.shape != X.shape[:-1] + (n_out,):
        raise ValueError(f"{where}: X must be patterns (N, {n_in}) and D their targets "
                         f"(N, {n_out}), one row per pattern; got X {X.shape} and D {D.shape}")
