"""The page reader: one reading of any news page, for the crawler and `newsarchive normalize`.

A page is read as a reader sees it (`crawler.visible`): its visible lines in reading order.
In them the reader finds the headline, the meta lines around it, the body and the tail lines
after it (`crawler.regions`), with the page's metadata (`crawler.pagemeta`) as one more
witness. A site's layout, when its selectors match, marks out the regions it names; what it
leaves out (no meta or tail selector) comes from the generic reading, and when no layout
matches the generic reading is the whole answer, with ``extraction = "generic"``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from cssselect import HTMLTranslator
from lxml import etree

from crawler import headline, regions
from crawler.pagemeta import PageMeta, read_meta
from crawler.sites import Layout
from crawler.visible import Line, visible_lines

logger = logging.getLogger(__name__)

GENERIC = "generic"
GENERIC_STAT = "newsarchive/generic_reading"  # a crawl's count of articles read generically


@dataclass
class Reading:
    """What the reader found on a page: the article's lines by region, and its metadata."""

    title: str | None
    meta: list[str]
    paragraphs: list[str]
    tail: list[str]
    extraction: str
    page_meta: PageMeta = field(default_factory=PageMeta)


# Comments go at parse time (their tails join the text around them); no depth limit, so a
# page nested thousands of levels deep is read whole rather than cut. Plain elements (no
# lxml.html classes): the reader needs nothing more and the tree builds faster.
PARSER = etree.HTMLParser(remove_comments=True, remove_pis=True, huge_tree=True)
EMPTY = "<html><body></body></html>"
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>")


class ParseError(ValueError):
    """The page holds no article that any layout or the generic reading can find."""


def parse_html(html: str) -> etree._Element:
    """The document tree of ``html`` (libxml2's HTML parser, as forgiving as a browser).
    ParseError when the parser gives up part of the way (elements nested past its limit of
    2,048 levels): what follows would be lost without a word."""
    text = _XML_DECLARATION.sub("", html, count=1) if html.lstrip().startswith("<?") else html
    root = etree.fromstring(text, PARSER) if text.strip() else None
    for error in PARSER.error_log:
        if (
            error.level == etree.ErrorLevels.FATAL
            and error.type == etree.ErrorTypes.ERR_RESOURCE_LIMIT
        ):
            raise ParseError(
                "elements nested too deeply (over 2,048 levels): the parser stops there"
            )
    if root is None:  # nothing a parser can make a document of
        logger.debug("no document in the page; read as empty")
        root = etree.fromstring(EMPTY, PARSER)
    if root.find("body") is None:
        etree.SubElement(root, "body")
    return root


@lru_cache(maxsize=256)
def _compiled(css: str) -> etree.XPath:
    """A site's CSS selector as a compiled XPath (selectors are constants: compiled once)."""
    return etree.XPath(HTMLTranslator().css_to_xpath(css))


def _selected(root: etree._Element, css: str) -> list[etree._Element]:
    """The elements ``css`` selects in ``root`` (and its descendants)."""
    if not css:
        return []
    found = _compiled(css)(root)
    return [element for element in found if isinstance(element, etree._Element)]


def _within(lines: Sequence[Line], elements: Sequence[etree._Element]) -> list[int]:
    """Indices of the lines inside any of ``elements``."""
    if not elements:
        return []
    wanted = set(elements)
    inside: dict[etree._Element, bool] = {}

    def holds(element: etree._Element) -> bool:
        chain = []
        found = False
        node: etree._Element | None = element
        while node is not None:
            if node in inside:
                found = inside[node]
                break
            chain.append(node)
            if node in wanted:
                found = True
                break
            node = node.getparent()
        for item in chain:
            inside[item] = found
        return found

    return [index for index, line in enumerate(lines) if holds(line.block)]


def _by_layout(
    root: etree._Element, lines: Sequence[Line], layout: Layout, page_meta: PageMeta
) -> regions.Regions | None:
    """The regions a layout marks out, completed by the generic reading; None: no body."""
    body_elements = _selected(root, layout.body)
    dropped = set(_within(lines, [e for b in body_elements for e in _selected(b, layout.drop)]))
    body = [index for index in _within(lines, body_elements) if index not in dropped]
    if not body:
        return None
    title_lines = _within(lines, _selected(root, layout.title))
    title: str | None
    title_line: int | None
    if title_lines:
        title, title_line = lines[title_lines[0]].text, title_lines[0]
    else:
        references = headline.References(
            headline.title_references(page_meta.head_title, page_meta.titles, page_meta.site_name)
        )
        title, title_line = headline.find_title(lines, references, body[0])
    meta = _within(lines, _selected(root, layout.meta))
    if not meta:
        meta = regions.find_meta(lines, title_line, body[0])
    tail = [index for index in _within(lines, _selected(root, layout.tail)) if index not in body]
    if not tail:
        tail = regions.find_tail(lines, body[-1])
    return regions.Regions(title, title_line, meta, body, tail)


def _declared_title(page_meta: PageMeta) -> str | None:
    """The title the page's head declares, for a page that shows none: a meta title, else
    ``<title>`` without what follows its first separator (the channel, the site)."""
    if page_meta.titles:
        return page_meta.titles[0]
    if not page_meta.head_title:
        return None
    first = headline.TITLE_SEPARATORS.split(page_meta.head_title, maxsplit=1)[0].strip()
    return first if len(first) >= 4 else page_meta.head_title


def read(html: str, layouts: Sequence[Layout] = ()) -> Reading:
    """Read a page: with the first of ``layouts`` whose body selector matches, else generically."""
    root = parse_html(html)
    page_meta = read_meta(root)
    lines = visible_lines(root.find("body"))
    found: regions.Regions | None = None
    extraction = GENERIC
    for layout in layouts:
        found = _by_layout(root, lines, layout, page_meta)
        if found is not None:
            extraction = f"selectors:{layout.name}"
            break
        logger.debug("layout %s found no body", layout.name)
    if found is None:
        found = regions.find_regions(
            lines, page_meta.head_title, page_meta.titles, page_meta.site_name
        )
    title = found.title or _declared_title(page_meta)

    def texts(indices: Sequence[int]) -> list[str]:
        return [lines[index].text for index in indices]

    return Reading(
        title=title,
        meta=texts(found.meta),
        paragraphs=texts(found.body),
        tail=texts(found.tail),
        extraction=extraction,
        page_meta=page_meta,
    )
