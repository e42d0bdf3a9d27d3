"""A reader going through the built book in headless Chromium, and what they saw.

The book is served from 127.0.0.1; Chromium is started so that it cannot reach any other
address (a dead proxy, no name resolution), and every request to another address is
recorded. Two readers share out the pages (one per core), each with a browser of its own
and one tab (a warm cache, as when a reader follows the book's links), whose stored
settings are cleared before each page's scripts run (a first visit). Each page is loaded
once, in a 390 px window (a phone's width), and then seen again in a 1280 px window:

- the console, uncaught exceptions and failed requests of the page are recorded;
- at each width, ``collect.js`` measures the page (maths, images, links, layout, buttons),
  the solutions' state is read, and a full-page screenshot is saved to
  ``<shots>/<width>/<page>.jpg`` (JPEG: a PNG of a 30,000 px tall page takes twice as long
  to encode, and the suite must stay fast);
- at 1280 px every exercise solution is then clicked open, the download and launch menus
  are opened, and the page is switched to dark mode (``dark.js``).

Deciding what is a defect is in ``defects.py``; this only looks.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
import traceback
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from book_toc import toc_entries

HERE = Path(__file__).resolve().parent
COLLECT_JS = (HERE / "collect.js").read_text()
DARK_JS = (HERE / "dark.js").read_text()

WIDTHS = (1280, 390)
HEIGHTS = {1280: 900, 390: 844}
LOCAL = "127.0.0.1"
# Chromium's own background traffic is refused by a machine with no network: these flags
# stop it. The proxy and resolver rules cut the page off from every address but 127.0.0.1.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--proxy-server=http://127.0.0.1:9",
    f"--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE {LOCAL}",
]
# Chromium asks every site for /favicon.ico on its own; the book's pages do not link to one.
IMPLICIT_FAVICON = "/favicon.ico"
# A first visit: nothing stored from an earlier page (the theme keeps its mode there).
FRESH_VISIT_JS = "try { localStorage.clear(); sessionStorage.clear(); } catch (e) {}"

NEXT_FRAME_JS = "new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))"

SOLUTION_JS = """
() => {
  const solutions = Array.from(document.querySelectorAll(".solution, details")).filter(
    (el) => el.matches(".solution") || /solution/i.test(
      (el.querySelector(":scope > summary") || {}).textContent || ""));
  return solutions.map((el, index) => {
    el.setAttribute("data-reader-solution", String(index));
    const title = el.querySelector(":scope > .admonition-title, :scope > summary");
    const body = Array.from(el.children).filter((c) => !c.matches(".admonition-title, summary"));
    const shown = (c) => c.checkVisibility({ visibilityProperty: true })
      && c.getBoundingClientRect().height > 0;
    return {
      title: title ? title.textContent.replace(/\\s+/g, " ").trim().slice(0, 80) : "",
      open_at_start: body.some(shown),
      has_body: body.length > 0,
      opens_on_click: null,
    };
  });
}
"""


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".ipynb": "application/x-ipynb+json",
    }

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _QuietServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a browser that drops a connection early is not a defect of the book


class BookServer:
    """The built book over HTTP on 127.0.0.1 (as a host serves it; search fetches files)."""

    def __init__(self, root: Path) -> None:
        handler = functools.partial(_QuietHandler, directory=str(root))
        self._server = _QuietServer((LOCAL, 0), handler)
        self.base = f"http://{LOCAL}:{self._server.server_address[1]}/"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@dataclass
class Visit:
    """What one page showed at one width."""

    page: str
    width: int
    report: dict[str, Any] = field(default_factory=dict)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    network_requests: list[str] = field(default_factory=list)
    solutions: list[dict[str, Any]] = field(default_factory=list)
    menus: dict[str, bool] = field(default_factory=dict)
    dark: dict[str, Any] | None = None
    screenshot: Path | None = None


def page_name(page: str) -> str:
    """A page's short name for test ids and screenshot files: ``book/02_chain_rule.html`` ->
    ``02_chain_rule``, ``book/api/tensor.html`` -> ``api.tensor``, ``search.html`` -> ``search``."""
    return str(Path(page).with_suffix("")).removeprefix("book/").replace("/", ".")


class BookReader:
    """Visits pages (cached), searches the book, and resolves links against the files."""

    def __init__(self, chromium: str, server: BookServer, html: Path, shots: Path | None) -> None:
        self.chromium = chromium
        self.server = server
        self.html = html
        self.shots = shots
        self._visits: dict[tuple[str, int], Visit] = {}
        self._searches: dict[str, list[str]] = {}
        self._landing: str | None = None
        self._ids: dict[Path, set[str]] = {}
        self._lock = threading.Lock()

    # -- the public, cached results --------------------------------------------------------
    def visit(self, page: str, width: int) -> Visit:
        if (page, width) not in self._visits:
            self.read({page}, widths=(width,))
        return self._visits[(page, width)]

    def search(self, term: str) -> list[str]:
        """The result links that search.html lists for ``term``, typed into the search box."""
        if term not in self._searches:
            self.read(set(), terms={term}, widths=(WIDTHS[0],), lanes=1)
        return self._searches[term]

    def landing(self) -> str:
        """Where ``index.html`` (what a reader opens first) takes the reader."""
        if self._landing is None:
            self.read(set(), landing=True, widths=(WIDTHS[0],), lanes=1)
        return self._landing or ""

    def read(
        self,
        pages: Iterable[str],
        terms: Iterable[str] = (),
        landing: bool = False,
        widths: Iterable[int] = WIDTHS,
        lanes: int = 2,
    ) -> None:
        """Go through ``pages`` at each width: ``lanes`` readers at once (one per core), each
        with a browser of its own and the pages dealt out by size."""
        widths, terms = tuple(widths), sorted(terms)
        shares: list[list[str]] = [[] for _ in range(lanes)]
        loads = [0] * lanes
        for page in sorted(pages, key=self._size, reverse=True):
            lane = loads.index(min(loads))
            shares[lane].append(page)
            loads[lane] += self._size(page)
        errors: list[str] = []

        def run(number: int) -> None:
            try:
                first = number == 0
                self._lane(shares[number], widths, terms if first else [], landing and first)
            except Exception:
                errors.append(f"reader {number} stopped:\n{traceback.format_exc()}")

        threads = [threading.Thread(target=run, args=(n,)) for n in range(lanes)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if errors:
            raise RuntimeError("\n".join(errors))

    def _size(self, page: str) -> int:
        path = self.html / page
        return path.stat().st_size if path.is_file() else 0

    # -- one reader -------------------------------------------------------------------------
    def _lane(self, pages: list[str], widths: tuple[int, ...], terms: list[str], landing: bool):
        from playwright.sync_api import sync_playwright

        if not pages and not terms and not landing:
            return
        with sync_playwright() as playwright:
            # executable_path: Debian's Chromium; Playwright never downloads a browser here
            browser = playwright.chromium.launch(
                executable_path=self.chromium, headless=True, args=CHROMIUM_ARGS
            )
            try:
                context = browser.new_context(
                    viewport=self._viewport(WIDTHS[0]),
                    device_scale_factor=1,
                    color_scheme="light",
                )
                context.add_init_script(FRESH_VISIT_JS)
                tab = context.new_page()
                recorder = _Recorder(tab, self.server.base)
                for page in pages:
                    visits = self._visit(tab, recorder, page, widths)
                    with self._lock:
                        self._visits.update(((page, v.width), v) for v in visits)
                tab.set_viewport_size(self._viewport(WIDTHS[0]))
                for term in terms:
                    found = self._search(tab, term)
                    with self._lock:
                        self._searches[term] = found
                if landing:
                    tab.goto(self.server.base + "index.html", wait_until="load")
                    tab.wait_for_url(f"**/{book_root_page()}", timeout=5_000)
                    self._landing = tab.url
            finally:
                browser.close()

    @staticmethod
    def _viewport(width: int) -> dict[str, int]:
        return {"width": width, "height": HEIGHTS.get(width, 900)}

    def _visit(
        self, tab: Any, recorder: _Recorder, page: str, widths: tuple[int, ...]
    ) -> list[Visit]:
        """One page at each width, loaded once: at the narrowest width first (a phone
        reader's first view), then the window widens (the theme's layout follows by CSS)."""
        visits = [Visit(page, width) for width in sorted(widths)]
        if not (self.html / page).is_file():
            for visit in visits:
                visit.report = {"missing": True}
            return visits
        recorder.visits = visits  # console and requests belong to the page, at every width
        tab.set_viewport_size(self._viewport(visits[0].width))
        tab.goto(self.server.base + page, wait_until="load", timeout=30_000)
        for number, visit in enumerate(visits):
            if number:
                tab.set_viewport_size(self._viewport(visit.width))
                tab.evaluate(NEXT_FRAME_JS)
            visit.report = tab.evaluate(COLLECT_JS, {})
            visit.solutions = tab.evaluate(SOLUTION_JS)
            visit.screenshot = self._screenshot(tab, page, visit.width)
        desktop = visits[-1]  # the widest: open everything a reader can open
        self._open_solutions(tab, desktop.solutions)
        if desktop.report["download"] and desktop.report["download"].endswith(".ipynb"):
            desktop.menus = self._menus(tab)  # a notebook's page: download and launch
        if any(image["content"] for image in desktop.report["images"]):
            desktop.dark = tab.evaluate(DARK_JS)
        else:
            desktop.dark = {"theme": "dark", "figures": [], "skipped": "no figures"}
        recorder.visits = []
        return visits

    def _open_solutions(self, tab: Any, found: list[dict[str, Any]]) -> None:
        for index, record in enumerate(found):
            if record["open_at_start"] or not record["has_body"]:
                continue
            solution = tab.locator(f'[data-reader-solution="{index}"]')
            button = solution.locator(":scope > .admonition-title button.toggle-button")
            if button.count():
                button.first.click()
            else:  # <details>: its summary; an admonition title without a button: itself
                solution.locator(":scope > summary, :scope > .admonition-title").first.click(
                    position={"x": 4, "y": 4}
                )
            body = solution.locator(":scope > :not(.admonition-title):not(summary)").first
            try:
                body.wait_for(state="visible", timeout=2_000)
                record["opens_on_click"] = True
            except Exception:  # Playwright's TimeoutError: it did not open
                record["opens_on_click"] = False

    def _menus(self, tab: Any) -> dict[str, bool]:
        """Open the download and launch menus as a reader does: are the items then visible?"""
        menus = {}
        for name, item in [
            ("download", ".dropdown-download-buttons a.btn-download-source-button"),
            ("launch", ".dropdown-launch-buttons a"),
        ]:
            toggle = tab.locator(f".dropdown-{name}-buttons > button.dropdown-toggle")
            if not toggle.count() or not toggle.first.is_visible():
                menus[name] = False
                continue
            toggle.first.click()
            try:
                tab.locator(item).first.wait_for(state="visible", timeout=2_000)
                menus[name] = True
            except Exception:  # Playwright's TimeoutError: the item stayed hidden
                menus[name] = False
            tab.keyboard.press("Escape")
        return menus

    def _screenshot(self, tab: Any, page: str, width: int) -> Path | None:
        if self.shots is None:
            return None
        path = self.shots / str(width) / f"{page_name(page)}.jpg"
        path.parent.mkdir(parents=True, exist_ok=True)
        tab.screenshot(path=str(path), full_page=True, type="jpeg", quality=85)
        return path

    def _search(self, tab: Any, term: str) -> list[str]:
        tab.goto(self.server.base + book_root_page(), wait_until="load")
        tab.locator("button.search-button__button").first.click()
        box = tab.locator("#pst-search-dialog input[name=q]")
        box.fill(term)
        box.press("Enter")
        tab.wait_for_url("**/search.html?q=*", timeout=10_000)
        tab.wait_for_function(
            "() => /Search finished|did not match/.test("
            "(document.querySelector('#search-results') || {}).textContent || '')",
            timeout=15_000,
        )
        return tab.eval_on_selector_all(
            "#search-results ul.search li a", "links => links.map(a => a.href)"
        )

    # -- links -------------------------------------------------------------------------------
    def ids_in(self, path: Path) -> set[str]:
        if path not in self._ids:
            parser = _IdParser()
            parser.feed(path.read_text(errors="replace"))
            self._ids[path] = parser.ids
        return self._ids[path]

    def resolve(self, url: str) -> tuple[Path | None, str]:
        """The file that a URL of the book points to, and its fragment (None: another site)."""
        if not url.startswith(self.server.base):
            return None, ""
        parts = urlsplit(url)
        path = unquote(parts.path)
        target = self.html / path.lstrip("/")
        if path.endswith("/"):
            target = target / "index.html"
        return target, unquote(parts.fragment)


class _Recorder:
    """Console, exceptions and requests of the tab, filed under the page being visited."""

    def __init__(self, tab: Any, base: str) -> None:
        self.visits: list[Visit] = []
        self.base = base
        tab.on("console", self._console)
        tab.on("pageerror", lambda error: self._file("page_errors", str(error)))
        tab.on("request", self._request)
        tab.on("requestfailed", self._failed)
        tab.on("response", self._response)

    def _file(self, kind: str, text: str) -> None:
        for visit in self.visits:
            getattr(visit, kind).append(text)

    def _console(self, message: Any) -> None:
        where = (message.location or {}).get("url", "")
        if message.type == "error" and not where.endswith(IMPLICIT_FAVICON):
            self._file("console_errors", f"{message.text} ({where})" if where else message.text)

    def _request(self, request: Any) -> None:
        url = request.url
        if not url.startswith(self.base) and not url.startswith(("data:", "blob:", "about:")):
            self._file("network_requests", url)

    def _failed(self, request: Any) -> None:
        if request.url.startswith(self.base) and not request.url.endswith(IMPLICIT_FAVICON):
            self._file("failed_requests", f"{request.url} ({request.failure})")

    def _response(self, response: Any) -> None:
        url = response.url
        if (
            url.startswith(self.base)
            and response.status >= 400
            and not url.endswith(IMPLICIT_FAVICON)
        ):
            self._file("failed_requests", f"{response.url} (HTTP {response.status})")


class _IdParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "id" or (tag == "a" and name == "name"):
                self.ids.add(value or "")


# --- the book's pages ----------------------------------------------------------------------
ROOT = HERE.parents[1]


def _toc_entries(root: Path) -> list[str]:
    return [str(Path(entry).with_suffix("")) for entry in toc_entries(root)]


def book_root_page(root: Path = ROOT) -> str:
    return f"{_toc_entries(root)[0]}.html"


# Pages that Sphinx writes itself; the module index only when the API reference has modules.
SPHINX_PAGES = ["genindex.html", "py-modindex.html", "search.html"]
OPTIONAL_PAGES = {"py-modindex.html"}


def book_pages(root: Path = ROOT) -> list[str]:
    """Every page a reader can open, as paths in ``_build/html``: the table of contents
    (root first), then Sphinx's own pages. (``index.html`` only redirects.)"""
    pages = [f"{entry}.html" for entry in _toc_entries(root)]
    return list(dict.fromkeys(pages)) + SPHINX_PAGES


def notebook_pages(root: Path = ROOT) -> list[str]:
    """The pages made from a notebook: they carry the download and launch buttons."""
    return [
        page for page in book_pages(root) if (root / Path(page).with_suffix(".ipynb")).is_file()
    ]


def find_chromium() -> str | None:
    for candidate in ("/usr/bin/chromium", "chromium", "chromium-browser"):
        found = shutil.which(candidate)
        if found:
            return found
    return None
