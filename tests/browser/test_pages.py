"""Every page of the built book, opened in headless Chromium at 1280 px and 390 px wide.

Each test names the page, the width and every defect it found. With ``BACKPROP_SCREENSHOTS=1``
the reader also saves full-page screenshots (``_build/screenshots/{1280,390}/<page>.jpg``) for a
reviewer's eyes.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

import pytest

from .defects import (
    problems_alt_text,
    problems_console,
    problems_dark,
    problems_images,
    problems_layout,
    problems_links,
    problems_maths,
    problems_network,
    problems_solutions,
)
from .reader import OPTIONAL_PAGES, WIDTHS, BookReader, Visit, book_pages, notebook_pages, page_name

ROOT = Path(__file__).resolve().parents[2]
PAGES = book_pages(ROOT)
NOTEBOOK_PAGES = notebook_pages(ROOT)
AT_BOTH_WIDTHS = [
    pytest.param(page, width, id=f"{page_name(page)}-{width}") for page in PAGES for width in WIDTHS
]
EACH_PAGE = [pytest.param(page, id=page_name(page)) for page in PAGES]
EACH_NOTEBOOK = [pytest.param(page, id=page_name(page)) for page in NOTEBOOK_PAGES]


def seen(reader: BookReader, page: str, width: int) -> Visit:
    """The reader's visit; a Sphinx page that this build does not have is skipped."""
    visit = reader.visit(page, width)
    if visit.report.get("missing"):
        if page in OPTIONAL_PAGES:
            pytest.skip(f"{page} is not part of this build (no Python module documented)")
        pytest.fail(f"{page} was not built", pytrace=False)
    return visit


def expect_none(problems: list[str], page: str, width: int | None, what: str) -> None:
    """Fail with one line per defect, naming the page and the width (no Python traceback:
    the message is the whole story)."""
    problems = list(dict.fromkeys(problems))  # a resource that failed twice: one line
    if problems:
        at = f" at {width} px" if width else ""
        lines = "\n".join(f"  - {problem}" for problem in problems)
        pytest.fail(f"{page}{at}: {what} ({len(problems)}):\n{lines}", pytrace=False)


def test_every_page_of_the_book_is_checked(book_html: Path) -> None:
    built = {
        path.relative_to(book_html).as_posix()
        for path in book_html.rglob("*.html")
        if path.relative_to(book_html).parts[0] not in {"_static", "_sources", "_images"}
    }
    missed = sorted(built - set(PAGES) - {"index.html"})
    assert not missed, f"built pages that the browser suite does not open: {missed}"
    absent = sorted(set(PAGES) - built - OPTIONAL_PAGES)
    assert not absent, f"pages in _toc.yml that were not built: {absent}"


def test_index_opens_the_book(reader: BookReader) -> None:
    landing = reader.landing()
    assert landing.endswith(PAGES[0]), f"index.html takes the reader to {landing}, not {PAGES[0]}"


@pytest.mark.parametrize(("page", "width"), AT_BOTH_WIDTHS)
def test_maths_renders(reader: BookReader, page: str, width: int) -> None:
    expect_none(problems_maths(seen(reader, page, width)), page, width, "maths not rendered")


@pytest.mark.parametrize(("page", "width"), AT_BOTH_WIDTHS)
def test_images_load(reader: BookReader, page: str, width: int) -> None:
    expect_none(problems_images(seen(reader, page, width)), page, width, "broken images")


@pytest.mark.parametrize(("page", "width"), AT_BOTH_WIDTHS)
def test_no_javascript_errors(reader: BookReader, page: str, width: int) -> None:
    problems = problems_console(seen(reader, page, width))
    expect_none(problems, page, width, "errors in the browser console")


@pytest.mark.parametrize(("page", "width"), AT_BOTH_WIDTHS)
def test_works_offline(reader: BookReader, page: str, width: int) -> None:
    problems = problems_network(seen(reader, page, width))
    expect_none(problems, page, width, "the page reaches for the network")


@pytest.mark.parametrize(("page", "width"), AT_BOTH_WIDTHS)
def test_solutions_start_collapsed_and_open_on_click(
    reader: BookReader, page: str, width: int
) -> None:
    expect_none(problems_solutions(seen(reader, page, width)), page, width, "exercise solutions")


@pytest.mark.parametrize(("page", "width"), AT_BOTH_WIDTHS)
def test_layout_fits_the_width(reader: BookReader, page: str, width: int) -> None:
    visit = seen(reader, page, width)
    problems = problems_layout(visit)
    if problems and visit.screenshot:
        problems.append(f"screenshot: {visit.screenshot}")
    expect_none(problems, page, width, "layout")


@pytest.mark.parametrize("page", EACH_PAGE)
def test_links_resolve(reader: BookReader, page: str) -> None:
    problems = problems_links(seen(reader, page, WIDTHS[0]), reader)
    expect_none(problems, page, None, "dead links and cross-references")


@pytest.mark.parametrize("page", EACH_PAGE)
def test_figures_legible_in_dark_mode(reader: BookReader, page: str) -> None:
    expect_none(problems_dark(seen(reader, page, WIDTHS[0])), page, None, "figures in dark mode")


@pytest.mark.parametrize("page", EACH_PAGE)
def test_figures_have_alt_text_or_caption(reader: BookReader, page: str) -> None:
    """The rule: each figure cell carries ``mystnb: image: alt:`` (or ``figure: caption:``)
    metadata, a sentence that says what to notice; Markdown images carry alt text."""
    problems = problems_alt_text(seen(reader, page, WIDTHS[0]))
    if problems:
        problems.append(
            'fix: give each figure cell the metadata {"mystnb": {"image": {"alt": "<what the '
            'figure shows and what to notice in it>"}}} (or {"mystnb": {"figure": {"caption": '
            '"..."}}} for a visible caption)'
        )
    expect_none(problems, page, None, "figures without alt text or caption")


@pytest.mark.parametrize("page", EACH_NOTEBOOK)
def test_download_and_launch_buttons(reader: BookReader, page: str) -> None:
    visit = seen(reader, page, WIDTHS[0])
    notebook = Path(page).with_suffix(".ipynb").as_posix()
    problems = []
    url = visit.report["download"]
    if not url:
        problems.append("no download button for the .ipynb")
    else:
        target, _ = reader.resolve(url)
        if not url.endswith(".ipynb") or target is None or not target.is_file():
            problems.append(f"the download button points to {url}, not to a notebook in the book")
        elif json.loads(target.read_text()) != json.loads((ROOT / notebook).read_text()):
            problems.append(f"the downloaded notebook differs from {notebook}, which nbval runs")
    if not visit.menus.get("download"):
        problems.append("clicking the download button does not show the .ipynb item")
    launches = {item["title"]: item["href"] for item in visit.report["launch"]}
    for service in ("Binder", "Colab"):
        href = next((h for title, h in launches.items() if service in title), None)
        if href is None:
            problems.append(f"no {service} launch button")
        elif quote(notebook) not in href and notebook not in href:
            problems.append(f"the {service} button does not open {notebook}: {href}")
    if not visit.menus.get("launch"):
        problems.append("clicking the launch button does not show the launch items")
    expect_none(problems, page, None, "download and launch buttons")


class _ArticleText(HTMLParser):
    """The words of a page's article, without code (what Sphinx's search index holds)."""

    SKIP = {"pre", "code", "script", "style"}

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.skipping = 0
        self.words: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "article":
            self.depth += 1
        elif tag in self.SKIP:
            self.skipping += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self.depth -= 1
        elif tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)

    def handle_data(self, data: str) -> None:
        if self.depth and not self.skipping:
            self.words.append(data)


def chapters_mentioning(book_html: Path, term: str) -> set[str]:
    found = set()
    for page in NOTEBOOK_PAGES:
        parser = _ArticleText()
        parser.feed((book_html / page).read_text())
        if term.lower() in " ".join(" ".join(parser.words).split()).lower():
            found.add(page)
    return found


@pytest.mark.parametrize("term", ["chain rule", "vanishing"])
def test_search_finds_the_chapters(reader: BookReader, book_html: Path, term: str) -> None:
    expected = chapters_mentioning(book_html, term)
    assert expected, f"no chapter's text says {term!r}: choose another search term"
    found = reader.search(term)
    assert found, f"search.html found nothing for {term!r}"
    found_pages = {reader.resolve(url)[0] for url in found}
    missing = sorted(page for page in expected if book_html / page not in found_pages)
    assert not missing, f"search for {term!r} misses chapters that say it: {missing}"
