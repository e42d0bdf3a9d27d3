"""A small public-domain text for character-level models, shipped with the package (chapter 14).

:func:`sonnets` returns Shakespeare's Sonnets I to LX (37,547 characters; the folder's
``README.md`` records its source and why it is in the public domain), and
:func:`sonnets_split` the same text cut in two: sonnets I to L to train on, LI to LX held out.
:class:`CharCodec` turns text into integer ids and back, and :func:`random_windows` draws
training windows: ``x`` is a stretch of the text and ``y`` the same stretch shifted by one
character, so that position t of ``y`` is the character that follows position t of ``x``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from ..checks import describe as _describe
from ..checks import int_at_least as _int_at_least

__all__ = ["SONNETS_FILE", "HELD_OUT_FROM", "sonnets", "sonnets_split", "CharCodec",
           "random_windows"]

SONNETS_FILE = Path(__file__).with_name("sonnets.txt")
"""Path of the text (package data)."""

HELD_OUT_FROM = "LI"
"""The heading of the first held-out sonnet (:func:`sonnets_split` holds out LI to LX)."""


def sonnets() -> str:
    """Shakespeare's Sonnets I to LX as one string (ASCII, lines separated by ``\\n``)."""
    return SONNETS_FILE.read_text(encoding="ascii")


def sonnets_split() -> tuple[str, str]:
    """The Sonnets cut before the heading of sonnet LI: ``(train, held_out)``.

    ``train`` holds sonnets I to L (31,360 characters) and ``held_out`` sonnets LI to LX
    (6,187 characters), so that ``train + held_out == sonnets()``. A model trained on
    ``train`` and evaluated on ``held_out`` is measured on text it has never read.
    """
    text = sonnets()
    cut = text.index(f"\n{HELD_OUT_FROM}\n") + 1  # the heading stands on a line of its own
    return text[:cut], text[cut:]


class CharCodec:
    """The characters of a text, numbered in sorted order: ``encode`` and ``decode``.

    Parameters
    ----------
    text : str
        The text whose characters make the vocabulary.

    Raises
    ------
    TypeError
        If ``text`` is not a string.
    ValueError
        If it is empty.
    """

    def __init__(self, text: str) -> None:
        if not isinstance(text, str):
            raise TypeError(f"CharCodec: text must be a str, got {_describe(text)}")
        if not text:
            raise ValueError("CharCodec: text is empty, so there is no character to number")
        self.chars = sorted(set(text))
        self._ids = {ch: i for i, ch in enumerate(self.chars)}

    def __len__(self) -> int:
        return len(self.chars)

    def encode(self, text: str) -> np.ndarray:
        """The ids of the characters of ``text``, an int64 array.

        Raises TypeError for a non-string and ValueError for a character not in the
        vocabulary.
        """
        if not isinstance(text, str):
            raise TypeError(f"CharCodec.encode: text must be a str, got {_describe(text)}")
        unknown = sorted(set(text) - set(self._ids))
        if unknown:
            raise ValueError(f"CharCodec.encode: characters not in the vocabulary: {unknown}")
        return np.array([self._ids[ch] for ch in text], dtype=np.int64)

    def decode(self, ids: Any) -> str:
        """The text of a sequence of ids.

        Raises TypeError if the ids are not integers and ValueError if one is out of range.
        """
        arr = np.asarray(ids)
        if arr.dtype.kind not in "iu":
            raise TypeError(f"CharCodec.decode: ids must be integers, got dtype {arr.dtype}")
        if arr.size and (arr.min() < 0 or arr.max() >= len(self.chars)):
            raise ValueError(f"CharCodec.decode: ids must lie in 0..{len(self.chars) - 1}")
        return "".join(self.chars[int(i)] for i in arr.ravel())


def random_windows(ids: Any, T: int, N: int, rng: np.random.Generator | int | None = None
                   ) -> tuple[np.ndarray, np.ndarray]:
    """``N`` random windows of ``T`` ids, ``x`` (N, T), and their next ids ``y`` (N, T).

    ``y[:, t] = ids[start + t + 1]`` is the character that follows ``x[:, t]``.

    Raises
    ------
    TypeError
        If ``ids`` are not integers, ``T`` or ``N`` not an int, or ``rng`` not a seed or
        Generator.
    ValueError
        If ``ids`` is not 1-D or too short for a window of ``T + 1``, or ``T`` or ``N`` < 1.
    """
    arr = np.asarray(ids)
    if arr.dtype.kind not in "iu":
        raise TypeError(f"random_windows: ids must be integers, got dtype {arr.dtype}")
    T = _int_at_least(T, 1, "T", "random_windows")
    N = _int_at_least(N, 1, "N", "random_windows")
    if arr.ndim != 1 or arr.size < T + 1:
        raise ValueError(f"random_windows needs a 1-D array of at least T + 1 = {T + 1} ids, "
                         f"got shape {arr.shape}")
    if not (rng is None or isinstance(rng, np.random.Generator)
            or (isinstance(rng, int) and not isinstance(rng, bool) and rng >= 0)):
        raise TypeError(f"random_windows: rng must be a seed >= 0 or a Generator, got "
                        f"{_describe(rng)}")
    gen = np.random.default_rng(rng)
    starts = gen.integers(0, arr.size - T, size=N)
    offsets = np.arange(T)
    return arr[starts[:, None] + offsets], arr[starts[:, None] + offsets + 1]
