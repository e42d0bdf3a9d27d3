"""bc.viz.step_through in headless Chromium, offline: every step of a chapter-3 graph.

The views are written to a folder served from 127.0.0.1 (Chromium cannot reach any other
address, as for the book); each test opens one in a fresh tab and records the console,
uncaught exceptions and every request. The numbers on the page are checked against the
steps the package emitted and against the engine's own gradients.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import backprop_course as bc

from .reader import CHROMIUM_ARGS, BookServer


def chapter3() -> bc.Value:
    a, b, c = bc.Value(2.0, label="a"), bc.Value(-0.5, label="b"), bc.Value(0.5, label="c")
    e = a * b
    d = e + c
    L = d.tanh()
    e.label, d.label, L.label = "e", "d", "L"
    return L


def fanout() -> bc.Value:
    a, b, c = bc.Value(2.0, label="a"), bc.Value(-0.5, label="b"), bc.Value(0.5, label="c")
    d = a * b
    e = d + c
    L = d * e
    d.label, e.label, L.label = "d", "e", "L"
    return L


def exercise() -> bc.Value:
    """Chapter 3's exercise "Predict the next gradient": L = a tanh(a b + c)."""
    a, b, c = (bc.Value(v, label=s) for v, s in zip([0.5, -1.0, 0.25], "abc", strict=True))
    e = a * b
    d = e + c
    t = d.tanh()
    L = a * t
    e.label, d.label, t.label, L.label = "e", "d", "t", "L"
    return L


def broadcast() -> tuple[bc.Tensor, dict]:
    x = bc.Tensor([[1.0, 2.0], [3.0, -1.0], [0.5, 0.0]])
    W = bc.Tensor([[0.5, -1.0], [1.0, 0.25]], requires_grad=True)
    b = bc.Tensor([0.5, -0.5], requires_grad=True)
    z = x @ W + b
    return (z * z).mean(), {"x": x, "W": W, "b": b, "z": z}


def chain(n: int = 5_000) -> bc.Value:
    y = bc.Value(0.5, label="x")
    for _ in range(n):
        y = y * 1.0001  # two nodes per step: 10,001 in all
    return y


VIEWS = {
    "chapter3": lambda: bc.viz.step_through(chapter3()),
    "fanout": lambda: bc.viz.step_through(fanout()),
    "predict": lambda: bc.viz.step_through(fanout(), predict=True),
    "exercise": lambda: bc.viz.step_through(exercise(), predict=True),
    "tensor": lambda: bc.viz.step_through(*broadcast()),
    "big": lambda: bc.viz.step_through(chain(), max_steps=200),
}


@pytest.fixture(scope="module")
def views(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("step-through")
    made = {name: make() for name, make in VIEWS.items()}
    for name, view in made.items():
        (folder / f"{name}.html").write_text(view.to_html(page=True), encoding="utf-8")
    made["folder"] = folder
    return made


@pytest.fixture(scope="module")
def browser(chromium_path: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def server(views: dict[str, Any]) -> Iterator[BookServer]:
    server = BookServer(Path(views["folder"]))
    yield server
    server.close()


class Tab:
    """One page of a view, with what it logged and asked for."""

    def __init__(self, browser: Any, server: BookServer, name: str, width: int = 1280,
                 javascript: bool = True) -> None:
        self.context = browser.new_context(viewport={"width": width, "height": 844},
                                           java_script_enabled=javascript)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else 0)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url)
                     if not r.url.startswith(server.base) else 0)
        self.page.goto(server.base + f"{name}.html", wait_until="load", timeout=30_000)

    def shown(self) -> dict[str, Any]:
        return self.page.evaluate("""() => {
          const r = document.querySelector(".bc-st");
          const text = (s) => (r.querySelector(s) || {}).textContent || "";
          const boxes = {};
          r.querySelectorAll(".bc-st-node").forEach((g) => {
            const nums = g.querySelectorAll(".bc-st-num");
            boxes[g.dataset.node] = [nums[0].textContent, nums[1].textContent,
              g.classList.contains("bc-st-cur"), g.classList.contains("bc-st-tgt")];
          });
          return { status: text(".bc-st-status"), title: text(".bc-st-title"),
            lines: Array.from(r.querySelectorAll(".bc-st-lines li"), (li) => li.textContent),
            boxes, flow: text(".bc-st-flow"), verdict: text(".bc-st-verdict"),
            play: r.querySelector('[data-go="play"]').textContent,
            next: r.querySelector('[data-go="next"]').disabled };
        }""")

    def click(self, go: str) -> None:
        self.page.locator(f'.bc-st [data-go="{go}"]').click()

    def close(self) -> None:
        self.context.close()


def expected_boxes(view: Any, k: int) -> dict[str, list[str]]:
    """What the drawing must show at step k: the emitted texts of steps 0..k, replayed."""
    value: dict[int, str] = {}
    grad: dict[int, str] = {}
    for step in view.steps[: k + 1]:
        for node, what, text in step.sets:
            (value if what == "value" else grad)[node] = text
    return {str(n.index): [value.get(n.index, "?"), grad.get(n.index, "–")]
            for n in view.trace.nodes}


@pytest.mark.parametrize("name", ["chapter3", "fanout"])
def test_clicking_through_every_step_shows_the_emitted_numbers(
    browser: Any, server: BookServer, views: dict[str, Any], name: str
) -> None:
    view, tab = views[name], Tab(browser, server, name)
    n = len(view.steps)
    for k, step in enumerate(view.steps):
        shown = tab.shown()
        assert shown["status"].startswith(f"Step {k + 1} of {n} · ")
        assert (shown["title"], shown["lines"]) == (step.title, list(step.lines))
        boxes = expected_boxes(view, k)
        assert {i: b[:2] for i, b in shown["boxes"].items()} == boxes, f"step {k + 1}"
        current = {i for i, b in shown["boxes"].items() if b[2]}
        assert current == {str(step.node)}
        if step.contribution is not None:
            assert {i for i, b in shown["boxes"].items() if b[3]} == {
                str(step.contribution.target)}
            assert shown["flow"] == f"← {step.answer}"
        assert shown["next"] is (k == n - 1)
        if k < n - 1:
            tab.click("next")
    # the last step shows the engine's own gradients, from a backward pass of its own
    root = chapter3() if name == "chapter3" else fanout()
    root.backward()
    engine = [f"{node.grad + 0.0:.4g}" for node in bc.graph.topological_order(root)]
    assert [tab.shown()["boxes"][str(i)][1] for i in range(len(engine))] == engine
    tab.click("prev")
    assert tab.shown()["status"].startswith(f"Step {n - 1} of")
    tab.click("start")
    assert tab.shown()["status"].startswith("Step 1 of")
    assert not tab.errors and not tab.requests, (tab.errors, tab.requests)
    tab.close()


def test_the_keyboard_moves_through_the_steps(
    browser: Any, server: BookServer, views: dict[str, Any]
) -> None:
    view, tab = views["fanout"], Tab(browser, server, "fanout")
    n, page = len(view.steps), tab.page
    page.locator(".bc-st").focus()
    for key, where in [("End", n), ("Home", 1), ("ArrowRight", 2), ("ArrowRight", 3),
                       ("ArrowLeft", 2)]:
        page.keyboard.press(key)
        assert tab.shown()["status"].startswith(f"Step {where} of {n}"), key
    page.keyboard.press(" ")
    assert tab.shown()["play"] == "Pause"
    page.keyboard.press(" ")
    assert tab.shown()["play"] == "Play"
    stopped = tab.shown()["status"]
    # a focused button: Enter presses it once; the slider: its arrow keys move one step
    page.locator('.bc-st [data-go="next"]').focus()
    page.keyboard.press("Enter")
    k = int(stopped.split()[1])
    assert tab.shown()["status"].startswith(f"Step {k + 1} of")
    page.locator('.bc-st input[type="range"]').focus()
    page.keyboard.press("ArrowRight")
    assert tab.shown()["status"].startswith(f"Step {k + 2} of")
    assert not tab.errors and not tab.requests
    tab.close()


def test_predict_mode_checks_a_guess(
    browser: Any, server: BookServer, views: dict[str, Any]
) -> None:
    view, tab = views["predict"], Tab(browser, server, "predict")
    k = next(i for i, s in enumerate(view.steps) if s.phase == "backward")
    step = view.steps[k]
    tab.page.locator(".bc-st").focus()
    for _ in range(k):
        tab.page.keyboard.press("ArrowRight")
    shown = tab.shown()
    assert step.answer not in " ".join(shown["lines"][1:]) and shown["flow"] == "← ?"
    assert shown["lines"][1:] == list(step.masked)  # the local derivative's value too
    assert shown["boxes"][str(step.contribution.target)][1] == "?"
    item = tab.page.locator(".bc-st-all > li").nth(k)
    listed = item.text_content()
    assert step.lines[1] not in listed and step.lines[2] not in listed  # not in the list
    assert step.masked[0] in listed
    box = tab.page.locator(".bc-st-predict input")
    box.fill("123")
    tab.page.locator(".bc-st-predict button", has_text="Check").click()
    assert "Not quite" in tab.shown()["verdict"]
    box.fill(step.answer)
    box.press("Enter")
    shown = tab.shown()
    assert shown["verdict"] == f"Right: the engine sent {step.answer}."
    assert shown["lines"] == list(step.lines)
    assert item.text_content() == f"{step.title}. " + " ".join(step.lines)  # answered: listed
    later = tab.page.locator(".bc-st-all > li").nth(k + 1).text_content()
    assert view.steps[k + 1].lines[2] not in later  # the next one is still to predict
    assert not tab.errors
    tab.close()


@pytest.mark.parametrize(("name", "width"), [("fanout", 390), ("chapter3", 390),
                                             ("exercise", 390), ("exercise", 1280)])
def test_the_receiving_box_stays_in_sight(
    browser: Any, server: BookServer, views: dict[str, Any], name: str, width: int
) -> None:
    """At every backward step the box that receives the gradient is inside the visible part
    of the drawing (at 390 px the drawing scrolls), and so is the sender when both fit."""
    view, tab = views[name], Tab(browser, server, name, width=width)
    tab.page.locator(".bc-st").focus()
    for k, step in enumerate(view.steps):
        if step.contribution is not None:
            seen = tab.page.evaluate("""([src, tgt]) => {
              const r = document.querySelector(".bc-st");
              const box = r.querySelector(".bc-st-scroll").getBoundingClientRect();
              const inside = (i) => {
                const b = r.querySelector(`.bc-st-node[data-node="${i}"]`)
                  .getBoundingClientRect();
                return b.left >= box.left - 0.5 && b.right <= box.right + 0.5;
              };
              return [inside(tgt), inside(src), box.width];
            }""", [step.contribution.source, step.contribution.target])
            assert seen[0], f"{name} at {width}px, step {k + 1}: the receiving box is cut off"
        tab.page.keyboard.press("ArrowRight")
    assert not tab.errors
    tab.close()


def test_a_tensor_graph_shows_shapes_and_the_unbroadcast_sum(
    browser: Any, server: BookServer, views: dict[str, Any]
) -> None:
    view, tab = views["tensor"], Tab(browser, server, "tensor", width=390)
    k = next(i for i, s in enumerate(view.steps) if s.contribution is not None
             and view.trace.nodes[s.contribution.target].name == "b")
    tab.page.locator(".bc-st").focus()
    for _ in range(k):
        tab.page.keyboard.press("ArrowRight")
    shown = tab.shown()
    assert any("summed over axis 0, (3, 2) → (2,)" in line for line in shown["lines"])
    assert shown["flow"] == "← (2,)"
    assert not tab.errors
    tab.close()


@pytest.mark.parametrize("name", ["chapter3", "tensor"])
def test_legible_on_a_phone(browser: Any, server: BookServer, name: str) -> None:
    tab = Tab(browser, server, name, width=390)
    sizes = tab.page.evaluate("""() => {
      const r = document.querySelector(".bc-st");
      const px = (el) => parseFloat(getComputedStyle(el).fontSize);
      const label = r.querySelector(".bc-st-name").getBoundingClientRect();
      return { scroll: document.documentElement.scrollWidth, right: r.getBoundingClientRect().right,
        text: px(r.querySelector(".bc-st-title")), graphText: label.height,
        buttons: Array.from(r.querySelectorAll(".bc-st-controls button"), (b) => {
          const box = b.getBoundingClientRect(); return [box.right, box.height]; }) };
    }""")
    assert sizes["scroll"] <= 390 and sizes["right"] <= 390  # nothing runs off the page
    assert sizes["text"] >= 14 and sizes["graphText"] >= 9  # readable, the drawing too
    assert all(right <= 390 and height >= 30 for right, height in sizes["buttons"])
    assert not tab.errors
    tab.close()


def test_a_graph_of_ten_thousand_nodes_does_not_hang(
    browser: Any, server: BookServer, views: dict[str, Any]
) -> None:
    view, tab = views["big"], Tab(browser, server, "big")
    tab.page.locator(".bc-st").focus()
    tab.page.keyboard.press("End")
    shown = tab.shown()  # each call would time out if the page were stuck
    assert shown["status"] == f"Step {len(view.steps)} of {len(view.steps)} · summary"
    assert shown["lines"] == list(view.steps[-1].lines)
    assert f"{1.0001 ** 5000:.4g}" in shown["lines"][1] and math.isfinite(1.0001**5000)
    assert not tab.errors and not tab.requests
    tab.close()


def test_without_javascript_the_steps_are_still_there(
    browser: Any, server: BookServer, views: dict[str, Any]
) -> None:
    view, tab = views["fanout"], Tab(browser, server, "fanout", javascript=False)
    items = tab.page.locator(".bc-st-all > li").all_text_contents()
    assert len(items) == len(view.steps)
    assert all(step.title in item for step, item in zip(view.steps, items, strict=True))
    assert "need JavaScript" in tab.page.locator(".bc-st-status").text_content()
    tab.close()


def test_two_views_inserted_as_a_notebook_front_end_does(
    browser: Any, server: BookServer, views: dict[str, Any]
) -> None:
    """JupyterLab sets an output's HTML with innerHTML (scripts do not run), then re-creates
    each script of a trusted output; two outputs on one page must each step on their own."""
    tab = Tab(browser, server, "chapter3")
    fragments = [views["chapter3"].to_html(), views["tensor"].to_html()]
    tab.page.evaluate("""(fragments) => {
      document.body.innerHTML = "";
      for (const html of fragments) {
        const output = document.createElement("div");
        output.innerHTML = html;
        document.body.appendChild(output);
        for (const old of output.querySelectorAll("script")) {
          const script = document.createElement("script");
          for (const a of old.attributes) script.setAttribute(a.name, a.value);
          script.textContent = old.textContent;
          old.parentNode.replaceChild(script, old);
        }
      }
    }""", fragments)
    roots = tab.page.locator(".bc-st")
    assert roots.count() == 2
    assert [roots.nth(i).get_attribute("data-bc-ready") for i in range(2)] == ["1", "1"]
    roots.nth(1).locator('[data-go="end"]').click()
    status = [roots.nth(i).locator(".bc-st-status").text_content() for i in range(2)]
    n0, n1 = len(views["chapter3"].steps), len(views["tensor"].steps)
    assert status[0].startswith(f"Step 1 of {n0}") and status[1].startswith(f"Step {n1} of {n1}")
    assert not tab.errors
    tab.close()
