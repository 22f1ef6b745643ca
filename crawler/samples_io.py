"""Read a bundled sample page the way the crawler sees it (same decoding, same parser)."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scrapy.http import HtmlResponse

from crawler import sites
from crawler.parse import article_item


def sample_file(url: str, root: Path = sites.SAMPLES_DIR) -> Path:
    """The file the replay serves for ``url``."""
    parts = urlsplit(url)
    relative = parts.path.lstrip("/")
    if not relative or relative.endswith("/"):
        relative += "index.html"
    return root / (parts.hostname or "") / relative


def page_item(url: str, body: bytes) -> dict[str, Any]:
    """The item the spider yields for an article page: the raw article plus its HTML."""
    response = HtmlResponse(url, body=body)
    return parsed_item(url, response.text, encoding=response.encoding)


def parsed_item(url: str, html: str, *, encoding: str, status: int = 200) -> dict[str, Any]:
    """The raw article of a decoded page plus its HTML (what `page_item` and `newsarchive
    reprocess` make of a page); KeyError when no site is registered for `url`, ParseError
    when the page holds no article."""
    site = sites.for_url(url)
    if site is None:
        raise KeyError(f"no registered site for {url}")
    return article_item(site, url, html, encoding=encoding, status=status)
