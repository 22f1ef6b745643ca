"""`newsarchive normalize`: pages as JSON Lines on stdin, normalized articles on stdout.

A line that cannot be read (not UTF-8, not JSON, not an object, a page normalization
cannot take) gets ``{"error", "line"}`` in its place and the stream goes on; blank lines
are skipped. Strings are written as UTF-8; a lone surrogate (``\\ud800``, which JSON can
carry but UTF-8 cannot) is written as its JSON escape, so nothing is lost.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterable
from datetime import date
from typing import IO, Any

import click

from crawler.normalizing import normalize_html, normalize_page

logger = logging.getLogger(__name__)


def read_page(raw: bytes) -> dict[str, Any]:
    """The page a line holds; ValueError says why a line holds none."""
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"not UTF-8 (byte {exc.start})") from None
    try:
        page = json.loads(line)
    except RecursionError:
        raise ValueError("invalid JSON: nested too deeply") from None
    except ValueError as exc:
        raise ValueError(f"invalid JSON: {exc}") from None
    if not isinstance(page, dict):
        raise ValueError("not a JSON object")
    if "html" in page and not isinstance(page["html"], str):
        raise ValueError("html is not a string")
    return page


def normalize_one(page: dict[str, Any], today: date | None) -> dict[str, Any]:
    """The article of one page: read from its ``html`` as the crawler reads a fetched page,
    or normalized from its ``text``."""
    if "html" in page:
        return normalize_html(str(page.get("url") or ""), page["html"], today)
    return normalize_page(page, today)


def normalize_stream(lines: Iterable[bytes], out: IO[bytes], *, today: date | None = None) -> int:
    """Normalize JSON Lines pages from ``lines`` into ``out``; returns the number of bad lines."""
    errors = 0
    for number, raw in enumerate(lines, 1):
        if not raw.strip():
            continue
        try:
            result: dict[str, Any] = normalize_one(read_page(raw), today)
        except (ValueError, TypeError, RecursionError) as exc:
            errors += 1
            logger.debug("line %s rejected: %s", number, exc)
            result = {"error": str(exc), "line": number}
        text = json.dumps(result, ensure_ascii=False) + "\n"
        out.write(text.encode("utf-8", "backslashreplace"))
    return errors


@click.command()
def normalize() -> None:
    """Normalize pages: JSON Lines {url, text, title?, lang?} or {url, html} on stdin,
    articles on stdout. A page given as html is read as the crawler reads it (the site's
    layouts when its host is registered, the generic reading otherwise; see `extraction`).

    Exit status 1 when a line could not be normalized (its output line says why).
    """
    if normalize_stream(sys.stdin.buffer, sys.stdout.buffer):
        sys.exit(1)
