"""One epoch of MLP training on the 8x8 digits: backprop_course vs hand-written NumPy vs PyTorch.

    python benchmarks/bench_mlp_epoch.py [--rounds 21]

The set-up of the performance issue: float64, the digits (1797 x 64), an MLP
64-128-64-10 with ReLU, softmax cross-entropy, plain minibatch SGD with batch 64,
one epoch per timed call; every system single-threaded and interleaved.

* ``numpy``: hand-written forward and backward passes, the floor for Python + NumPy
  (the reference of every ratio);
* ``backprop_course``: ``nn.MLP`` + ``losses.cross_entropy`` + ``optim.SGD``, the
  code a learner writes;
* ``torch``: PyTorch eager on the CPU, one thread (skipped if not installed).

Before timing, each system's loss is checked against a NumPy cross-entropy of
the same logits, and its gradient against a directional finite difference, so a
fast wrong engine cannot win.
"""

from __future__ import annotations

import _harness  # noqa: F401  (first: pins the BLAS threads)

import argparse
import statistics

import numpy as np

import backprop_course as bc
from backprop_course import losses, nn, optim

SIZES = [64, 128, 64, 10]
BATCH = 64
LR = 0.01


def data() -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
    X, y = bc.data.digits()
    order = np.random.default_rng(0).permutation(len(X))
    batches = [order[i : i + BATCH] for i in range(0, len(X), BATCH)]
    return X, y, batches


def initial_weights() -> list[np.ndarray]:
    model = nn.MLP(SIZES, rng=0)
    return [p.data.copy() for p in model.parameters()]  # W1, b1, W2, b2, W3, b3


def cross_entropy_np(logits: np.ndarray, y: np.ndarray) -> float:
    shifted = logits - logits.max(axis=1, keepdims=True)
    logp = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return float(-logp[np.arange(len(y)), y].mean())


# ------------------------------------------------------------- NumPy by hand
def numpy_loss_and_grads(params: list[np.ndarray], x: np.ndarray, y: np.ndarray):
    W1, b1, W2, b2, W3, b3 = params
    z1 = x @ W1 + b1
    a1 = np.maximum(z1, 0.0)
    z2 = a1 @ W2 + b2
    a2 = np.maximum(z2, 0.0)
    z3 = a2 @ W3 + b3
    shifted = z3 - z3.max(axis=1, keepdims=True)
    e = np.exp(shifted)
    p = e / e.sum(axis=1, keepdims=True)
    n = len(y)
    loss = -np.log(p[np.arange(n), y]).mean()
    d3 = p
    d3[np.arange(n), y] -= 1.0
    d3 /= n
    dW3, db3 = a2.T @ d3, d3.sum(axis=0)
    d2 = (d3 @ W3.T) * (z2 > 0)
    dW2, db2 = a1.T @ d2, d2.sum(axis=0)
    d1 = (d2 @ W2.T) * (z1 > 0)
    dW1, db1 = x.T @ d1, d1.sum(axis=0)
    return loss, z3, [dW1, db1, dW2, db2, dW3, db3]


def numpy_epoch(params, X, y, batches) -> None:
    for rows in batches:
        _, _, grads = numpy_loss_and_grads(params, X[rows], y[rows])
        for p, g in zip(params, grads, strict=True):
            p -= LR * g


# ------------------------------------------------------------ backprop_course
def course_model(weights: list[np.ndarray]):
    model = nn.MLP(SIZES, rng=0)
    for p, w in zip(model.parameters(), weights, strict=True):
        p.data = w.copy()
    return model, optim.SGD(model.parameters(), lr=LR)


def course_epoch(model, opt, X, y, batches) -> None:
    for rows in batches:
        loss = losses.cross_entropy(model(bc.Tensor(X[rows])), y[rows])
        opt.zero_grad()
        loss.backward()
        opt.step()


# ------------------------------------------------------------------ PyTorch
def torch_system(weights: list[np.ndarray], X: np.ndarray, y: np.ndarray, batches):
    import torch

    torch.set_num_threads(1)
    torch.set_default_dtype(torch.float64)
    params = [torch.tensor(w, requires_grad=True) for w in weights]
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)
    batch_tensors = [(Xt[rows], yt[rows]) for rows in batches]
    opt = torch.optim.SGD(params, lr=LR)

    def loss_of(x, t):
        W1, b1, W2, b2, W3, b3 = params
        h = torch.relu(x @ W1 + b1)
        h = torch.relu(h @ W2 + b2)
        return torch.nn.functional.cross_entropy(h @ W3 + b3, t), h @ W3 + b3

    def epoch() -> None:
        for x, t in batch_tensors:
            loss, _ = loss_of(x, t)
            opt.zero_grad()
            loss.backward()
            opt.step()

    return params, loss_of, epoch


# ----------------------------------------------------------- correctness
def directional_check(name, loss_at, grads, params, rng) -> None:
    """Compare <grad, d> with (L(p + h d) - L(p - h d)) / 2h for a random direction d."""
    direction = [rng.normal(size=p.shape) for p in params]
    h = 1e-6
    plus = loss_at([p + h * d for p, d in zip(params, direction, strict=True)])
    minus = loss_at([p - h * d for p, d in zip(params, direction, strict=True)])
    numerical = (plus - minus) / (2 * h)
    analytic = sum(float(np.sum(g * d)) for g, d in zip(grads, direction, strict=True))
    err = abs(analytic - numerical) / max(abs(analytic), abs(numerical))
    assert err < 1e-6, f"{name}: directional derivative off by {err:.1e}"
    print(f"  {name}: gradient matches a directional finite difference (rel. error {err:.1e})")


def check_correctness(weights, X, y, batches, with_torch: bool) -> None:
    rows = batches[0]
    x, t = X[rows], y[rows]
    rng = np.random.default_rng(1)

    def np_loss(ps):
        return numpy_loss_and_grads([p.copy() for p in ps], x, t)[0]

    loss, logits, grads = numpy_loss_and_grads([w.copy() for w in weights], x, t)
    assert abs(loss - cross_entropy_np(logits, t)) < 1e-12
    directional_check("numpy", np_loss, grads, weights, rng)

    model, _ = course_model(weights)
    out = model(bc.Tensor(x))
    loss_t = losses.cross_entropy(out, t)
    assert abs(loss_t.item() - cross_entropy_np(out.data, t)) < 1e-12, "course loss is wrong"
    loss_t.backward()
    directional_check(
        "backprop_course", np_loss, [p.grad for p in model.parameters()], weights, rng
    )

    if with_torch:
        import torch

        params, loss_of, _ = torch_system(weights, X, y, batches)
        tl, tlogits = loss_of(torch.from_numpy(x), torch.from_numpy(t))
        assert abs(tl.item() - cross_entropy_np(tlogits.detach().numpy(), t)) < 1e-12
        tl.backward()
        directional_check("torch", np_loss, [p.grad.numpy() for p in params], weights, rng)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=21)
    args = parser.parse_args()
    X, y, batches = data()
    weights = initial_weights()
    with_torch = _harness.available("torch")
    print(f"MLP {SIZES}, batch {BATCH}, one epoch of {len(X)} digits; {_harness.machine()}")
    print("correctness:")
    check_correctness(weights, X, y, batches, with_torch)

    np_params = [w.copy() for w in weights]
    model, opt = course_model(weights)
    systems = {
        "numpy": lambda: numpy_epoch(np_params, X, y, batches),
        "backprop_course": lambda: course_epoch(model, opt, X, y, batches),
    }
    if with_torch:
        _, _, torch_epoch = torch_system(weights, X, y, batches)
        systems["torch"] = torch_epoch
    else:
        print("torch is not installed: skipped (pip install -r benchmarks/requirements.txt)")
    times = _harness.interleaved(systems, rounds=args.rounds)
    print()
    print(_harness.table(times, reference="numpy"))
    course = statistics.median(times["backprop_course"]) / statistics.median(times["numpy"])
    print(f"\nbackprop_course / numpy = {course:.2f} (target: at most 1.20)")
    if with_torch:
        vs_torch = statistics.median(times["backprop_course"]) / statistics.median(times["torch"])
        print(f"backprop_course / torch = {vs_torch:.2f} (target: below 1.00)")


if __name__ == "__main__":
    main()
