"""The scalar engine: ``bc.Value`` vs micrograd, and the backward pass's growth with graph size.

    python benchmarks/bench_scalar.py [--rounds 21]

1. Forward + backward of a 64-16-10 MLP (ReLU hidden layer, squared error) built
   from scalars, one sample per call: with the same code for both engines (they
   share the operator surface: one node per * and +), and with each neuron's
   weighted sum as one ``bc.scalar.dot`` node. micrograd is skipped if not installed.
2. The time per node of ``backward()`` on chains of 10^4 .. 10^6 nodes: it should
   stay flat (linear total time), and nothing may hit a recursion limit.
"""

from __future__ import annotations

import _harness  # noqa: F401  (first: pins the BLAS threads)

import argparse
import statistics
import sys
import time

import numpy as np

import backprop_course as bc
from backprop_course.scalar import dot, topological_order

SIZES = (64, 16, 10)


def make_mlp(value_cls, rng: np.random.Generator):
    layers = []
    for n_in, n_out in zip(SIZES[:-1], SIZES[1:], strict=True):
        W = [[value_cls(float(w)) for w in row] for row in rng.normal(0, n_in**-0.5, (n_out, n_in))]
        b = [value_cls(0.0) for _ in range(n_out)]
        layers.append((W, b))
    return layers


def forward_backward(layers, x: list[float], target: list[float]):
    h = x
    for i, (W, b) in enumerate(layers):
        out = []
        for row, bias in zip(W, b, strict=True):
            z = bias
            for w, xi in zip(row, h, strict=True):
                z = z + w * xi
            out.append(z.relu() if i < len(layers) - 1 else z)
        h = out
    loss = h[0] * 0.0
    for o, t in zip(h, target, strict=True):
        loss = loss + (o - t) ** 2
    loss.backward()
    return loss


def forward_backward_fused(layers, x: list[float], target: list[float]):
    """The same network with one ``bc.scalar.dot`` node per neuron instead of 2n nodes."""
    h = x
    for i, (W, b) in enumerate(layers):
        out = [dot(row, h, bias) for row, bias in zip(W, b, strict=True)]
        h = [z.relu() for z in out] if i < len(layers) - 1 else out
    loss = h[0] * 0.0
    for o, t in zip(h, target, strict=True):
        loss = loss + (o - t) ** 2
    loss.backward()
    return loss


def check_same_gradients(layers_a, layers_b, x, t, run_b=None, name="micrograd") -> None:
    for layers in (layers_a, layers_b):  # leaves accumulate: start both from zero
        for W, b in layers:
            for v in [*b, *(w for row in W for w in row)]:
                v.grad = 0.0
    la, lb = forward_backward(layers_a, x, t), (run_b or forward_backward)(layers_b, x, t)
    assert abs(la.data - lb.data) < 1e-9 * max(1.0, abs(la.data))
    ga = [w.grad for W, _ in layers_a for row in W for w in row]
    gb = [w.grad for W, _ in layers_b for row in W for w in row]
    err = bc.rel_error(np.array(ga), np.array(gb))
    assert err < 1e-9, f"the engines disagree: {err:.1e}"
    print(f"  {name} and bc.Value give the same loss and gradients (rel. error {err:.1e})")


def chain_backward_time(n: int) -> tuple[int, float]:
    """Build a chain of about ``n`` nodes; return its exact node count and backward's seconds."""
    x = bc.Value(0.5)
    y = x
    for _ in range(n // 4):  # four nodes per step: two constants, a product, a sum
        y = y * 1.0000001 + 0.0
    nodes = len(topological_order(y))
    start = time.perf_counter()
    y.backward()
    return nodes, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=21)
    args = parser.parse_args()
    print(f"scalar MLP {SIZES}, forward + backward per sample; {_harness.machine()}")
    rng = np.random.default_rng(0)
    x = [float(v) for v in rng.random(SIZES[0])]
    t = [float(v) for v in rng.random(SIZES[-1])]
    ours = make_mlp(bc.Value, np.random.default_rng(1))
    fused = make_mlp(bc.Value, np.random.default_rng(1))
    check_same_gradients(ours, fused, x, t, forward_backward_fused, "bc.Value with dot")
    systems = {
        "bc.Value": lambda: forward_backward(ours, x, t),
        "bc.Value with dot": lambda: forward_backward_fused(fused, x, t),
    }
    if _harness.available("micrograd"):
        from micrograd.engine import Value as MicroValue

        theirs = make_mlp(MicroValue, np.random.default_rng(1))
        check_same_gradients(ours, theirs, x, t)
        systems["micrograd"] = lambda: forward_backward(theirs, x, t)
    else:
        print("micrograd is not installed: skipped (pip install -r benchmarks/requirements.txt)")
    times = _harness.interleaved(systems, rounds=args.rounds)
    ref = "micrograd" if "micrograd" in systems else "bc.Value"
    print()
    print(_harness.table(times, reference=ref))
    if "micrograd" in systems:
        print()
        for name in ("bc.Value", "bc.Value with dot"):
            speedup = statistics.median(times["micrograd"]) / statistics.median(times[name])
            best = min(times["micrograd"]) / min(times[name])
            print(f"{name} is {speedup:.2f}x faster than micrograd by the median, {best:.2f}x "
                  "by the minimum (target: at least 3)")

    print(f"\nbackward() on chains (recursion limit stays {sys.getrecursionlimit()}):")
    print("| nodes | backward (s) | per node (us) |")
    print("| ---: | ---: | ---: |")
    per_node = {}
    for n in (10_000, 100_000, 1_000_000):
        runs = [chain_backward_time(n) for _ in range(3)]
        nodes, seconds = runs[0][0], min(s for _, s in runs)
        per_node[n] = seconds / nodes
        print(f"| {nodes:,} | {seconds:.3f} | {per_node[n] * 1e6:.2f} |")
    growth = per_node[1_000_000] / per_node[10_000]
    print(f"\ntime per node at 10^6 / at 10^4 = {growth:.2f} (linear: about 1)")


if __name__ == "__main__":
    main()
