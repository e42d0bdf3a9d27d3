"""The cheap-gradient principle, measured: (loss + gradient) time / loss time for the MLP.

    python benchmarks/bench_cheap_gradient.py [--rounds 21]

Reverse mode computes the whole gradient for a small constant times the cost of
evaluating the function, whatever the number of parameters (Griewank & Walther).
Here "function" is the MLP's loss evaluated by ``backprop_course`` with no
parameter requiring a gradient (so no graph is recorded), and "gradient" is the
same loss with the graph recorded plus ``backward()``. Target: at most 3, at
batch 64 and at batch 1024. "loss + gradient" is one step as a function, which
frees its graph when it returns; "in a training loop" keeps each step's graph
until the next step has run, as a training loop does. Each batch size is
measured twice: with glibc's default malloc, and with malloc told to keep freed
memory for reuse (at batch 1024 the default turns a function-style step's new
arrays into page faults).
"""

from __future__ import annotations

import _harness  # first: pins the BLAS threads

import argparse
import statistics

import numpy as np

import backprop_course as bc
from backprop_course import losses, nn
from bench_mlp_epoch import cross_entropy_np, numpy_loss_and_grads

SIZES = [64, 128, 64, 10]


def measure(X: np.ndarray, y: np.ndarray, batch: int, rounds: int) -> dict[str, float]:
    """Median seconds of the loss alone and of loss + gradient, at one batch size, for
    backprop_course and for the hand-written NumPy of ``bench_mlp_epoch.py``."""
    rows = np.random.default_rng(0).permutation(len(X))[:batch]
    x, t = bc.Tensor(X[rows]), y[rows]
    model = nn.MLP(SIZES, rng=0)
    params = model.parameters()
    arrays = [p.data.copy() for p in params]

    def loss_only() -> float:
        for p in params:
            p.requires_grad = False
        value = losses.cross_entropy(model(x), t).item()
        for p in params:
            p.requires_grad = True
        return value

    def loss_and_gradient() -> None:
        model.zero_grad()
        losses.cross_entropy(model(x), t).backward()

    kept: list = []

    def loss_and_gradient_in_a_loop() -> None:
        # As in a training loop, where `loss` is only replaced by the next step's: the
        # previous graph is freed while this step runs, and its memory is reused.
        model.zero_grad()
        loss = losses.cross_entropy(model(x), t)
        loss.backward()
        kept[:] = [loss]

    def numpy_loss_only() -> float:
        W1, b1, W2, b2, W3, b3 = arrays
        a1 = np.maximum(x.data @ W1 + b1, 0.0)
        a2 = np.maximum(a1 @ W2 + b2, 0.0)
        return cross_entropy_np(a2 @ W3 + b3, t)

    def numpy_loss_and_gradient() -> None:
        numpy_loss_and_grads(arrays, x.data, t)

    times = _harness.interleaved(
        {
            "f": loss_only,
            "grad": loss_and_gradient,
            "loop": loss_and_gradient_in_a_loop,
            "np f": numpy_loss_only,
            "np grad": numpy_loss_and_gradient,
        },
        rounds=rounds,
    )
    return {name: statistics.median(ts) for name, ts in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=21)
    args = parser.parse_args()
    X, y = bc.data.digits()
    print(f"MLP {SIZES}; {_harness.machine()}")
    print(
        "| batch | malloc | loss only (ms) | loss + gradient (ms) | ratio "
        "| the same in a training loop (ms) | ratio "
        "| NumPy by hand: loss, loss + gradient (ms), ratio |"
    )
    print("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |")

    def rows(malloc: str) -> None:
        for batch in (64, 1024):
            m = measure(X, y, batch, args.rounds)
            print(
                f"| {batch} | {malloc} | {m['f'] * 1e3:.3f} | {m['grad'] * 1e3:.3f} "
                f"| {m['grad'] / m['f']:.2f} | {m['loop'] * 1e3:.3f} | {m['loop'] / m['f']:.2f} "
                f"| {m['np f'] * 1e3:.3f}, {m['np grad'] * 1e3:.3f}, "
                f"{m['np grad'] / m['np f']:.2f} |"
            )

    rows("default")
    # The same after telling malloc to reuse freed memory (see _harness.keep_freed_memory):
    # at batch 1024 the arrays are large enough for the default to return them to the system.
    if _harness.keep_freed_memory():
        rows("keeps freed memory")
    else:
        print("(not glibc: the second configuration is skipped)")


if __name__ == "__main__":
    main()
