"""A differential fuzzer: random Tensor expressions, replayed in PyTorch, must agree.

Hypothesis builds a random program over every Tensor operation (broadcasting with size-1
and missing dimensions, 0-d tensors, reductions with axis and keepdims, every kind of
index, reshape and transpose, matmul with 1-d operands, log_softmax, the fused losses),
runs it on ``bc.Tensor`` and on ``torch.Tensor`` in float64, and compares the forward
values, the ``backward()`` gradients, ``higher.grad``, Hessian-vector products and full
Hessians; in float32 it compares the dtypes too. It runs when PyTorch is installed
(``pip install torch==2.13.0``; ``.ci/run`` installs it) and is skipped otherwise, like the
other cross-checks. The profile in ``strategies`` fixes the examples, so CI is deterministic.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from strategies import arrays, axes, broadcastable_shapes, indices, matmul_shapes, shapes

import backprop_course as bc
from backprop_course import higher, losses

torch = pytest.importorskip("torch")

UNARY = ["exp_tanh", "log_sq1", "tanh", "sigmoid", "relu", "neg", "pow2", "pow3",
         "sqrt_sq1", "log_softmax"]
SHAPE = ["sum", "mean", "reshape", "transpose", "index"]
BINARY = ["add", "sub", "mul", "div_sq1"]


def _torch_index(index):
    if isinstance(index, tuple):
        return tuple(_torch_index(i) for i in index)
    if isinstance(index, np.ndarray):
        return torch.from_numpy(index)
    return index


def _negative_step(index) -> bool:
    parts = index if isinstance(index, tuple) else (index,)
    return any(isinstance(p, slice) and p.step is not None and p.step < 0 for p in parts)


def _step(data: st.DataObject, name: str, a, t, leaf_b, leaf_t):
    """Apply one operation to the bc tensor ``a`` and the torch tensor ``t`` alike."""
    if name == "exp_tanh":
        return a.tanh().exp(), t.tanh().exp()
    if name == "log_sq1":
        return (a * a + 1.0).log(), (t * t + 1.0).log()
    if name == "tanh":
        return a.tanh(), t.tanh()
    if name == "sigmoid":
        return a.sigmoid(), t.sigmoid()
    if name == "relu":
        return a.relu(), t.relu()
    if name == "neg":
        return -a, -t
    if name == "pow2":
        return a ** 2, t ** 2
    if name == "pow3":
        return a ** 3, t ** 3
    if name == "sqrt_sq1":
        return (a * a + 1.0) ** 0.5, (t * t + 1.0) ** 0.5
    if name == "log_softmax":
        axis = data.draw(st.integers(-max(a.ndim, 1), max(a.ndim, 1) - 1), label="axis")
        return a.log_softmax(axis), torch.log_softmax(t, dim=axis)
    if name in ("sum", "mean"):
        axis = data.draw(axes(a.ndim), label="axis")
        keep = data.draw(st.booleans(), label="keepdims")
        if axis == ():
            return a, t
        dim = tuple(range(t.ndim)) if axis is None else axis
        if name == "mean":
            return a.mean(axis=axis, keepdims=keep), t.mean(dim=dim, keepdim=keep)
        return a.sum(axis=axis, keepdims=keep), t.sum(dim=dim, keepdim=keep)
    if name == "reshape":
        return a.reshape(-1), t.reshape(-1)
    if name == "transpose":
        return a.T, t.permute(tuple(reversed(range(t.ndim))))
    if name == "index":
        index = data.draw(indices(a.shape), label="index")
        assume(not _negative_step(index))
        return a[index], t[_torch_index(index)]
    # binary, with the second leaf broadcast against the current value
    b, u = leaf_b, leaf_t
    if name == "add":
        return a + b, t + u
    if name == "sub":
        return b - a, u - t
    if name == "mul":
        return a * b, t * u
    return a / (b * b + 1.0), t / (u * u + 1.0)  # div_sq1


def _pair(x: np.ndarray, dtype=np.float64):
    x = x.astype(dtype)
    return bc.Tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)


def _leaves(data: st.DataObject, pair_of_shapes, dtype=np.float64) -> tuple:
    """Two leaves, each as a bc tensor and a torch tensor, of the drawn pair of shapes."""
    shape_a, shape_b = data.draw(pair_of_shapes, label="shapes")
    a, t = _pair(data.draw(arrays(shape_a), label="a"), dtype)
    b, u = _pair(data.draw(arrays(shape_b), label="b"), dtype)
    return a, t, b, u


def _close(ours: np.ndarray, theirs, rtol: float, what: str) -> None:
    theirs = theirs.detach().numpy()
    assert ours.shape == theirs.shape, f"{what}: shape {ours.shape} vs torch {theirs.shape}"
    np.testing.assert_allclose(ours, theirs, rtol=rtol, atol=rtol, err_msg=what)


@settings(max_examples=120)
@given(st.data())
def test_random_programs_agree_with_pytorch(data: st.DataObject) -> None:
    a, t, b, u = _leaves(data, broadcastable_shapes())
    x, y = a, t
    names = data.draw(st.lists(st.sampled_from(UNARY + SHAPE + BINARY), min_size=1,
                               max_size=5), label="program")
    for name in names:
        if name in BINARY:
            try:
                np.broadcast_shapes(x.shape, b.shape)
            except ValueError:
                continue
        x, y = _step(data, name, x, y, b, u)
        if x.size == 0:  # an empty selection: both must agree on its shape
            assert x.shape == tuple(y.shape)
            return
    _close(x.data, y, 1e-12, f"forward of {names}")
    seed = np.random.default_rng(0).standard_normal(x.shape)
    (x * seed).sum().backward()
    (y * torch.from_numpy(seed)).sum().backward()
    for ours, leaf in ((a, t), (b, u)):
        expected = torch.zeros_like(leaf) if leaf.grad is None else leaf.grad
        got = np.zeros_like(ours.data) if ours.grad is None else ours.grad
        _close(got, expected, 1e-10, f"gradient of {names}")


@settings(max_examples=60)
@given(st.data())
def test_matmul_with_vectors_and_batches_agrees_with_pytorch(data: st.DataObject) -> None:
    a, t, b, u = _leaves(data, matmul_shapes())
    z, w = (a @ b).tanh(), (t @ u).tanh()
    _close(z.data, w, 1e-12, "matmul forward")
    z.sum().backward()
    w.sum().backward()
    _close(a.grad, t.grad, 1e-10, "d/dA")
    _close(b.grad, u.grad, 1e-10, "d/dB")


@settings(max_examples=40)
@given(st.data())
def test_second_derivatives_agree_with_pytorch(data: st.DataObject) -> None:
    shape = data.draw(shapes(min_dims=0, max_dims=2), label="shape")
    x = data.draw(arrays(shape), label="x")
    v = data.draw(arrays(shape), label="v")
    kind = data.draw(st.sampled_from(["tanh_mul", "softmax", "sigmoid_pow", "log_sq1"]),
                     label="function")

    def f(z, lib):
        if kind == "tanh_mul":
            return (z.tanh() * z).sum()
        if kind == "softmax":
            return (z.log_softmax(-1) * z).sum() if lib == "bc" else (
                torch.log_softmax(z, -1) * z).sum()
        if kind == "sigmoid_pow":
            return (z.sigmoid() ** 3).sum()
        return ((z * z + 1.0).log() * z).sum()

    ours_hv = higher.hvp(lambda z: f(z, "bc"), x, v)
    _, theirs_hv = torch.autograd.functional.hvp(lambda z: f(z, "torch"), torch.tensor(x),
                                                 torch.tensor(v))
    _close(np.asarray(ours_hv), theirs_hv, 1e-10, f"Hv of {kind}")
    if x.size <= 6:
        ours_h = higher.hessian(lambda z: f(z, "bc"), x)
        theirs_h = torch.autograd.functional.hessian(lambda z: f(z, "torch"), torch.tensor(x))
        _close(ours_h, theirs_h.reshape(x.size, x.size), 1e-10, f"Hessian of {kind}")
    xt = bc.Tensor(x, requires_grad=True)
    g = higher.grad(f(xt, "bc"), xt, create_graph=True)
    tt = torch.tensor(x, requires_grad=True)
    (gt,) = torch.autograd.grad(f(tt, "torch"), tt, create_graph=True)
    _close(g.data, gt, 1e-12, f"higher.grad of {kind}")


@settings(max_examples=40)
@given(st.data())
def test_fused_losses_agree_with_pytorch(data: st.DataObject) -> None:
    n, c = data.draw(st.integers(1, 5), label="N"), data.draw(st.integers(2, 5), label="C")
    logits = data.draw(arrays((n, c), st.floats(-30, 30)), label="logits")
    labels = np.array(data.draw(st.lists(st.integers(0, c - 1), min_size=n, max_size=n)))
    z, zt = _pair(logits)
    loss, loss_t = losses.cross_entropy(z, labels), torch.nn.functional.cross_entropy(
        zt, torch.from_numpy(labels))
    _close(np.asarray(loss.data), loss_t, 1e-12, "cross_entropy")
    loss.backward()
    loss_t.backward()
    _close(z.grad, zt.grad, 1e-10, "d cross_entropy")
    targets = data.draw(arrays((n, c), st.sampled_from([0.0, 1.0, 0.25])), label="targets")
    z, zt = _pair(logits)
    bce = losses.binary_cross_entropy(z, targets)
    bce_t = torch.nn.functional.binary_cross_entropy_with_logits(zt, torch.from_numpy(targets))
    _close(np.asarray(bce.data), bce_t, 1e-12, "binary_cross_entropy")
    bce.backward()
    bce_t.backward()
    _close(z.grad, zt.grad, 1e-10, "d binary_cross_entropy")


@settings(max_examples=30)
@given(st.data())
def test_float32_stays_float32_like_pytorch(data: st.DataObject) -> None:
    a, t, b, u = _leaves(data, broadcastable_shapes(), np.float32)
    z = ((a * b + 2.0).tanh() * 3 - b / 4.0).sigmoid().sum()
    w = ((t * u + 2.0).tanh() * 3 - u / 4.0).sigmoid().sum()
    assert z.dtype == np.float32 and w.dtype == torch.float32
    _close(np.asarray(z.data), w, 1e-5, "float32 forward")
    z.backward()
    w.backward()
    assert a.grad.dtype == np.float32 and b.grad.dtype == np.float32
    _close(a.grad, t.grad, 1e-5, "float32 d/da")
    _close(b.grad, u.grad, 1e-5, "float32 d/db")
