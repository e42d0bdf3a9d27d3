"""Re-execute the book's notebooks in place, deterministically.

    python scripts/refresh_notebooks.py                 # every notebook in book/
    python scripts/refresh_notebooks.py book/02_*.ipynb # just these

Run it after any change to a notebook or to the package code a notebook uses:
nbval (in ``python -m pytest``) fails when the stored outputs differ from a fresh
run. The result does not depend on when or where it ran: execution timestamps
and the Python version are not stored, cell ids are kept (or made from the cell's
position), the kernel starts with PYTHONHASHSEED=0, and the notebooks seed their
own random draws. Running it twice leaves no git diff.
"""

from __future__ import annotations

import argparse
import os
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


def refresh(path: Path, timeout: int = 300) -> float:
    """Execute ``path`` top to bottom in a fresh kernel, write it back, return the seconds taken."""
    nb = nbformat.read(path, as_version=4)
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
    args = parser.parse_args(argv)
    os.environ["PYTHONHASHSEED"] = "0"  # the kernel inherits it
    # One BLAS thread: on a shared 2-core machine a multi-threaded BLAS can run
    # a small network's training ten times slower, and the results are the same.
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    paths = args.notebooks or sorted((ROOT / "book").glob("*.ipynb"))
    for path in paths:
        try:
            seconds = refresh(path, args.timeout)
        except nbclient.exceptions.CellExecutionError as err:
            print(f"{path}: a cell failed; the notebook was not written.\n{err}", file=sys.stderr)
            return 1
        print(
            f"{path.relative_to(ROOT) if path.is_absolute() else path}: executed in {seconds:.1f} s"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
