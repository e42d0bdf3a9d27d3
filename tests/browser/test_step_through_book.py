"""The step-through views in the built book run: myst-nb keeps their scripts, and a reader can
step through each one (chapters 2, 3, 6 and 8), with no network and no kernel."""

from __future__ import annotations

from typing import Any

import pytest

from .reader import CHROMIUM_ARGS, IMPLICIT_FAVICON, BookServer

PAGES = {"book/02_chain_rule.html": 1, "book/03_computational_graphs.html": 3,
         "book/06_losses.html": 1, "book/08_tensor_engine.html": 1}


@pytest.mark.parametrize(("page", "count"), list(PAGES.items()))
def test_every_view_in_the_book_steps(chromium_path: str, book_server: BookServer, page: str,
                                      count: int) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, headless=True,
                                             args=CHROMIUM_ARGS)
        tab = browser.new_page(viewport={"width": 1280, "height": 900})
        errors: list[str] = []
        tab.on("pageerror", lambda e: errors.append(str(e)))
        tab.on("console", lambda m: errors.append(m.text) if m.type == "error" and not (
            (m.location or {}).get("url", "").endswith(IMPLICIT_FAVICON)) else None)
        tab.goto(book_server.base + page, wait_until="load", timeout=30_000)
        views = tab.locator(".bc-st")
        assert views.count() == count
        for i in range(count):
            view = views.nth(i)
            ran = view.get_attribute("data-bc-ready") == "1"
            assert ran, f"{page}, view {i + 1}: its script did not run"
            steps: list[dict[str, Any]] = view.evaluate(
                "r => JSON.parse(r.querySelector('script.bc-st-data').textContent).steps")
            view.locator('[data-go="end"]').click()
            view.locator('[data-go="prev"]').click()
            shown = view.evaluate("""r => [r.querySelector('.bc-st-status').textContent,
              r.querySelector('.bc-st-title').textContent,
              Array.from(r.querySelectorAll('.bc-st-lines li'), li => li.textContent)]""")
            k = len(steps) - 2
            assert shown[0].startswith(f"Step {k + 1} of {len(steps)}")
            assert shown[1] == steps[k]["title"]
            hidden = set(steps[k]["hidden"]) if '"predict":true' in view.inner_html() else set()
            assert [line for j, line in enumerate(shown[2]) if j not in hidden] == [
                line for j, line in enumerate(steps[k]["lines"]) if j not in hidden]
        assert not errors, errors
        browser.close()
