"""The book's table of contents, read once for the structure tests and the browser tests."""

from __future__ import annotations

from pathlib import Path

import yaml


def toc_entries(root: Path) -> list[str]:
    """The root and every ``file:`` entry of ``root/_toc.yml``, in order, as written there."""
    toc = yaml.safe_load((root / "_toc.yml").read_text())
    entries = [toc["root"]]

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if "file" in node:
                entries.append(node["file"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(toc.get("parts", toc.get("chapters", [])))
    return entries
