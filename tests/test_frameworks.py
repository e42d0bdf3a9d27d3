"""What chapter 13 says about PyTorch and JAX, checked against them when they are installed.

The chapter shows PyTorch and JAX code as static text (the book never needs
either library). These tests run the same code and compare every value and
behaviour the chapter quotes with the package's own results; they are skipped
when the library is absent (``pip install torch==2.13.0`` or ``pip install jax``).
"""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

import backprop_course as bc
from backprop_course import Tensor, higher

X = np.array([1.0, -2.0, 0.5])
W0 = np.array([[0.1, 0.2], [0.3, -0.4], [0.5, 0.6]])
QUOTED_GRAD = np.array([[0.94, 0.2574], [-1.88, -0.5149], [0.47, 0.1287]])  # in the chapter
QUOTED_JVP = (0.6168, -0.5987)


def ours():
    x, W = Tensor(X, requires_grad=True), Tensor(W0, requires_grad=True)
    loss = (x @ W).tanh().sum()
    return x, W, loss


def test_the_quoted_numbers_are_the_package_s():
    _, W, loss = ours()
    loss.backward()
    assert np.allclose(W.grad, QUOTED_GRAD, atol=5e-5)
    value, tangent = bc.dual.jvp(lambda Wd: np.tanh(X @ Wd).sum(), W0, np.ones_like(W0))
    assert np.allclose((value, tangent), QUOTED_JVP, atol=5e-5)


def test_pytorch_behaves_as_chapter_13_says():
    torch = pytest.importorskip("torch")
    x = torch.tensor(X, requires_grad=True)
    W = torch.tensor(W0, requires_grad=True)
    loss = torch.tanh(x @ W).sum()
    assert type(loss.grad_fn).__name__ == "SumBackward0"
    assert type(loss.grad_fn.next_functions[0][0]).__name__ == "TanhBackward0"
    assert x.is_leaf and not loss.is_leaf
    loss.backward()
    _, W_ours, loss_ours = ours()
    loss_ours.backward()
    assert bc.rel_error(W.grad.numpy(), W_ours.grad) < 1e-14
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        loss.backward()
    with torch.no_grad():
        assert not torch.tanh(x @ W).sum().requires_grad


def test_pytorch_functional_products_match_the_package():
    torch = pytest.importorskip("torch")
    x, W = torch.tensor(X, requires_grad=True), torch.tensor(W0, requires_grad=True)
    u = np.array([0.3, -1.2])
    (vjp,) = torch.autograd.grad(torch.tanh(x @ W), W, torch.tensor(u))
    x_o, W_o, _ = ours()
    (vjp_ours,) = higher.grad((x_o @ W_o).tanh(), [W_o], grad_output=u)
    assert bc.rel_error(vjp.numpy(), vjp_ours.data) < 1e-14

    V = np.ones_like(W0)
    _, jvp = torch.func.jvp(lambda W_: torch.tanh(torch.tensor(X) @ W_).sum(),
                            (torch.tensor(W0),), (torch.tensor(V),))
    _, jvp_ours = bc.dual.jvp(lambda Wd: np.tanh(X @ Wd).sum(), W0, V)
    assert abs(float(jvp) - jvp_ours) < 1e-14

    _, hv = torch.autograd.functional.hvp(
        lambda W_: torch.tanh(torch.tensor(X) @ W_).sum(), torch.tensor(W0), torch.tensor(V))
    hv_ours = higher.hvp(lambda W_: (X @ W_).tanh().sum(), W0, V)
    assert bc.rel_error(hv.numpy(), hv_ours) < 1e-13


JAX_SCRIPT = """
import json
import jax
import numpy as np
jax.config.update("jax_enable_x64", True)
jnp = jax.numpy
x = jnp.array(%r)

def loss_fn(W):
    return jnp.tanh(x @ W).sum()

W = jnp.array(%r)
ones = jnp.ones_like(W)
value, vjp_fn = jax.vjp(loss_fn, W)
value, tangent = jax.jvp(loss_fn, (W,), (ones,))
_, hv = jax.jvp(jax.grad(loss_fn), (W,), (ones,))
print(json.dumps({
    "grad": np.asarray(jax.grad(loss_fn)(W)).tolist(),
    "vjp": np.asarray(vjp_fn(1.0)[0]).tolist(),
    "jvp": [float(value), float(tangent)],
    "hvp": np.asarray(hv).tolist(),
}))
"""


def test_jax_transformations_match_the_package():
    # In a subprocess: JAX starts threads, and other tests fork worker processes.
    pytest.importorskip("jax")
    script = JAX_SCRIPT % (X.tolist(), W0.tolist())
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         timeout=300, check=True)
    got = json.loads(run.stdout.strip().splitlines()[-1])
    _, W_ours, loss_ours = ours()
    loss_ours.backward()
    assert bc.rel_error(np.array(got["grad"]), W_ours.grad) < 1e-14
    assert bc.rel_error(np.array(got["vjp"]), W_ours.grad) < 1e-14
    assert np.allclose(got["jvp"], QUOTED_JVP, atol=5e-5)
    hv_ours = higher.hvp(lambda W_: (X @ W_).tanh().sum(), W0, np.ones_like(W0))
    assert bc.rel_error(np.array(got["hvp"]), hv_ours) < 1e-13
