"""Page parser: a site's selectors turn an article page into a raw article (text fields).

The raw article's ``text`` is what a reader sees of the article, in page order: title,
meta lines, body paragraphs, tail lines (credits and source lines after the body). The
normalization pipelines read that text, exactly as ``newsarchive normalize`` does.
When no layout's selectors find a body (a redesign), a generic extraction takes the
element holding the most paragraph text, and the article is flagged ``generic``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from lxml import etree
from parsel import Selector

from crawler.sites import Layout, Site

logger = logging.getLogger(__name__)

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
        "tr",
        "td",
        "th",
        "section",
        "article",
        "header",
        "footer",
        "blockquote",
        "pre",
        "figure",
        "figcaption",
        "dd",
        "dt",
        "dl",
        "center",
        "form",
        "nav",
        "aside",
        "hr",
    ]
)
SKIP_TAGS = frozenset(["script", "style", "noscript", "iframe", "template", "select", "button"])
GENERIC_CONTAINERS = "article, div, td, section"
MIN_GENERIC_CHARS = 80


class ParseError(ValueError):
    """The page holds no article text that any layout or the generic extraction can find."""


@dataclass(frozen=True)
class RawArticle:
    url: str
    site: str
    lang: str
    title: str | None
    meta: list[str]
    paragraphs: list[str]
    tail: list[str]
    extraction: str

    @property
    def text(self) -> str:
        parts = [self.title or "", *self.meta, *self.paragraphs, *self.tail]
        return "\n\n".join(part for part in parts if part)

    def as_item(self) -> dict[str, object]:
        return {
            "url": self.url,
            "site": self.site,
            "lang": self.lang,
            "title": self.title,
            "text": self.text,
            "extraction": self.extraction,
        }


def block_lines(element: Selector) -> list[str]:
    """The text of ``element`` as lines, one per block element or ``<br>``, whitespace folded."""
    root = element.root
    if not isinstance(root, etree._Element):
        return [" ".join(str(root).split())] if str(root).strip() else []
    chunks: list[str] = []

    def inline(text: str) -> str:
        return text.replace("\r", " ").replace("\n", " ")

    def walk(node: etree._Element) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in SKIP_TAGS:
            if node.tail:
                chunks.append(inline(node.tail))
            return
        block = tag in BLOCK_TAGS
        if block or tag == "br":
            chunks.append("\n")
        if node.text and tag:
            chunks.append(inline(node.text))
        for child in node:
            walk(child)
        if block:
            chunks.append("\n")
        if node.tail and node is not root:
            chunks.append(inline(node.tail))

    walk(root)
    lines = ("".join(chunks)).split("\n")
    return [folded for line in lines if (folded := " ".join(line.split()))]


def _lines_of(selector: Selector, css: str) -> list[str]:
    if not css:
        return []
    return [line for element in selector.css(css) for line in block_lines(element)]


def _first_line(selector: Selector, css: str) -> str | None:
    lines = _lines_of(selector, css)
    return " ".join(lines[:1]) or None


def _without(body: Selector, drop: str) -> Selector:
    if drop:
        for element in body.css(drop):
            element.drop()
    return body


Regions = tuple[str | None, list[str], list[str], list[str]]


def _by_layout(page: Selector, layout: Layout) -> Regions:
    bodies = page.css(layout.body)
    paragraphs = [line for body in bodies for line in block_lines(_without(body, layout.drop))]
    return (
        _first_line(page, layout.title),
        _lines_of(page, layout.meta),
        paragraphs,
        _lines_of(page, layout.tail),
    )


def _generic(page: Selector) -> tuple[str | None, list[str]]:
    """The container whose own ``<p>`` children hold the most text, and an ``h1``/title."""
    best: list[str] = []
    best_size = 0
    for container in page.css(GENERIC_CONTAINERS):
        size = sum(len(" ".join(p.css("::text").getall()).strip()) for p in container.xpath("./p"))
        if size > best_size:
            best_size, best = size, block_lines(container)
    if best_size < MIN_GENERIC_CHARS:
        return None, []
    title = _first_line(page, "h1") or _first_line(page, "title")
    return title, best


def parse_page(site: Site, url: str, html: str) -> RawArticle:
    """Parse an article page of ``site``; raise :class:`ParseError` when it holds no article."""
    page = Selector(text=html)
    for layout in site.layout_for(url):
        title, meta, paragraphs, tail = _by_layout(page, layout)
        if paragraphs:
            return RawArticle(
                url,
                site.name,
                site.lang_for(url),
                title,
                meta,
                paragraphs,
                tail,
                extraction=f"selectors:{layout.name}",
            )
        logger.debug("layout %s found no body on %s", layout.name, url)
    title, paragraphs = _generic(page)
    if not paragraphs:
        raise ParseError("no article body: neither the site's selectors nor generic extraction")
    logger.info("generic extraction used for %s", url)
    return RawArticle(
        url, site.name, site.lang_for(url), title, [], paragraphs, [], extraction="generic"
    )


def article_item(
    site: Site, url: str, html: str, *, encoding: str, status: int = 200
) -> dict[str, Any]:
    """The item for an article page: the raw article's fields plus its HTML. The spider,
    `newsarchive reprocess` and the golden tests all make their items here."""
    item: dict[str, Any] = dict(parse_page(site, url, html).as_item())
    item.update(html=html, encoding=encoding, status=status)
    return item
