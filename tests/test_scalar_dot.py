"""``bc.scalar.dot``: a neuron's weighted sum as one node, equal to the chain of ``*`` and ``+``."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import floats

import backprop_course as bc
from backprop_course.scalar import Value, dot, topological_order


@given(
    st.integers(1, 6).flatmap(
        lambda n: st.tuples(
            st.lists(floats(), min_size=n, max_size=n),
            st.lists(floats(), min_size=n, max_size=n),
            floats(),
            st.lists(st.booleans(), min_size=n, max_size=n),
        )
    )
)
def test_gradients_match_central_differences(case):
    w, x, b, x_is_value = case
    ws, bv = [Value(v) for v in w], Value(b)
    xs = [Value(v) if keep else v for v, keep in zip(x, x_is_value, strict=True)]
    out = dot(ws, xs, bv).tanh()  # a nonlinearity after it, so grad != 1
    out.backward()
    flat = np.array([*w, *x, b])
    n = len(w)

    def f(p):
        return math.tanh(float(p[:n] @ p[n : 2 * n]) + p[-1])

    numeric = bc.numerical_gradient(f, flat)
    got_x = [v.grad if isinstance(v, Value) else numeric[n + i] for i, v in enumerate(xs)]
    got = np.array([*(v.grad for v in ws), *got_x, bv.grad])
    assert np.abs(got - numeric).max() < 1e-6


def test_same_value_and_gradients_as_the_chain_of_ops():
    rng = np.random.default_rng(0)
    w, x = rng.normal(size=8), rng.normal(size=8)
    fused_w, chain_w = [Value(v) for v in w], [Value(v) for v in w]
    fused = dot(fused_w, list(x), 0.5).sigmoid()
    chain = Value(0.5)
    for wi, xi in zip(chain_w, x, strict=True):
        chain = chain + wi * float(xi)
    chain = chain.sigmoid()
    fused.backward()
    chain.backward()
    assert math.isclose(fused.data, chain.data, rel_tol=1e-14)
    assert np.allclose([v.grad for v in fused_w], [v.grad for v in chain_w], rtol=1e-13)


def test_one_node_and_no_nodes_for_numbers():
    ws = [Value(1.0), Value(2.0)]
    out = dot(ws, [3.0, 4.0])
    assert out.op == "dot" and out.data == 11.0
    assert out.children == tuple(ws)  # the numbers and the default bias made no node
    assert len(topological_order(out)) == 3


def test_a_value_used_twice_gets_both_contributions():
    v = Value(3.0)
    out = dot([v, v], [v, 2.0])  # v*v + 2v: d/dv = 2v + 2 = 8
    out.backward()
    assert out.data == 15.0 and v.grad == 8.0


def test_bad_input():
    with pytest.raises(ValueError, match="as many weights as inputs, got 2 and 3"):
        dot([Value(1.0), Value(2.0)], [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="NaN"):
        dot([Value(1.0)], [float("nan")])
    with pytest.raises(TypeError, match="an input must be a Value or a real number, got str"):
        dot([Value(1.0)], ["1"])
    with pytest.raises(TypeError, match="the bias"):
        dot([Value(1.0)], [1.0], bias=None)
