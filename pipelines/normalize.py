"""Turn one page ({url, text, title?, html?, lang?}) into a normalized article (DESIGN.md).

``normalize`` composes the pure functions of ``text``, ``dates``, ``sources`` and
``credits``; ``normalize_stream`` is what ``newsarchive normalize`` runs; ``NormalizePipeline``
is the thin Scrapy item pipeline around ``normalize``.
"""

from __future__ import annotations

import asyncio
import json
import logging
import multiprocessing
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from datetime import date, datetime
from typing import IO, Any

from itemadapter import ItemAdapter

from crawler import sites
from pipelines import credits, dates, limits, sources, text
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
PAGE_FIELDS = ("url", "text", "title", "lang")  # what `normalize` reads of a page


def _site(url: str) -> str | None:
    """The registered site key for ``url``."""
    site = sites.for_url(url)
    return site.name if site else None


def _today() -> date:
    return datetime.now(dates.SHANGHAI).date()


def normalize(page: Mapping[str, Any], *, today: date | None = None) -> dict[str, Any]:
    """The normalized article for ``page``; deterministic for a given ``today``."""
    url, problems = limits.string(page, "url")
    page_text, wrong = limits.string(page, "text")
    page_text, cuts = limits.cut(page_text)
    problems += wrong + cuts
    try:
        canonical, site = (canonical_url(url), _site(url)) if url else (url, None)
    except ValueError as exc:  # a URL that cannot be split stays as given, with a problem
        canonical, site = url, None
        problems.append({"field": "url", "reason": f"bad URL: {exc}", "value": url[:200]})
    written = text.as_written(page_text)
    lines = text.prepare(page_text)
    found = dates.find(lines, url, today=today or _today())
    info = sources.find(lines, date_line=found.line)
    source, _ = sources.canonical(info.source_raw)
    original, _ = sources.canonical(info.original_source_raw)
    lang = page.get("lang") if page.get("lang") in ("en", "zh") else None
    given = page.get("title") if isinstance(page.get("title"), str) else None
    title, title_line = text.find_title(lines, anchor=found.line)
    skip = {*found.meta_lines, *([title_line] if title_line is not None else [])}
    return {
        "url": canonical,
        "site": site,
        "lang": lang or text.detect_lang("\n".join(lines)),
        "title": " ".join(given.split()) if given else title,
        "body": text.extract_body(lines, anchor=found.line, skip=skip, written=written),
        "published_date": found.published_date,
        "published_at": found.published_at,
        "published_raw": found.raw,
        "source": source,
        "source_raw": info.source_raw,
        "original_source": original,
        "original_source_raw": info.original_source_raw,
        "credits": [{"role": c.role, "name": c.name} for c in credits.find(lines)],
        "problems": [*problems, *found.problems],
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
    """Scrapy item pipeline: writes every normalized field back onto the item.

    With ``workers`` (the ``NORMALIZE_WORKERS`` setting), pages are normalized in that many
    worker processes, a few pages per task (``NORMALIZE_BATCH``, or whatever arrived within
    ``BATCH_WAIT`` seconds), and ``process_item`` returns an awaitable: the reactor thread
    goes on fetching while pages are normalized on another core. With 0, pages are
    normalized in the reactor thread and ``process_item`` returns the item itself.
    """

    BATCH_WAIT = 0.005

    def __init__(self, today: date | None = None, workers: int = 0, batch: int = 16) -> None:
        self.today = today
        self.workers = workers
        self.batch = batch
        self.pool: ProcessPoolExecutor | None = None
        self.pending: list[tuple[dict[str, Any], asyncio.Future[dict[str, Any]]]] = []
        self.timer: asyncio.TimerHandle | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> NormalizePipeline:
        settings = crawler.settings
        return cls(
            workers=settings.getint("NORMALIZE_WORKERS", 0),
            batch=settings.getint("NORMALIZE_BATCH", 16),
        )

    def open_spider(self) -> None:
        if self.workers:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload([__name__])
            self.pool = ProcessPoolExecutor(self.workers, mp_context=context)

    def close_spider(self) -> None:
        if self.pool is not None:
            self.pool.shutdown()
            self.pool = None

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        if "text" not in adapter:  # not a page (e.g. a reject): nothing to normalize
            return item
        page = {name: adapter.get(name) for name in PAGE_FIELDS}
        if self.pool is not None:
            return self._normalized_in_pool(item, page)
        return _write_back(item, normalize(page, today=self.today))

    async def _normalized_in_pool(self, item: Any, page: dict[str, Any]) -> Any:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[dict[str, Any]] = loop.create_future()
        self.pending.append((page, future))
        if len(self.pending) >= self.batch:
            self._submit()
        elif self.timer is None:
            self.timer = loop.call_later(self.BATCH_WAIT, self._submit)
        return _write_back(item, await future)

    def _submit(self) -> None:
        """Send the pending pages to a worker as one task."""
        assert self.pool is not None
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
        pending, self.pending = self.pending, []
        pages = [page for page, _ in pending]
        done = asyncio.wrap_future(self.pool.submit(normalize_all, pages, today=self.today))

        def deliver(task: asyncio.Future[list[dict[str, Any] | Exception]]) -> None:
            if task.exception() is not None:  # the worker itself failed: every page with it
                for _, future in pending:
                    future.set_exception(task.exception())  # type: ignore[arg-type]
                return
            for (_, future), result in zip(pending, task.result(), strict=True):
                if isinstance(result, Exception):
                    future.set_exception(result)
                else:
                    future.set_result(result)

        done.add_done_callback(deliver)


def normalize_all(
    pages: Sequence[Mapping[str, Any]], *, today: date | None = None
) -> list[dict[str, Any] | Exception]:
    """`normalize` over several pages, one task for a worker process. A page that fails
    comes back as its exception, raised for its own item: it fails alone, not the batch."""
    results: list[dict[str, Any] | Exception] = []
    for page in pages:
        try:
            results.append(normalize(page, today=today))
        except Exception as exc:  # handed to the page's item, which becomes a reject
            results.append(exc)
    return results


def _write_back(item: Any, normalized: dict[str, Any]) -> Any:
    adapter = ItemAdapter(item)
    for name, value in normalized.items():
        adapter[name] = value
    return item
