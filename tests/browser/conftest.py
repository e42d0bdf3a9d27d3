"""Fixtures of the browser suite: Debian's Chromium driven by Playwright, with no network.

Chromium comes from the system (``apt-get install chromium``), never from a Playwright
download; ``BACKPROP_CHROMIUM`` may name another binary. Without Chromium the suite is
skipped, with a banner at the end of the run that says so and how to enable it, except in
CI (``CI=true``), where a missing Chromium fails every browser test.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from .reader import ROOT, WIDTHS, BookReader, BookServer, book_pages, find_chromium

if TYPE_CHECKING:
    from conftest import BuiltBook

SCREENSHOTS_ENV = "BACKPROP_SCREENSHOTS"
_NOT_RUN: list[str] = []


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def _unavailable(reason: str) -> None:
    how = (
        "To run them: install Chromium (Debian/Ubuntu: `sudo apt-get install chromium`, or set "
        "BACKPROP_CHROMIUM=/path/to/chromium) and `pip install -r requirements.txt`, "
        "then `python -m pytest tests/browser`."
    )
    message = f"browser tests did not run: {reason}. {how}"
    if _in_ci():
        pytest.fail(f"{message} (CI=true: the browser tests must run in CI)", pytrace=False)
    if not _NOT_RUN:
        _NOT_RUN.append(message)
    pytest.skip(message)


@pytest.fixture(scope="package")
def chromium_path() -> str:
    path = os.environ.get("BACKPROP_CHROMIUM") or find_chromium()
    if not path or not Path(path).exists():
        _unavailable("no Chromium found (looked for /usr/bin/chromium and `chromium` on PATH)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _unavailable("the Python package `playwright` is not installed")
    return str(path)


@pytest.fixture(scope="package")
def book_html(built_book: BuiltBook) -> Path:
    return built_book.html


@pytest.fixture(scope="package")
def book_server(book_html: Path) -> Iterator[BookServer]:
    server = BookServer(book_html)
    yield server
    server.close()


@pytest.fixture(scope="package")
def screenshots() -> Path | None:
    """Full-page screenshots for a reviewer, when asked for: ``BACKPROP_SCREENSHOTS=1`` puts
    them in <repo>/_build/screenshots/{1280,390}/<page>.jpg, ``BACKPROP_SCREENSHOTS=<folder>``
    in another folder. Off by default: they take about 40 s of the test command's five minutes.
    """
    setting = os.environ.get(SCREENSHOTS_ENV, "")
    if setting.lower() in ("", "0", "none"):
        return None
    folder = ROOT / "_build" / "screenshots" if setting == "1" else Path(setting)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="package")
def reader(
    request: pytest.FixtureRequest,
    chromium_path: str,
    book_server: BookServer,
    book_html: Path,
    screenshots: Path | None,
) -> BookReader:
    """The reader, who has already gone through every page the selected tests look at."""
    reader = BookReader(chromium_path, book_server, book_html, screenshots)
    pages, terms, landing = set(), set(), False
    here = Path(__file__).parent
    for item in request.session.items:
        if here not in Path(str(item.path)).parents:
            continue
        params = getattr(getattr(item, "callspec", None), "params", {})
        if "page" in params:
            pages.add(params["page"])
        if "term" in params:
            terms.add(params["term"])
        pages.update(getattr(getattr(item, "module", None), "PAGES_VISITED", ()))
        landing = landing or item.name.startswith("test_index")
    if screenshots is not None and pages >= set(book_pages()):
        for width in WIDTHS:  # a run over every page: no screenshot of a page that is gone
            shutil.rmtree(screenshots / str(width), ignore_errors=True)
    reader.read(pages, terms=terms, landing=landing)
    return reader


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _NOT_RUN:
        line = "=" * 78
        terminalreporter.write_line(line, yellow=True, bold=True)
        terminalreporter.write_line("BROWSER TESTS DID NOT RUN (skipped)", yellow=True, bold=True)
        terminalreporter.write_line(_NOT_RUN[0], yellow=True)
        terminalreporter.write_line(line, yellow=True, bold=True)
