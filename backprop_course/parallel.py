"""Data parallelism: the gradient of a mini-batch, computed in shards by worker processes.

The loss of a batch is a mean over its examples, so its gradient is a mean of
per-example gradients, and a mean over ``N`` examples split into shards of sizes
``n_1, ..., n_K`` is the size-weighted sum of the shards' means:

.. math:: \\nabla L = \\sum_k \\frac{n_k}{N} \\nabla L_k .

Each worker therefore needs only the weights and its own shard; the results are
combined by one weighted sum (chapter 7). Real systems run the workers on
different GPUs or machines; here they are processes on one machine, made with
:class:`concurrent.futures.ProcessPoolExecutor`.

The worker function :func:`shard_gradient` lives in this module, not in a
notebook: a process pool sends the function to its workers by name, and a
function defined in a notebook's ``__main__`` cannot always be found again there
(it fails with the "spawn" start method used on macOS and Windows).

>>> import numpy as np, backprop_course as bc
>>> model = bc.nn.MLP([4, 8, 3], rng=0)
>>> X, y = np.ones((10, 4)), np.arange(10) % 3
>>> from backprop_course.parallel import data_parallel_gradient
>>> loss, grads = data_parallel_gradient(model, X, y, n_workers=2)
>>> [g.shape for g in grads]
[(4, 8), (8,), (8, 3), (3,)]
"""

from __future__ import annotations

import numbers
import pickle
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor

import numpy as np

from .checks import real_array, rows
from .losses import cross_entropy
from .nn import Module
from .tensor import Tensor
from .train import checked_loss_fn

__all__ = [
    "split_batch",
    "shard_gradient",
    "shard_gradients",
    "combine_shards",
    "data_parallel_gradient",
]

LossFn = Callable[[Tensor, np.ndarray], Tensor]


def split_batch(
    X: np.ndarray, y: np.ndarray, n_shards: int
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Cut a batch into ``n_shards`` consecutive shards whose sizes differ by at most one.

    Parameters
    ----------
    X : numpy.ndarray, shape (N, D)
    y : numpy.ndarray, shape (N,) or (N, ...)
    n_shards : int
        Between 1 and N.

    Returns
    -------
    list of (X_k, y_k)
        The shards, in order; concatenated they give back ``X`` and ``y``.

    Raises
    ------
    ValueError
        If ``X`` and ``y`` do not have one row per example each, or ``n_shards`` is
        not between 1 and the batch size (an empty batch has no shards).
    TypeError
        If ``n_shards`` is not an int.
    """
    X, y = rows(X, "X", "split_batch"), rows(y, "y", "split_batch")
    if len(X) != len(y):
        raise ValueError(f"split_batch: X has {len(X)} rows but y has {len(y)}")
    if isinstance(n_shards, bool) or not isinstance(n_shards, int | np.integer):
        raise TypeError(f"split_batch: n_shards must be an int, got {type(n_shards).__name__}")
    if not 1 <= n_shards <= len(X):
        raise ValueError(f"split_batch: n_shards must be between 1 and the batch size {len(X)}, "
                         f"got {n_shards}" + (" (the batch is empty)" if len(X) == 0 else ""))
    bounds = np.linspace(0, len(X), n_shards + 1).round().astype(int)
    return [(X[lo:hi], y[lo:hi]) for lo, hi in zip(bounds[:-1], bounds[1:], strict=True)]


def shard_gradient(
    model: Module, X: np.ndarray, y: np.ndarray, loss_fn: LossFn = cross_entropy
) -> tuple[float, list[np.ndarray]]:
    """The worker: the mean loss over one shard and its gradient for every parameter.

    One forward pass, one backward pass, on the worker's copy of the model (a
    process pool pickles ``model`` for each task, so the caller's model is not
    touched when this runs in another process).

    Parameters
    ----------
    model : Module
    X, y : numpy.ndarray
        The shard: inputs (n, D) and targets.
    loss_fn : callable, default :func:`~backprop_course.losses.cross_entropy`
        ``loss_fn(outputs, y) -> scalar Tensor``, a mean over the rows. It must be a
        module-level function (a lambda cannot be sent to another process).

    Returns
    -------
    loss : float
    grads : list of numpy.ndarray
        ``dL/dp`` for each ``p`` in ``model.parameters()``, in that order (zeros for a
        parameter the loss does not depend on).

    Raises
    ------
    TypeError
        If ``model`` is not a Module, ``loss_fn`` is not a function or does not return
        a Tensor. Wrong inputs or targets are refused by the model and the loss.
    """
    loss_fn = _checked(model, loss_fn, "shard_gradient")  # or a clear error
    model.zero_grad()
    loss = loss_fn(model(Tensor(X)), y)
    loss.backward()
    grads = [
        np.zeros_like(p.data) if p.grad is None else p.grad.copy() for p in model.parameters()
    ]
    model.zero_grad()
    return loss.item(), grads


def _checked(model: object, loss_fn: object, where: str) -> LossFn:
    """Refuse a model that is not a Module; return ``loss_fn`` checked (see ``train``)."""
    if not isinstance(model, Module):
        raise TypeError(
            f"{where}: model must be a bc.nn Module such as bc.nn.MLP([4, 8, 3]), got "
            f"{type(model).__name__}"
        )
    return checked_loss_fn(loss_fn, where)


def combine_shards(
    sizes: Sequence[int], losses: Sequence[float], grads: Sequence[Sequence[np.ndarray]]
) -> tuple[float, list[np.ndarray]]:
    """Combine shard results into the full batch's mean loss and gradient.

    Each shard's loss is a mean over its ``n_k`` rows, so the batch's mean is
    ``Σ_k (n_k / N) L_k``, and its gradient likewise ``Σ_k (n_k / N) ∇L_k``.
    (A plain average of the shard gradients is right only when the shards are
    equally large.)

    Parameters
    ----------
    sizes : sequence of int
        The shards' sizes ``n_k``.
    losses : sequence of float
        The shards' mean losses.
    grads : sequence of lists of arrays
        ``grads[k][j]`` is the gradient of shard ``k``'s loss for parameter ``j``.

    Returns
    -------
    loss : float
    grads : list of numpy.ndarray

    Raises
    ------
    TypeError
        If an argument is not a sequence, or a loss or gradient is not real numbers.
    ValueError
        If there is not one size, loss and gradient list per shard (and at least one
        shard), a size is not a positive int, a loss or gradient is NaN or infinite,
        or the shards' gradient lists differ in length or in their arrays' shapes.
    """
    _check_shards(sizes, losses, grads)  # one size, loss and gradient list per shard
    weights = np.asarray(sizes, dtype=np.float64)
    weights /= weights.sum()
    loss = float(np.dot(weights, losses))
    combined = [
        sum(w * g[j] for w, g in zip(weights, grads, strict=True)) for j in range(len(grads[0]))
    ]
    return loss, combined


def _check_shards(sizes: Sequence[int], losses: Sequence[float],
                  grads: Sequence[Sequence[np.ndarray]]) -> None:
    where = "combine_shards"
    for name, value in (("sizes", sizes), ("losses", losses), ("grads", grads)):
        if isinstance(value, str) or not hasattr(value, "__len__"):
            raise TypeError(f"{where}: {name} must be a sequence with one entry per shard, got "
                            f"{type(value).__name__}")
    if not (len(sizes) == len(losses) == len(grads)) or not len(sizes):
        raise ValueError(
            f"{where}: need one size, loss and gradient list per shard, got {len(sizes)}, "
            f"{len(losses)} and {len(grads)}"
        )
    for n in sizes:
        if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 1:
            raise ValueError(f"{where}: shard sizes must be positive ints (rows per shard), "
                             f"got {list(sizes)}")
    real_array(losses, "losses", where, ndim=1, float64=True)
    first = grads[0]
    for k, shard in enumerate(grads):
        if isinstance(shard, np.ndarray) or not isinstance(shard, Sequence):
            raise TypeError(f"{where}: grads[{k}] must be a list of arrays, one per parameter, "
                            f"got {type(shard).__name__}")
        if len(shard) != len(first):
            raise ValueError(f"{where}: every shard needs one gradient per parameter; grads[0] "
                             f"has {len(first)}, grads[{k}] has {len(shard)}")
        for j, g in enumerate(shard):
            g = real_array(g, f"grads[{k}][{j}]", where, float64=True)
            if g.shape != np.shape(first[j]):
                raise ValueError(f"{where}: grads[{k}][{j}] has shape {g.shape} but grads[0][{j}] "
                                 f"has {np.shape(first[j])}: each parameter's gradient must have "
                                 "the same shape in every shard")


def _pool_for(executor: object, n_workers: int, loss_fn: object, where: str) -> Executor:
    """The pool to use: ``executor``, or a new process pool; refuse what cannot work."""
    if executor is not None and not callable(getattr(executor, "submit", None)):
        raise TypeError(f"{where}: executor must be a concurrent.futures Executor (or None), "
                        f"got {type(executor).__name__}")
    if executor is None or isinstance(executor, ProcessPoolExecutor):
        try:
            pickle.dumps(loss_fn)
        except Exception:  # noqa: BLE001 - pickle raises several types
            raise TypeError(
                f"{where}: loss_fn {getattr(loss_fn, '__qualname__', loss_fn)!r} cannot be "
                "sent to worker processes: it must be a module-level function (not a lambda "
                "or a function defined inside another), e.g. bc.losses.cross_entropy"
            ) from None
    return executor if executor is not None else ProcessPoolExecutor(max_workers=n_workers)


def shard_gradients(
    model: Module,
    X: np.ndarray,
    y: np.ndarray,
    n_workers: int = 2,
    *,
    loss_fn: LossFn = cross_entropy,
    executor: Executor | None = None,
) -> tuple[list[int], list[float], list[list[np.ndarray]]]:
    """Split the batch into ``n_workers`` shards and compute each shard's gradient in parallel.

    Parameters
    ----------
    model : Module
        Sent (pickled) to every worker with its shard.
    X, y : numpy.ndarray
        The batch.
    n_workers : int, default 2
        The number of shards, and of processes if a pool is made here.
    loss_fn : callable, default :func:`~backprop_course.losses.cross_entropy`
        A module-level function, so that it can be pickled.
    executor : concurrent.futures.Executor, optional
        A pool to reuse. Without one, a :class:`~concurrent.futures.ProcessPoolExecutor`
        with ``n_workers`` processes is started and shut down inside this call, so
        the call pays for starting the processes.

    Returns
    -------
    sizes : list of int
    losses : list of float
    grads : list of lists of numpy.ndarray
        One entry per shard, in order; pass them to :func:`combine_shards`.

    Raises
    ------
    TypeError
        Before any work is sent: if ``model`` is not a Module, ``loss_fn`` is not a
        function (or, for worker processes, not a module-level one), ``executor`` is
        not an Executor, or ``n_workers`` is not an int.
    ValueError
        If ``X`` and ``y`` differ in length or ``n_workers`` is not between 1 and the
        batch size. An error inside a worker is raised again here.
    """
    shards = split_batch(X, y, n_workers)
    _checked(model, loss_fn, "shard_gradients")
    pool = _pool_for(executor, n_workers, loss_fn, "shard_gradients")
    model.zero_grad()  # do not pickle stale gradients along with the weights
    try:
        futures = [pool.submit(shard_gradient, model, Xk, yk, loss_fn) for Xk, yk in shards]
        results = [f.result() for f in futures]
    finally:
        if executor is None:
            pool.shutdown()
    sizes = [len(Xk) for Xk, _ in shards]
    return sizes, [r[0] for r in results], [r[1] for r in results]


def data_parallel_gradient(
    model: Module,
    X: np.ndarray,
    y: np.ndarray,
    n_workers: int = 2,
    *,
    loss_fn: LossFn = cross_entropy,
    executor: Executor | None = None,
) -> tuple[float, list[np.ndarray]]:
    """The batch's mean loss and gradient, computed in shards by ``n_workers`` processes.

    :func:`shard_gradients` followed by :func:`combine_shards`; the result equals
    :func:`shard_gradient` on the whole batch up to float round-off.

    Raises
    ------
    TypeError, ValueError
        As :func:`shard_gradients`.
    """
    return combine_shards(
        *shard_gradients(model, X, y, n_workers, loss_fn=loss_fn, executor=executor)
    )
