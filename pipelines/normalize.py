"""Turn one page ({url, text, title?, html?, lang?}) into a normalized article (DESIGN.md).

``normalize`` composes the pure functions of ``text``, ``dates``, ``sources`` and
``credits``; ``normalize_stream`` is what ``newsarchive normalize`` runs; ``NormalizePipeline``
is the thin Scrapy item pipeline around ``normalize``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from datetime import date, datetime
from typing import IO, Any

from itemadapter import ItemAdapter

from crawler import sites
from pipelines import credits, dates, sources, text
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
    "source",
    "source_raw",
    "original_source",
    "original_source_raw",
    "credits",
    "problems",
)
PAGE_FIELDS = ("url", "text", "title", "html", "lang")


def _site(url: str) -> str | None:
    """The registered site key for ``url``."""
    site = sites.for_url(url)
    return site.name if site else None


def _today() -> date:
    return datetime.now(dates.SHANGHAI).date()


def normalize(page: Mapping[str, Any], *, today: date | None = None) -> dict[str, Any]:
    """The normalized article for ``page``; deterministic for a given ``today``."""
    url = str(page.get("url") or "")
    raw_text = page.get("text")
    written = text.as_written(raw_text if isinstance(raw_text, str) else "")
    lines = text.prepare(raw_text if isinstance(raw_text, str) else "")
    found = dates.find(lines, url, today=today or _today())
    info = sources.find(lines, date_line=found.line)
    source, _ = sources.canonical(info.source_raw)
    original, _ = sources.canonical(info.original_source_raw)
    lang = page.get("lang") if page.get("lang") in ("en", "zh") else None
    title = page.get("title") if isinstance(page.get("title"), str) else None
    return {
        "url": canonical_url(url) if url else url,
        "site": _site(url),
        "lang": lang or text.detect_lang("\n".join(lines)),
        "title": " ".join(title.split()) if title else text.guess_title(lines, anchor=found.line),
        "body": text.extract_body(lines, anchor=found.line, skip=found.meta_lines, written=written),
        "published_date": found.published_date,
        "published_at": found.published_at,
        "published_raw": found.raw,
        "source": source,
        "source_raw": info.source_raw,
        "original_source": original,
        "original_source_raw": info.original_source_raw,
        "credits": [{"role": c.role, "name": c.name} for c in credits.find(lines)],
        "problems": found.problems,
    }


def normalize_stream(lines: IO[str], out: IO[str], *, today: date | None = None) -> int:
    """Normalize JSON Lines pages from ``lines`` into ``out``; returns the number of bad lines."""
    errors = 0
    for number, line in enumerate(lines, 1):
        try:
            page = json.loads(line)
        except ValueError as exc:
            page, reason = None, f"invalid JSON: {exc}"
        else:
            reason = "" if isinstance(page, dict) else "not a JSON object"
        if isinstance(page, dict):
            result: dict[str, Any] = normalize(page, today=today)
        else:
            errors += 1
            logger.debug("line %s rejected: %s", number, reason)
            result = {"error": reason, "line": number}
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
    return errors


class NormalizePipeline:
    """Scrapy item pipeline: writes every normalized field back onto the item."""

    def __init__(self, today: date | None = None) -> None:
        self.today = today

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        if "text" not in adapter:  # not a page (e.g. a reject): nothing to normalize
            return item
        page = {name: adapter.get(name) for name in PAGE_FIELDS}
        for name, value in normalize(page, today=self.today).items():
            adapter[name] = value
        return item
