"""The headline: the line of the page most like the titles the page gives itself.

References are ``<title>`` and its prefixes that end before a separator (``Headline_Channel_
Site`` gives ``Headline``, so a site-name suffix costs nothing), ``og:title`` and the
government-site ``ArticleTitle``, never the site's own name (a logo heading shows it too).
A line's likeness is the Dice coefficient of its longest common substring with a reference;
headings, title-like classes and nearness to the body add a little, a link takes some off.
Without a match, the nearest heading above the body is the headline.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from difflib import SequenceMatcher

from lxml import etree

from crawler.visible import Line

TITLE_HINT = re.compile(r"title|headline|biaoti|heading|(?:^|[-_ ])tit(?:$|[-_ \d])", re.I)
MIN_TITLE_SIMILARITY = 0.6
NEAR_BODY = 20  # lines: a headline this close above the body is preferred
# A match starts where a run of spaces does, never inside one, and takes its spaces whole,
# so a long run of spaces costs one pass.
TITLE_SEPARATORS = re.compile(r"(?!(?<=\s)\s)\s*+(?:_|\||｜|—|–|-|::|·)++\s*+")


def _fold(value: str) -> str:
    return " ".join(value.split()).casefold()


def title_references(
    head_title: str | None, titles: Sequence[str], site_name: str | None = None
) -> list[str]:
    """What the headline should resemble: the meta titles, ``<title>`` and its prefixes
    that end before a separator (``Headline_Channel_Site`` gives ``Headline``); never the
    site's own name (which a logo heading also shows)."""
    refs = [_fold(title) for title in titles if title.strip()]
    if head_title:
        folded = _fold(head_title)
        refs.append(folded)
        refs.extend(folded[: m.start()] for m in TITLE_SEPARATORS.finditer(folded) if m.start())
    site = _fold(site_name) if site_name else None
    return [ref for ref in dict.fromkeys(refs) if ref and ref != site]


def similarity(candidate: str, reference: str) -> float:
    """Dice coefficient of the longest common substring (1.0: the same text)."""
    return References([reference]).best(candidate)


class References:
    """The texts a headline should resemble, each indexed once for `similarity`."""

    def __init__(self, references: Sequence[str]) -> None:
        self.matchers = []
        for reference in references:
            matcher = SequenceMatcher(None, autojunk=False)
            matcher.set_seq2(reference)
            self.matchers.append((reference, matcher))

    def __bool__(self) -> bool:
        return bool(self.matchers)

    def best(self, candidate: str, floor: float = 0.0) -> float:
        """The candidate's greatest similarity to a reference (0.0 when none reaches
        ``floor``: a text much shorter or longer than a reference cannot)."""
        best = 0.0
        for reference, matcher in self.matchers:
            total = len(candidate) + len(reference)
            if candidate == reference:
                return 1.0
            if 2 * min(len(candidate), len(reference)) < max(floor, best) * total:
                continue
            matcher.set_seq1(candidate)
            size = matcher.find_longest_match(0, len(candidate), 0, len(reference)).size
            best = max(best, 2 * size / total)
        return best if best >= floor else 0.0


def _markup_bonus(line: Line) -> float:
    bonus = {1: 0.15, 2: 0.1, 3: 0.05}.get(line.heading, 0.0)
    element: etree._Element | None = line.block
    for _ in range(3):
        if element is None:
            break
        if TITLE_HINT.search(f"{element.get('class') or ''} {element.get('id') or ''}"):
            bonus += 0.1
            break
        element = element.getparent()
    return bonus - (0.2 if line.link_share >= 0.5 else 0.0)


def find_title(
    lines: Sequence[Line], references: References, body_start: int
) -> tuple[str | None, int | None]:
    """The headline shown on the page and its line index: the line before the body most like
    the page's titles (nearer the body preferred), else the nearest heading above the body."""
    found = matching_title(lines, references, 0, body_start)
    if found[1] is not None:
        return found
    for index in range(body_start - 1, -1, -1):
        if lines[index].heading and lines[index].link_share < 0.5 and len(lines[index].text) > 4:
            return lines[index].text, index
    return None, None


def matching_title(
    lines: Sequence[Line], references: References, start: int, end: int
) -> tuple[str | None, int | None]:
    best: tuple[float, int] | None = None
    for index in range(start, end):
        line = lines[index]
        if len(line.text) > 200 or len(line.text) < 2:
            continue
        match = references.best(_fold(line.text), MIN_TITLE_SIMILARITY)
        if not match:
            continue
        score = match + _markup_bonus(line) + (0.05 if end - index <= NEAR_BODY else 0.0)
        if best is None or score > best[0]:
            best = (score, index)
    return (lines[best[1]].text, best[1]) if best is not None else (None, None)
