"""source.source_bundle / show_source: package source shown in a chapter, fitted to the page.

(They were in ``viz`` until the package redesign; the old names warn, see the last test.)
"""

from __future__ import annotations

import inspect
import re
import textwrap

import pytest

import backprop_course as bc
from backprop_course import source


def test_plain_text_is_the_exact_dedented_source() -> None:
    bundle = source.source_bundle(bc.Tensor.__mul__)
    expected = textwrap.dedent(inspect.getsource(bc.Tensor.__mul__))
    assert bundle["text/plain"] == expected
    assert bundle["text/plain"].startswith("def __mul__(")


def _font_scale(html: str) -> float:
    match = re.search(r"font-size: ([0-9.]+)em", html)
    assert match, html[:200]
    return float(match.group(1))


def test_long_lines_get_a_smaller_font_and_wrap() -> None:
    short = source.source_bundle(bc.Value.__mul__)  # longest line under 78 characters
    long = source.source_bundle(bc.nn.linear)  # lines of about 100 characters
    assert _font_scale(short["text/html"]) == pytest.approx(0.84)
    longest = max(len(line) for line in long["text/plain"].splitlines())
    assert longest > 78
    assert _font_scale(long["text/html"]) == pytest.approx(0.84 * 78 / longest, abs=1e-3)
    assert "white-space: pre-wrap" in long["text/html"]


def test_html_is_highlighted_and_escaped() -> None:
    html = source.source_bundle(bc.tensor.unbroadcast)["text/html"]
    assert "<pre" in html and "<span" in html  # pygments markup
    assert "&gt;" in html  # "->" in the signature is escaped


def test_show_source_displays_the_bundle(monkeypatch: pytest.MonkeyPatch) -> None:
    shown = []
    import IPython.display

    monkeypatch.setattr(IPython.display, "display", lambda obj, raw=False: shown.append((obj, raw)))
    source.show_source(bc.Value.relu)
    assert len(shown) == 1
    bundle, raw = shown[0]
    assert raw and set(bundle) == {"text/plain", "text/html"}


def test_objects_without_source_raise_clearly() -> None:
    with pytest.raises(TypeError):
        source.source_bundle(len)  # a builtin has no Python source


@pytest.mark.parametrize("name", ["show_source", "source_bundle"])
def test_the_old_names_in_viz_warn_and_give_the_new_function(name: str) -> None:
    with pytest.warns(DeprecationWarning, match=f"backprop_course.source.{name}"):
        old = getattr(bc.viz, name)
    assert old is getattr(source, name)
