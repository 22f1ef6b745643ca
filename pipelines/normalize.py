"""Turn one page ({url, text, title?, lang?}) into a normalized article (DESIGN.md).

``normalize`` composes the pure functions of ``text``, ``dates``, ``sources`` and
``credits``. What it knows of the site (its key and timezone) it is given: the crawler's
``NormalizePipeline`` and ``newsarchive normalize`` look the site up and pass them in.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import date, datetime, tzinfo
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from pipelines import body, credits, dates, limits, sources, text
from pipelines.urls import canonical_url

logger = logging.getLogger(__name__)

FIELDS = (
    "url",
    "site",
    "lang",
    "title",
    "body",
    "published_date",
    "published_at",
    "published_raw",
    "published_from",
    "source",
    "source_raw",
    "original_source",
    "original_source_raw",
    "credits",
    "problems",
)
PAGE_FIELDS = ("url", "text", "title", "lang")  # what `normalize` reads of a page
DEFAULT_TIMEZONE = "Asia/Shanghai"  # every site's so far; none states it on its pages


@lru_cache(maxsize=64)
def zone(name: str) -> tzinfo:
    """The IANA timezone called ``name`` (built once)."""
    return ZoneInfo(name)


def normalize(
    page: Mapping[str, Any],
    *,
    site: str | None = None,
    timezone: str = DEFAULT_TIMEZONE,
    today: date | None = None,
) -> dict[str, Any]:
    """The normalized article for ``page`` of ``site`` (its registry key), whose times are in
    ``timezone``; deterministic for a given ``today`` (default: today in that timezone)."""
    tz = zone(timezone)
    url, problems = limits.string(page, "url")
    page_text, wrong = limits.string(page, "text")
    page_text, cuts = limits.cut(page_text)
    problems += wrong + cuts
    try:
        canonical = canonical_url(url) if url else url
    except ValueError as exc:  # a URL that cannot be split stays as given, with a problem
        canonical = url
        problems.append({"field": "url", "reason": f"bad URL: {exc}", "value": url[:200]})
    written = text.as_written(page_text)
    lines = text.prepare(page_text)
    found = dates.find(lines, url, today=today or datetime.now(tz).date())
    info = sources.find(lines, date_line=found.line)
    source, _ = sources.canonical(info.source_raw)
    original, _ = sources.canonical(info.original_source_raw)
    lang = page.get("lang") if page.get("lang") in ("en", "zh") else None
    given = page.get("title") if isinstance(page.get("title"), str) else None
    title, title_line = body.find_title(lines, anchor=found.line)
    skip = {*found.meta_lines, *([title_line] if title_line is not None else [])}
    return {
        "url": canonical,
        "site": site,
        "lang": lang or text.detect_lang("\n".join(lines)),
        "title": " ".join(given.split()) if given else title,
        "body": body.extract_body(lines, anchor=found.line, skip=skip, written=written),
        "published_date": found.published_date,
        "published_at": found.published_at(tz),
        "published_raw": found.raw,
        # Where the date came from: the page's own lines, or its URL (the crawler adds
        # "meta", the page's metadata, and "listing", the date beside its link).
        "published_from": None if found.date is None else "url" if found.raw == url else "page",
        "source": source,
        "source_raw": info.source_raw,
        "original_source": original,
        "original_source_raw": info.original_source_raw,
        "credits": [{"role": c.role, "name": c.name} for c in credits.find(lines)],
        "problems": [*problems, *found.problems],
    }
