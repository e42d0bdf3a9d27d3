"""A tiny character-level transformer trained on Shakespeare's Sonnets (chapter 14).

:func:`train` trains a :class:`~backprop_course.nn_attention.CharTransformer` with Adam on
random windows of sonnets I to L (:func:`backprop_course.texts.sonnets_split`), with one BLAS
thread (the matrices are small, so more threads gain little), and returns a :class:`Run` with
the training loss at every step, the gradient norm of every block, and the loss on the held-out
sonnets LI to LX, which the model never trains on. The chapter trains a short run itself; a
longer run is cached in ``char_transformer_results.json`` beside this package and read with
:func:`load_results` (``python -m backprop_course.experiments.char_transformer --regenerate``
makes it again, in a few minutes of CPU time; the file records how many seconds it took).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ...checks import describe as _describe
from ...checks import flag as _flag
from ...checks import int_at_least as _int_at_least
from ...checks import positive_number as _positive_number
from ...nn_attention import CharTransformer
from ...optim import Adam
from ...tensor import no_grad
from ...texts import CharCodec, random_windows, sonnets, sonnets_split

__all__ = ["train", "block_gradient_norms", "held_out_loss", "RESULTS_FILE", "CACHED",
           "load_results", "regenerate"]

RESULTS_FILE = Path(__file__).parent.with_name("char_transformer_results.json")
CACHED = {"steps": 2000, "D": 48, "n_heads": 4, "n_layers": 2, "context": 48, "batch": 32,
          "lr": 3e-3, "seed": 0, "eval_every": 50}
"""The settings of the cached run."""


@contextlib.contextmanager
def _one_blas_thread() -> Iterator[None]:
    try:
        from threadpoolctl import threadpool_limits  # comes with scikit-learn
    except ImportError:  # pragma: no cover - then BLAS keeps its threads
        yield
        return
    with threadpool_limits(limits=1, user_api="blas"):
        yield


@dataclass
class Run:
    """A training run: the model, its codec, the losses, the block gradient norms.

    ``losses[s]`` is the training loss of the batch of step s, before that step's update;
    ``grad_norms[s, l]`` is the norm of the gradient of all of block l's parameters at
    step s (block 0 reads the embeddings); ``held_out_losses[j]`` is the loss on the held-out
    sonnets after ``held_out_steps[j]`` updates.
    """

    model: CharTransformer
    codec: CharCodec
    losses: np.ndarray
    grad_norms: np.ndarray
    held_out_steps: np.ndarray
    held_out_losses: np.ndarray
    settings: dict = field(default_factory=dict)


def block_gradient_norms(model: CharTransformer) -> np.ndarray:
    """The norm of the gradient of each block's parameters, after a backward pass.

    Raises TypeError if ``model`` is not a CharTransformer.
    """
    if not isinstance(model, CharTransformer):
        raise TypeError(f"block_gradient_norms needs a CharTransformer, got {_describe(model)}")
    norms = []
    for block in model.blocks:
        grads = [p.grad for p in block.parameters() if p.grad is not None]
        norms.append(np.sqrt(sum(float(np.sum(g * g)) for g in grads)))
    return np.array(norms)


def held_out_loss(model: CharTransformer, ids: np.ndarray) -> float:
    """The model's mean cross-entropy on ``ids``, read as consecutive windows of its context.

    Every character of ``ids`` but the last few (fewer than one window) is predicted once, in
    evaluation mode and without a graph.

    Raises TypeError if ``model`` is not a CharTransformer or ``ids`` are not integers, and
    ValueError if ``ids`` is not 1-D or shorter than one window and its next character.
    """
    if not isinstance(model, CharTransformer):
        raise TypeError(f"held_out_loss needs a CharTransformer, got {_describe(model)}")
    arr = np.asarray(ids)
    if arr.dtype.kind not in "iu":
        raise TypeError(f"held_out_loss: ids must be integers, got dtype {arr.dtype}")
    T = model.context
    if arr.ndim != 1 or arr.size < T + 1:
        raise ValueError(f"held_out_loss needs a 1-D array of at least context + 1 = {T + 1} "
                         f"ids, got shape {arr.shape}")
    n = (arr.size - 1) // T
    x, y = arr[: n * T].reshape(n, T), arr[1: n * T + 1].reshape(n, T)
    was_training = model.training
    model.eval()
    with no_grad():
        loss = model.loss(x, y).item()
    model.train(was_training)
    return loss


def train(steps: int = 300, *, D: int = 32, n_heads: int = 4, n_layers: int = 2,
          context: int = 32, batch: int = 16, lr: float = 3e-3, seed: int = 0,
          residual: bool = True, dropout: float = 0.0, eval_every: int | None = None) -> Run:
    """Train a character transformer on sonnets I to L for ``steps`` Adam steps.

    Every step draws ``batch`` random windows of ``context`` characters of the training part
    of :func:`~backprop_course.texts.sonnets_split` (from the seed), and the loss is the mean
    cross-entropy of the next character at every position. The loss on the held-out sonnets
    LI to LX (``held_out_loss``) is measured after the last step and, if ``eval_every`` is
    given, also before every ``eval_every``-th step (step 0 included).

    Raises
    ------
    TypeError
        If a count is not an int, ``lr`` or ``dropout`` not a number, or ``residual`` not a
        bool.
    ValueError
        If a count is < 1 (``steps`` < 0), ``lr`` is not positive, ``dropout`` is outside
        [0, 1) or ``n_heads`` does not divide D.
    """
    steps = _int_at_least(steps, 0, "steps", "train")
    if eval_every is not None:
        eval_every = _int_at_least(eval_every, 1, "eval_every", "train")
    batch = _int_at_least(batch, 1, "batch", "train")
    lr = _positive_number(lr, "lr", "train")
    residual = _flag(residual, "train: residual")
    seed = _int_at_least(seed, 0, "seed", "train")
    codec = CharCodec(sonnets())
    ids, held_out = (codec.encode(part) for part in sonnets_split())
    gen = np.random.default_rng(seed)
    model = CharTransformer(len(codec), D, n_heads, n_layers, context=context, dropout=dropout,
                            residual=residual, rng=gen)
    optimiser = Adam(model.parameters(), lr=lr)
    losses, norms = np.zeros(steps), np.zeros((steps, len(model.blocks)))
    checked: list[tuple[int, float]] = []
    with _one_blas_thread():
        for step in range(steps):
            if eval_every is not None and step % eval_every == 0:
                checked.append((step, held_out_loss(model, held_out)))
            x, y = random_windows(ids, context, batch, gen)
            loss = model.loss(x, y)
            optimiser.zero_grad()
            loss.backward()
            losses[step] = loss.item()
            norms[step] = block_gradient_norms(model)
            optimiser.step()
        checked.append((steps, held_out_loss(model, held_out)))
    settings = {"steps": steps, "D": D, "n_heads": n_heads, "n_layers": n_layers,
                "context": context, "batch": batch, "lr": lr, "seed": seed,
                "residual": residual, "dropout": dropout, "eval_every": eval_every}
    at, values = zip(*checked, strict=True)
    return Run(model, codec, losses, norms, np.array(at), np.array(values), settings)


def _path(path: object, where: str) -> Path:
    if not isinstance(path, str | os.PathLike):
        raise TypeError(f"{where}: path must be a file path (str or Path), got {_describe(path)}")
    return Path(path)


def regenerate(path: Path | str = RESULTS_FILE) -> dict:
    """Train the run of :data:`CACHED` and write its losses and samples to ``path`` (JSON).

    Takes minutes. ``path`` is checked first: TypeError if it is not a path,
    FileNotFoundError if its folder does not exist, IsADirectoryError if it is a folder.
    """
    target = _path(path, "regenerate")
    if target.is_dir():
        raise IsADirectoryError(f"regenerate: {target} is a directory; pass a file path")
    if not target.parent.is_dir():
        raise FileNotFoundError(f"regenerate: the folder {target.parent} does not exist")
    start_cpu = time.process_time()
    run = train(**CACHED)
    cpu_seconds = time.process_time() - start_cpu
    prompt = "Shall I compare thee"
    start = run.codec.encode(prompt)
    samples = {"prompt": prompt,
               "after": run.codec.decode(run.model.generate(start, 300, rng=1)[len(start):])}
    untrained = CharTransformer(len(run.codec), CACHED["D"], CACHED["n_heads"],
                                CACHED["n_layers"], context=CACHED["context"],
                                rng=np.random.default_rng(CACHED["seed"]))
    samples["before"] = run.codec.decode(untrained.generate(start, 300, rng=1)[len(start):])
    content = {"command": "python -m backprop_course.experiments.char_transformer --regenerate",
               "settings": CACHED, "losses": run.losses.tolist(),
               "grad_norms": run.grad_norms.tolist(),
               "held_out": {"steps": run.held_out_steps.tolist(),
                            "losses": run.held_out_losses.tolist()},
               "cpu_seconds": round(cpu_seconds), "samples": samples}
    target.write_text(json.dumps(content, indent=1) + "\n")
    return content


def load_results(path: Path | str = RESULTS_FILE) -> dict:
    """The cached run: ``settings``, ``losses`` (an array, one per step), ``grad_norms``
    (steps, blocks), ``held_out_steps`` and ``held_out_losses`` (arrays: the loss on the
    held-out sonnets after so many steps), ``cpu_seconds`` (what the run took on the machine
    that made the file) and ``samples`` (``prompt``, ``before`` and ``after`` training).

    Raises FileNotFoundError if there is no file and ValueError if it is not such a file.
    """
    path = _path(path, "load_results")
    if not path.is_file():
        raise FileNotFoundError(f"load_results: no results file at {path}; make it with "
                                "python -m backprop_course.experiments.char_transformer "
                                "--regenerate")
    try:
        content = json.loads(path.read_text())
        content["losses"] = np.array(content["losses"])
        content["grad_norms"] = np.array(content["grad_norms"])
        held_out = content.pop("held_out")
        content["held_out_steps"] = np.array(held_out["steps"])
        content["held_out_losses"] = np.array(held_out["losses"])
        content["cpu_seconds"]  # noqa: B018 (present)
        content["samples"]["after"]  # noqa: B018 (present)
    except (json.JSONDecodeError, UnicodeDecodeError, KeyError, TypeError) as err:
        raise ValueError(f"load_results: {path} is not a char_transformer results file "
                         f"({type(err).__name__}: {err})") from None
    return content


def main(argv: list[str] | None = None) -> None:
    """The command line: ``--regenerate`` trains the cached run again and rewrites the file."""
    parser = argparse.ArgumentParser(prog="python -m backprop_course.experiments.char_transformer",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--regenerate", action="store_true",
                        help=f"train the cached run ({CACHED['steps']} steps) and rewrite "
                        f"{RESULTS_FILE.name}")
    args = parser.parse_args(argv)
    if args.regenerate:
        content = regenerate()
        print(f"final loss {np.mean(content['losses'][-100:]):.3f}; wrote {RESULTS_FILE}")
    else:
        parser.print_help()
