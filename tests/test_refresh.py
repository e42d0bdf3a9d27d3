"""scripts/refresh_notebooks.py: a second run, on any machine, leaves the notebooks as they were."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("refresh", ROOT / "scripts" / "refresh_notebooks.py")
refresh = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(refresh)


def figure(png: str, text: str = "<Figure size 640x480 with 1 Axes>") -> dict:
    return nbformat.v4.new_output(
        "display_data", data={"image/png": png, "text/plain": text}
    )


def printed(text: str) -> dict:
    return nbformat.v4.new_output("stream", name="stdout", text=text)


def notebook(*cells: tuple[str, list]) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    for i, (source, outputs) in enumerate(cells):
        cell = nbformat.v4.new_code_cell(source, id=f"cell-{i}")
        cell.outputs = outputs
        nb.cells.append(cell)
    return nb


PACKAGE = "fingerprint of the package's files"


def stored(nb: nbformat.NotebookNode, package: str = PACKAGE) -> dict:
    """What refresh() reads from a notebook on disk: each cell's outputs and what made them."""
    return {c.id: (refresh.outputs_digest(c.source, package), c.outputs) for c in nb.cells}


def keep(old: dict, new: nbformat.NotebookNode, all_outputs: bool = False) -> int:
    return refresh.keep_unchanged(old, new, all_outputs, PACKAGE)


def test_a_figure_redrawn_with_other_pixels_keeps_its_stored_image() -> None:
    old = notebook(("plot()", [figure("AAAA")]))
    new = notebook(("plot()", [figure("BBBB")]))
    assert keep(stored(old), new) == 1
    assert new.cells[0].outputs[0]["data"]["image/png"] == "AAAA"


def test_changed_text_is_written() -> None:
    old = notebook(("print(x)", [printed("0.132\n")]), ("plot()", [figure("AAAA", "<A>")]))
    new = notebook(("print(x)", [printed("0.088\n")]), ("plot()", [figure("BBBB", "<B>")]))
    assert keep(stored(old), new) == 0
    assert new.cells[0].outputs[0]["text"] == "0.088\n"
    assert new.cells[1].outputs[0]["data"]["image/png"] == "BBBB"


def test_a_changed_source_is_written_even_with_the_same_text() -> None:
    old = notebook(("plot(color='red')", [figure("AAAA")]))
    new = notebook(("plot(color='blue')", [figure("BBBB")]))
    keep(stored(old), new)
    assert new.cells[0].outputs[0]["data"]["image/png"] == "BBBB"


def test_a_timing_cell_keeps_its_outputs_until_its_source_changes() -> None:
    source = "# NBVAL_IGNORE_OUTPUT\nprint(t)\nassert t > 0"
    old = notebook((source, [printed("89.8 us\n")]))
    new = notebook((source, [printed("91.2 us\n")]))
    keep(stored(old), new)
    assert new.cells[0].outputs[0]["text"] == "89.8 us\n"
    changed = notebook((source + "  # again", [printed("91.2 us\n")]))
    keep(stored(old), changed)
    assert changed.cells[0].outputs[0]["text"] == "91.2 us\n"


def test_all_outputs_writes_everything() -> None:
    old = notebook(("plot()", [figure("AAAA")]), ("# NBVAL_IGNORE_OUTPUT\nt", [printed("1\n")]))
    new = notebook(("plot()", [figure("BBBB")]), ("# NBVAL_IGNORE_OUTPUT\nt", [printed("2\n")]))
    assert keep(stored(old), new, all_outputs=True) == 0
    assert new.cells[0].outputs[0]["data"]["image/png"] == "BBBB"
    assert new.cells[1].outputs[0]["text"] == "2\n"


def test_the_comparison_is_nbvals_after_the_sanitizer() -> None:
    old_fig = figure("A", "<Figure size 1x1 with 1 Axes>")
    new_fig = figure("B", "<Figure size 2x2 with 1 Axes>")
    old = notebook(("f", [printed("<object at 0x7f3a2b4c5d6e>\n"), old_fig]))
    new = notebook(("f", [printed("<object at 0x7f0000000000>\n"), new_fig]))
    assert keep(stored(old), new) == 1
    assert new.cells[0].outputs == old.cells[0].outputs


def test_outputs_made_by_another_source_are_written() -> None:
    """A cell edited before the refresh: its stored outputs came from its old source."""
    old = notebook(("plot(color='red')", [figure("AAAA")]))
    red = refresh.outputs_digest("plot(color='red')", PACKAGE)
    made_by = {"cell-0": (red, old.cells[0].outputs)}
    edited = notebook(("plot(color='blue')", [figure("BBBB")]))
    keep(made_by, edited)
    assert edited.cells[0].outputs[0]["data"]["image/png"] == "BBBB"


def test_a_change_to_the_package_rewrites_every_output() -> None:
    old = notebook(("plot()", [figure("AAAA")]), ("# NBVAL_IGNORE_OUTPUT\nt", [printed("1\n")]))
    new = notebook(("plot()", [figure("BBBB")]), ("# NBVAL_IGNORE_OUTPUT\nt", [printed("2\n")]))
    assert keep(stored(old, package="the package before a change"), new) == 0
    assert new.cells[0].outputs[0]["data"]["image/png"] == "BBBB"
    assert new.cells[1].outputs[0]["text"] == "2\n"


def test_every_code_cell_records_what_made_its_outputs() -> None:
    new = notebook(("x = 1", []), ("plot()", [figure("B")]))
    keep({}, new)
    for cell in new.cells:
        assert cell.metadata[refresh.DIGEST_KEY] == refresh.outputs_digest(cell.source, PACKAGE)


def test_the_package_fingerprint_sees_its_source() -> None:
    first = refresh.package_fingerprint()
    assert first == refresh.package_fingerprint() and len(first) == 64
