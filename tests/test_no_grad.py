"""``bc.no_grad()``: nothing computed inside records a graph, as with ``torch.no_grad``."""

from __future__ import annotations

import numpy as np
import pytest

import backprop_course as bc
from backprop_course.scalar import topological_order
from backprop_course.tensor import Tensor


def test_results_inside_require_no_gradient_and_have_no_inputs():
    W = Tensor(np.ones((3, 2)), requires_grad=True)
    x = Tensor(np.arange(3.0))
    with bc.no_grad():
        y = (x @ W).tanh().sum()
        z = bc.nn.linear(x, W).sigmoid()
        loss = bc.losses.cross_entropy(z.reshape(1, 2), np.array([1]))
    for t in (y, z, loss):
        assert not t.requires_grad and t._prev == ()
    assert W.requires_grad  # the parameters are unchanged
    assert np.isclose(y.item(), np.tanh(np.arange(3.0) @ np.ones((3, 2))).sum())


def test_recording_resumes_after_the_block_even_after_an_error():
    W = Tensor([2.0], requires_grad=True)
    with pytest.raises(ZeroDivisionError):
        with bc.no_grad():
            raise ZeroDivisionError
    out = (W * W).sum()
    out.backward()
    assert out.requires_grad and np.array_equal(W.grad, [4.0])


def test_blocks_nest():
    W = Tensor([1.0], requires_grad=True)
    with bc.no_grad():
        with bc.no_grad():
            pass
        assert not (W * 2.0).requires_grad  # still off after the inner block
    assert (W * 2.0).requires_grad


def test_a_model_evaluated_inside_builds_no_graph():
    model = bc.nn.MLP([4, 8, 3], rng=0)
    X = np.random.default_rng(0).normal(size=(5, 4))
    with bc.no_grad():
        out = model(X)
    assert len(topological_order(out)) == 1
    assert np.allclose(out.data, model(X).data)  # the same numbers as with a graph


def test_backward_from_inside_says_why():
    W = Tensor([1.0], requires_grad=True)
    with bc.no_grad():
        out = (W * 3.0).sum()
    with pytest.raises(bc.BackwardError, match="no_grad"):
        out.backward()
