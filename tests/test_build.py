"""The strict book build: any Sphinx warning (a broken reference, a bad directive) fails it.

The README's build command executes every notebook; nbval already proves that
the stored outputs are what a fresh run gives. So this build renders the stored
outputs (execution off) from a clean copy of the book, with ``-W -n --keep-going``,
and then checks what a reader relies on in the HTML.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:  # the `built_book` fixture (one strict build per session) is in conftest.py
    from conftest import BuiltBook


def test_strict_build_has_no_warnings(built_book: BuiltBook) -> None:
    log = built_book.log
    if log is None:
        pytest.skip("BACKPROP_BOOK_HTML names a prebuilt book: the strict build did not run")
    warnings = [line for line in log.splitlines() if "WARNING" in line or "ERROR" in line]
    assert not warnings, "\n".join(warnings)
    assert built_book.returncode == 0, f"strict build failed:\n{log[-5000:]}"


def test_mathjax_is_served_from_the_build(built_book: BuiltBook) -> None:
    html = built_book.html
    assert list((html / "_static").rglob("tex-chtml*.js")), "MathJax was not copied into _static"
    page = (html / "book" / "02_chain_rule.html").read_text()
    assert "cdn.jsdelivr.net/npm/mathjax" not in page, "the page loads MathJax from a CDN"
    assert "_static/mathjax" in page


def test_reader_buttons_and_search(built_book: BuiltBook) -> None:
    html = built_book.html
    page = (html / "book" / "02_chain_rule.html").read_text()
    assert "02_chain_rule.ipynb" in page, "no notebook download button"
    assert "mybinder.org" in page, "no Binder launch button"
    assert "colab.research.google.com" in page, "no Colab launch button"
    assert (html / "search.html").exists()
    assert 'type="search"' in page or "search-button" in page


def test_solutions_are_collapsed(built_book: BuiltBook) -> None:
    html = built_book.html
    page = (html / "book" / "02_chain_rule.html").read_text()
    assert page.count("dropdown") >= 3
    assert "solution" in page
