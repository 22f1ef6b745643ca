"""NormalizePipeline: the crawl's normalization, the pure `pipelines.normalize` around items.

The site's key and timezone come from the registry here and reach `normalize` as inputs
(`site_context`), so the pure pipelines never look anything up. With ``NORMALIZE_WORKERS``
the pages are normalized in worker processes, so the reactor thread keeps fetching.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter

from crawler import evidence, sites
from crawler.items import Reject
from crawler.parse import ParseError, article_item, read_item
from crawler.reader import GENERIC, GENERIC_STAT
from pipelines.normalize import DEFAULT_TIMEZONE, PAGE_FIELDS, normalize, zone

if TYPE_CHECKING:
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)

# A page to normalize and what its site tells normalization ({"site", "timezone"}).
Job = tuple[Mapping[str, Any], dict[str, Any]]
# What the page reader adds to a page: its metadata and its problems (crawler.evidence).
READER_FIELDS = ("page_meta", "read_problems")


def site_context(url: str | None) -> dict[str, Any]:
    """What normalization is told of a page's site, found by the URL's host: its key and
    timezone; a page of no registered site gets no key and China time."""
    site = sites.for_url(url or "")
    if site is None:
        return {"site": None, "timezone": DEFAULT_TIMEZONE}
    return {"site": site.name, "timezone": site.timezone}


class NormalizePipeline:
    """Scrapy item pipeline: writes every normalized field back onto the item.

    With ``workers`` (the ``NORMALIZE_WORKERS`` setting), pages are normalized in that many
    worker processes, a few pages per task (``NORMALIZE_BATCH``, or whatever arrived within
    ``BATCH_WAIT`` seconds), and ``process_item`` returns an awaitable: the reactor thread
    goes on fetching while pages are normalized on another core. With 0, pages are
    normalized in the reactor thread and ``process_item`` returns the item itself.
    """

    BATCH_WAIT = 0.005

    def __init__(
        self,
        today: date | None = None,
        workers: int = 0,
        batch: int = 16,
        stats: StatsCollector | None = None,
    ) -> None:
        self.today = today
        self.stats = stats
        self.workers = workers
        self.batch = batch
        self.pool: ProcessPoolExecutor | None = None
        self.pending: list[tuple[Job, asyncio.Future[dict[str, Any]]]] = []
        self.timer: asyncio.TimerHandle | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> NormalizePipeline:
        settings = crawler.settings
        return cls(
            workers=settings.getint("NORMALIZE_WORKERS", 0),
            batch=settings.getint("NORMALIZE_BATCH", 16),
            stats=crawler.stats,
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
        if "text" not in adapter and "html" not in adapter:  # not a page (e.g. a reject)
            return item
        page = {name: adapter.get(name) for name in (*PAGE_FIELDS, *READER_FIELDS)}
        if page["text"] is None:  # not read yet: the job reads it (in a worker, if any)
            page["html"] = adapter.get("html")
        job = (page, site_context(page["url"]))
        if self.pool is not None:
            return self._normalized_in_pool(item, job)
        try:
            return self._done(item, normalize_job(job, self.today))
        except ParseError as exc:
            return Reject(str(page["url"]), adapter.get("site"), "parse", str(exc))

    def _done(self, item: Any, normalized: dict[str, Any]) -> Any:
        if normalized.get("extraction") == GENERIC and self.stats is not None:
            self.stats.inc_value(GENERIC_STAT)  # the site's selectors found nothing: a redesign?
        return _write_back(item, normalized)

    async def _normalized_in_pool(self, item: Any, job: Job) -> Any:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[dict[str, Any]] = loop.create_future()
        self.pending.append((job, future))
        if len(self.pending) >= self.batch:
            self._submit()
        elif self.timer is None:
            self.timer = loop.call_later(self.BATCH_WAIT, self._submit)
        try:
            return self._done(item, await future)
        except ParseError as exc:
            return Reject(job[0]["url"], ItemAdapter(item).get("site"), "parse", str(exc))

    def _submit(self) -> None:
        """Send the pending pages to a worker as one task."""
        assert self.pool is not None
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
        pending, self.pending = self.pending, []
        jobs = [job for job, _ in pending]
        done = asyncio.wrap_future(self.pool.submit(normalize_all, jobs, self.today))

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


def normalize_job(job: Job, today: date | None = None) -> dict[str, Any]:
    """Normalize the page of a job with what it says of the page's site, the page's
    metadata weighed in as evidence."""
    page, context = job
    reading: dict[str, Any] = {}
    if page.get("text") is None and isinstance(page.get("html"), str):
        reading = read_item(dict(page))  # ParseError when the page holds no article
        page = {**page, **reading}
    tz = zone(context["timezone"])
    article = normalize(page, today=today, **context)
    weighed = evidence.weigh(
        article,
        page.get("page_meta"),
        page.get("read_problems") or (),
        tz=tz,
        today=today or datetime.now(tz).date(),
        text=str(page.get("text") or ""),
    )
    return {**reading, **weighed}


def normalize_all(
    jobs: Sequence[Job], today: date | None = None
) -> list[dict[str, Any] | Exception]:
    """`normalize` over several pages, one task for a worker process. A page that fails
    comes back as its exception, raised for its own item: it fails alone, not the batch."""
    results: list[dict[str, Any] | Exception] = []
    for job in jobs:
        try:
            results.append(normalize_job(job, today))
        except Exception as exc:  # handed to the page's item, which becomes a reject
            results.append(exc)
    return results


def _write_back(item: Any, normalized: dict[str, Any]) -> Any:
    adapter = ItemAdapter(item)
    for name, value in normalized.items():
        adapter[name] = value
    return item


def normalize_page(page: Mapping[str, Any], today: date | None = None) -> dict[str, Any]:
    """`normalize` for a page of whatever site its URL names (what `newsarchive normalize`
    does with a page given as text, or read from its HTML by the crawler's reader)."""
    return normalize_job((page, site_context(page.get("url"))), today)


def normalize_html(url: str, html: str, today: date | None = None) -> dict[str, Any]:
    """A saved page read and normalized exactly as the crawler does a fetched one: the
    site's layouts when its host is registered, the generic reading otherwise. The
    article says which reading was used (``extraction``); ParseError when none finds one."""
    item = article_item(sites.for_url(url), url, html, encoding="utf-8")
    return {**normalize_page(item, today), "extraction": item["extraction"]}
