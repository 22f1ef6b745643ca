"""Search snippets: the part of an article's text where the search matched, the matched words
highlighted, cut where a reader would cut it.

FTS5's own `snippet()` counts tokens, and in the index every Chinese character is a token: a
snippet of 24 tokens cut `株洲至长沙` between its characters (`株洲至<mark>长</mark>…`). Here
the window is measured in characters around the densest cluster of matches (the most
distinct terms), every match is whole, and an edge falls on a space or a punctuation mark when
one is near (else on a word boundary: a Latin word is never split).
"""

from __future__ import annotations

import re
import unicodedata

from archive.searchquery import matches
from archive.segment import CJK

HIGHLIGHT = ("<mark>", "</mark>")
ELLIPSIS = "…"
WIDTH = 160  # characters in a snippet of English, about 25 words; Chinese takes half as many
NEAR = 16  # how far an edge moves to fall on a space or punctuation mark
LONGEST_WORD = 40
_LATIN_WORD = re.compile(f"[^\\W_{CJK}]")  # a letter or digit that is not Chinese
_CJK_CHAR = re.compile(f"[{CJK}]")


def _is_soft(char: str) -> bool:
    """A space or a punctuation mark: a good place to cut."""
    return char.isspace() or unicodedata.category(char).startswith(("P", "Z"))


def _inside_word(text: str, index: int) -> bool:
    return (
        0 < index < len(text)
        and bool(_LATIN_WORD.match(text[index - 1]))
        and bool(_LATIN_WORD.match(text[index]))
    )


def _edge(text: str, index: int, step: int) -> int:
    """`index` moved (by `step`: -1 back, +1 on) to a space or punctuation within NEAR
    characters, else out of the Latin word it falls in (of at most LONGEST_WORD)."""
    for moved in range(NEAR + 1):
        at = index + step * moved
        if at <= 0 or at >= len(text):
            return max(0, min(at, len(text)))
        if _is_soft(text[at - 1]) or _is_soft(text[at]):
            return at
    for _ in range(LONGEST_WORD):  # past that, no word: a code or a run of letters
        if not _inside_word(text, index):
            break
        index += step
    return index


def _width(text: str) -> int:
    """WIDTH, halved for a text mostly in Chinese (its characters are twice as wide)."""
    sample = text[:400]
    chinese = len(_CJK_CHAR.findall(sample))
    return WIDTH // 2 if chinese * 3 > len(sample) else WIDTH


def _window(spans: list[tuple[int, int, str]], width: int) -> tuple[int, int]:
    """The start and end of the snippet: around the run of matches (in text order) with the
    most distinct terms that fits in `width` characters, a little context before it. One
    pass: a window of matches slides over them, counting its terms."""
    best = (0, 0, 0)  # distinct terms, first match, end of the last match in the window
    counts: dict[str, int] = {}
    last = 0  # the window holds spans[first:last]
    for first, (start, _, _) in enumerate(spans):
        last = max(last, first)
        while last < len(spans) and spans[last][1] - start <= width:
            counts[spans[last][2]] = counts.get(spans[last][2], 0) + 1
            last += 1
        if last > first:
            covered = spans[last - 1][1]
            if len(counts) > best[0]:
                best = (len(counts), first, covered)
            term = spans[first][2]
            counts[term] -= 1
            if not counts[term]:
                del counts[term]
    _, first, covered = best
    start = spans[first][0]
    covered = max(covered, spans[first][1])  # a match longer than the width: whole
    start = max(0, start - max(0, width - (covered - start)) // 3)
    return start, max(covered, start + width)


def snippet(text: str | None, query: str | None) -> str:
    """A snippet of `text` for the search `query`, its matches between `<mark>` tags (the
    rest as written, not escaped: `render_cell` escapes it for a page). Without a match,
    the beginning of the text."""
    text = " ".join((text or "").split())
    spans = [(start, end, text[start:end].lower()) for start, end in matches(text, query)]
    width = _width(text)
    start, end = _window(spans, width) if spans else (0, width)
    if end >= len(text):
        end = len(text)
        start = max(0, min(start, end - width))
    start, end = _edge(text, start, -1), _edge(text, end, +1)
    for begin, finish, _ in spans:  # a match on an edge is taken whole
        if begin < start < finish:
            start = begin
        if begin < end < finish:
            end = finish
    parts = []
    position = start
    for begin, finish, _ in spans:
        if begin >= start and finish <= end:
            parts += [text[position:begin], HIGHLIGHT[0], text[begin:finish], HIGHLIGHT[1]]
            position = finish
    parts.append(text[position:end])
    before = ELLIPSIS if start > 0 else ""
    after = ELLIPSIS if end < len(text) else ""
    return before + "".join(parts).strip() + after
