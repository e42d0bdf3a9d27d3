"""Chapter 11's memory tools: graph sizes, peak memory, and gradient checkpointing."""

from __future__ import annotations

import numpy as np
import pytest

import backprop_course as bc
from backprop_course import checkpoint, diagnostics


def _chain(depth: int = 6, width: int = 5, seed: int = 0) -> bc.nn.Sequential:
    return diagnostics.deep_mlp(depth, width, "tanh", "xavier", rng=seed)


def _grads(net: bc.nn.Module, loss: bc.Tensor) -> list[np.ndarray]:
    net.zero_grad()
    loss.backward()
    return [p.grad.copy() for p in net.parameters()]


# -------------------------------------------------------------- graph_nbytes
def test_graph_nbytes_counts_the_computed_arrays() -> None:
    x = bc.Tensor(np.ones((4, 3)), requires_grad=True)  # 96 bytes
    y = (x * 2.0).tanh()  # two computed (4, 3) arrays: 192 bytes
    loss = y.sum()  # one computed scalar: 8 bytes
    assert checkpoint.graph_nbytes(loss) == 192 + 8
    # the leaves: x, and the constant 2.0 (a 0-d array of 8 bytes)
    assert checkpoint.graph_nbytes(loss, leaves=True) == 192 + 8 + 96 + 8


def test_graph_nbytes_grows_by_two_arrays_per_dense_tanh_layer() -> None:
    X = np.zeros((7, 5))
    sizes = [checkpoint.graph_nbytes(_chain(L)(X).sum()) for L in (2, 3, 4)]
    assert np.diff(sizes).tolist() == [2 * 7 * 5 * 8] * 2


def test_graph_nbytes_needs_a_tensor() -> None:
    with pytest.raises(TypeError, match="Tensor"):
        checkpoint.graph_nbytes(np.ones(3))


# --------------------------------------------------------------- peak_memory
def test_peak_memory_sees_numpy_arrays_and_returns_the_result() -> None:
    def make(n: int) -> float:
        a = np.ones(n)  # n * 8 bytes alive at once
        return float(a.sum())

    result, peak = checkpoint.peak_memory(make, 1_000_000)
    assert result == 1_000_000.0
    assert 8_000_000 <= peak < 9_000_000
    _, small = checkpoint.peak_memory(make, n=1000)
    assert small < 100_000


def test_peak_memory_does_not_depend_on_when_the_collector_runs() -> None:
    import gc

    def cycles_then_array() -> None:
        for _ in range(2000):  # garbage in reference cycles, which only the collector frees
            a: list = []
            a.append(a)
        np.ones(100_000)

    peaks = {checkpoint.peak_memory(cycles_then_array)[1] for _ in range(5)}
    assert max(peaks) - min(peaks) < 10_000, peaks  # the same peak at every call
    assert gc.isenabled()  # the collector runs again afterwards
    gc.disable()
    try:
        checkpoint.peak_memory(np.ones, 10)
        assert not gc.isenabled()  # ... and stays off if it was off
    finally:
        gc.enable()


def test_peak_memory_keeps_an_outer_trace_running() -> None:
    import tracemalloc

    tracemalloc.start()
    try:
        _, peak = checkpoint.peak_memory(np.ones, 100_000)
        assert 800_000 <= peak < 900_000
        assert tracemalloc.is_tracing()
    finally:
        tracemalloc.stop()


# ---------------------------------------------------------------- checkpoint
def test_checkpoint_gives_the_same_value_and_gradients() -> None:
    rng = np.random.default_rng(0)
    net = _chain(4, 6)
    x = bc.Tensor(rng.normal(size=(3, 6)), requires_grad=True)

    plain_out = net(x)
    plain = _grads(net, (plain_out**2).sum())
    dx_plain = x.grad.copy()
    x.grad = None

    out = checkpoint.checkpoint(net, x, net.parameters())
    np.testing.assert_array_equal(out.data, plain_out.data)
    ckpt = _grads(net, (out**2).sum())
    for a, b in zip(plain, ckpt, strict=True):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(x.grad, dx_plain)


def test_checkpoint_stores_only_its_input_and_output() -> None:
    net = _chain(5, 4)
    x = np.ones((2, 4))
    out = checkpoint.checkpoint(net, x, net.parameters())
    nodes = bc.scalar.topological_order(out)
    assert len([n for n in nodes if n._prev]) == 1  # one node for five layers
    assert checkpoint.graph_nbytes(out) == 2 * 4 * 8


def test_checkpoint_matches_central_differences() -> None:
    rng = np.random.default_rng(1)
    W = bc.Tensor(rng.normal(size=(3, 3)), requires_grad=True)

    def segment(t: bc.Tensor) -> bc.Tensor:
        return (t @ W).tanh() @ W

    x0 = rng.normal(size=(2, 3))
    loss = checkpoint.checkpoint(segment, x0, [W]).sum()
    loss.backward()

    def loss_of_W(w: np.ndarray) -> float:
        return float(np.sum(np.tanh(x0 @ w) @ w))

    assert bc.rel_error(W.grad, bc.numerical_gradient(loss_of_W, W.data)) < 1e-7


def test_checkpoint_without_parameters_or_gradients() -> None:
    x = bc.Tensor(np.array([0.5, -1.0]), requires_grad=True)
    out = checkpoint.checkpoint(lambda t: t.tanh() * 3.0, x)
    out.sum().backward()
    np.testing.assert_allclose(x.grad, 3.0 * (1 - np.tanh(x.data) ** 2), rtol=1e-12)
    constant = checkpoint.checkpoint(lambda t: t * 2.0, np.ones(2))
    assert not constant.requires_grad


# ----------------------------------------------------- checkpoint_sequential
@pytest.mark.parametrize("every", [1, 2, 3, 7, 100])
def test_checkpoint_sequential_equals_plain_backprop(every: int) -> None:
    rng = np.random.default_rng(every)
    net = _chain(5, 4, seed=every)  # 9 modules: 5 Linear, 4 Tanh
    X = rng.normal(size=(3, 4))
    plain = _grads(net, (net(X) ** 2).mean())
    out = checkpoint.checkpoint_sequential(net.layers, X, every=every)
    np.testing.assert_array_equal(out.data, net(X).data)
    ckpt = _grads(net, (out**2).mean())
    for a, b in zip(plain, ckpt, strict=True):
        np.testing.assert_array_equal(a, b)


def test_checkpoint_sequential_recomputes_each_layer_once() -> None:
    calls = []

    class Counted(bc.nn.Module):
        def __init__(self, layer: bc.nn.Module) -> None:
            self.layer = layer

        def forward(self, x: bc.Tensor) -> bc.Tensor:
            calls.append(self)
            return self.layer(x)

    net = _chain(4, 3)
    layers = [Counted(m) for m in net.layers]
    out = checkpoint.checkpoint_sequential(layers, np.ones((2, 3)), every=2)
    assert len(calls) == len(layers)  # the forward pass
    out.sum().backward()
    assert len(calls) == 2 * len(layers)  # each layer once more, in the backward pass
    assert all(p.grad is not None for p in net.parameters())


def test_checkpoint_sequential_saves_memory() -> None:
    X = np.random.default_rng(0).normal(size=(64, 32))
    net = _chain(36, 32)

    def step(every: int | None) -> None:
        net.zero_grad()
        out = net(X) if every is None else checkpoint.checkpoint_sequential(net.layers, X, every)
        (out * out).mean().backward()

    _, plain = checkpoint.peak_memory(step, None)
    _, ckpt = checkpoint.peak_memory(step, 12)  # segments of 6 layers
    assert ckpt < plain / 2


def test_checkpoint_sequential_rejects_bad_arguments() -> None:
    with pytest.raises(ValueError, match="every"):
        checkpoint.checkpoint_sequential([bc.nn.Tanh()], np.ones(2), every=0)
    with pytest.raises(ValueError, match="at least one layer"):
        checkpoint.checkpoint_sequential([], np.ones(2), every=1)
