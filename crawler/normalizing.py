"""NormalizePipeline: the crawl's page reading and normalization, around items.

The site's key and timezone come from the registry here and reach `normalize` as inputs
(`site_context`), so the pure pipelines never look anything up. A page not read yet is read
here (the page reader, `crawler.parse.read_item`), its metadata weighed in as evidence.
Pages are read and normalized in worker processes (`crawler.workers`, ``NORMALIZE_WORKERS``),
so the reactor thread keeps fetching, and a page that takes over ``NORMALIZE_TIMEOUT``
seconds becomes a reject instead of hanging the crawl; the crawlers of one process share
the workers.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import date, datetime
from functools import partial
from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter

from crawler import evidence, sites
from crawler.items import Reject
from crawler.parse import ParseError, article_item, read_item
from crawler.reader import GENERIC, GENERIC_STAT
from crawler.workers import JobError, WorkerPool
from pipelines.normalize import DEFAULT_TIMEZONE, PAGE_FIELDS, normalize, zone

if TYPE_CHECKING:
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)

# A page to normalize and what its site tells normalization ({"site", "timezone"}).
Job = tuple[Mapping[str, Any], dict[str, Any]]
# What the page reader adds to a page: its metadata and its problems (crawler.evidence).
READER_FIELDS = ("page_meta", "read_problems")
# What the crawl knows of a page besides it: the date its listing showed beside its link.
CRAWL_FIELDS = ("listing_date",)
PoolKey = tuple[int, float, int, date | None]


def site_context(url: str | None) -> dict[str, Any]:
    """What normalization is told of a page's site, found by the URL's host: its key and
    timezone; a page of no registered site gets no key and China time."""
    site = sites.for_url(url or "")
    if site is None:
        return {"site": None, "timezone": DEFAULT_TIMEZONE}
    return {"site": site.name, "timezone": site.timezone}


class NormalizePipeline:
    """Scrapy item pipeline: reads a page not read yet, and writes every normalized field
    back onto the item; returns a ``parse`` reject of a page that holds no article, and a
    ``normalize`` reject when normalization failed or ran past the deadline.

    With ``workers`` (``NORMALIZE_WORKERS``, default 1), pages are read and normalized in
    worker processes, up to ``batch`` (``NORMALIZE_BATCH``) at a time, each within
    ``timeout`` seconds (``NORMALIZE_TIMEOUT``), and ``process_item`` returns an awaitable.
    With 0, pages are normalized in the reactor thread, without a deadline (for debugging).
    Articles read without the site's selectors are counted (``GENERIC_STAT``), on sites
    that have selectors (a site given without layouts is read generically by design).
    """

    pools: dict[PoolKey, tuple[WorkerPool, int]] = {}  # shared by the crawlers of a process

    def __init__(
        self,
        today: date | None = None,
        workers: int = 0,
        batch: int = 16,
        timeout: float = 5.0,
        stats: StatsCollector | None = None,
    ) -> None:
        self.today = today
        self.stats = stats
        self.key: PoolKey = (max(workers, 0), timeout, max(batch, 1), today)
        self.pool: WorkerPool | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> NormalizePipeline:
        settings = crawler.settings
        return cls(
            workers=settings.getint("NORMALIZE_WORKERS"),
            batch=settings.getint("NORMALIZE_BATCH"),
            timeout=settings.getfloat("NORMALIZE_TIMEOUT"),
            stats=crawler.stats,
        )

    def open_spider(self) -> None:
        workers, timeout, batch, today = self.key
        if not workers:
            return
        pool, users = self.pools.get(self.key) or (None, 0)
        if pool is None:
            function = partial(work, today=today)
            pool = WorkerPool(function, workers, timeout=timeout, batch=batch, preload=[__name__])
        self.pools[self.key] = (pool, users + 1)
        self.pool = pool

    def close_spider(self) -> None:
        if self.pool is None:
            return
        pool, users = self.pools.pop(self.key)
        if users > 1:
            self.pools[self.key] = (pool, users - 1)
        else:
            pool.close()
        self.pool = None

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        if "text" not in adapter and "html" not in adapter:  # not a page (e.g. a reject)
            return item
        fields = (*PAGE_FIELDS, *READER_FIELDS, *CRAWL_FIELDS)
        page = {name: adapter.get(name) for name in fields}
        if page["text"] is None:  # not read yet: the job reads it (in a worker, if any)
            page["html"] = adapter.get("html")
        job = (page, site_context(page["url"]))
        if self.pool is not None:
            return self._normalized_in_pool(item, job)
        try:
            outcome = work(job, self.today)
        except Exception as exc:  # the page's own failure: it becomes a reject
            return _reject(job, "normalize", f"{type(exc).__name__}: {exc}")
        return self._done(item, job, outcome)

    async def _normalized_in_pool(self, item: Any, job: Job) -> Any:
        assert self.pool is not None
        try:
            outcome = await self.pool.run(job)
        except JobError as exc:
            return _reject(job, "normalize", str(exc))
        return self._done(item, job, outcome)

    def _done(self, item: Any, job: Job, outcome: dict[str, Any]) -> Any:
        if "parse" in outcome:
            return _reject(job, "parse", outcome["parse"])
        normalized = outcome["article"]
        site = sites.for_url(str(job[0]["url"]))
        # A site without layouts is always read generically: that is no redesign.
        if (
            normalized.get("extraction") == GENERIC
            and self.stats is not None
            and site
            and site.layouts
        ):
            self.stats.inc_value(GENERIC_STAT)  # the site's selectors found nothing: a redesign?
        if normalized.get("published_from") == "listing" and self.stats is not None:
            self.stats.inc_value("newsarchive/dated_by_listing")
        return _write_back(item, normalized)


def work(job: Job, today: date | None = None) -> dict[str, Any]:
    """A job's outcome, as a worker sends it back: ``{"article": ...}``, or ``{"parse":
    reason}`` for a page that holds no article."""
    try:
        return {"article": normalize_job(job, today)}
    except ParseError as exc:
        return {"parse": str(exc)}
    except RecursionError:  # a page of thousands of nested elements
        return {"parse": "elements nested too deeply"}


def normalize_job(job: Job, today: date | None = None) -> dict[str, Any]:
    """Normalize the page of a job with what it says of the page's site, the page's
    metadata weighed in as evidence, then the date its listing showed (``listing_date``)
    for a page that has none; a page not read yet is read first (ParseError when it holds
    no article)."""
    page, context = job
    reading: dict[str, Any] = {}
    if page.get("text") is None and isinstance(page.get("html"), str):
        reading = read_item(dict(page))
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
    return {**reading, **evidence.weigh_listing(weighed, page.get("listing_date"))}


def _reject(job: Job, stage: str, reason: str) -> Reject:
    page, context = job
    return Reject(str(page["url"]), context["site"], stage, reason)


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
