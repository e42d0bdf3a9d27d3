"""book/exercise_index.md is what scripts/exercise_index.py makes of the exercise registry:
every registered exercise has a row, under its chapter, linking to it in its chapter."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

from backprop_course.exercises import CHAPTER_MODULES, EXERCISES

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "book" / "exercise_index.md"
_spec = importlib.util.spec_from_file_location(
    "exercise_index", ROOT / "scripts" / "exercise_index.py"
)
assert _spec and _spec.loader
generator = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(generator)


def _sections() -> dict[str, str]:
    """Exercise name -> the {doc} target of the chapter section its row is in."""
    found, chapter = {}, None
    for line in PAGE.read_text(encoding="utf-8").splitlines():
        doc = re.search(r"\{doc\}`chapter \d+ <([\w-]+)>`", line)
        chapter = doc.group(1) if doc else chapter
        row = re.match(r"\| `(\w+)` \| \{ref\}`[^`<]+<([\w-]+)>` \|", line)
        if row:
            found[row.group(1)] = chapter
    return found


def test_the_page_is_what_the_registry_gives() -> None:
    assert PAGE.read_text(encoding="utf-8") == generator.render(), (
        "book/exercise_index.md is out of date: run python scripts/exercise_index.py"
    )
    assert generator.main(["--check"]) == 0


@pytest.mark.parametrize("name", list(EXERCISES))
def test_every_exercise_has_a_row_under_its_chapter(name: str) -> None:
    module = CHAPTER_MODULES[EXERCISES[name].chapter - 1]
    assert _sections().get(name) == f"{EXERCISES[name].chapter:02d}_{module}"


@pytest.mark.parametrize("name", list(EXERCISES))
def test_each_row_links_to_an_exercise_of_its_chapter(name: str) -> None:
    row = next(ln for ln in PAGE.read_text(encoding="utf-8").splitlines()
               if ln.startswith(f"| `{name}` |"))
    label = re.search(r"<([\w-]+)>`", row).group(1)
    notebook = ROOT / "book" / f"{_sections()[name]}.ipynb"
    assert f":label: {label}" in notebook.read_text(encoding="utf-8")


def test_an_exercise_without_a_directive_is_refused(tmp_path: Path) -> None:
    cells = [("markdown", "# 1. A chapter"), ("code", 'check("lonely", f)')]
    with pytest.raises(ValueError, match="no \\{exercise\\} directive"):
        generator._exercise_link(cells, "lonely", tmp_path / "01_x.ipynb")
