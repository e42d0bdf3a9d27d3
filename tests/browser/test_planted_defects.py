"""Proof that the browser suite fails on each defect it is there for.

A copy of the built book gets defects planted in one chapter page (raw TeX, a MathJax
error, a broken image, an open solution, a JavaScript error, a request to the network, a
dead link, prose wider than a phone, a transparent figure without alt text). The suite then
runs on that copy, in a pytest of its own, for the damaged page and one untouched page; it
must fail each planted defect's test with a message that names it, and pass the untouched
page.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from .reader import ROOT, book_root_page, notebook_pages, page_name

PLANTED_PARAGRAPHS = """
<p>Planted raw TeX: $$\\frac{\\partial L}{\\partial w}$$ is left for the reader to decode.</p>
<p>Planted MathJax error:
<span class="math notranslate nohighlight">\\(\\frac{1}{\\plantedmacro}\\)</span></p>
<p><a class="reference internal" href="planted-missing-page.html#nowhere">a dead link</a></p>
<p style="width: 2000px">Planted wide paragraph that a phone cannot show in one screen width.</p>
<div class="cell_output docutils container"><div class="output">
<img src="../_images/planted-transparent.png" style="background: transparent !important" />
</div></div>
<link rel="stylesheet" href="https://example.org/planted.css" />
<script>plantedUndefinedFunction();</script>
"""

# test -> what its failure message must say (the width is where the defect shows)
EXPECTED = {
    "test_maths_renders[{page}-1280]": ["raw TeX '$$'", "MathJax error", "plantedmacro"],
    "test_images_load[{page}-1280]": ["planted-missing.png"],
    "test_solutions_start_collapsed_and_open_on_click[{page}-1280]": ["open when the page opens"],
    "test_no_javascript_errors[{page}-1280]": ["plantedUndefinedFunction"],
    "test_works_offline[{page}-1280]": ["example.org/planted.css"],
    "test_links_resolve[{page}]": ["planted-missing-page.html"],
    "test_layout_fits_the_width[{page}-390]": ["Planted wide paragraph"],
    "test_figures_legible_in_dark_mode[{page}]": ["planted-transparent.png"],
    "test_figures_have_alt_text_or_caption[{page}]": ["planted-transparent.png"],
}


def choose_page(html: Path) -> str:
    """The shortest chapter page with an exercise solution and a figure."""
    candidates = []
    for page in notebook_pages():
        text = (html / page).read_text()
        if 'class="solution dropdown' in text and re.search(r'<img[^>]+src="\.\./_images/', text):
            candidates.append((len(text), page))
    if not candidates:
        pytest.fail("no chapter page has both a solution and a figure to damage")
    return min(candidates)[1]


def plant(html: Path, page: str) -> None:
    path = html / page
    text = path.read_text()
    # an open solution: the solution is no longer a dropdown
    text, count = re.subn(r'class="solution dropdown', 'class="solution', text, count=1)
    assert count == 1, f"{page}: no solution dropdown to open"
    # a broken image: an output figure that points to no file
    text, count = re.subn(
        r'(<img[^>]+src=")\.\./_images/[^"]+(")',
        r"\1../_images/planted-missing.png\2",
        text,
        count=1,
    )
    assert count == 1, f"{page}: no figure to break"
    # the rest in the article, after the chapter's title
    text, count = re.subn(
        r"(<article[^>]*>.*?</h1>)",
        lambda m: m.group(1) + PLANTED_PARAGRAPHS,
        text,
        count=1,
        flags=re.DOTALL,
    )
    assert count == 1, f"{page}: no article title to plant after"
    path.write_text(text)
    # black axes on a transparent background, as matplotlib's savefig(transparent=True) gives
    figure = Image.new("RGBA", (300, 200), (0, 0, 0, 0))
    draw = ImageDraw.Draw(figure)
    draw.line([(30, 170), (280, 170)], fill=(0, 0, 0, 255), width=3)
    draw.line([(30, 170), (30, 20)], fill=(0, 0, 0, 255), width=3)
    draw.line([(30, 160), (280, 30)], fill=(0, 0, 0, 255), width=2)
    figure.save(html / "_images" / "planted-transparent.png")


def test_suite_fails_on_planted_defects(
    chromium_path: str, book_html: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "html"
    shutil.copytree(book_html, copy)
    page = choose_page(copy)
    plant(copy, page)
    control = page_name(book_root_page())
    report = tmp_path / "report.xml"
    command = [
        sys.executable,
        "-m",
        "pytest",
        str(Path(__file__).with_name("test_pages.py")),
        "-q",
        "-p",
        "no:cacheprovider",
        "-o",
        "addopts=",
        f"--junitxml={report}",
        "-k",
        f"{page_name(page)} or {control}",
    ]
    env = {
        **os.environ,
        "BACKPROP_BOOK_HTML": str(copy),
        "BACKPROP_SCREENSHOTS": "none",
    }
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    output = result.stdout[-3000:] + result.stderr[-2000:]
    assert report.is_file(), f"the suite did not run on the damaged copy:\n{output}"
    outcomes = {}
    for case in ET.parse(report).getroot().iter("testcase"):
        failure = case.find("failure")
        error = case.find("error")
        if error is not None:
            outcomes[case.get("name")] = ("error", error.get("message", "") + (error.text or ""))
        elif failure is not None:
            outcomes[case.get("name")] = (
                "failed",
                (failure.get("message") or "") + (failure.text or ""),
            )
        elif case.find("skipped") is not None:
            outcomes[case.get("name")] = ("skipped", "")
        else:
            outcomes[case.get("name")] = ("passed", "")

    name = page_name(page)
    missed = []
    for test, needles in EXPECTED.items():
        test = test.format(page=name)
        outcome, message = outcomes.get(test, ("not run", ""))
        if outcome != "failed":
            missed.append(f"{test}: {outcome}, but a defect was planted")
        else:
            missed += [f"{test}: failed without naming {n!r}" for n in needles if n not in message]
    assert not missed, "the suite missed planted defects:\n  " + "\n  ".join(missed) + f"\n{output}"
    untouched = {test: o for test, o in outcomes.items() if f"[{control}" in test}
    assert untouched, f"nothing ran on the untouched page {control}:\n{output}"
    broken = {test: o[1][:300] for test, o in untouched.items() if o[0] != "passed"}
    assert not broken, f"the untouched page {control} failed too: {broken}"
    assert result.returncode == 1, f"pytest exited {result.returncode} on the damaged copy"
