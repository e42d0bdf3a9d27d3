"""The symbolic dense network of chapter 5: shapes, the loss, its gradients, the four equations."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

import backprop_course as bc
from backprop_course import layers
from backprop_course.symbolic import dense_network, lambdify

FORWARD = {"sigmoid": layers.sigmoid_forward, "tanh": layers.tanh_forward}


def _random_parameters(sizes, rng):
    weights = [rng.normal(size=(m, n)) for m, n in zip(sizes[:-1], sizes[1:], strict=True)]
    biases = [rng.normal(0.0, 0.5, size=n) for n in sizes[1:]]
    return weights, biases


def _package_loss_and_grads(weights, biases, x, y, activations):
    """Forward and backward through the package's layers: the trusted implementation."""
    a, caches = x, []
    for W, b, name in zip(weights, biases, activations, strict=True):
        z, dense_cache = layers.dense_forward(a, W, b)
        a, act_cache = (z, None) if name == "identity" else FORWARD[name](z)
        caches.append((dense_cache, act_cache, name))
    loss, loss_cache = layers.mse_forward(a, y)
    grad, grads = layers.mse_backward(1.0, loss_cache), []
    for dense_cache, act_cache, name in reversed(caches):
        if name == "sigmoid":
            grad = layers.sigmoid_backward(grad, act_cache)
        elif name == "tanh":
            grad = layers.tanh_backward(grad, act_cache)
        grad, dW, db = layers.dense_backward(grad, dense_cache)
        grads = [dW, db, *grads]
    return loss, grads, grad


def test_shapes_and_names() -> None:
    net = dense_network((2, 3, 2), n_samples=2)
    assert net.n_layers == 2 and net.n_samples == 2
    assert net.x.shape == (2, 2) and net.y.shape == (2, 2)
    assert net.W(1).shape == (2, 3) and net.W(2).shape == (3, 2)
    assert net.b(1).shape == (1, 3) and net.b(2).shape == (1, 2)
    assert net.z(1).shape == net.a(1).shape == (2, 3)
    assert net.a(0) == net.x
    assert sp.latex(net.W(1)[0, 1]) == "W^{1}_{12}"
    assert sp.latex(net.x[1, 0]) == "x_{2,1}"
    assert sp.latex(net.b(2)[0, 1]) == "b^{2}_{2}"
    assert sp.latex(net.symbols("z", 2)[0, 1]) == "z^{2}_{1,2}"
    one = dense_network((2, 3, 2))
    assert [str(s) for s in one.x] == ["x_{1}", "x_{2}"]
    assert one.loss.free_symbols == set(one.variables)
    assert len(one.parameters) == 2 * 3 + 3 + 3 * 2 + 2


def test_the_first_pre_activation_is_a_weighted_sum() -> None:
    net = dense_network((2, 3))
    x1, x2 = net.x
    W = net.W(1)
    assert sp.expand(net.z(1)[0, 2] - (x1 * W[0, 2] + x2 * W[1, 2] + net.b(1)[0, 2])) == 0


@pytest.mark.parametrize(
    ("sizes", "activation", "n_samples"),
    [
        ((2, 3, 2), "sigmoid", 1),
        ((2, 3, 2), "sigmoid", 2),
        ((3, 2), "tanh", 3),
        ((2, 2, 1), ("sigmoid", "identity"), 2),
        ((1, 2, 2, 1), ("tanh", "sigmoid", "identity"), 1),
    ],
)
def test_loss_and_gradients_match_the_package_layers(sizes, activation, n_samples) -> None:
    rng = np.random.default_rng(len(sizes) + n_samples)
    net = dense_network(sizes, activation=activation, n_samples=n_samples)
    weights, biases = _random_parameters(sizes, rng)
    x, y = rng.normal(size=(n_samples, sizes[0])), rng.normal(size=(n_samples, sizes[-1]))
    args = net.arguments(weights, biases, x, y)
    loss, grads, dx = _package_loss_and_grads(weights, biases, x, y, net.activations)
    assert lambdify(net.loss, net.variables)(*args) == pytest.approx(loss, rel=1e-12)
    symbols = [m for W, b in zip(net.weights, net.biases, strict=True) for m in (W, b)]
    wrt = [*symbols, net.x]
    # one NumPy function for every gradient; cse shares the repeated subexpressions
    grad_fn = sp.lambdify(net.variables, [net.gradient(m) for m in wrt], cse=True)
    for value, grad in zip(grad_fn(*args), [*grads, dx], strict=True):
        value = np.asarray(value, dtype=float)
        assert bc.rel_error(value.reshape(grad.shape), grad) < 1e-10


def test_gradient_matches_central_differences() -> None:
    rng = np.random.default_rng(7)
    net = dense_network((2, 2, 1), n_samples=2)
    weights, biases = _random_parameters(net.sizes, rng)
    x, y = rng.normal(size=(2, 2)), rng.normal(size=(2, 1))
    loss = lambdify(net.loss, net.variables)

    def loss_of_W1(W1):
        return loss(*net.arguments([W1, weights[1]], biases, x, y))

    dW1 = lambdify(net.gradient(net.W(1)), net.variables)
    symbolic = dW1(*net.arguments(weights, biases, x, y))
    numerical = bc.numerical_gradient(loss_of_W1, weights[0])
    assert bc.rel_error(np.asarray(symbolic, dtype=float), numerical) < 1e-7


def test_loss_from_z_is_the_loss_above_that_layer() -> None:
    net = dense_network((2, 3, 2), n_samples=2)
    for layer in (1, 2):
        Z, loss = net.loss_from_z(layer)
        assert Z.shape == net.z(layer).shape
        back_in = loss.xreplace(dict(zip(Z, net.z(layer), strict=True)))
        assert sp.expand(back_in - net.loss) == 0


def test_sigma_prime_is_the_derivative() -> None:
    net = dense_network((1, 1, 1), activation=("sigmoid", "tanh"))
    t = sp.Symbol("t", real=True)
    m = sp.Matrix([[t]])
    s = net.sigma(1, m)[0]
    assert sp.simplify(net.sigma_prime(1, m)[0] - s * (1 - s)) == 0
    assert sp.simplify(net.sigma_prime(2, m)[0] - (1 - sp.tanh(t) ** 2)) == 0
    assert dense_network((1, 1), activation="identity").sigma_prime(1, m)[0] == 1


def test_the_four_equations_hold() -> None:
    """Chapter 5's equations, checked against the written-out loss as the chapter does."""
    net = dense_network((2, 3, 2), n_samples=2)
    ones = sp.ones(1, net.n_samples)
    deltas = {}
    for layer in (2, 1):
        Z, loss = net.loss_from_z(layer)
        deltas[layer] = Z.applyfunc(lambda s, loss=loss: sp.diff(loss, s))
        if layer == 2:  # (1) the output error
            A = net.symbols("a", 2)
            loss_of_a = net.loss_of(A)
            dL_da = A.applyfunc(lambda s, f=loss_of_a: sp.diff(f, s))
            dL_da = dL_da.xreplace(dict(zip(A, net.sigma(2, Z), strict=True)))
            formula = dL_da.multiply_elementwise(net.sigma_prime(2, Z))
        else:  # (2) the error passed back
            Z2 = net.symbols("z", 2)
            delta2 = deltas[2].xreplace(dict(zip(Z2, net.dense(2, net.sigma(1, Z)), strict=True)))
            formula = (delta2 * net.W(2).T).multiply_elementwise(net.sigma_prime(1, Z))
        assert (deltas[layer] - formula).expand() == sp.zeros(*Z.shape)
    for layer in (1, 2):
        Z = net.symbols("z", layer)
        delta = deltas[layer].xreplace(dict(zip(Z, net.z(layer), strict=True)))
        db, dW = net.gradient(net.b(layer)), net.gradient(net.W(layer))
        assert (db - ones * delta).expand() == sp.zeros(*db.shape)  # (3)
        assert (dW - net.a(layer - 1).T * delta).expand() == sp.zeros(*dW.shape)  # (4)


def test_arguments_checks_shapes() -> None:
    net = dense_network((2, 3, 2))
    rng = np.random.default_rng(0)
    weights, biases = _random_parameters(net.sizes, rng)
    x, y = rng.normal(size=(1, 2)), rng.normal(size=(1, 2))
    assert len(net.arguments(weights, biases, x, y)) == len(net.variables)
    with pytest.raises(ValueError, match=r"W1 must have shape \(2, 3\)"):
        net.arguments([weights[0].T, weights[1]], biases, x, y)
    with pytest.raises(ValueError, match=r"x must have shape \(1, 2\)"):
        net.arguments(weights, biases, x.ravel(), y)
    with pytest.raises(ValueError, match="2 weight matrices"):
        net.arguments(weights[:1], biases, x, y)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"sizes": (2,)}, "at least two"),
        ({"sizes": (2, 0)}, "positive ints"),
        ({"sizes": (2, 1.5)}, "positive ints"),
        ({"sizes": (2, 3), "activation": "relu"}, "unknown activation 'relu'"),
        ({"sizes": (2, 3, 1), "activation": ("sigmoid",)}, "2 layers need 2 activations"),
        ({"sizes": (2, 3), "n_samples": 0}, "n_samples"),
    ],
)
def test_bad_arguments_are_explained(kwargs, match) -> None:
    with pytest.raises(ValueError, match=match):
        dense_network(**kwargs)


def test_layer_numbers_are_checked() -> None:
    net = dense_network((2, 3, 2))
    with pytest.raises(ValueError, match="from 1 to 2"):
        net.W(0)
    with pytest.raises(ValueError, match="from 0 to 2"):
        net.a(3)
    with pytest.raises(ValueError, match=r"shape \(1, 2\)"):
        net.loss_of(sp.zeros(2, 2))
