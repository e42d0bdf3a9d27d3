"""Where training stopped: the gradient, the exact Hessian and the verdict on a net."""

from __future__ import annotations

import numbers
from dataclasses import dataclass

import numpy as np

from ...checks import int_at_least
from ...sigmoid_nets import _check_targets, forward, gradients
from .tasks import RAY_SCALE

__all__ = ["EndState", "Settled", "hessian", "end_state", "settle", "classify"]


# ------------------------------------------------------------ where training stopped
GRADIENT_ZERO = 1e-9  # |dE/dw| below this is zero to round-off, for these small nets
CURVATURE_ZERO = 1e-9  # a Hessian eigenvalue within this of 0 (times the largest) is flat
NEGATIVE_CURVATURE = 1e-3  # an eigenvalue below -this (times the largest) is clearly negative
FLAT_FALL = 0.01  # training on lowered E by less than this fraction: the error is level
SETTLE_STEPS = 60  # settle(): at most this many Newton steps ...
SETTLE_RADIUS = 0.02  # ... each moving the weights by at most this fraction of |w| (+ 0.02)
NEARBY = 0.1  # a stationary point within this fraction of |w| is where the run is


def _flat_params(params: dict) -> list[np.ndarray]:
    """The weight arrays in one fixed order: every W, then every b (as rows), then D."""
    arrays = [np.asarray(W, dtype=np.float64) for W in params["W"]]
    arrays += [np.asarray(b, dtype=np.float64).reshape(1, -1) for b in params["b"]]
    if params.get("D") is not None:
        arrays.append(np.asarray(params["D"], dtype=np.float64))
    return arrays


def _check_single(params: dict, X: np.ndarray, D: np.ndarray, where: str) -> None:
    if not isinstance(params, dict) or "W" not in params or "b" not in params:
        raise ValueError(f"{where}: params must be a dict with lists 'W' and 'b' (and 'D' or "
                         "None), as Result and SweepResult.network give")
    for W in params["W"]:
        if np.ndim(W) != 2:
            raise ValueError(f"{where}: params must hold one network: every W two-dimensional, "
                             f"got an array of shape {np.shape(W)} (use SweepResult.network(i))")
    X, D = np.asarray(X), np.asarray(D)
    _check_targets(params, X, D, where)
    if X.ndim != 2:
        raise ValueError(f"{where}: X must be patterns (N, n_in) for one network, got {X.shape}")


def hessian(params: dict, X: np.ndarray, D: np.ndarray) -> np.ndarray:
    """The exact Hessian of E = 1/2 sum (y - d)^2 with respect to every weight of one net.

    The weights are numbered as :func:`end_state` numbers them: each W (row by row),
    then each bias, then the direct connections D. The error is written with
    :class:`~backprop_course.tensor.Tensor` operations and differentiated twice by
    :func:`backprop_course.higher.hessian` (reverse over reverse, no finite differences),
    so even eigenvalues of 1e-12 are right to round-off, not to a step size.

    Raises
    ------
    ValueError, TypeError
        If ``params`` is not one network (every W 2-D) or ``X``, ``D`` are not its
        patterns (N, n_in) and targets (N, n_out) as NumPy arrays of finite numbers.
    """
    from ...higher import hessian as _hessian
    from ...tensor import Tensor

    _check_single(params, X, D, "hessian")
    X, D = np.asarray(X, dtype=np.float64), np.asarray(D, dtype=np.float64)
    n_layers, direct = len(params["W"]), params.get("D") is not None

    def error(*arrays: Tensor) -> Tensor:
        a = Tensor(X)
        for k in range(n_layers):
            z = a @ arrays[k] + arrays[n_layers + k]
            if direct and k == n_layers - 1:
                z = z + Tensor(X) @ arrays[-1]
            a = z.sigmoid()
        e = a - Tensor(D)
        return 0.5 * (e * e).sum()

    H = _hessian(error, _flat_params(params))
    return 0.5 * (H + H.T)  # symmetric in exact arithmetic; remove the round-off


@dataclass(frozen=True)
class EndState:
    """What the weights say about where training has taken a network.

    Gradient descent slows down in four kinds of place, and these numbers tell them
    apart: on a **plateau** the gradient is small but not zero and training on
    escapes; on the way to a **minimum at infinity** the gradient is small but not
    zero, the error keeps falling and the weights keep growing; at a **local
    minimum** the gradient is zero and every eigenvalue of the Hessian is positive;
    at a **saddle** the gradient is zero and some eigenvalue is negative.
    """

    error: float  # E, summed over the cases (no margin)
    gradient_norm: float  # |dE/dw| over every weight
    weight_norm: float  # |w| over every weight
    eigenvalues: np.ndarray  # of the Hessian of E, ascending
    ray_error: float  # the lower E of two rays: every weight and bias times RAY_SCALE, or
    #                   those of the hidden layers only (the output layer's unchanged)

    def __post_init__(self) -> None:
        for name in ("error", "gradient_norm", "weight_norm", "ray_error"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, numbers.Real):
                raise TypeError(f"EndState: {name} must be a number, got "
                                f"{type(value).__name__} {value!r:.30}")
        e = self.eigenvalues
        if not isinstance(e, np.ndarray) or e.ndim != 1 or e.size == 0 or e.dtype.kind not in "iuf":
            raise TypeError("EndState: eigenvalues must be a 1-D float NumPy array (ascending), "
                            f"got {type(e).__name__} {getattr(e, 'shape', '')}")

    def to_json(self) -> dict:
        return {"error": self.error, "gradient_norm": self.gradient_norm,
                "weight_norm": self.weight_norm, "eigenvalues": self.eigenvalues.tolist(),
                "ray_error": self.ray_error}

    @classmethod
    def from_json(cls, d: dict) -> EndState:
        keys = ("error", "gradient_norm", "weight_norm", "eigenvalues", "ray_error")
        missing = [k for k in keys if not isinstance(d, dict) or k not in d]
        if missing:
            raise ValueError(f"EndState.from_json needs a dict with keys {', '.join(keys)} (as "
                             f"to_json writes); {missing[0]!r} is missing")
        return cls(d["error"], d["gradient_norm"], d["weight_norm"], np.array(d["eigenvalues"]),
                   d["ray_error"])


def end_state(params: dict, X: np.ndarray, D: np.ndarray) -> EndState:
    """Measure one network (``params`` as :attr:`Result` or ``SweepResult.network`` give).

    Returns its error, the norm of its gradient (backpropagation), the norm of its
    weights, the eigenvalues of its exact Hessian (:func:`hessian`), and the error
    further out along two rays through the weights, directions in which a run heading
    for a minimum at infinity may be going: the lower of E with every weight and bias
    multiplied by ``RAY_SCALE`` (1.5), and E with only the hidden layers' weights and
    biases so multiplied (which saturates the hidden units further and leaves the
    output unit's answer to them as it is).

    Raises
    ------
    ValueError, TypeError
        As :func:`hessian`.
    """
    _check_single(params, X, D, "end_state")
    X, D = np.asarray(X, dtype=np.float64), np.asarray(D, dtype=np.float64)
    grads, y = gradients(params, X, D)
    g = np.concatenate([a.ravel() for a in _flat_params(grads)])
    w = np.concatenate([a.ravel() for a in _flat_params(params)])
    eigenvalues = np.linalg.eigvalsh(hessian(params, X, D))
    n = len(params["W"])
    rays = []
    for hidden_only in (False, True):  # the output layer (and D) scaled too, or not
        f = [1.0 if hidden_only and i == n - 1 else RAY_SCALE for i in range(n)]
        scaled = {"W": [f[i] * np.asarray(W) for i, W in enumerate(params["W"])],
                  "b": [f[i] * np.asarray(b) for i, b in enumerate(params["b"])],
                  "D": None if params.get("D") is None else f[-1] * np.asarray(params["D"])}
        rays.append(_summed_error(forward(scaled, X)[-1], D))
    return EndState(_summed_error(y, D), float(np.linalg.norm(g)),
                    float(np.linalg.norm(w)), eigenvalues, min(rays))


@dataclass(frozen=True)
class Settled:
    """Where :func:`settle` ended: its :class:`EndState`, how far it moved, in how many steps."""

    state: EndState
    moved: float  # |w_end - w_start|, over every weight
    steps: int

    def __post_init__(self) -> None:
        if not isinstance(self.state, EndState):
            raise TypeError(f"Settled: state must be an EndState, got {type(self.state).__name__}")
        for name in ("moved", "steps"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, numbers.Real) or value < 0:
                raise TypeError(f"Settled: {name} must be a non-negative number, got {value!r:.30}")

    def to_json(self) -> dict:
        return {"state": self.state.to_json(), "moved": self.moved, "steps": self.steps}

    @classmethod
    def from_json(cls, d: dict) -> Settled:
        if not isinstance(d, dict) or not {"state", "moved", "steps"} <= set(d):
            raise ValueError("Settled.from_json needs a dict with keys state, moved, steps (as "
                             "to_json writes)")
        return cls(EndState.from_json(d["state"]), d["moved"], int(d["steps"]))


def _unflatten(w: np.ndarray, like: dict) -> dict:
    """``params`` of the shapes of ``like`` from one vector in :func:`_flat_params` order."""
    out, offset = [], 0
    for a in _flat_params(like):
        out.append(w[offset:offset + a.size].reshape(a.shape))
        offset += a.size
    n = len(like["W"])
    return {"W": out[:n], "b": [b.ravel() for b in out[n:2 * n]],
            "D": out[2 * n] if like.get("D") is not None else None}


def settle(params: dict, X: np.ndarray, D: np.ndarray, steps: int = SETTLE_STEPS
           ) -> tuple[dict, Settled]:
    """Look for a stationary point of E near ``params`` by Newton's method.

    Gradient descent approaches a minimum ever more slowly, so its gradient never
    reaches round-off. Newton's method, with the exact Hessian (:func:`hessian`),
    converges to a nearby minimum in a few steps. Here it is kept downhill by a trust
    region: each step minimises the quadratic model of E within a radius, which starts
    at ``SETTLE_RADIUS`` times ``|w|`` + 0.02, shrinks after a step the model predicted
    badly (and that step is not taken) and grows after a good one. It stops once the
    gradient is below ``GRADIENT_ZERO``, or after ``steps`` steps.

    Returns the weights where it stopped and a :class:`Settled`: the
    :class:`EndState` there and how far the weights moved.

    Raises
    ------
    ValueError, TypeError
        As :func:`hessian`; ValueError if ``steps`` is not a positive int.
    """
    _check_single(params, X, D, "settle")
    steps = int_at_least(steps, 1, "steps", "settle")
    X, D = np.asarray(X, dtype=np.float64), np.asarray(D, dtype=np.float64)

    def error_and_gradient(w: np.ndarray) -> tuple[float, np.ndarray]:
        grads, y = gradients(_unflatten(w, params), X, D)
        return _summed_error(y, D), np.concatenate([a.ravel() for a in _flat_params(grads)])

    start = np.concatenate([a.ravel() for a in _flat_params(params)])
    w, taken = start.copy(), 0
    radius = SETTLE_RADIUS * (np.linalg.norm(w) + 1)
    E, g = error_and_gradient(w)
    for _ in range(steps):
        if np.linalg.norm(g) < GRADIENT_ZERO:
            break
        curvature, V = np.linalg.eigh(hessian(_unflatten(w, params), X, D))
        step = _trust_step(curvature, V.T @ g, radius) @ V.T
        predicted = g @ step + 0.5 * np.sum(curvature * (V.T @ step) ** 2)  # the model's dE
        E_new, g_new = error_and_gradient(w + step)
        ratio = (E_new - E) / predicted if predicted < 0 else -1.0
        if ratio > 0.1:  # E fell as the model said: take the step
            w, E, g, taken = w + step, E_new, g_new, taken + 1
        if ratio < 0.25:
            radius = 0.25 * np.linalg.norm(step)
        elif ratio > 0.75 and np.linalg.norm(step) > 0.99 * radius:
            radius *= 2
    found = _unflatten(w, params)
    return found, Settled(end_state(found, X, D), float(np.linalg.norm(w - start)), taken)


def _trust_step(curvature: np.ndarray, g: np.ndarray, radius: float) -> np.ndarray:
    """The step s (in the eigenbasis of H) that minimises g.s + s.H.s/2 with |s| <= radius:
    s = -g / (curvature + mu) for the least mu >= 0 (and > -min curvature) that fits."""
    def step(mu: float) -> np.ndarray:
        return -g / (curvature + mu)

    low = max(0.0, -curvature[0]) * (1 + 1e-12) + 1e-300
    if curvature[0] > 0 and np.linalg.norm(step(0.0)) <= radius:
        return step(0.0)  # the Newton step itself
    high = low + np.linalg.norm(g) / radius + 1.0
    for _ in range(200):  # |step(mu)| falls as mu grows: bisect for |step| = radius
        mid = 0.5 * (low + high)
        low, high = (mid, high) if np.linalg.norm(step(mid)) > radius else (low, mid)
    return step(high)


def _summed_error(y: np.ndarray, D: np.ndarray) -> float:
    """E = 1/2 sum (y - d)^2 over the cases and the outputs (eq. 3), no margin."""
    return float(0.5 * np.sum((y - D) ** 2))


def classify(before: EndState, after: EndState | None, settled: Settled | None = None) -> str:
    """Name where an unfinished run is, from its states at two caps (``before``, ``after``)
    and what :func:`settle` found from the second (``settled``, optional).

    ``after`` None means the run met the criterion while training on: a **plateau**.
    If ``settled`` lowered E by more than ``FLAT_FALL`` (1 %), E only falling on its
    way, the run is in no minimum: ``"still descending"`` if its error also fell by
    more than that between the caps, else ``"not a minimum"`` (gradient descent is not
    taking the way down that Newton's method found). If ``settled`` reached a
    stationary point near the run (within ``NEARBY`` times ``|w|``), that point is
    judged in place of ``after``, which gradient descent would approach ever more
    slowly. Then:

    - ``"local minimum"``: the gradient is zero to round-off (below ``GRADIENT_ZERO``)
      and every Hessian eigenvalue is positive (above ``CURVATURE_ZERO`` times the
      largest): a true local minimum, at finite weights;
    - ``"saddle"``: the gradient is zero and some eigenvalue is clearly negative;
    - ``"still descending"``: the error fell by more than ``FLAT_FALL`` between the caps;
    - ``"near a saddle"``: level, the gradient not zero, but the Hessian has a clearly
      negative eigenvalue (below ``-NEGATIVE_CURVATURE`` times the largest in size);
    - ``"minimum at infinity"``: level but still falling a little, the weights grew,
      no curvature clearly negative, and larger weights (``EndState.ray_error``) lower
      the error further: a valley whose floor lies at infinite weights (a very long
      plateau looks the same until it is left);
    - ``"flat"``: level, the gradient not zero, no clear negative curvature, and larger
      weights do not help;
    - ``"undecided"``: none of these (e.g. the error rose).

    Raises TypeError if ``before`` is not an :class:`EndState`, ``after`` neither an
    EndState nor None, or ``settled`` neither a :class:`Settled` nor None.
    """
    for name, state in (("before", before), ("after", after)):
        if not isinstance(state, EndState) and not (name == "after" and state is None):
            raise TypeError(f"classify: {name} must be an EndState (see end_state)"
                            + (" or None" if name == "after" else "")
                            + f", got {type(state).__name__}")
    if settled is not None and not isinstance(settled, Settled):
        raise TypeError(f"classify: settled must be None or a Settled (see settle), got "
                        f"{type(settled).__name__}")
    if after is None:
        return "plateau"
    fell = after.error < (1 - FLAT_FALL) * before.error  # between the two caps
    if settled is not None and settled.state.error < (1 - FLAT_FALL) * after.error:
        return "still descending" if fell else "not a minimum"  # Newton found a way down
    if (settled is not None and settled.state.gradient_norm < GRADIENT_ZERO
            and settled.moved < NEARBY * after.weight_norm):
        after = settled.state  # the stationary point the run is approaching
    scale = max(float(np.abs(after.eigenvalues).max()), 1e-300)
    negative = after.eigenvalues[0] < -NEGATIVE_CURVATURE * scale
    if after.gradient_norm < GRADIENT_ZERO:
        if negative:
            return "saddle"
        if after.eigenvalues[0] > CURVATURE_ZERO * scale:
            return "local minimum"
        return "undecided"
    if fell:
        return "still descending"
    if negative:
        return "near a saddle"
    if after.error > before.error:
        return "undecided"
    if after.weight_norm > before.weight_norm and after.ray_error < after.error:
        return "minimum at infinity"
    return "flat"
