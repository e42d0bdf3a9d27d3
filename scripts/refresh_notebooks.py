"""Re-execute the book's notebooks in place, deterministically.

    python scripts/refresh_notebooks.py                 # every notebook in book/
    python scripts/refresh_notebooks.py book/02_*.ipynb # just these

Run it after any change to a notebook or to the package code a notebook uses:
nbval (in ``python -m pytest``) fails when the stored outputs differ from a fresh
run. The result does not depend on when or where it ran: execution timestamps
and the Python version are not stored, cell ids are kept (or made from the cell's
position), the kernel starts with PYTHONHASHSEED=0, and the notebooks seed their
own random draws. Running it twice leaves no git diff, on any machine:

- each code cell records, in its metadata (``outputs_digest``), a digest of its source and of
  the package's source files that produced its outputs;
- a cell whose digest is unchanged keeps its stored outputs when the fresh ones show the same
  text (what nbval compares: every output but images, after the sanitizer in
  ``tests/nbval_sanitize.cfg``), so a figure redrawn from the same numbers by another CPU
  does not churn the file;
- a cell marked ``# NBVAL_IGNORE_OUTPUT`` (a timing, which differs at every run; the cell
  asserts what the prose claims of it) keeps its stored outputs while its digest is unchanged.

Change the cell or the package and its outputs are written afresh; ``--all-outputs`` writes
every output afresh. The text outputs themselves are the same under every BLAS kernel because
the notebooks print only what every correct float64 machine agrees on (see the README).
"""

from __future__ import annotations

import argparse
import configparser
import hashlib
import os
import re
import sys
import time
from pathlib import Path

import nbclient
import nbformat

ROOT = Path(__file__).resolve().parent.parent
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
LANGUAGE_INFO = {  # what ipykernel reports, minus the Python version
    "codemirror_mode": {"name": "ipython", "version": 3},
    "file_extension": ".py",
    "mimetype": "text/x-python",
    "name": "python",
    "nbconvert_exporter": "python",
    "pygments_lexer": "ipython3",
}


SANITIZE = ROOT / "tests" / "nbval_sanitize.cfg"
IGNORE_MARKER = "# NBVAL_IGNORE_OUTPUT"
DIGEST_KEY = "outputs_digest"
PACKAGE = ROOT / "backprop_course"


def package_fingerprint() -> str:
    """A digest of every source and data file of the package: what the cells' outputs rest on."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*")):
        if path.suffix in {".py", ".json"} and "__pycache__" not in path.parts:
            digest.update(path.relative_to(ROOT).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def outputs_digest(source: str, fingerprint: str) -> str:
    """What a cell's outputs were produced from: its source and the package's."""
    return hashlib.sha256((fingerprint + "\0" + source).encode()).hexdigest()[:16]


def sanitizers() -> list[tuple[re.Pattern, str]]:
    """The (regex, replacement) pairs nbval applies before it compares outputs."""
    config = configparser.ConfigParser()
    config.read(SANITIZE)
    return [(re.compile(config[s]["regex"]), config[s]["replace"]) for s in config.sections()]


def shown_text(outputs: list, rules: list[tuple[re.Pattern, str]]) -> list:
    """What nbval compares of a cell's outputs: their kinds and every non-image part."""
    shown = []
    for out in outputs:
        kind = out.get("output_type")
        if kind == "stream":
            parts = {out.get("name", ""): out.get("text", "")}
        elif kind == "error":
            parts = {"ename": out.get("ename", ""), "evalue": out.get("evalue", "")}
        else:
            parts = {m: v for m, v in out.get("data", {}).items() if not m.startswith("image/")}
            parts["images"] = sorted(m for m in out.get("data", {}) if m.startswith("image/"))
        text = {}
        for key, value in parts.items():
            value = "".join(value) if isinstance(value, list) else str(value)
            for regex, replacement in rules:
                value = regex.sub(replacement, value)
            text[key] = value
        shown.append((kind, text))
    return shown


def keep_unchanged(old: dict, nb, all_outputs: bool, fingerprint: str) -> int:
    """Give back their stored outputs to cells that show the same as before; return how many.

    ``old`` maps a cell id to the digest its stored outputs were made from and those outputs.
    Every code cell of ``nb`` (freshly executed) gets its new digest in its metadata.
    """
    rules, kept = sanitizers(), 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        digest = outputs_digest(cell.source, fingerprint)
        cell.metadata[DIGEST_KEY] = digest
        before = old.get(cell.get("id"))
        if all_outputs or before is None:
            continue
        old_digest, outputs = before
        if old_digest != digest or not outputs:
            continue
        timing = IGNORE_MARKER in cell.source
        if timing or shown_text(outputs, rules) == shown_text(cell.outputs, rules):
            if cell.outputs != outputs:
                kept += 1
            cell.outputs = outputs
    return kept


def merge_streams(outputs: list) -> list:
    """Join consecutive stream outputs of the same name (stdout or stderr) into one.

    ipykernel sends printed text in chunks on a timer, so on a busy machine one
    ``print`` can arrive as two outputs; merged, the stored notebook does not
    depend on the timing (nbval merges them the same way before comparing).
    """
    merged: list = []
    for out in outputs:
        last = merged[-1] if merged else None
        if (
            out.get("output_type") == "stream"
            and last is not None
            and last.get("output_type") == "stream"
            and last.get("name") == out.get("name")
        ):
            last["text"] += out["text"]
        else:
            merged.append(out)
    return merged


def refresh(path: Path, timeout: int = 300, all_outputs: bool = False) -> float:
    """Execute ``path`` top to bottom in a fresh kernel, write it back, return the seconds taken."""
    nb = nbformat.read(path, as_version=4)
    old = {
        c.get("id"): (c.metadata.get(DIGEST_KEY), c.get("outputs", []))
        for c in nb.cells
        if c.get("id") and c.cell_type == "code"
    }
    for i, cell in enumerate(nb.cells):
        if not cell.get("id"):
            cell["id"] = f"{path.stem[:20]}-{i}"
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nb.metadata["language_info"] = dict(LANGUAGE_INFO)
    client = nbclient.NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        record_timing=False,
    )
    start = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - start
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.outputs = merge_streams(cell.outputs)
    keep_unchanged(old, nb, all_outputs, package_fingerprint())
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nb.metadata["language_info"] = dict(LANGUAGE_INFO)
    nbformat.validate(nb)
    nbformat.write(nb, path)
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "notebooks", nargs="*", type=Path, help="notebooks to refresh (default: all of book/)"
    )
    parser.add_argument("--timeout", type=int, default=300, help="seconds a cell may run")
    parser.add_argument(
        "--all-outputs",
        action="store_true",
        help="write every fresh output, also where a cell shows the same text as before "
        "(use it after changing how a figure is drawn) and for timing cells",
    )
    args = parser.parse_args(argv)
    os.environ["PYTHONHASHSEED"] = "0"  # the kernel inherits it
    # One BLAS thread: on a shared 2-core machine a multi-threaded BLAS can run
    # a small network's training ten times slower, and the results are the same.
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    paths = args.notebooks or sorted((ROOT / "book").glob("*.ipynb"))
    for path in paths:
        try:
            seconds = refresh(path, args.timeout, args.all_outputs)
        except nbclient.exceptions.CellExecutionError as err:
            print(f"{path}: a cell failed; the notebook was not written.\n{err}", file=sys.stderr)
            return 1
        full = path.resolve()
        shown = full.relative_to(ROOT) if full.is_relative_to(ROOT) else path
        print(f"{shown}: executed in {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
