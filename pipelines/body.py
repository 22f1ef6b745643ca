"""The article in a page's text: where its paragraphs start and end, and its headline.

Pure functions over the prepared lines (`pipelines.text.prepare`), using the line classes
of `pipelines.text`: a body starts after the page's date line or meta lines (or at its first
prose), skips widgets, labels and credit lines, stops at a footer or a closing line, and is
cut back to the last paragraph an article can end with.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from pipelines.text import (
    CLOSING_LINES,
    CREDIT_ONLY_LINES,
    FOOTER_LINES,
    TERMINAL,
    first_prose,
    is_label,
    is_prose,
    is_widget,
    matches,
    restore,
    strip_meta_prefix,
)

_FOOTER_START = re.compile(r"^(?:copyright|sponsored by|©|all rights reserved)", re.I)

# Credits inside a paragraph that are not article text.
INLINE_NOISE: tuple[re.Pattern[str], ...] = (
    re.compile(r"\[[^\[\]/]{2,40}/\s*for [^\]]{2,40}\]", re.I),
    re.compile(r"(?<=[。!?！？”])\s*+[(（][\u4e00-\u9fff]{2,4}[)）]$"),  # ...举行。（张巨峰）
    re.compile(r"^\s*date\s+\d{4}-\d{1,2}-\d{1,2}\s*", re.I),
    re.compile(r"^\s*\((?:上接|下转|下轉|接上版|接第|转第|轉第)[^()]{0,12}\)\s*"),  # (上接第一版)
    re.compile(r"\((?i:\s*photos?\s+(?:provided\s+(?:to|by)|courtesy\s+of))\s+[^()]{1,80}\)"),
    re.compile(r"\[(?i:\s*bilingual reading\s*)\]\s?"),
    # A credit or a link glued after the last sentence of a paragraph.
    re.compile(r"Translated by\s+[A-Z][a-z]*(?:\s[A-Z][a-z]*){0,3}\.?(?=\s|$)"),
    re.compile(r"(?:Link|LINK)\s?:.*$"),
)
# A line that ends as a sentence does (。 or ;): article text, even when it is short.
_SENTENCE_END = re.compile(r"[\u3400-\u9fff”」』][。;]$")

# A caption's closing photo credit (`…健身。记者 田超 摄`), looked past when trimming.
# (A search starts no attempt inside a run of spaces, and spaces are never given back.)
_PHOTO_CREDIT_END = re.compile(
    r"(?!(?<=\s)\s)[(（]?(?:记者|通讯员)?\s*+[\u4e00-\u9fff ]{2,12}\s*+摄[)）]?$"
)
_DATE_LIKE = re.compile(r"^\d{1,4}\s*[-/.年]\s*\d{1,2}")
_PAREN_LINE = re.compile(r"^[(（\[【].{1,60}[)）\]】]$")


def _after_title(lines: Sequence[str]) -> int:
    """Where a page without prose has its text: after its first plain line, the title."""
    plain = (index for index, line in enumerate(lines) if line and not is_widget(line))
    next(plain, None)
    return next(plain, len(lines))


def _body_start(lines: Sequence[str], anchor: int | None) -> int:
    start = first_prose(lines)
    if start == len(lines):  # a short page with no full sentence: after the date or the title
        return anchor + 1 if anchor is not None else _after_title(lines)
    meta = [
        i for i, line in enumerate(lines[:start]) if line and (is_widget(line) or is_label(line))
    ]
    if anchor is not None and anchor < start:
        meta.append(anchor)
    if meta and max(meta) < start:
        return max(meta) + 1
    # Short sentences just before the first full paragraph open the article too.
    first = start
    for index in range(start - 1, -1, -1):
        if not lines[index]:
            continue
        if not _SENTENCE_END.search(lines[index]) or is_label(lines[index]):
            break
        first = index
    return first


def _ends_article(paragraph: str) -> bool:
    """A paragraph the article can end with: a sentence, or a long line that is no caption."""
    last = _PHOTO_CREDIT_END.sub("", paragraph)
    if _PAREN_LINE.match(last):  # a caption, unless it is a sentence: (应受访者要求，…。)
        return is_prose(last) or "。" in last
    return is_prose(last) or len(last) >= 80 or bool(TERMINAL.search(last))


def _trim_tail(paragraphs: list[str]) -> list[str]:
    """The paragraphs up to the last one the article can end with (short unfinished lines
    after it are links and captions). With no such paragraph there is no end to cut back
    to, and every paragraph stays."""
    for end in range(len(paragraphs), 0, -1):
        if _ends_article(paragraphs[end - 1]):
            return paragraphs[:end]
    return paragraphs


def extract_body(
    lines: Sequence[str],
    *,
    anchor: int | None = None,
    skip: Collection[int] = (),
    written: Sequence[str] | None = None,
) -> str:
    """The article paragraphs, separated by a blank line.

    ``anchor`` is the index of the page's own date line when one was found: the article
    starts after it (or at the first prose line, whichever is later). ``skip`` holds the
    indices of other meta lines (more date lines) to leave out. ``written`` holds the lines
    as written (see :func:`prepare`); paragraphs are given as written when it is there.
    """
    written = written if written is not None else lines
    if _hard_wrapped(lines):
        lines = written = _unwrap(lines)
        anchor, skip = None, ()
    start = _body_start(lines, anchor)
    paragraphs: list[str] = []
    prose = False  # whether a paragraph so far reads as prose
    for index, raw in enumerate(lines[start:], start):
        if not raw or index in skip:
            continue
        line = raw
        if not paragraphs:
            line = strip_meta_prefix(line)
        if _FOOTER_START.match(line) or (not is_prose(line) and matches(line, FOOTER_LINES)):
            break
        if prose and matches(line, CLOSING_LINES):
            break
        if is_widget(line) or is_label(line) or matches(line, CREDIT_ONLY_LINES):
            continue
        for pattern in INLINE_NOISE:
            line = pattern.sub("", line)
        line = " ".join(line.split())
        if line:
            paragraphs.append(restore(line, raw, written[index]))
            prose = prose or is_prose(paragraphs[-1])
    return "\n\n".join(_trim_tail(paragraphs))


def _hard_wrapped(lines: Sequence[str]) -> bool:
    """Text wrapped at a fixed width: many consecutive mid-length lines and no prose line."""
    filled = [line for line in lines if line]
    if len(filled) < 8 or any(len(line) > 100 for line in filled):
        return False
    mid = [line for line in filled if 40 <= len(line) <= 90]
    return len(mid) >= 0.6 * len(filled)


def _unwrap(lines: Sequence[str]) -> list[str]:
    """Join wrapped lines into paragraphs (a blank line or a sentence end closes one)."""
    out: list[str] = []
    current: list[str] = []
    for line in lines:
        if line:
            current.append(line)
        if current and (not line or TERMINAL.search(line)):
            out.append(" ".join(current))
            current = []
    if current:
        out.append(" ".join(current))
    return out


def find_title(lines: Sequence[str], *, anchor: int | None = None) -> tuple[str | None, int | None]:
    """The headline and its line: the last plain line before the date line (or before the
    first paragraph; on a page without prose, its first plain line); on a page that opens
    with its date line, the plain line after it."""
    end = anchor if anchor is not None else first_prose(lines)
    if end == len(lines):
        end = _after_title(lines)
    for index in range(end - 1, -1, -1):
        if candidate := _title(lines[index]):
            return candidate, index
    if anchor is not None:
        for index in range(anchor + 1, first_prose(lines)):
            if candidate := _title(lines[index]):
                return candidate, index
    return None, None


def _title(line: str) -> str | None:
    if not line or is_widget(line) or is_label(line) or len(line) > 200:
        return None
    if is_prose(line) or matches(line, CREDIT_ONLY_LINES) or _SENTENCE_END.search(line):
        return None  # a headline does not end as a sentence does
    candidate = " ".join(strip_meta_prefix(line).split()).strip(" |")
    return candidate if candidate and not _DATE_LIKE.match(candidate) else None
