"""Chinese text segmented for FTS5: a zero-width space between each Chinese character and its
neighbours (see `archive.search`), so that every character is a token of `unicode61`."""

from __future__ import annotations

import re

SEPARATOR = "\u200b"  # zero-width space: a token separator for unicode61, invisible on screen
CJK = (
    "\u3005\u3007\u3021-\u3029\u3038-\u303b"  # 々 〇 and Hangzhou numerals
    "\u3040-\u30ff"  # kana
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # Han ideographs (ext. A, unified, compat.)
    "\uac00-\ud7af"  # Hangul syllables
    "\U00020000-\U0003134f"  # Han ideographs, extensions B to G
)
_CJK_RUN = re.compile(f"[{CJK}]+")


def segment(text: str) -> str:
    """`text` with a zero-width space between each CJK character and any word character
    beside it, so that FTS5 indexes (and searches) Chinese character by character."""
    if text.isascii():  # O(1) in CPython: most English text needs no scan at all
        return text
    return _CJK_RUN.sub(_separated, text)


def _separated(run: re.Match[str]) -> str:
    """A run of CJK characters, separated, and from word characters on either side."""
    text, start, end = run.string, run.start(), run.end()
    before = SEPARATOR if start and _is_word(text[start - 1]) else ""
    after = SEPARATOR if end < len(text) and _is_word(text[end]) else ""
    return before + SEPARATOR.join(run.group()) + after


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"
