"""The notation appendix lists every symbol that the chapters' equations use.

book/notation.md is the reader's key to the book's letters, several of which mean different
things in different chapters. It stays complete only if something checks it: a chapter that
starts using a Greek letter the appendix does not list, a row that points to a chapter or a
section that does not exist, or a table row broken by a stray ``|`` fails here, before a reader
meets the gap.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BOOK = ROOT / "book"
NOTATION = BOOK / "notation.md"
CHAPTERS = sorted(BOOK.glob("[0-9][0-9]_*.ipynb"))

# Every Greek letter LaTeX has a command for (lowercase, variants, the uppercase letters that do
# not look Latin), and the two other symbols the book uses as letters: nabla and ell.
GREEK = (
    "alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa varkappa "
    "lambda mu nu xi pi varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi omega "
    "Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega nabla ell"
).split()
COMMAND = re.compile(r"\\(" + "|".join(sorted(GREEK, key=len, reverse=True)) + r")(?![A-Za-z])")


def _unicode_letters() -> dict[str, str]:
    """Greek letters typed as characters, mapped to the command that prints them."""
    letters = {
        "∇": "nabla",
        "ℓ": "ell",
        "ε": "varepsilon",
        "ϵ": "epsilon",
        "ϑ": "vartheta",
        "φ": "varphi",
        "ϕ": "phi",
        "ϖ": "varpi",
        "ϱ": "varrho",
        "ς": "varsigma",
    }
    for char in map(chr, range(0x391, 0x3CA)):
        try:
            name = unicodedata.name(char)
        except ValueError:  # U+03A2, the unassigned gap in the capitals
            continue
        word = name.split()[-1].lower().replace("lamda", "lambda")
        if "CAPITAL" in name:
            word = word.capitalize()
        if word in GREEK:
            letters.setdefault(char, word)
    return letters


UNICODE = _unicode_letters()

# Markdown that is not maths: fenced code (but not a MyST directive such as ```{exercise}, whose
# body is text with maths in it) and inline code. Then the maths: $$...$$, $...$, {math}`...`
# and amsmath environments standing on their own.
FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})(.*)$")
MATH_ROLE = re.compile(r"\{math\}`([^`]*)`")
INLINE_CODE = re.compile(r"`[^`\n]*`")
MATH = re.compile(r"\$\$(.+?)\$\$|\$(.+?)\$|\\begin\{(\w+\*?)\}(.+?)\\end\{\3\}", re.DOTALL)

HEADING = re.compile(r"^#{2,4} (\d+(?:\.\d+)+) ", re.MULTILINE)
SECTION_REF = re.compile(r"§(\d+(?:\.\d+)+)")
DOC_REF = re.compile(r"\{doc\}`(?:([^`<]*?)\s*<)?([^`<>]+?)>?`")
CHAPTER_REF = re.compile(r"\bch(?:apters?|\.)\s+(\d+(?:(?:,\s*|\s+and\s+|\s+to\s+|\s+or\s+)\d+)*)")


def without_code_blocks(markdown: str) -> str:
    """The text without fenced code; a directive's fences stay, and so does its body."""
    kept: list[str] = []
    directives: list[str] = []  # the fences of the directives that are open
    code = ""  # the fence of the code block we are in, if any
    for line in markdown.splitlines():
        m = FENCE.match(line)
        fence, info = (m.group(1), m.group(2).strip()) if m else ("", "")
        if code:
            if fence[:1] == code[0] and len(fence) >= len(code) and not info:
                code = ""
            continue
        if fence and info.startswith("{"):
            directives.append(fence)
        elif (
            fence
            and not info
            and directives
            and fence[0] == directives[-1][0]
            and len(fence) >= len(directives[-1])
        ):
            directives.pop()
        elif fence:
            code = fence
            continue
        kept.append(line)
    return "\n".join(kept)


def math_spans(markdown: str) -> list[str]:
    """The maths of a markdown text, without what code blocks and inline code contain."""
    text = without_code_blocks(markdown)
    spans = MATH_ROLE.findall(text)
    text = INLINE_CODE.sub("", MATH_ROLE.sub("", text))
    for m in MATH.finditer(text):
        spans.append(m.group(1) or m.group(2) or m.group(4) or "")
    return spans


def symbols_in(markdown: str) -> set[str]:
    """The Greek-letter commands (``\\alpha`` ... ``\\nabla``, ``\\ell``) in a text's maths."""
    found: set[str] = set()
    for span in math_spans(markdown):
        found |= {"\\" + name for name in COMMAND.findall(span)}
        found |= {"\\" + UNICODE[char] for char in span if char in UNICODE}
    return found


def markdown_cells(path: Path) -> list[str]:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return ["".join(c["source"]) for c in cells if c["cell_type"] == "markdown"]


def chapter_symbols() -> dict[str, set[str]]:
    """Symbol -> the chapters (notebook names) whose markdown maths use it."""
    used: dict[str, set[str]] = {}
    for path in CHAPTERS:
        for symbol in symbols_in("\n\n".join(markdown_cells(path))):
            used.setdefault(symbol, set()).add(path.name)
    return used


def table_lines(markdown: str) -> list[str]:
    return [line for line in markdown.splitlines() if line.lstrip().startswith("|")]


def listed_symbols(appendix: str) -> set[str]:
    """The Greek-letter commands that appear in the appendix's tables."""
    return {"\\" + name for name in COMMAND.findall("\n".join(table_lines(appendix)))}


def unlisted(used: dict[str, set[str]], listed: set[str]) -> dict[str, list[str]]:
    """The symbols some chapter uses and the appendix does not list, with those chapters."""
    return {s: sorted(chapters) for s, chapters in sorted(used.items()) if s not in listed}


def appendix() -> str:
    return NOTATION.read_text(encoding="utf-8")


def test_the_scanner_reads_maths_and_only_maths() -> None:
    text = (
        "Inline $\\alpha + \\beta_1$, display $$\\Delta w = -\\eta\\,\\nabla L$$, a role "
        "{math}`\\ell_n`, a typed letter $σ(z)$ and an environment "
        "\\begin{align}\\gamma &= 1\\end{align}.\n\n"
        "```{exercise} Maths inside a directive counts\n:label: ex-x\n\n$\\kappa$\n```\n\n"
        "```python\nx = '$\\omega$'  # code, not maths\n```\n\n"
        "```{solution-start} ex-x\n:class: dropdown\n```\n\n$\\chi$ after a directive closed\n\n"
        "Inline code `$\\psi$` and prose \\phi outside any maths do not count."
    )
    assert symbols_in(text) == {
        "\\alpha",
        "\\beta",
        "\\Delta",
        "\\eta",
        "\\nabla",
        "\\ell",
        "\\sigma",
        "\\gamma",
        "\\kappa",
        "\\chi",
    }
    # A longer name is not read as a shorter one inside it.
    assert symbols_in("$\\theta + \\beta + \\vartheta + \\varepsilon$") == {
        "\\theta",
        "\\beta",
        "\\vartheta",
        "\\varepsilon",
    }


def test_a_symbol_missing_from_the_appendix_is_reported() -> None:
    """A chapter that starts using a letter the appendix lacks must fail the check below."""
    used = {"\\omega": {"14_new_chapter.ipynb"}, "\\eta": {"01_learning_as_optimisation.ipynb"}}
    table = "| symbol | meaning |\n| --- | --- |\n| $\\eta$ | the learning rate |\n"
    assert unlisted(used, listed_symbols(table)) == {"\\omega": ["14_new_chapter.ipynb"]}
    # Prose outside the tables does not count as listing a symbol.
    assert "\\omega" in unlisted(used, listed_symbols(table + "\nWe never use $\\omega$.\n"))


def test_the_chapters_use_greek_letters() -> None:
    """Guards the scanner itself: the book's equations are full of Greek letters."""
    used = chapter_symbols()
    assert {"\\eta", "\\delta", "\\sigma", "\\varepsilon", "\\nabla"} <= set(used)


def test_every_symbol_of_the_chapters_is_in_the_appendix() -> None:
    missing = unlisted(chapter_symbols(), listed_symbols(appendix()))
    assert not missing, (
        "symbols used in the chapters' maths but missing from the tables of book/notation.md "
        f"(add a row with each meaning and its chapter): {missing}"
    )


def test_the_appendix_keeps_its_label_and_conventions() -> None:
    text = appendix()
    assert text.startswith("(notation-appendix)=\n# Notation")
    assert "## Conventions" in text


def test_every_table_row_has_as_many_cells_as_its_header() -> None:
    """An unescaped | (say |x| in maths, instead of \\lvert x\\rvert) would split a cell."""
    block: list[str] = []
    for line in [*appendix().splitlines(), ""]:
        if line.startswith("|"):
            block.append(line)
            continue
        if block:
            widths = [len(re.findall(r"(?<!\\)\|", row)) for row in block]
            assert len(set(widths)) == 1, f"a table row has the wrong number of cells:\n{block}"
            block = []


def test_every_page_the_appendix_links_exists() -> None:
    refs = DOC_REF.findall(appendix())
    assert refs, "the appendix links no chapter"
    for title, target in refs:
        assert any((BOOK / f"{target}{ext}").exists() for ext in (".ipynb", ".md")), (
            f"notation.md links {target!r}, which is not a page of the book"
        )
        number = re.fullmatch(r"ch\. (\d+)", title.strip())
        if number:
            assert target.startswith(f"{int(number.group(1)):02d}_"), (
                f"notation.md calls {target!r} chapter {number.group(1)}"
            )


def test_every_chapter_and_section_the_appendix_names_exists() -> None:
    text = appendix()
    numbers = {int(p.name[:2]) for p in CHAPTERS}
    for refs in CHAPTER_REF.findall(text):
        for n in map(int, re.findall(r"\d+", refs)):
            assert n in numbers, f"notation.md names chapter {n}, which does not exist"
    sections = set()
    for path in CHAPTERS:
        sections |= set(HEADING.findall("\n\n".join(markdown_cells(path))))
    named = set(SECTION_REF.findall(text))
    assert named, "the appendix names no section"
    assert named <= sections, f"notation.md names sections that do not exist: {named - sections}"
