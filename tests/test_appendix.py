"""The appendices stay in step with the package and the notebooks.

A new exercise without a row in book/exercise_index.md, a row whose label no
notebook defines, or a module without an API page fails here, before the strict
build does.
"""

from __future__ import annotations

import pkgutil
import re
from pathlib import Path

import pytest

import backprop_course
from backprop_course.exercises import EXERCISES

ROOT = Path(__file__).resolve().parent.parent
BOOK = ROOT / "book"
INDEX = BOOK / "exercise_index.md"
ROW = re.compile(r"^\| `(\w+)` \| \{ref\}`[^`<]*<([\w-]+)>` \|", re.MULTILINE)


def index_rows() -> dict[str, str]:
    """Exercise name -> the sphinx-exercise label the index links to."""
    return dict(ROW.findall(INDEX.read_text(encoding="utf-8")))


def notebook_labels() -> set[str]:
    labels: set[str] = set()
    for nb in BOOK.glob("*.ipynb"):
        labels |= set(re.findall(r":label: ([\w-]+)", nb.read_text(encoding="utf-8")))
    return labels


@pytest.mark.parametrize("name", list(EXERCISES))
def test_every_exercise_is_in_the_index(name: str) -> None:
    assert name in index_rows(), f"exercise {name!r} has no row in {INDEX.relative_to(ROOT)}"


def test_index_lists_only_existing_exercises() -> None:
    unknown = set(index_rows()) - set(EXERCISES)
    assert not unknown, f"the exercise index lists exercises the package lacks: {sorted(unknown)}"


def test_index_labels_exist_in_the_notebooks() -> None:
    missing = {n: lab for n, lab in index_rows().items() if lab not in notebook_labels()}
    assert not missing, f"labels no notebook defines: {missing}"


def test_every_module_has_an_api_page() -> None:
    pages = {p.stem for p in (BOOK / "api").glob("*.md")}
    modules = {m.name for m in pkgutil.iter_modules(backprop_course.__path__)
               if not m.name.startswith("_")} - {"experiments"}  # private modules are no API
    modules |= {"experiments_paper1986"}
    assert modules <= pages, f"modules without a page in book/api/: {sorted(modules - pages)}"
