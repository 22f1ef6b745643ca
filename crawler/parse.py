"""Page parser: the page reader's reading of an article page, as a raw article (text fields).

The raw article's ``text`` is what a reader sees of the article, in page order: title,
meta lines, body paragraphs, tail lines (credits and source lines after the body). The
normalization pipelines read that text, exactly as ``newsarchive normalize`` does. The
reading is `crawler.reader`'s: a site's layouts as hints, the generic reading otherwise
(``extraction = "generic"``). The page's metadata travels with the item (``page_meta``)
as evidence for the normalization step (`crawler.evidence`).
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field
from typing import Any

from crawler import reader, sites
from crawler.reader import ParseError
from crawler.sites import Site

logger = logging.getLogger(__name__)

MIN_GENERIC_CHARS = 40  # a generic reading with less found no article


@dataclass(frozen=True)
class RawArticle:
    url: str
    site: str | None
    lang: str | None
    title: str | None
    meta: list[str]
    paragraphs: list[str]
    tail: list[str]
    extraction: str
    page_meta: dict[str, Any] = field(default_factory=dict)

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
            "page_meta": self.page_meta,
        }


def parse_page(site: Site | None, url: str, html: str) -> RawArticle:
    """Read an article page of ``site`` (None: a page of no registered site, read
    generically); raise :class:`ParseError` when it holds no article."""
    layouts = site.layout_for(url) if site else ()
    reading = reader.read(html, layouts)
    size = sum(len(line) for line in reading.paragraphs)
    if not size or reading.extraction == reader.GENERIC and size < MIN_GENERIC_CHARS:
        raise ParseError("no article body: neither the site's selectors nor the generic reading")
    if reading.extraction == reader.GENERIC and layouts:
        logger.info("generic reading used for %s", url)
    return RawArticle(
        url,
        site.name if site else None,
        site.lang_for(url) if site else None,
        reading.title,
        reading.meta,
        reading.paragraphs,
        reading.tail,
        extraction=reading.extraction,
        page_meta=asdict(reading.page_meta),
    )


def unread_item(
    site: Site,
    url: str,
    html: str,
    *,
    encoding: str,
    status: int = 200,
    problems: list[dict[str, str]] | None = None,
    capture: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The spider's item for an article page, its reading left to the normalization step
    (`crawler.normalizing`, in a worker process with ``NORMALIZE_WORKERS``), so that reading
    whole pages does not hold up the crawl's reactor. The page's ``capture``
    (`crawler.capturing`: its bytes and headers) goes with the item to the archive; only the
    decoded ``html`` goes to the worker that reads it, so the bytes travel once."""
    item = {
        "url": url,
        "site": site.name,
        "lang": site.lang_for(url),
        "html": html,
        "encoding": encoding,
        "status": status,
        "read_problems": problems or [],
    }
    if capture is not None:
        item.update(capture=capture, crawled_at=capture["fetched_at"])
    return item


def read_item(page: dict[str, Any]) -> dict[str, Any]:
    """The raw article's fields for an unread item (ParseError when it holds no article)."""
    url = str(page.get("url") or "")
    return dict(parse_page(sites.for_url(url), url, str(page.get("html") or "")).as_item())


def article_item(
    site: Site | None,
    url: str,
    html: str,
    *,
    encoding: str,
    status: int = 200,
    problems: list[dict[str, str]] | None = None,
) -> dict[str, Any]:
    """The item for an article page: the raw article's fields plus its HTML. The spider,
    `newsarchive reprocess`, `newsarchive normalize` and the golden tests all make their
    items here. ``problems`` are what reading the page found wrong (a charset that lied)."""
    item: dict[str, Any] = dict(parse_page(site, url, html).as_item())
    item.update(html=html, encoding=encoding, status=status, read_problems=problems or [])
    return item
