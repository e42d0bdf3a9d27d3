"""Instructions per training step of the digits MLP: backprop_course vs NumPy by hand.

    valgrind --tool=callgrind --callgrind-out-file=/tmp/cg.out \\
        python benchmarks/count_instructions.py [--steps 50]

Timings on a shared machine swing with its load; the number of instructions executed does not
(the same program on the same inputs executes the same instructions), so this counts them:
under Valgrind's callgrind, it runs each part of one step (the forward pass, the loss, forward
+ loss + backward, the optimiser step, the whole step; then the same for hand-written NumPy)
``--steps`` times and asks callgrind (``callgrind_control --dump``) for the count after each
part. It prints instructions per step and the ratio of the whole step to NumPy's. Fewer
instructions are not the same as less time (NumPy's BLAS kernels execute several per cycle,
the interpreter's fewer), so a change is judged by both this count and ``bench_mlp_epoch.py``.
"""

from __future__ import annotations

import _harness  # noqa: F401  (first: pins the BLAS threads)
import argparse
import glob
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable

import numpy as np
from bench_mlp_epoch import BATCH, LR, SIZES, initial_weights, numpy_loss_and_grads

import backprop_course as bc


def parts() -> list[tuple[str, Callable[[], object]]]:
    X, y = bc.data.digits()
    rows = np.random.default_rng(0).permutation(len(X))[:BATCH]
    x, t = X[rows], y[rows]
    model = bc.nn.MLP(SIZES, rng=0)
    opt = bc.optim.SGD(model.parameters(), lr=LR * 1e-9)  # tiny steps: the same inputs each time
    xt = bc.Tensor(x)
    logits = model(xt)
    params = [w.copy() for w in initial_weights()]

    def backward() -> None:
        loss = bc.losses.cross_entropy(model(xt), t)
        opt.zero_grad()
        loss.backward()

    def step() -> None:
        loss = bc.losses.cross_entropy(model(bc.Tensor(x)), t)
        opt.zero_grad()
        loss.backward()
        opt.step()

    def numpy_step() -> None:
        _, _, grads = numpy_loss_and_grads(params, x, t)
        for p, g in zip(params, grads, strict=True):
            p -= LR * 1e-9 * g

    backward()
    return [
        ("nothing", lambda: None),
        ("forward", lambda: model(xt)),
        ("cross_entropy", lambda: bc.losses.cross_entropy(logits, t)),
        ("forward+loss+backward", backward),
        ("optimiser step", opt.step),
        ("whole step", step),
        ("numpy whole step", numpy_step),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=50)
    args = parser.parse_args()
    if shutil.which("callgrind_control") is None:
        sys.exit("needs Valgrind (apt-get install valgrind); run this script under callgrind")
    pid = str(os.getpid())
    todo = parts()
    for _, f in todo:  # warm up: imports, caches
        f()
    subprocess.run(["callgrind_control", "--dump=start", pid], capture_output=True, check=False)
    for name, f in todo:
        for _ in range(args.steps):
            f()
        subprocess.run(["callgrind_control", f"--dump={name.replace(' ', '_')}", pid],
                       capture_output=True, check=False)
    print(f"dumps written; read them with: python {sys.argv[0]} --read FILE.out")


def read(prefix: str, steps: int) -> None:
    counts = {}
    for path in glob.glob(prefix + ".*"):
        text = open(path).read()
        trigger = re.search(r"^desc: Trigger: .*dump (\S+)$", text, re.M)
        total = re.search(r"^(?:summary|totals): (\d+)", text, re.M)
        if trigger and total:
            counts[trigger.group(1)] = int(total.group(1))
    empty = counts.pop("nothing", 0)
    counts.pop("start", None)
    per_step = {k: (v - empty) / steps for k, v in counts.items()}
    for name, n in per_step.items():
        print(f"{name.replace('_', ' '):24s} {n / 1e3:9.1f} k instructions per step")
    if "whole_step" in per_step and "numpy_whole_step" in per_step:
        print(f"whole step / numpy: {per_step['whole_step'] / per_step['numpy_whole_step']:.3f}")


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "--read":
        read(sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 50)
    else:
        main()
