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

from .init import RngLike, as_rng

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


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * z))  # 1 / (1 + e^-z), without overflow


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
    """

    W1: np.ndarray
    b1: np.ndarray
    W2: np.ndarray
    b2: np.ndarray

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
        """The inverse of :meth:`vectors`: rows of parameters -> a population."""
        D, H, K = sizes
        v = np.atleast_2d(np.asarray(vectors, dtype=np.float64))
        bounds = np.cumsum([0, D * H, H, H * K, K])
        if v.shape[1] != bounds[-1]:
            raise ValueError(
                f"a {D}-{H}-{K} network has {bounds[-1]} parameters, got rows of {v.shape[1]}"
            )
        shapes = [(D, H), (H,), (H, K), (K,)]
        parts = [
            v[:, lo:hi].reshape(len(v), *shape)
            for lo, hi, shape in zip(bounds[:-1], bounds[1:], shapes, strict=True)
        ]
        return cls(*parts)


def init_population(
    n_nets: int, sizes: tuple[int, int, int], scale: float = 1.0, rng: RngLike = None
) -> Population:
    """``n_nets`` networks with every weight and bias drawn uniformly from ``[-scale, scale]``."""
    if isinstance(n_nets, bool) or not isinstance(n_nets, int) or n_nets < 1:
        raise ValueError(f"n_nets must be a positive int, got {n_nets!r}")
    D, H, K = sizes
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
    """
    X = np.asarray(X, dtype=np.float64)
    h = _sigmoid(X @ nets.W1 + nets.b1[:, None, :])
    a = _sigmoid(h @ nets.W2 + nets.b2[:, None, :])
    return h, a


def population_loss(nets: Population, X: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """Every network's summed squared error ``E = ½ Σ_n Σ_k (a_nk - y_nk)²``: shape (S,)."""
    _, a = population_forward(nets, X)
    return 0.5 * ((a - np.asarray(Y, dtype=np.float64)) ** 2).sum(axis=(1, 2))


def population_gradients(nets: Population, X: np.ndarray, Y: np.ndarray) -> Population:
    """Every network's gradient ``∂E/∂θ``, by backpropagation (the chapter-5 equations, batched).

    Returns a :class:`Population` whose arrays are the gradients, shaped like the weights.
    """
    X = np.asarray(X, dtype=np.float64)
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
    all networks at once. Returns a new Population (``nets`` is not changed).
    """
    Y = np.asarray(Y, dtype=np.float64)
    params = [p.copy() for p in nets.arrays()]
    changes = [np.zeros_like(p) for p in params]
    for _ in range(int(sweeps)):
        grads = population_gradients(Population(*params), X, Y).arrays()
        for p, change, g in zip(params, changes, grads, strict=True):
            change *= momentum
            change -= lr * g
            p += change
    return Population(*params)


def solved(nets: Population, X: np.ndarray, Y: np.ndarray, margin: float = 0.5) -> np.ndarray:
    """Which networks get every output within ``margin`` of its 0/1 target: bool, shape (S,)."""
    _, a = population_forward(nets, X)
    return (np.abs(a - np.asarray(Y, dtype=np.float64)) < margin).all(axis=(1, 2))


def random_directions(center: np.ndarray, n: int = 2, rng: RngLike = None) -> np.ndarray:
    """``n`` random Gaussian directions, each scaled to the length of ``center``.

    Scaling to the weights' own length makes a step of 1 along a direction as
    large as the weights themselves, whatever their size, so that slices
    through different minima can be compared.

    Returns
    -------
    numpy.ndarray, shape (n, P)
    """
    center = np.asarray(center, dtype=np.float64).ravel()
    d = as_rng(rng).normal(size=(n, center.size))
    return d * (np.linalg.norm(center) / np.linalg.norm(d, axis=1, keepdims=True))


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
    """
    if nets_center.size != 1:
        raise ValueError(f"the centre must be one network, got a population of {nets_center.size}")
    directions = np.asarray(directions, dtype=np.float64)
    theta = nets_center.vectors()[0]
    if directions.shape != (2, theta.size):
        raise ValueError(f"directions must have shape (2, {theta.size}), got {directions.shape}")
    A, B = np.meshgrid(np.asarray(alphas, float), np.asarray(betas, float))
    points = theta + A.reshape(-1, 1) * directions[0] + B.reshape(-1, 1) * directions[1]
    grid = Population.from_vectors(points, nets_center.sizes)
    return population_loss(grid, X, Y).reshape(A.shape)
