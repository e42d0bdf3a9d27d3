"""The strict book build: any Sphinx warning (a broken reference, a bad directive) fails it.

The README's build command executes every notebook; nbval already proves that
the stored outputs are what a fresh run gives. So this build renders the stored
outputs (execution off) from a clean copy of the book, with ``-W -n --keep-going``,
and then checks what a reader relies on in the HTML.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
BOOK_FILES = ["_config.yml", "_toc.yml", "references.bib", "book"]


@pytest.fixture(scope="module")
def built_book(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    src = tmp_path_factory.mktemp("book-src")
    for name in BOOK_FILES:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, src / name, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        else:
            shutil.copy(path, src / name)
    config = yaml.safe_load((src / "_config.yml").read_text())
    config["execute"]["execute_notebooks"] = "off"
    (src / "_config.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    command = [str(jupyter_book), "build", "-W", "-n", "--keep-going", str(src)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    log = result.stdout + result.stderr
    assert result.returncode == 0, f"strict build failed:\n{log[-5000:]}"
    return src / "_build" / "html", log


def test_strict_build_has_no_warnings(built_book: tuple[Path, str]) -> None:
    _, log = built_book
    warnings = [line for line in log.splitlines() if "WARNING" in line or "ERROR" in line]
    assert not warnings, "\n".join(warnings)


def test_mathjax_is_served_from_the_build(built_book: tuple[Path, str]) -> None:
    html, _ = built_book
    assert list((html / "_static").rglob("tex-chtml*.js")), "MathJax was not copied into _static"
    page = (html / "book" / "02_chain_rule.html").read_text()
    assert "cdn.jsdelivr.net/npm/mathjax" not in page, "the page loads MathJax from a CDN"
    assert "_static/mathjax" in page


def test_reader_buttons_and_search(built_book: tuple[Path, str]) -> None:
    html, _ = built_book
    page = (html / "book" / "02_chain_rule.html").read_text()
    assert "02_chain_rule.ipynb" in page, "no notebook download button"
    assert "mybinder.org" in page, "no Binder launch button"
    assert "colab.research.google.com" in page, "no Colab launch button"
    assert (html / "search.html").exists()
    assert 'type="search"' in page or "search-button" in page


def test_solutions_are_collapsed(built_book: tuple[Path, str]) -> None:
    html, _ = built_book
    page = (html / "book" / "02_chain_rule.html").read_text()
    assert page.count("dropdown") >= 3
    assert "solution" in page
