"""Read a bundled sample page the way the crawler sees it (same decoding, same parser)."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from crawler import charset, sites
from crawler.parse import article_item
from crawler.replay import faults, resolve


def sample_file(url: str, root: Path = sites.SAMPLES_DIR) -> Path:
    """The file the replay serves for ``url`` (one named by path and query when there is one)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    found = resolve(root, host, parts.path, parts.query)
    if found is None:
        raise FileNotFoundError(f"no sample page for {url} under {root / host}")
    return found


def served_content_type(url: str, root: Path = sites.SAMPLES_DIR) -> str | None:
    """The Content-Type the replay sends for ``url`` when its host's faults set one."""
    parts = urlsplit(url)
    content_type = faults(root / (parts.hostname or "")).get(parts.path, {}).get("content_type")
    return str(content_type) if content_type else None


def sample_item(url: str, root: Path = sites.SAMPLES_DIR) -> dict[str, Any]:
    """The item the spider yields for a sample page, with the bytes and header it is served."""
    return page_item(url, sample_file(url, root).read_bytes(), served_content_type(url, root))


def page_item(url: str, body: bytes, content_type: str | None = None) -> dict[str, Any]:
    """The item the spider yields for an article page: the raw article plus its HTML."""
    page = charset.decode(body, content_type)
    return parsed_item(url, page.text, encoding=page.encoding, problems=page.problems)


def parsed_item(
    url: str,
    html: str,
    *,
    encoding: str,
    status: int = 200,
    problems: list[dict[str, str]] | None = None,
) -> dict[str, Any]:
    """The raw article of a decoded page plus its HTML (what `page_item` and `newsarchive
    reprocess` make of a page); KeyError when no site is registered for `url`, ParseError
    when the page holds no article."""
    site = sites.for_url(url)
    if site is None:
        raise KeyError(f"no registered site for {url}")
    return article_item(site, url, html, encoding=encoding, status=status, problems=problems)
