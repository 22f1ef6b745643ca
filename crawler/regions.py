"""Where the article sits in a page's visible lines: headline, meta lines, body, tail lines.

- **Body**: the main run of prose. Each line weighs what a reader gets from it: the text of a
  sentence counts for, a menu entry, a link, a label or a line inside page furniture (comment
  boxes, navigation, related lists, share widgets, footers, known by their class or id)
  counts against. The run with the greatest weight (a maximum subarray) is the article,
  held to the element that contains most of its prose.
- **Headline** (`crawler.headline`): of the lines before the body, the one most like the
  page's titles; else the nearest heading above the body.
- **Meta lines**: between headline and body, the lines that hold a date or a label
  (source, author, editor, time).
- **Tail lines**: after the body, up to comments, related lists, headings or the footer,
  the lines that hold a credit or source label.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from lxml import etree

from crawler.headline import References, find_title, matching_title, title_references
from crawler.visible import Line, words
from pipelines import text as textrules

logger = logging.getLogger(__name__)


# Class or id words of page furniture (matched against the words of the class/id values),
# and the same in pinyin, as Chinese CMS templates name them.
FURNITURE_WORDS = words(
    "nav footer aside comment comments cmt reply replies pinglun gentie tie foot navbar navi menu "
    "sidebar side aside breadcrumb breadcrumbs crumb crumbs share sharing bdshare related "
    "relate recommend recommended hot rank ranking copyright advert advertisement ad ads "
    "banner login register tags keyword keywords pagination pager toolbar weizhi position "
    "location friendlink links more jump statement disclaimer "
    "daohang tuijian xiangguan fenxiang remen paihang banquan youqing youlian shenming "
    "shengming mianze dibu"
)
# Furniture the tail stops at (a share widget or toolbar between body and credits does not).
STOP_WORDS = words(
    "nav footer aside comment comments cmt reply replies pinglun gentie tie related relate "
    "recommend "
    "recommended hot rank ranking footer foot copyright friendlink tuijian xiangguan remen "
    "paihang banquan youqing youlian dibu"
)
_WORDS = re.compile(r"[a-z]+")
META_HINT = re.compile(r"source|author|date|time|info|pub|byline|laiyuan|zuozhe|editor", re.I)
SENTENCE_MARKS = frozenset("，。！？；,.!?;")
META_LINE = re.compile(
    r"(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}|\d{1,2}:\d{2}|"
    r"(?:来\s*源|來\s*源|作\s*者|编\s*辑|編\s*輯|责\s*编|記者|记者|通讯员|发布|發布|时间|時間|日期|"
    r"浏览|出处|稿源)|\b(?:source|from|by|author|editor|updated|published|posted|date|time|"
    r"reporter|writer|release)\b",
    re.I,
)
TAIL_LINE = re.compile(
    r"(?:责任编辑|責任編輯|编\s*辑|編\s*輯|编审|责\s*编|責\s*編|主\s*编|审\s*核|审\s*校|校\s*对|"
    r"[一二三]\s*[审審]|记\s*者|記\s*者|通讯员|作\s*者|摄\s*影|攝\s*影|来\s*源|來\s*源|出\s*处|"
    r"稿\s*源|翻\s*译|译\s*者|监\s*制|策\s*划|制\s*作)\s*[:：/|\s]|摄[)）]?$|"
    r"^[(（]?\s*(?:translators?|translated by|editors?|edited by|source|from|chinese source|"
    r"photos?|photo by|photographers?|reporters?|correspondents?|writers?|authors?|by|"
    r"this article is from|contributed by)\b",
    re.I,
)
MAX_TAIL_LINES = 8
TAIL_SCAN = 40


@dataclass
class Regions:
    """Line indices of each part of the article (``title_line`` may be None)."""

    title: str | None = None
    title_line: int | None = None
    meta: list[int] = field(default_factory=list)
    body: list[int] = field(default_factory=list)
    tail: list[int] = field(default_factory=list)


class Furniture:
    """Whether a line sits inside page furniture, cached per element."""

    def __init__(self, words: frozenset[str]) -> None:
        self.words = words
        self.cache: dict[etree._Element, bool] = {}

    def __call__(self, element: etree._Element | None) -> bool:
        chain: list[etree._Element] = []
        found = False
        while element is not None:
            if element in self.cache:
                found = self.cache[element]
                break
            chain.append(element)
            names = set(
                _WORDS.findall(f"{element.get('class') or ''} {element.get('id') or ''}".lower())
            )
            names.add(element.tag if element.tag in ("nav", "footer", "aside") else "")
            hits = names & self.words
            if hits and not _own_footer(element, hits):
                found = True
                break
            element = element.getparent()
        for item in chain:
            self.cache[item] = found
        return found


_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
LATIN_CHAR_WEIGHT = 0.35  # a Latin letter says about a third of what a Chinese character does
MAX_TEASER_LINES = 4
BOX_LEVELS = 3


def _own_weight(line: Line) -> float:
    own = len(line.text) - line.link_chars
    cjk = len(_CJK.findall(line.text))
    return min(cjk, own) + LATIN_CHAR_WEIGHT * max(0, own - cjk)


def _teaser_boxes(lines: Sequence[Line]) -> set[etree._Element]:
    """Small boxes (a few lines) around a link to another page: a headline with its teaser
    or the box's own heading, as related-article lists and "read more" boxes show them.
    A box is the largest element within three levels of the link that holds at most
    ``MAX_TEASER_LINES`` lines."""
    sizes: dict[etree._Element, int] = {}
    for line in lines:
        element: etree._Element | None = line.block
        for _ in range(BOX_LEVELS + 1):
            if element is None:
                break
            sizes[element] = sizes.get(element, 0) + 1
            element = element.getparent()
    boxes = set()
    for line in lines:
        if line.link_share < 0.5 or len(line.text) < 8:
            continue
        box, element = None, line.block
        for _ in range(BOX_LEVELS):
            if element is None or sizes.get(element, MAX_TEASER_LINES + 1) > MAX_TEASER_LINES:
                break
            box, element = element, element.getparent()
        if box is not None and sizes[box] > 1:
            boxes.add(box)
    return boxes


def _in_box(element: etree._Element | None, boxes: set[etree._Element]) -> bool:
    for _ in range(BOX_LEVELS):
        if element is None:
            return False
        if element in boxes:
            return True
        element = element.getparent()
    return False


def _own_footer(element: etree._Element, names: set[str]) -> bool:
    """An article's own footer (inside ``<article>``, where credits sit), not the page's."""
    return (
        names <= {"footer", "foot", ""} and next(element.iterancestors("article"), None) is not None
    )


def _weight(line: Line, junk: bool) -> float:
    if junk:
        return -(10 + 0.5 * len(line.text))
    if line.link_share >= 0.5:
        return -(5 + 0.5 * line.link_chars)
    if line.heading:
        return -8
    own = _own_weight(line)
    if any(mark in SENTENCE_MARKS for mark in line.text):
        return own
    return 0.5 * own if own >= 30 else -3


def _best_run(weights: Sequence[float], start: int) -> tuple[int, int] | None:
    best, best_range = 0.0, None
    total, run_start = 0.0, start
    for index in range(start, len(weights)):
        if total <= 0:
            total, run_start = 0.0, index
        total += weights[index]
        if total > best:
            best, best_range = total, (run_start, index)
    return best_range


def _container(lines: Sequence[Line], run: range, weights: Sequence[float]) -> etree._Element:
    """The deepest element holding 80% of the run's positive weight."""
    score: dict[etree._Element, float] = {}
    depth: dict[etree._Element, int] = {}
    total = 0.0
    for index in run:
        if weights[index] <= 0:
            continue
        total += weights[index]
        chain = [lines[index].block, *lines[index].block.iterancestors()]
        for level, element in enumerate(reversed(chain)):
            score[element] = score.get(element, 0.0) + weights[index]
            depth[element] = level
    held = [element for element, value in score.items() if value >= 0.8 * total]
    return max(held, key=lambda element: depth[element])


def _inside(element: etree._Element, container: etree._Element) -> bool:
    while element is not None:
        if element is container:
            return True
        element = element.getparent()
    return False


def find_body(lines: Sequence[Line], start: int = 0) -> list[int]:
    """The line indices of the article body (empty when the page holds no prose)."""
    furniture = Furniture(FURNITURE_WORDS)
    boxes = _teaser_boxes(lines)
    junk = [furniture(line.block) or _in_box(line.block, boxes) for line in lines]
    weights = [_weight(line, bad) for line, bad in zip(lines, junk, strict=True)]
    run = _best_run(weights, start)
    if run is None:
        return []
    container = _container(lines, range(run[0], run[1] + 1), weights)
    body = []
    index = run[0]
    while index < len(lines) and (index <= run[1] or _inside(lines[index].block, container)):
        line = lines[index]
        if _inside(line.block, container) and not junk[index] and line.link_share < 0.5:
            body.append(index)
        index += 1
    return body


def _prepared(line: str) -> str:
    return textrules.prepare(line)[0] if line else line


def is_meta_line(line: Line) -> bool:
    """A line of the header that holds a date or a label (or sits in a meta-named element)."""
    if line.link_share >= 0.8 or len(line.text) > 200:
        return False
    names = f"{line.block.get('class') or ''} {line.block.get('id') or ''}"
    return META_LINE.search(line.text) is not None or bool(META_HINT.search(names))


def is_tail_line(text: str) -> bool:
    """A line after the body that names an editor, translator, photographer or source."""
    if len(text) > 160:
        return False
    prepared = _prepared(text)
    return (
        TAIL_LINE.search(text) is not None
        or textrules.is_label(prepared)
        or textrules.matches(prepared, textrules.CLOSING_LINES)
        or textrules.matches(prepared, textrules.CREDIT_ONLY_LINES)
    )


def find_meta(lines: Sequence[Line], title_line: int | None, body_start: int) -> list[int]:
    """The meta lines between the headline and the body, and those just above the headline
    in the same box (a date line some templates put first)."""
    if title_line is None:
        start, above = max(0, body_start - 12), []
    else:
        start = title_line + 1
        box = lines[title_line].block.getparent()
        above = [
            index
            for index in range(max(0, title_line - 2), title_line)
            if is_meta_line(lines[index])
            and box is not None
            and lines[index].block.getparent() is box
        ]
    return above + [index for index in range(start, body_start) if is_meta_line(lines[index])]


def find_tail(lines: Sequence[Line], body_end: int) -> list[int]:
    """The credit and source lines after the body (``body_end``: its last line index)."""
    stops = Furniture(STOP_WORDS)
    tail: list[int] = []
    links = 0
    for index in range(body_end + 1, min(len(lines), body_end + 1 + TAIL_SCAN)):
        line = lines[index]
        if stops(line.block) or textrules.matches(line.text, textrules.FOOTER_LINES):
            break
        if line.heading and not is_tail_line(line.text):
            break
        if line.link_share >= 0.5:
            links += 1
            if links >= 4:
                break
            continue
        links = 0
        if is_tail_line(line.text):
            tail.append(index)
            if len(tail) >= MAX_TAIL_LINES:
                break
    return tail


def find_regions(
    lines: Sequence[Line],
    head_title: str | None,
    titles: Sequence[str],
    site_name: str | None = None,
) -> Regions:
    """The generic reading of a page's lines."""
    references = References(title_references(head_title, titles, site_name))
    body = find_body(lines)
    if not body:
        return Regions()
    title, title_line = find_title(lines, references, body[0])
    if matching_title(lines, references, 0, body[0])[1] is None:
        # No line before the body is like the page's titles: the run may have started early
        # (a prose sidebar above the article); a matching headline later resets the body.
        later, later_line = matching_title(lines, references, body[0], len(lines))
        rest = find_body(lines, later_line + 1) if later_line is not None else []
        if rest:
            title, title_line, body = later, later_line, rest
    return Regions(
        title=title,
        title_line=title_line,
        meta=find_meta(lines, title_line, body[0]),
        body=body,
        tail=find_tail(lines, body[-1]),
    )
