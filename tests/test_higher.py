"""Higher-order gradients: ``higher.grad(create_graph=True)``, ``hvp`` and ``hessian``.

Every second derivative is checked against something that does not use the
rules under test: the exact SymPy Hessian of the same network, central
differences of first-order gradients from ``Tensor.backward``, and PyTorch's
double backward when PyTorch is installed.
"""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st
from numeric import fd_hvp, gradient_of
from strategies import evaluate, scalar_expressions

import backprop_course as bc
from backprop_course import higher
from backprop_course.checkpoint import checkpoint
from backprop_course.tensor import Tensor


def fd_error(exact, approx):
    """The error of a whole vector, relative to its norm: central differences leave noise of
    about 1e-11 on entries that are exactly 0, which elementwise errors would magnify."""
    exact, approx = np.ravel(exact), np.ravel(approx)
    return np.linalg.norm(exact - approx) / max(np.linalg.norm(exact), 1e-300)


def flat(arrays):
    return np.concatenate([np.ravel(a) for a in arrays])


# ----------------------------------------------------- first order agrees
def test_grad_equals_backward_on_a_network():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(6, 3)), rng.integers(0, 4, 6)
    W1, b1 = Tensor(rng.normal(size=(3, 5)), True), Tensor(rng.normal(size=5), True)
    W2, b2 = Tensor(rng.normal(size=(5, 4)), True), Tensor(rng.normal(size=4), True)
    loss = bc.losses.cross_entropy(bc.nn.linear((X @ W1 + b1).relu(), W2, b2), y)
    by_grad = higher.grad(loss, [W1, b1, W2, b2])
    loss.backward()
    for g, p in zip(by_grad, [W1, b1, W2, b2], strict=True):
        assert not g.requires_grad  # create_graph=False: detached
        assert bc.rel_error(g.data, p.grad) < 1e-13


def test_grad_reads_and_writes_no_dot_grad():
    x = Tensor([1.0, 2.0], requires_grad=True)
    x.grad = np.array([5.0, 5.0])
    g = higher.grad((x * x).sum(), x)
    assert np.array_equal(g.data, [2.0, 4.0]) and np.array_equal(x.grad, [5.0, 5.0])


def test_unused_input_gets_zeros_and_single_input_gives_a_tensor():
    x, z = Tensor([1.0, 2.0], True), Tensor(np.ones((2, 2)), True)
    gx, gz = higher.grad((x * 3.0).sum(), [x, z])
    assert np.array_equal(gx.data, [3.0, 3.0]) and np.array_equal(gz.data, np.zeros((2, 2)))
    assert isinstance(higher.grad((x * 3.0).sum(), x), Tensor)


def test_create_graph_gives_differentiable_gradients():
    x = Tensor([0.3, -1.2], requires_grad=True)
    (g,) = higher.grad((x**3).sum(), [x], create_graph=True)
    assert g.requires_grad
    (g2,) = higher.grad(g.sum(), [x], create_graph=True)  # d/dx sum(3x^2) = 6x
    (g3,) = higher.grad(g2.sum(), [x])  # third derivative: 6
    assert np.allclose(g2.data, 6 * x.data) and np.allclose(g3.data, [6.0, 6.0])


def test_grad_output_seeds_a_vector_jacobian_product():
    x = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    u = np.array([1.0, -1.0, 0.5])
    (g,) = higher.grad(x.exp(), [x], grad_output=u)
    assert np.allclose(g.data, u * np.exp(x.data))


# ----------------------------------------------- against the SymPy Hessian
def _symbolic_network():
    """A 2-2-1 tanh network's squared error on one sample, with 9 symbolic parameters."""
    w = sp.symbols("w0:9")
    x0, x1, t = sp.Rational(1, 2), sp.Rational(-3, 4), sp.Rational(1, 3)
    h0 = sp.tanh(w[0] * x0 + w[1] * x1 + w[2])
    h1 = sp.tanh(w[3] * x0 + w[4] * x1 + w[5])
    out = sp.tanh(w[6] * h0 + w[7] * h1 + w[8])
    loss = (out - t) ** 2 / 2
    return w, sp.lambdify([w], sp.hessian(loss, w), "numpy")


def _tensor_network(theta: Tensor) -> Tensor:
    x = np.array([[0.5, -0.75]])
    W1 = theta[np.array([0, 1, 3, 4])].reshape(2, 2).T  # columns: units
    b1 = theta[np.array([2, 5])]
    h = (x @ W1 + b1).tanh()
    out = (h @ theta[6:8].reshape(2, 1) + theta[8]).tanh()
    return ((out - 1 / 3) ** 2).sum() * 0.5


def test_hessian_equals_sympy_hessian():
    _, sym_hessian = _symbolic_network()
    rng = np.random.default_rng(1)
    for _ in range(3):
        theta = rng.normal(size=9)
        exact = np.array(sym_hessian(theta), dtype=float)
        assert bc.rel_error(higher.hessian(_tensor_network, theta), exact) < 1e-12
        v = rng.normal(size=9)
        assert bc.rel_error(higher.hvp(_tensor_network, theta, v), exact @ v) < 1e-12


# ----------------------------------------- against differences of gradients
def _random_mlp(rng, n_samples, n_in, n_hidden, n_classes):
    """A sigmoid MLP's cross-entropy on random data, and random parameters for it."""
    X, y = rng.normal(size=(n_samples, n_in)), rng.integers(0, n_classes, n_samples)

    def loss(W1, b1, W2, b2):
        hidden = (X @ W1 + b1).sigmoid()
        return bc.losses.cross_entropy(bc.nn.linear(hidden, W2, b2), y)

    shapes = [(n_in, n_hidden), (n_hidden,), (n_hidden, n_classes), (n_classes,)]
    return loss, [rng.normal(size=s) for s in shapes]


def test_hvp_of_an_mlp_matches_differences_of_gradients():
    f, params = _random_mlp(np.random.default_rng(2), 8, 4, 6, 3)
    rng = np.random.default_rng(5)
    vectors = [rng.normal(size=p.shape) for p in params]
    exact = higher.hvp(f, params, vectors)
    assert [e.shape for e in exact] == [p.shape for p in params]
    assert fd_error(flat(exact), flat(fd_hvp(f, params, vectors))) < 1e-8


def test_hessian_is_symmetric_and_agrees_with_hvp():
    rng = np.random.default_rng(3)
    f, params = _random_mlp(rng, 5, 2, 3, 2)
    Hm = higher.hessian(f, params)
    assert Hm.shape == (17, 17)
    assert np.abs(Hm - Hm.T).max() < 1e-12
    v = [rng.normal(size=p.shape) for p in params]
    assert bc.rel_error(Hm @ flat(v), flat(higher.hvp(f, params, v))) < 1e-12


@pytest.mark.parametrize(
    "name, f",
    [
        (
            "binary cross-entropy",
            lambda z: bc.losses.binary_cross_entropy(z, np.array([[1.0, 0.0], [0.0, 1.0]])),
        ),
        ("mse", lambda z: bc.losses.mse(z.tanh(), np.ones((2, 2)))),
        ("log_softmax rows", lambda z: (z.log_softmax(axis=0) * z).sum()),
        ("division", lambda z: (z / (z * z + 1.0)).sum() + (2.0 / (z * z + 3.0)).mean()),
        ("powers", lambda z: ((z * z + 1.0) ** 0.5).sum() + (z**3).sum() + (z**0).sum()),
        ("tensor power", lambda z: ((z * z + 1.0) ** z).sum()),
        ("exp log", lambda z: (z.exp() + (z * z + 1.0).log()).sum()),
        ("relu", lambda z: (z.relu() ** 3).sum()),
        ("sum keepdims", lambda z: (z.sum(axis=1, keepdims=True) * z).sum() + z.sum(0).sum()),
        ("transpose", lambda z: (z.T @ z.tanh()).sum()),
        ("indexing", lambda z: (z[np.array([0, 0, 1]), np.array([1, 1, 0])] ** 3).sum()),
        ("slices", lambda z: (z[:, :1] * z[1:, :]).sum()),
        ("vector @ vector", lambda z: z[0] @ z[1].sigmoid()),
        ("vector @ matrix", lambda z: (z[0] @ (z * z)).sum()),
        ("matrix @ vector", lambda z: ((z * z) @ z[1]).sum()),
        ("batched @", lambda z: (z.reshape(1, 2, 2) @ z.exp()).sum()),
        ("linear 1-D", lambda z: bc.nn.linear(z[0], z * z, z[1]).tanh().sum()),
    ],
)
def test_every_operation_has_a_correct_rule(name, f):
    z = np.array([[0.4, -0.7], [1.1, 0.3]])
    v = np.array([[0.5, 1.0], [-1.0, 0.25]])
    exact = higher.hvp(f, z, v)
    approx = fd_hvp(f, [z], [v])[0]
    assert fd_error(exact, approx) < 1e-8, name


@given(scalar_expressions(max_depth=4), st.integers(0, 2**32 - 1))
def test_random_expressions(case, seed):
    xs, node = case
    x = np.array(xs)

    def f(t: Tensor) -> Tensor:
        return evaluate(node, [t[i] for i in range(len(xs))]) * 1.0

    v = np.random.default_rng(seed).normal(size=x.shape)
    exact = higher.hvp(f, x, v)
    approx = fd_hvp(f, [x], [v])[0]
    scale = max(1.0, np.abs(approx).max())
    assert np.abs(exact - approx).max() / scale < 1e-5, (node, exact, approx)


def test_float32_inputs():
    z = np.array([0.2, -0.4], dtype=np.float32)
    got = higher.hvp(lambda t: (t**3).sum(), z, np.ones(2))
    assert np.allclose(got, 6 * z, rtol=1e-5)


def test_a_linear_function_has_a_zero_hessian():
    c = np.array([1.0, 2.0])
    assert np.array_equal(higher.hvp(lambda t: (t * c).sum(), c, c), [0.0, 0.0])
    assert np.array_equal(higher.hessian(lambda t: (t * c).sum(), c), np.zeros((2, 2)))


def test_a_function_that_ignores_its_input_has_a_zero_hessian():
    def constant(t):
        return Tensor(np.ones(3)).sum()

    assert np.array_equal(higher.hvp(constant, np.ones(2), np.ones(2)), [0.0, 0.0])
    assert np.array_equal(higher.hessian(constant, np.ones(2)), np.zeros((2, 2)))
    with pytest.raises(ValueError, match=r"scalar .*shape \(2,\)"):
        higher.hessian(lambda t: t * t, np.ones(2))


def test_the_operator_reuses_one_gradient_graph():
    calls = []

    def f(t):
        calls.append(1)
        return (t.tanh() ** 2).sum()

    op = higher.hvp_operator(f, np.array([0.1, 0.2, 0.3]))
    basis = np.eye(3)
    rows = np.array([op(e) for e in basis])
    assert len(calls) == 1
    assert bc.rel_error(rows, higher.hessian(f, np.array([0.1, 0.2, 0.3]))) < 1e-13


# -------------------------------------------------------------- PyTorch
def test_matches_pytorch_double_backward():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(4)
    X, y = rng.normal(size=(7, 3)), rng.integers(0, 3, 7)
    params = [
        rng.normal(size=(3, 4)),
        rng.normal(size=4),
        rng.normal(size=(4, 3)),
        rng.normal(size=3),
    ]
    vectors = [rng.normal(size=p.shape) for p in params]

    def torch_loss(W1, b1, W2, b2):
        h = torch.tanh(torch.from_numpy(X) @ W1 + b1)
        return torch.nn.functional.cross_entropy(h @ W2 + b2, torch.from_numpy(y))

    def ours(W1, b1, W2, b2):
        return bc.losses.cross_entropy((X @ W1 + b1).tanh() @ W2 + b2, y)

    _, expected = torch.autograd.functional.hvp(
        torch_loss,
        tuple(torch.from_numpy(p) for p in params),
        tuple(torch.from_numpy(v) for v in vectors),
    )
    got = higher.hvp(ours, params, vectors)
    assert bc.rel_error(flat(got), flat([e.numpy() for e in expected])) < 1e-12


# ------------------------------------------------------------ bad input
def test_vector_of_the_wrong_shape_names_both_shapes():
    with pytest.raises(ValueError, match=r"vector 0 has shape \(3,\).*input has shape \(2,\)"):
        higher.hvp(lambda t: (t * t).sum(), np.ones(2), np.ones(3))


def test_wrong_number_of_vectors():
    with pytest.raises(ValueError, match="need 2 vectors"):
        higher.hvp(lambda a, b: (a * b).sum(), [np.ones(2), np.ones(2)], [np.ones(2)])


def test_nan_in_a_vector_or_an_input():
    with pytest.raises(ValueError, match="vector 0 contains 1 NaN"):
        higher.hvp(lambda t: (t * t).sum(), np.ones(2), np.array([1.0, np.nan]))
    with pytest.raises(ValueError, match="input 0 contains"):
        higher.hvp(lambda t: (t * t).sum(), np.array([np.inf, 1.0]), np.ones(2))


def test_f_must_return_a_scalar_tensor():
    with pytest.raises(ValueError, match=r"scalar .*shape \(2,\)"):
        higher.hvp(lambda t: t * t, np.ones(2), np.ones(2))
    with pytest.raises(TypeError, match="must return a Tensor, got float"):
        higher.hvp(lambda t: 1.0, np.ones(2), np.ones(2))


def test_grad_refuses_bad_calls():
    x = Tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(ValueError, match="input 0 .* does not require a gradient"):
        higher.grad((x * x).sum(), [Tensor([1.0])])
    with pytest.raises(bc.BackwardError, match="needs a scalar output"):
        higher.grad(x * x, [x])
    with pytest.raises(bc.BackwardError, match=r"grad_output has shape \(3,\)"):
        higher.grad(x * x, [x], grad_output=np.ones(3))
    with pytest.raises(bc.BackwardError, match="does not require a gradient"):
        higher.grad(Tensor([1.0]).sum(), [x])
    with pytest.raises(TypeError, match="not a Tensor"):
        higher.grad((x * x).sum(), [np.ones(2)])


def test_an_operation_without_a_rule_is_named():
    x = Tensor(np.ones((2, 3)), requires_grad=True)
    W = Tensor(np.ones((3, 3)), requires_grad=True)
    out = checkpoint(lambda t: (t @ W).tanh(), x).sum()
    out.backward()  # first order works
    with pytest.raises(NotImplementedError, match="'checkpoint'.*register_rule"):
        higher.grad(out, [x], create_graph=True)


def test_register_rule_for_a_new_operation():
    def square(t: Tensor) -> Tensor:
        out = Tensor.from_op(t.data**2, (t,), "square_test")
        if out.requires_grad:
            out._backward = lambda g: t.accumulate_grad(2 * g * t.data)
        return out

    with pytest.raises(NotImplementedError, match="square_test"):
        higher.hvp(lambda t: square(t).sum(), np.ones(2), np.ones(2))
    higher.register_rule("square_test", lambda out, g: (g * 2.0 * out._prev[0],))
    try:
        assert np.allclose(higher.hvp(lambda t: square(t).sum(), np.ones(2), np.ones(2)), 2.0)
    finally:
        del higher.RULES["square_test"]
    with pytest.raises(TypeError, match="callable"):
        higher.register_rule("x", 3)
    with pytest.raises(TypeError, match="operation name"):
        higher.register_rule("", lambda out, g: (g,))


@pytest.mark.parametrize(
    "rule, error, message",
    [
        (lambda out, g: (g.sum(),), ValueError, r"'faulty_test' gave a gradient of shape \(\)"),
        (lambda out, g: g * 2.0, TypeError, r"'faulty_test' returned a Tensor; .* tuple"),
        (lambda out, g: (g, g), ValueError, r"returned 2 gradient\(s\) for 1 input\(s\)"),
    ],
)
def test_a_faulty_rule_is_stopped_with_a_clear_error(rule, error, message):
    higher.register_rule("faulty_test", rule)
    try:
        x = Tensor([1.0, 2.0], requires_grad=True)
        out = Tensor.from_op(x.data * 2.0, (x,), "faulty_test")
        with pytest.raises(error, match=message):
            higher.grad(out.sum(), [x])
    finally:
        del higher.RULES["faulty_test"]


# ----------------------------------------------------- conjugate gradients
def _spd(rng, n, low, high):
    Q, _ = np.linalg.qr(rng.normal(size=(n, n)))
    return (Q * rng.uniform(low, high, size=n)) @ Q.T


def test_conjugate_gradients_solve_with_products_only():
    rng = np.random.default_rng(6)
    H, b = _spd(rng, 60, 1.0, 4.0), rng.normal(size=60)
    x, products = higher.conjugate_gradients(lambda v: H @ v, b)
    assert bc.rel_error(x, np.linalg.solve(H, b)) < 1e-8
    assert products < 40  # condition number 4: far fewer than 60 columns


def test_conjugate_gradients_give_the_newton_step_of_a_network():
    f, params = _random_mlp(np.random.default_rng(7), 6, 2, 3, 2)
    flat_params = flat(params)
    shapes = [p.shape for p in params]

    def unflatten(v):
        parts, i = [], 0
        for s in shapes:
            n = int(np.prod(s))
            parts.append(v[i : i + n].reshape(s))
            i += n
        return parts

    Hm = higher.hessian(f, params) + 5.0 * np.eye(flat_params.size)  # damped: positive definite
    op = higher.hvp_operator(f, params)
    g = flat(gradient_of(f, *params))
    x, _ = higher.conjugate_gradients(lambda v: flat(op(unflatten(v))) + 5.0 * v, -g)
    assert bc.rel_error(x, np.linalg.solve(Hm, -g)) < 1e-8


def test_conjugate_gradients_refuse_an_indefinite_hessian_and_bad_input():
    H = np.diag([1.0, -1.0])
    with pytest.raises(ValueError, match="not positive definite"):
        higher.conjugate_gradients(lambda v: H @ v, np.array([1.0, 1.0]))
    with pytest.raises(ValueError, match=r"vector \(n,\)"):
        higher.conjugate_gradients(lambda v: v, np.ones((2, 2)))
    with pytest.raises(ValueError, match="NaN"):
        higher.conjugate_gradients(lambda v: v, np.array([1.0, np.nan]))
    x, products = higher.conjugate_gradients(lambda v: v, np.zeros(3))
    assert products == 0 and np.array_equal(x, np.zeros(3))
