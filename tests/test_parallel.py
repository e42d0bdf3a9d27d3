"""Data parallelism: shard gradients, weighted by shard size, give the full batch's gradient."""

from __future__ import annotations

import pickle
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import numpy as np
import pytest

import backprop_course as bc
from backprop_course import parallel


@pytest.fixture
def batch() -> tuple[bc.nn.MLP, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    model = bc.nn.MLP([5, 7, 4], activation="tanh", rng=1)
    X = rng.normal(size=(23, 5))
    y = rng.integers(0, 4, 23)
    return model, X, y


def _max_relative_difference(a: list[np.ndarray], b: list[np.ndarray]) -> float:
    return max(float(np.abs(x - z).max() / np.abs(x).max()) for x, z in zip(a, b, strict=True))


def test_split_batch_covers_the_batch_in_nearly_equal_shards(batch) -> None:
    _, X, y = batch
    shards = parallel.split_batch(X, y, 3)
    assert [len(Xk) for Xk, _ in shards] == [8, 7, 8]
    np.testing.assert_array_equal(np.concatenate([Xk for Xk, _ in shards]), X)
    np.testing.assert_array_equal(np.concatenate([yk for _, yk in shards]), y)
    assert len(parallel.split_batch(X, y, 23)) == 23


def test_split_batch_rejects_bad_shard_counts(batch) -> None:
    _, X, y = batch
    with pytest.raises(ValueError, match="between 1 and the batch size 23"):
        parallel.split_batch(X, y, 24)
    with pytest.raises(ValueError, match="between"):
        parallel.split_batch(X, y, 0)
    with pytest.raises(TypeError, match="int"):
        parallel.split_batch(X, y, 2.0)
    with pytest.raises(ValueError, match="rows"):
        parallel.split_batch(X, y[:5], 2)


def test_shard_gradient_is_the_backward_pass_of_the_mean_loss(batch) -> None:
    model, X, y = batch
    loss, grads = parallel.shard_gradient(model, X, y)
    expected = bc.losses.cross_entropy(model(bc.Tensor(X)), y)
    expected.backward()
    assert loss == pytest.approx(expected.item(), rel=1e-15)
    for g, p in zip(grads, model.parameters(), strict=True):
        np.testing.assert_allclose(g, p.grad, rtol=1e-15)
    # and it agrees with central differences of the loss
    W = model.parameters()[0]

    def loss_of(W_data):
        saved, W.data = W.data, W_data
        try:
            return bc.losses.cross_entropy(model(bc.Tensor(X)), y).item()
        finally:
            W.data = saved

    assert bc.rel_error(grads[0], bc.numerical_gradient(loss_of, W.data)) < 1e-6


def test_shard_gradient_leaves_no_gradient_behind(batch) -> None:
    model, X, y = batch
    parallel.shard_gradient(model, X, y)
    assert all(p.grad is None for p in model.parameters())


def test_shard_gradient_gives_zeros_for_unused_parameters() -> None:
    model = bc.nn.MLP([2, 3], rng=0)
    model.unused = bc.Tensor(np.ones(4), requires_grad=True)
    _, grads = parallel.shard_gradient(model, np.ones((2, 2)), np.array([0, 1]))
    np.testing.assert_array_equal(grads[-1], np.zeros(4))


def test_combine_shards_weights_by_size(batch) -> None:
    model, X, y = batch
    full_loss, full = parallel.shard_gradient(model, X, y)
    parts = [parallel.shard_gradient(model, X[r], y[r]) for r in (slice(3), slice(3, None))]
    loss, combined = parallel.combine_shards([3, 20], [p[0] for p in parts], [p[1] for p in parts])
    assert loss == pytest.approx(full_loss, rel=1e-13)
    assert _max_relative_difference(full, combined) < 1e-12
    _, plain = parallel.combine_shards([1, 1], [p[0] for p in parts], [p[1] for p in parts])
    assert _max_relative_difference(full, plain) > 1e-3  # a plain mean is wrong for 3 vs 20


def test_combine_shards_rejects_mismatched_input() -> None:
    with pytest.raises(ValueError, match="one size"):
        parallel.combine_shards([1, 2], [0.5], [[np.zeros(2)]])
    with pytest.raises(ValueError, match="positive"):
        parallel.combine_shards([0], [0.5], [[np.zeros(2)]])


@pytest.mark.parametrize("n_workers", [1, 2, 3])
def test_threads_give_the_full_batch_gradient(batch, n_workers: int) -> None:
    model, X, y = batch
    full_loss, full = parallel.shard_gradient(model, X, y)
    with ThreadPoolExecutor(2) as pool:
        sizes, losses, grads = parallel.shard_gradients(model, X, y, n_workers, executor=pool)
    assert sum(sizes) == len(X) and len(grads) == n_workers
    loss, combined = parallel.combine_shards(sizes, losses, grads)
    assert loss == pytest.approx(full_loss, rel=1e-13)
    assert _max_relative_difference(full, combined) < 1e-12


def test_two_processes_give_the_full_batch_gradient(batch) -> None:
    model, X, y = batch
    full_loss, full = parallel.shard_gradient(model, X, y)
    before = [p.data.copy() for p in model.parameters()]
    loss, grads = parallel.data_parallel_gradient(model, X, y, n_workers=2)  # its own pool
    assert loss == pytest.approx(full_loss, rel=1e-13)
    assert _max_relative_difference(full, grads) < 1e-12
    for p, w in zip(model.parameters(), before, strict=True):
        np.testing.assert_array_equal(p.data, w)  # the workers had copies
    with ProcessPoolExecutor(2) as pool:  # a pool that is reused, with another loss
        y_onehot = bc.data.one_hot(y, 4)
        loss2, grads2 = parallel.data_parallel_gradient(
            model, X, y_onehot, 2, loss_fn=bc.losses.mse, executor=pool
        )
    mse_loss, mse_grads = parallel.shard_gradient(model, X, y_onehot, bc.losses.mse)
    assert loss2 == pytest.approx(mse_loss, rel=1e-13)
    assert _max_relative_difference(mse_grads, grads2) < 1e-12


def test_the_worker_and_a_model_can_be_pickled(batch) -> None:
    model, X, y = batch
    assert pickle.loads(pickle.dumps(parallel.shard_gradient)) is parallel.shard_gradient
    copy = pickle.loads(pickle.dumps(model))
    np.testing.assert_array_equal(parallel.shard_gradient(copy, X, y)[1][0],
                                  parallel.shard_gradient(model, X, y)[1][0])
