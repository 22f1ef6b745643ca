"""Articles as a crawl hands them to the archive: with the capture of their page (bytes and
headers, as `crawler.capturing.capture_of` makes it), invented for the tests."""

from __future__ import annotations

from typing import Any

HTML_TYPE = [["Content-Type", "text/html; charset=utf-8"]]


def page(title: str, text: str) -> bytes:
    head = f"<head><title>{title}</title></head>"
    return f"<html>{head}<body><h1>{title}</h1><p>{text}</p></body></html>".encode()


def article(url: str, site: str, title: str, body: str, published: str) -> dict[str, Any]:
    return {
        "url": url,
        "site": site,
        "lang": "en",
        "title": title,
        "body": body,
        "published_date": published,
        "credits": [],
    }


def fetched(
    item: dict[str, Any],
    body: bytes,
    fetched_at: str,
    *,
    headers: list[list[str]] | None = None,
    encoding: str = "utf-8",
) -> dict[str, Any]:
    """`item` as crawled at `fetched_at`, its page `body` served with `headers`."""
    return {
        **item,
        "html": body.decode(encoding),
        "encoding": encoding,
        "status": 200,
        "crawled_at": fetched_at,
        "capture": {
            "url": item["url"],
            "fetched_at": fetched_at,
            "method": "GET",
            "status": 200,
            "protocol": "HTTP/1.1",
            "ip_address": "127.0.0.1",
            "request_headers": [["User-Agent", "newsarchive-test"], ["Accept-Language", "en"]],
            "response_headers": HTML_TYPE if headers is None else headers,
            "body": body,
        },
    }
