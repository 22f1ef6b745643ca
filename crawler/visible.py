"""A page's visible text in reading order, as lines: what a reader sees of the page.

Block elements (paragraphs, cells, list items, headings, ...) and ``<br>`` start new lines;
inline elements run on. Scripts, styles, comments, templates, option lists and hidden
elements (``display:none``, ``visibility:hidden``, ``hidden``, ``aria-hidden="true"``) are
not seen. Each line remembers the block element it sits in, how much of it is link text,
and whether it is a heading, so the region finder can tell a paragraph from a menu.
The walk is iterative (``etree.iterwalk``), so deeply nested markup cannot exhaust the stack.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from lxml import etree

logger = logging.getLogger(__name__)


def words(text: str) -> frozenset[str]:
    """A set of words written as one string (tables of names stay readable)."""
    return frozenset(text.split())


BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "table",
        "tbody",
        "thead",
        "tfoot",
        "tr",
        "td",
        "th",
        "caption",
        "section",
        "article",
        "header",
        "footer",
        "main",
        "nav",
        "aside",
        "blockquote",
        "pre",
        "figure",
        "figcaption",
        "dd",
        "dt",
        "dl",
        "center",
        "form",
        "fieldset",
        "legend",
        "address",
        "details",
        "summary",
        "hr",
        "menu",
        "body",
        "html",
    ]
)
SKIP_TAGS = frozenset(
    [
        "script",
        "style",
        "noscript",
        "template",
        "select",
        "option",
        "optgroup",
        "datalist",
        "textarea",
        "button",
        "iframe",
        "object",
        "embed",
        "svg",
        "canvas",
        "head",
        "title",
        "meta",
        "link",
        "map",
        "audio",
        "video",
        "input",
    ]
)
HEADINGS = {f"h{level}": level for level in range(1, 7)}
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
# Links that are page controls, not text: a reader clicks them, nobody reads them.
CONTROL_LINKS = words(
    "举报 纠错 【纠错】 打印 【打印】 打印本页 关闭 【关闭】 关闭窗口 收藏 【收藏】 "
    "分享 分享到 评论 我要评论 返回顶部 顶部 字号 大 中 小 A+ A- "
    "print share close comment report top"
)


@dataclass(slots=True)
class Line:
    """One line of visible text: its text, the block element holding it, the number of its
    characters inside links, and its heading level (0: not a heading)."""

    text: str
    block: etree._Element
    link_chars: int
    heading: int

    @property
    def link_share(self) -> float:
        return self.link_chars / len(self.text) if self.text else 0.0


def is_hidden(element: etree._Element) -> bool:
    """Whether the element is hidden from a reader by its own attributes."""
    attrib = element.attrib
    if "hidden" in attrib or attrib.get("aria-hidden", "").lower() == "true":
        return True
    style = attrib.get("style")
    return bool(style) and _HIDDEN_STYLE.search(style) is not None


def is_control(element: etree._Element) -> bool:
    """A link (or label-less control) whose whole text is a page control like 举报 or Print."""
    text = element.text
    return (
        text is not None
        and len(element) == 0
        and len(text) <= 12
        and text.strip().lower() in CONTROL_LINKS
    )


def _follows_inline(element: etree._Element) -> bool:
    """Whether an inline element comes right after another (``<span>来源：X</span><span>编辑：Y
    </span>``): a reader sees two items, which CSS keeps apart, so a space goes between them.
    A one-letter element before (a drop cap: ``<b>T</b><span>he</span>``) gets none."""
    previous = element.getprevious()
    return (
        previous is not None
        and not previous.tail
        and isinstance(previous.tag, str)
        and previous.tag.lower() not in BLOCK_TAGS
        and previous.tag.lower() != "br"
        and len(previous.text or "") != 1
    )


def _inline(text: str) -> str:
    return text.replace("\r", " ").replace("\n", " ")


def visible_lines(root: etree._Element) -> list[Line]:
    """The visible lines of the document (or element) ``root``, in reading order."""
    lines: list[Line] = []
    pieces: list[str] = []
    link_chars = 0
    blocks: list[etree._Element] = [root]
    links = 0
    headings: list[int] = [0]

    def flush() -> None:
        nonlocal link_chars
        if pieces:
            text = " ".join("".join(pieces).split())
            if text:
                lines.append(Line(text, blocks[-1], min(link_chars, len(text)), headings[-1]))
            pieces.clear()
        link_chars = 0

    def add(text: str) -> None:
        nonlocal link_chars
        pieces.append(_inline(text))
        if links:
            link_chars += len(text.strip())

    skipped: set[etree._Element] = set()
    walker = etree.iterwalk(root, events=("start", "end"))
    for event, element in walker:
        tag = element.tag
        if not isinstance(tag, str):  # a comment or processing instruction: only its tail
            if event == "end" and element.tail:
                add(element.tail)
            continue
        tag = tag.lower()
        if event == "start":
            if tag in SKIP_TAGS or is_hidden(element) or (tag == "a" and is_control(element)):
                walker.skip_subtree()
                skipped.add(element)
                continue
            if tag in BLOCK_TAGS:
                flush()
                blocks.append(element)
                headings.append(HEADINGS.get(tag, headings[-1]))
            elif tag == "br":
                flush()
            else:
                if _follows_inline(element):
                    add(" ")
                if tag == "a":
                    links += 1
            if element.text:
                add(element.text)
            continue
        if element in skipped:
            skipped.discard(element)
        elif tag in BLOCK_TAGS:
            flush()
            blocks.pop()
            headings.pop()
        elif tag == "a":
            links -= 1
        if element.tail and element is not root:
            add(element.tail)
    flush()
    return lines
