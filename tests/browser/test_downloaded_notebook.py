"""A chapter notebook downloaded from the book's button runs, outside the repository.

nbval runs every notebook in ``book/``, and ``test_download_and_launch_buttons`` proves each
download is byte for byte one of them; this runs one download end to end, from a folder
of its own (a reader's Downloads), with only the installed package to import.
"""

from __future__ import annotations

import urllib.request
from pathlib import Path

import nbclient
import nbformat
import pytest

from .reader import WIDTHS, BookReader

ROOT = Path(__file__).resolve().parents[2]
# the chain-rule chapter: the course's first worked gradient, and quick to run
NOTEBOOK_PAGE = "book/02_chain_rule.html"
PAGES_VISITED = [NOTEBOOK_PAGE]  # the reader fixture visits it before the tests start


def test_downloaded_notebook_runs(reader: BookReader, tmp_path: Path) -> None:
    if not (ROOT / NOTEBOOK_PAGE).with_suffix(".ipynb").is_file():
        pytest.fail(f"{NOTEBOOK_PAGE}: its notebook is gone; pick another chapter here")
    url = reader.visit(NOTEBOOK_PAGE, WIDTHS[0]).report["download"]
    assert url, f"{NOTEBOOK_PAGE}: no download button"
    downloads = tmp_path / "Downloads"
    downloads.mkdir()
    path = downloads / url.rsplit("/", 1)[-1]
    with urllib.request.urlopen(url, timeout=30) as response:  # the local book server
        path.write_bytes(response.read())
    notebook = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(
        notebook,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(downloads)}},
    )
    try:
        client.execute()
    except nbclient.exceptions.CellExecutionError as error:
        pytest.fail(f"{path.name}, downloaded from {NOTEBOOK_PAGE}, fails to run:\n{error}")
