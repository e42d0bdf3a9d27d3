"""A tiny character-level transformer trained on Shakespeare's Sonnets (chapter 14).

:func:`train` trains a :class:`~backprop_course.nn_attention.CharTransformer` with Adam on
random windows of :func:`backprop_course.texts.sonnets`, with one BLAS thread (the matrices
are small, so more threads gain little), and returns a :class:`Run` with the
loss at every step and the gradient norm of every block. The chapter trains a short run
itself; a longer run is cached in ``char_transformer_results.json`` beside this package and
read with :func:`load_results` (``python -m backprop_course.experiments.char_transformer
--regenerate`` makes it again, in a few minutes on two cores).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
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
from ...texts import CharCodec, random_windows, sonnets

__all__ = ["train", "block_gradient_norms", "RESULTS_FILE", "CACHED", "load_results",
           "regenerate"]

RESULTS_FILE = Path(__file__).parent.with_name("char_transformer_results.json")
CACHED = {"steps": 2000, "D": 48, "n_heads": 4, "n_layers": 2, "context": 48, "batch": 32,
          "lr": 3e-3, "seed": 0}
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
    """A training run: the model, its codec, the loss at every step, the block gradient norms.

    ``grad_norms[s, l]`` is the norm of the gradient of all of block l's parameters at
    step s (block 0 reads the embeddings).
    """

    model: CharTransformer
    codec: CharCodec
    losses: np.ndarray
    grad_norms: np.ndarray
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


def train(steps: int = 300, *, D: int = 32, n_heads: int = 4, n_layers: int = 2,
          context: int = 32, batch: int = 16, lr: float = 3e-3, seed: int = 0,
          residual: bool = True, dropout: float = 0.0) -> Run:
    """Train a character transformer on the Sonnets for ``steps`` Adam steps.

    Every step draws ``batch`` random windows of ``context`` characters (from the seed),
    and the loss is the mean cross-entropy of the next character at every position.

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
    batch = _int_at_least(batch, 1, "batch", "train")
    lr = _positive_number(lr, "lr", "train")
    residual = _flag(residual, "train: residual")
    seed = _int_at_least(seed, 0, "seed", "train")
    text = sonnets()
    codec = CharCodec(text)
    ids = codec.encode(text)
    gen = np.random.default_rng(seed)
    model = CharTransformer(len(codec), D, n_heads, n_layers, context=context, dropout=dropout,
                            residual=residual, rng=gen)
    optimiser = Adam(model.parameters(), lr=lr)
    losses, norms = np.zeros(steps), np.zeros((steps, len(model.blocks)))
    with _one_blas_thread():
        for step in range(steps):
            x, y = random_windows(ids, context, batch, gen)
            loss = model.loss(x, y)
            optimiser.zero_grad()
            loss.backward()
            losses[step] = loss.item()
            norms[step] = block_gradient_norms(model)
            optimiser.step()
    settings = {"steps": steps, "D": D, "n_heads": n_heads, "n_layers": n_layers,
                "context": context, "batch": batch, "lr": lr, "seed": seed,
                "residual": residual, "dropout": dropout}
    return Run(model, codec, losses, norms, settings)


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
    run = train(**CACHED)
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
               "grad_norms": run.grad_norms.tolist(), "samples": samples}
    target.write_text(json.dumps(content, indent=1) + "\n")
    return content


def load_results(path: Path | str = RESULTS_FILE) -> dict:
    """The cached run: ``settings``, ``losses`` (an array, one per step), ``grad_norms``
    (steps, blocks), and ``samples`` (``prompt``, ``before`` and ``after`` training).

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
