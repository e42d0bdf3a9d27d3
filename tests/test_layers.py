"""Every forward/backward pair of layers.py against central differences, and its bad inputs."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import backprop_course as bc
from backprop_course import layers

RNG = np.random.default_rng(0)


def check_pair(forward, backward, inputs, dout=None):
    """Compare backward with central differences of <forward(...), dout> for every input."""
    out, cache = forward(*inputs)
    dout = RNG.normal(size=np.shape(out)) if dout is None else dout
    grads = backward(dout, cache)
    grads = grads if isinstance(grads, tuple) else (grads,)
    for i, g in enumerate(grads):

        def f(xi, i=i):
            args = list(inputs)
            args[i] = xi
            return float(np.sum(forward(*args)[0] * dout))

        numerical = bc.numerical_gradient(f, inputs[i])
        assert g.shape == np.shape(inputs[i])
        # relative 1e-6, with an absolute floor for entries near zero, where the
        # central difference's round-off (about 1e-10 here) dominates
        np.testing.assert_allclose(g, numerical, rtol=1e-6, atol=1e-8, err_msg=f"input {i}")


@given(st.integers(1, 5), st.integers(1, 4), st.integers(1, 4), st.integers(0, 10_000))
def test_dense(n: int, d_in: int, d_out: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    x, W, b = rng.normal(size=(n, d_in)), rng.normal(size=(d_in, d_out)), rng.normal(size=d_out)
    check_pair(layers.dense_forward, layers.dense_backward, [x, W, b])


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu"])
def test_activations(name: str) -> None:
    z = RNG.normal(size=(4, 3))
    z[np.abs(z) < 0.05] = 0.5  # away from ReLU's kink
    forward, backward = getattr(layers, f"{name}_forward"), getattr(layers, f"{name}_backward")
    check_pair(forward, backward, [z])


def test_sigmoid_is_stable() -> None:
    a, _ = layers.sigmoid_forward(np.array([-1000.0, 0.0, 1000.0]))
    np.testing.assert_array_equal(a, [0.0, 0.5, 1.0])


def test_softmax_cross_entropy_matches_its_definition() -> None:
    logits, labels = RNG.normal(size=(5, 4)), np.array([0, 3, 1, 1, 2])
    loss, _ = layers.softmax_cross_entropy_forward(logits, labels)
    p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    assert np.isclose(loss, -np.log(p[np.arange(5), labels]).mean(), rtol=1e-13)
    check_pair(
        lambda z: layers.softmax_cross_entropy_forward(z, labels),
        layers.softmax_cross_entropy_backward, [logits], dout=1.0,
    )


def test_softmax_cross_entropy_is_stable_for_huge_logits() -> None:
    logits = np.array([[1000.0, -1000.0, 0.0], [-1000.0, 1000.0, 999.0]])
    loss, cache = layers.softmax_cross_entropy_forward(logits, np.array([0, 2]))
    assert np.isfinite(loss) and np.isclose(loss, 0.5 * (1.0 + np.log1p(np.exp(-1.0))))
    dlogits = layers.softmax_cross_entropy_backward(1.0, cache)
    assert np.isfinite(dlogits).all()
    np.testing.assert_allclose(dlogits.sum(axis=1), 0.0, atol=1e-15)


def test_mse() -> None:
    pred, target = RNG.normal(size=(6, 2)), RNG.normal(size=(6, 2))
    loss, _ = layers.mse_forward(pred, target)
    assert np.isclose(loss, np.mean((pred - target) ** 2))
    check_pair(lambda p: layers.mse_forward(p, target), layers.mse_backward, [pred], dout=1.0)


def test_dense_shape_errors_name_the_shapes() -> None:
    with pytest.raises(ValueError, match=r"cannot multiply x \(2, 3\) @ W \(2, 3\)"):
        layers.dense_forward(np.zeros((2, 3)), np.zeros((2, 3)), np.zeros(3))
    with pytest.raises(ValueError, match="b has shape"):
        layers.dense_forward(np.zeros((2, 3)), np.zeros((3, 4)), np.zeros(3))
    with pytest.raises(ValueError, match="dout has shape"):
        _, cache = layers.dense_forward(np.zeros((2, 3)), np.zeros((3, 4)), np.zeros(4))
        layers.dense_backward(np.zeros((3, 4)), cache)
    with pytest.raises(TypeError, match="real numbers"):
        layers.dense_forward(np.array([["a"]]), np.zeros((1, 1)), np.zeros(1))
    with pytest.raises(ValueError, match="NaN"):
        layers.relu_forward(np.array([np.nan]))


@pytest.mark.parametrize(
    ("labels", "message"),
    [
        (np.array([0, 3]), "out of range"),
        (np.array([0, -1]), "out of range"),
        (np.array([0, 1, 2]), "different batch sizes"),
        (np.array([0.5, 1.0]), "integer"),
        (np.array([[0, 1]]), "1-D"),
    ],
)
def test_bad_labels(labels: np.ndarray, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        layers.softmax_cross_entropy_forward(np.zeros((2, 3)), labels)


def test_the_cs231n_names_of_the_dense_layer_still_work_with_a_deprecation_warning() -> None:
    x, W, b = np.ones((2, 3)), np.ones((3, 4)), np.zeros(4)
    with pytest.warns(DeprecationWarning, match="dense_forward"):
        out, cache = layers.dense.affine_forward(x, W, b)
    assert out.tolist() == [[3.0] * 4] * 2
    with pytest.warns(DeprecationWarning, match="dense_backward"):
        dx, dW, db = layers.dense.affine_backward(np.ones((2, 4)), cache)
    assert dx.shape == (2, 3) and dW.shape == (3, 4) and db.tolist() == [2.0] * 4
