"""Package source shown in the chapters, highlighted and fitted to the page.

Chapters 2 to 13 print the package code they explain with
``bc.source.show_source(obj)``; the plain-text listing is what nbval compares.
"""

from __future__ import annotations

from .checks import int_at_least

__all__ = ["show_source", "source_bundle"]


def source_bundle(obj: object, width: int = 78) -> dict[str, str]:
    """The source of ``obj`` as a notebook display bundle that fits the book's width.

    ``text/plain`` is the exact source, dedented (what nbval compares, and what
    a console shows); ``text/html`` is the same source syntax-highlighted, in a
    font scaled down so that its longest line fits in ``width`` characters of
    normal code text (longer lines wrap instead of scrolling sideways).

    Parameters
    ----------
    obj : function, method or class
        Anything :func:`inspect.getsource` accepts.
    width : int, default 78
        How many characters of normal-size code fit on a line of the book.

    Returns
    -------
    dict
        ``{"text/plain": ..., "text/html": ...}``, for ``IPython.display.display(bundle,
        raw=True)``; :func:`show_source` does that.

    Raises
    ------
    TypeError
        If ``obj`` has no Python source: a name given as a string (pass the object), a
        number, or a built-in or compiled function such as ``len`` or ``np.exp``; or if
        ``width`` is not an int.
    ValueError
        If ``width`` is below 1.
    """
    import html
    import textwrap

    width = int_at_least(width, 1, "width", "source_bundle")
    source = textwrap.dedent(_source(obj)).rstrip("\n") + "\n"
    longest = max(len(line) for line in source.splitlines())
    scale = min(1.0, width / longest)
    # At 0.84em, about 80 characters fill the output area of the book's pages.
    style = f"font-size: {0.84 * scale:.3f}em; white-space: pre-wrap; line-height: 1.3"
    try:
        from pygments import highlight
        from pygments.formatters import HtmlFormatter
        from pygments.lexers import PythonLexer

        body = highlight(
            source, PythonLexer(), HtmlFormatter(noclasses=True, nobackground=True, prestyles=style)
        )
    except ImportError:  # pragma: no cover - pygments comes with IPython
        body = f'<pre style="{style}">{html.escape(source)}</pre>'
    return {"text/plain": source, "text/html": body}


def _source(obj: object) -> str:
    """The source of a function, method or class, or TypeError saying why there is none."""
    import inspect

    if isinstance(obj, str):
        raise TypeError(
            f"source_bundle: pass the function or class itself, not its name: got the str {obj!r}"
        )
    try:
        return inspect.getsource(obj)  # type: ignore[arg-type]
    except (TypeError, OSError):
        raise TypeError(
            f"source_bundle: {repr(obj)[:60]} has no Python source to show (a function, method "
            "or class written in Python has; a built-in, a compiled NumPy function or a "
            "number has not)"
        ) from None


def show_source(obj: object, width: int = 78) -> None:
    """Display the source of ``obj`` in a notebook, syntax-highlighted and fitted to the page.

    Used by the chapters to show package code, e.g. ``show_source(bc.Tensor.__mul__)``;
    see :func:`source_bundle` for what is displayed, and for the errors it raises.
    """
    from IPython.display import display

    display(source_bundle(obj, width), raw=True)
