"""Fixes for what readers met in the built book; ``tests/browser`` fails if one comes back.

Loaded from ``_config.yml`` (``sphinx: local_extensions: reader_fixes: book/_ext``).

Two JavaScript errors that every reader's browser console showed:

1. ``Uncaught SyntaxError: Identifier 'THEBE_JS_URL' has already been declared`` on every
   page. sphinx-thebe adds an inline ``<script>const THEBE_JS_URL = ...</script>`` after the
   HTML builder has started; Sphinx 7.4 then registers that inline script a second time
   (once with the file name ``None``, once with ``''``, which do not compare equal), and the
   second copy re-declares the ``const``. We drop exact duplicates from each page's scripts.
2. ``Got invalid theme mode: . Resetting to auto.`` on a reader's first visit (nothing stored
   yet): the theme starts from the ``default_mode`` template variable, which is empty unless
   ``html_context`` sets it. We set it to ``auto``, which is what the theme falls back to.

And at a phone's width (390 px), maths cut off and a page that scrolled sideways: the
stylesheet ``static/reader_fixes.css`` (each rule says what it fixes).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config


def _default_theme_mode(app: Sphinx, config: Config) -> None:
    context = dict(config.html_context or {})
    context.setdefault("default_mode", "auto")
    config.html_context = context


def _drop_duplicate_scripts(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    scripts = context.get("script_files")
    if not isinstance(scripts, list):
        return
    seen: set[tuple] = set()
    unique = []
    for script in scripts:
        attributes = getattr(script, "attributes", {}) or {}
        key = (
            getattr(script, "filename", script) or "",
            tuple(sorted((name, str(value)) for name, value in attributes.items())),
        )
        if key not in seen:
            seen.add(key)
            unique.append(script)
    # In place: other handlers (MathJax) append to this same list for the current page.
    scripts[:] = unique


STATIC = Path(__file__).resolve().parent / "static"


def _add_stylesheet(app: Sphinx, config: Config) -> None:
    config.html_static_path = [*config.html_static_path, str(STATIC)]


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("config-inited", _default_theme_mode)
    app.connect("config-inited", _add_stylesheet)
    app.add_css_file("reader_fixes.css")
    # Late (high number), after every other handler has added its scripts to the page.
    app.connect("html-page-context", _drop_duplicate_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
