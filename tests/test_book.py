"""The book's structure: every notebook is in the table of contents and is stored executed.

nbval (collected from book/ by ``python -m pytest``) then re-runs every notebook
and compares the fresh outputs with the stored ones; these tests check what
nbval cannot: that nothing is missing, unlisted, stale or silently failing.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from book_toc import toc_entries

from backprop_course.exercises import EXERCISES

ROOT = Path(__file__).resolve().parent.parent
BOOK = ROOT / "book"
NOTEBOOKS = sorted(BOOK.glob("*.ipynb"))
CHAPTERS = [p for p in NOTEBOOKS if re.match(r"\d\d_", p.name)]


def toc_files() -> list[str]:
    """Every ``file:`` entry of _toc.yml (and the root), without extension."""
    return toc_entries(ROOT)


def load(path: Path) -> dict:
    return json.loads(path.read_text())


def code_cells(nb: dict) -> list[dict]:
    return [c for c in nb["cells"] if c["cell_type"] == "code" and "".join(c["source"]).strip()]


def test_there_are_chapters() -> None:
    assert CHAPTERS, "no chapter notebooks found in book/"


def test_every_notebook_is_in_the_toc() -> None:
    listed = set(toc_files())
    missing = [p.name for p in NOTEBOOKS if f"book/{p.stem}" not in listed]
    assert not missing, f"notebooks not listed in _toc.yml: {missing}"


def test_every_toc_entry_exists() -> None:
    for entry in toc_files():
        candidates = [ROOT / f"{entry}{ext}" for ext in (".ipynb", ".md")]
        assert any(c.exists() for c in candidates), f"_toc.yml lists {entry}, which does not exist"


def test_toc_has_no_duplicates() -> None:
    files = toc_files()
    assert len(files) == len(set(files))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
class TestStoredNotebook:
    def test_kernel_is_python3(self, path: Path) -> None:
        spec = load(path)["metadata"].get("kernelspec", {})
        assert spec.get("name") == "python3" and spec.get("language") == "python"

    def test_has_stored_outputs(self, path: Path) -> None:
        cells = code_cells(load(path))
        assert cells and any(c["outputs"] for c in cells), (
            f"{path.name} has no stored outputs: run scripts/refresh_notebooks.py"
        )

    def test_executed_once_top_to_bottom(self, path: Path) -> None:
        counts = [c["execution_count"] for c in code_cells(load(path))]
        assert counts == list(range(1, len(counts) + 1)), (
            f"{path.name}: execution counts {counts}; run scripts/refresh_notebooks.py"
        )

    def test_no_error_outputs_unless_tagged(self, path: Path) -> None:
        for cell in code_cells(load(path)):
            tags = cell.get("metadata", {}).get("tags", [])
            has_error = any(o["output_type"] == "error" for o in cell["outputs"])
            assert not has_error or "raises-exception" in tags, (
                f"{path.name}: a cell stores an error without the raises-exception tag:\n"
                + "".join(cell["source"])[:200]
            )

    def test_no_volatile_metadata(self, path: Path) -> None:
        nb = load(path)
        assert "version" not in nb["metadata"].get("language_info", {})
        for cell in nb["cells"]:
            assert "execution" not in cell.get("metadata", {}), "timing metadata is stored"
            assert cell.get("id"), "every cell needs a stable id"


# Round-off has no digits every machine agrees on: a relative error printed as 3.2e-11 under
# one BLAS kernel is 0.0e+00 or 8.9e-12 under another. Such numbers are printed as the bound
# the cell checks, bc.below(err, 1e-7) -> "below 1e-7". Exact constants of float64 and
# float32 (machine epsilon, the smallest normal numbers) are the same everywhere.
ROUND_OFF = re.compile(r"(?<![\w.])(\d\.\d+e-(?:0[89]|[1-9]\d)|0\.0+e[+-]00)\b")
MACHINE_CONSTANTS = {"2.2e-16", "2.22e-16", "1.1e-16", "1.11e-16", "2.2e-308", "1.2e-38"}


def stored_text(cell: dict) -> str:
    """The text nbval compares of one cell: streams and every non-image output."""
    parts = []
    for out in cell.get("outputs", []):
        if out["output_type"] == "stream":
            parts.append("".join(out["text"]))
        for mime, value in out.get("data", {}).items():
            if not mime.startswith("image/"):
                parts.append("".join(value) if isinstance(value, list) else str(value))
    return "\n".join(parts)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
class TestPortableOutputs:
    """Stored outputs are compared on readers' machines: nothing in them may depend on the CPU."""

    def test_no_round_off_digits_are_printed(self, path: Path) -> None:
        for cell in code_cells(load(path)):
            text = stored_text(cell)
            found = [m for m in ROUND_OFF.findall(text) if m not in MACHINE_CONSTANTS]
            assert not found, (
                f"{path.name}: a cell prints round-off digits {found}, which differ between "
                "BLAS kernels; print bc.below(err, bound) instead:\n"
                + "".join(cell["source"])[:300]
            )

    def test_ignored_outputs_are_asserted(self, path: Path) -> None:
        """A cell whose output nbval ignores (a timing) asserts what the prose says of it."""
        for cell in code_cells(load(path)):
            src = "".join(cell["source"])
            if "NBVAL_IGNORE_OUTPUT" in src:
                assert re.search(r"^\s*assert ", src, re.M), (
                    f"{path.name}: a cell with NBVAL_IGNORE_OUTPUT asserts nothing:\n{src[:300]}"
                )
            assert "NBVAL_SKIP" not in src, f"{path.name}: a cell is skipped by nbval"


def test_the_sanitizer_hides_no_numbers() -> None:
    """nbval's sanitizer may not make two different numbers compare equal."""
    import configparser

    config = configparser.ConfigParser()
    config.read(ROOT / "tests" / "nbval_sanitize.cfg")
    rules = [re.compile(config[s]["regex"]) for s in config.sections()]
    assert rules, "the sanitizer file was not read"
    samples = ["relative error 3.2e-11", "0.0e+00", "1e-17", "loss 0.132, accuracy 94%",
               "[29, 25, 22, 21]", "n^1.18", "-0.99", "7e+05", "18,575 sweeps", "1.60x"]
    for rule in rules:
        for sample in samples:
            assert not rule.search(sample), f"sanitizer rule {rule.pattern!r} hides {sample!r}"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
class TestChapterRecipe:
    """DESIGN.md section 4: derive, implement, verify with an assert, exercises."""

    def source(self, path: Path) -> str:
        return "\n".join("".join(c["source"]) for c in load(path)["cells"])

    def test_imports_the_package(self, path: Path) -> None:
        assert "import backprop_course" in self.source(path)

    def test_verifies_with_an_assert(self, path: Path) -> None:
        src = self.source(path)
        assert re.search(r"^\s*assert ", src, re.M), "no assert: nbval would not catch drift"
        assert "rel_error" in src or "gradcheck" in src

    def test_derives_with_sympy(self, path: Path) -> None:
        assert "sympy" in self.source(path)

    def test_exercises_have_solutions_and_checkers(self, path: Path) -> None:
        src = self.source(path)
        labels = re.findall(r"```\{exercise\}[^\n]*\n:label: (\S+)", src)
        solutions = re.findall(r"```\{solution-start\} (\S+)\n:class: dropdown", src)
        assert len(labels) >= 2, "a chapter sets at least two exercises"
        assert sorted(labels) == sorted(solutions), "every exercise needs a hidden solution"
        checked = re.findall(r"check\(\"(\w+)\"", src)
        assert len(checked) >= len(labels)
        unknown = [name for name in checked if name not in EXERCISES]
        assert not unknown, f"check() names exercises that do not exist: {unknown}"
