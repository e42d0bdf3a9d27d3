"""Local minima and the shape of the loss: many small networks at once (chapter 11).

Whether gradient descent gets stuck depends on where it starts, so the question
"how often does XOR fail?" is answered by training many networks from different
random starts. Doing that one network at a time in Python is slow; here a whole
*population* of ``S`` networks of the same shape ``D-H-K`` (one sigmoid hidden
layer, sigmoid outputs) is stored as stacked arrays and trained at once, every
matrix product batched over the first axis. Each network is trained exactly as
if it were alone: full batch, summed squared error ``E = ½ Σ (a - y)²`` as in the
1986 paper, gradient descent with momentum.

The same batched forward pass evaluates the loss at thousands of points of a
2-D slice through weight space (:func:`loss_slice`), each point being one
"network" of the population.

>>> import numpy as np, backprop_course as bc
>>> X, y = bc.data.xor()
>>> nets = bc.landscape.init_population(10, (2, 3, 1), rng=0)
>>> nets = bc.landscape.train_population(nets, X, y[:, None], sweeps=2000)
>>> float(bc.landscape.solved(nets, X, y[:, None]).mean())   # the fraction that learned XOR
1.0
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import sigmoid_nets
from .checks import int_at_least, real_array, real_number
from .init import RngLike, as_rng
from .numerics import sigmoid

__all__ = [
    "Population",
    "init_population",
    "population_forward",
    "population_loss",
    "population_gradients",
    "train_population",
    "solved",
    "random_directions",
    "loss_slice",
]


@dataclass
class Population:
    """``S`` networks ``D-H-K`` with one sigmoid hidden layer, as stacked arrays.

    Network ``s`` computes ``h = σ(x @ W1[s] + b1[s])`` and ``a = σ(h @ W2[s] + b2[s])``.

    Attributes
    ----------
    W1 : numpy.ndarray, shape (S, D, H)
    b1 : numpy.ndarray, shape (S, H)
    W2 : numpy.ndarray, shape (S, H, K)
    b2 : numpy.ndarray, shape (S, K)

    Raises
    ------
    TypeError
        If an attribute is not a NumPy array of real numbers.
    ValueError
        If the four shapes do not fit together as above.
    """

    W1: np.ndarray
    b1: np.ndarray
    W2: np.ndarray
    b2: np.ndarray

    def __post_init__(self) -> None:
        for name in ("W1", "b1", "W2", "b2"):
            value = getattr(self, name)
            if not isinstance(value, np.ndarray) or value.dtype.kind not in "biuf":
                raise TypeError(
                    f"Population: {name} must be a NumPy array of real numbers, got "
                    f"{type(value).__name__}"
                    + (f" of dtype {value.dtype}" if isinstance(value, np.ndarray) else "")
                )
        W1, b1, W2, b2 = self.W1, self.b1, self.W2, self.b2
        fits = W1.ndim == 3 and W2.ndim == 3 and b1.ndim == 2 and b2.ndim == 2
        if fits:
            S, _, H = W1.shape
            fits = b1.shape == (S, H) and W2.shape[:2] == (S, H) and b2.shape == (S, W2.shape[2])
        if not fits:
            raise ValueError(
                "Population needs W1 (S, D, H), b1 (S, H), W2 (S, H, K) and b2 (S, K), the "
                f"first axis counting the networks; got {W1.shape}, {b1.shape}, {W2.shape} "
                f"and {b2.shape}"
            )

    @property
    def size(self) -> int:
        """How many networks (S)."""
        return self.W1.shape[0]

    @property
    def sizes(self) -> tuple[int, int, int]:
        """``(D, H, K)``."""
        return self.W1.shape[1], self.W1.shape[2], self.W2.shape[2]

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        return self.W1, self.b1, self.W2, self.b2

    def vectors(self) -> np.ndarray:
        """Every network's parameters as one row: shape (S, P), P = DH + H + HK + K."""
        return np.concatenate([a.reshape(self.size, -1) for a in self.arrays()], axis=1)

    @classmethod
    def from_vectors(cls, vectors: np.ndarray, sizes: tuple[int, int, int]) -> Population:
        """The inverse of :meth:`vectors`: rows of parameters -> a population.

        ``vectors`` is (S, P) or one network's (P,); ``sizes`` is ``(D, H, K)``.
        """
        D, H, K = _sizes(sizes, "Population.from_vectors")
        v = np.atleast_2d(real_array(vectors, "vectors", "Population.from_vectors", finite=False,
                                     float64=True))
        bounds = np.cumsum([0, D * H, H, H * K, K])
        if v.ndim != 2 or v.shape[1] != bounds[-1]:
            raise ValueError(
                f"Population.from_vectors: a {D}-{H}-{K} network has {bounds[-1]} parameters, "
                f"so vectors must be (S, {bounds[-1]}) or ({bounds[-1]},); got {v.shape}"
            )
        shapes = [(D, H), (H,), (H, K), (K,)]
        parts = [
            v[:, lo:hi].reshape(len(v), *shape)
            for lo, hi, shape in zip(bounds[:-1], bounds[1:], shapes, strict=True)
        ]
        return cls(*parts)


def _sizes(sizes: object, where: str) -> tuple[int, int, int]:
    """``(D, H, K)``: three positive ints."""
    if not isinstance(sizes, tuple | list) or len(sizes) != 3:
        raise ValueError(
            f"{where}: sizes must be (D, H, K), the inputs, hidden units and outputs of a "
            f"network with one hidden layer, e.g. (2, 2, 1); got {sizes!r}"
        )
    return tuple(int_at_least(n, 1, f"each of sizes {tuple(sizes)!r}", where)  # type: ignore
                 for n in sizes)


def _inputs(nets: Population, X: object, where: str) -> np.ndarray:
    """``X`` as a float (N, D) array for ``nets``, finite, N >= 1, or a clear error."""
    if not isinstance(nets, Population):
        raise TypeError(
            f"{where}: nets must be a Population (see init_population), got "
            f"{type(nets).__name__}"
        )
    D, H, K = nets.sizes
    X = real_array(X, "X", where, float64=True)
    if X.ndim != 2 or X.shape[1] != D or len(X) == 0:
        raise ValueError(
            f"{where}: X must be (N, {D}), one row of {D} inputs per example for these "
            f"{D}-{H}-{K} networks, with N >= 1; got shape {X.shape}"
        )
    return X


def _data(nets: Population, X: object, Y: object, where: str) -> tuple[np.ndarray, np.ndarray]:
    """``X`` (N, D) and ``Y`` (N, K) for ``nets`` as float arrays, finite, or a clear error."""
    X = _inputs(nets, X, where)
    K = nets.sizes[2]
    Y = real_array(Y, "Y", where, float64=True)
    if Y.shape != (len(X), K):
        hint = "; for one output unit pass y[:, None]" if Y.shape == (len(X),) else ""
        raise ValueError(
            f"{where}: Y must be (N, K) = ({len(X)}, {K}), a row of {K} target(s) per row of "
            f"X; got shape {Y.shape}{hint}"
        )
    return X, Y


def init_population(
    n_nets: int, sizes: tuple[int, int, int], scale: float = 1.0, rng: RngLike = None
) -> Population:
    """``n_nets`` networks with every weight and bias drawn uniformly from ``[-scale, scale]``.

    Raises
    ------
    ValueError
        If ``n_nets`` is not a positive int, ``sizes`` is not three positive ints
        ``(D, H, K)``, or ``scale`` is not a finite non-negative number.
    TypeError
        If ``rng`` is neither an int seed nor a Generator.
    """
    n_nets = int_at_least(n_nets, 1, "n_nets", "init_population")
    D, H, K = _sizes(sizes, "init_population")
    real_number(scale, "scale", "a finite non-negative number", lambda v: v >= 0,
                "init_population", finite=True)
    g = as_rng(rng)

    def draw(*shape: int) -> np.ndarray:
        return g.uniform(-scale, scale, size=(n_nets, *shape))

    return Population(draw(D, H), draw(H), draw(H, K), draw(K))


def population_forward(nets: Population, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Hidden and output activations of every network on the same inputs.

    Parameters
    ----------
    nets : Population
    X : numpy.ndarray, shape (N, D)

    Returns
    -------
    h : numpy.ndarray, shape (S, N, H)
    a : numpy.ndarray, shape (S, N, K)

    Raises
    ------
    TypeError
        If ``nets`` is not a Population or ``X`` is not real numbers.
    ValueError
        If ``X`` is not (N, D) with N >= 1 for the networks' D inputs, or holds NaN or
        infinite values. :func:`population_loss`, :func:`population_gradients` and
        :func:`solved` also refuse a ``Y`` that is not (N, K), e.g. labels (N,).
    """
    X = _inputs(nets, X, "population_forward")
    h = sigmoid(X @ nets.W1 + nets.b1[:, None, :])
    a = sigmoid(h @ nets.W2 + nets.b2[:, None, :])
    return h, a


def population_loss(nets: Population, X: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """Every network's summed squared error ``E = ½ Σ_n Σ_k (a_nk - y_nk)²``: shape (S,)."""
    X, Y = _data(nets, X, Y, "population_loss")
    _, a = population_forward(nets, X)
    return 0.5 * ((a - Y) ** 2).sum(axis=(1, 2))


def population_gradients(nets: Population, X: np.ndarray, Y: np.ndarray) -> Population:
    """Every network's gradient ``∂E/∂θ``, by backpropagation (the chapter-5 equations, batched).

    Returns a :class:`Population` whose arrays are the gradients, shaped like the weights.
    """
    X, Y = _data(nets, X, Y, "population_gradients")  # X (N, D), Y (N, K), or a clear error
    h, a = population_forward(nets, X)
    delta2 = (a - Y) * a * (1.0 - a)  # dE/dz2 = (a - y) σ'(z2), (S, N, K)
    dW2 = h.transpose(0, 2, 1) @ delta2  # h^T δ2, (S, H, K)
    delta1 = (delta2 @ nets.W2.transpose(0, 2, 1)) * h * (1.0 - h)  # δ2 W2^T σ'(z1)
    dW1 = X.T @ delta1  # x^T δ1, (S, D, H)
    return Population(dW1, delta1.sum(axis=1), dW2, delta2.sum(axis=1))


def train_population(
    nets: Population,
    X: np.ndarray,
    Y: np.ndarray,
    sweeps: int,
    lr: float = 0.5,
    momentum: float = 0.9,
) -> Population:
    """Train every network for ``sweeps`` full-batch steps of gradient descent with momentum.

    Each step is the paper's ``Δw(t) = -lr ∂E/∂w + momentum Δw(t-1)``, applied to
    all networks at once by the trainer chapter 9's experiments use too,
    :func:`backprop_course.sigmoid_nets.train` (its backward pass computes what
    :func:`population_gradients` computes). The arguments are checked once, before the
    first sweep. Returns a new Population (``nets`` is not changed).

    Raises
    ------
    ValueError
        If ``sweeps`` is not a non-negative int, ``lr`` not a positive finite number,
        ``momentum`` not a finite non-negative number, or ``X``, ``Y`` are not as
        :func:`population_gradients` needs them.
    TypeError
        If ``nets`` is not a Population, or ``X``, ``Y`` are not real numbers.
    """
    X, Y = _data(nets, X, Y, "train_population")
    settings = sigmoid_nets.TrainSettings(lr, momentum, sweeps, caller="train_population",
                                          names={"epsilon": "lr", "alpha": "momentum"})
    W1, b1, W2, b2 = nets.arrays()
    theta = sigmoid_nets.pack({"W": [W1, W2], "b": [b1[:, None, :], b2[:, None, :]], "D": None})
    trained = sigmoid_nets.train(settings, theta, nets.sizes, X, Y)
    params = sigmoid_nets.views(trained.theta, nets.sizes)
    (W1, W2), (b1, b2) = params["W"], params["b"]
    return Population(W1.copy(), b1[:, 0].copy(), W2.copy(), b2[:, 0].copy())


def solved(nets: Population, X: np.ndarray, Y: np.ndarray, margin: float = 0.5) -> np.ndarray:
    """Which networks get every output within ``margin`` of its 0/1 target: bool, shape (S,).

    ``margin`` is in (0, 0.5]: 0.5 asks only that each output be on the right side of
    0.5; a larger margin would count wrong answers as right.

    Raises
    ------
    ValueError
        If ``margin`` is not a number in (0, 0.5], or ``X``, ``Y`` are not as
        :func:`population_loss` needs them.
    """
    X, Y = _data(nets, X, Y, "solved")
    real_number(margin, "margin", "a number in (0, 0.5]", lambda m: 0 < m <= 0.5, "solved",
                finite=True)
    _, a = population_forward(nets, X)
    return (np.abs(a - Y) < margin).all(axis=(1, 2))


def random_directions(center: np.ndarray, n: int = 2, rng: RngLike = None) -> np.ndarray:
    """``n`` random Gaussian directions, each scaled to the length of ``center``.

    Scaling to the weights' own length makes a step of 1 along a direction as
    large as the weights themselves, whatever their size, so that slices
    through different minima can be compared.

    Returns
    -------
    numpy.ndarray, shape (n, P)

    Raises
    ------
    TypeError
        If ``center`` is not real numbers (a Population: pass ``nets.vectors()[0]``).
    ValueError
        If ``center`` is not one network's parameters (P,) or (1, P), is empty, has NaN
        or infinite entries, or is all zeros (the directions would have length 0); or
        if ``n`` is not a positive int.
    """
    center = _center(center)
    n = int_at_least(n, 1, "n", "random_directions")
    d = as_rng(rng).normal(size=(n, center.size))
    return d * (np.linalg.norm(center) / np.linalg.norm(d, axis=1, keepdims=True))


def _center(center: object) -> np.ndarray:
    if isinstance(center, Population):
        raise TypeError("random_directions: center must be one network's parameter vector, "
                        "not a Population; pass nets.vectors()[0]")
    center = real_array(center, "center", "random_directions", float64=True)
    if center.ndim > 2 or (center.ndim == 2 and len(center) != 1) or center.size == 0:
        raise ValueError(
            "random_directions: center must be one network's parameters, shape (P,) or "
            f"(1, P) (e.g. nets.vectors()[0]); got shape {center.shape}"
        )
    if not center.any():
        raise ValueError("random_directions: center is all zeros, so directions scaled to its "
                         "length would be zero; slice through a trained network's weights")
    return center.ravel()


def loss_slice(
    nets_center: Population,
    directions: np.ndarray,
    X: np.ndarray,
    Y: np.ndarray,
    alphas: np.ndarray,
    betas: np.ndarray,
) -> np.ndarray:
    """The loss on the plane ``θ + α d1 + β d2`` through one network's weights ``θ``.

    Parameters
    ----------
    nets_center : Population
        One network (S = 1): the centre of the slice.
    directions : numpy.ndarray, shape (2, P)
        The two directions ``d1, d2`` (see :func:`random_directions`).
    X, Y : numpy.ndarray
        The data.
    alphas, betas : numpy.ndarray
        The grid coordinates along ``d1`` and ``d2``.

    Returns
    -------
    numpy.ndarray, shape (len(betas), len(alphas))
        ``E`` at every grid point (rows follow ``betas``, as for ``plt.contour``).

    Raises
    ------
    TypeError
        If ``nets_center`` is not a Population, or an array is not real numbers.
    ValueError
        If ``nets_center`` is not one network, ``directions`` is not (2, P), ``alphas``
        or ``betas`` is not a non-empty 1-D array, an array holds NaN or infinite values,
        or ``X``, ``Y`` are not as :func:`population_loss` needs them.
    """
    X, Y = _data(nets_center, X, Y, "loss_slice")
    if nets_center.size != 1:
        raise ValueError(f"loss_slice: the centre must be one network, got a population of "
                         f"{nets_center.size}")
    directions = real_array(directions, "directions", "loss_slice", float64=True)
    theta = nets_center.vectors()[0]
    if directions.shape != (2, theta.size):
        raise ValueError(f"loss_slice: directions must have shape (2, {theta.size}), got "
                         f"{directions.shape}")
    grid = []
    for name, values in (("alphas", alphas), ("betas", betas)):
        values = real_array(values, name, "loss_slice", float64=True)
        if values.ndim != 1 or values.size == 0:
            raise ValueError(f"loss_slice: {name} must be a non-empty 1-D array of grid "
                             f"coordinates, got shape {values.shape}")
        grid.append(values)
    A, B = np.meshgrid(*grid)
    points = theta + A.reshape(-1, 1) * directions[0] + B.reshape(-1, 1) * directions[1]
    grid = Population.from_vectors(points, nets_center.sizes)
    return population_loss(grid, X, Y).reshape(A.shape)
