"""NormalizePipeline: the crawl's normalization, the pure `pipelines.normalize` around items.

The site's key and timezone come from the registry here and reach `normalize` as inputs
(`site_context`), so the pure pipelines never look anything up. Pages are normalized in
worker processes (`crawler.workers`, ``NORMALIZE_WORKERS``), so the reactor thread keeps
fetching, and a page that takes over ``NORMALIZE_TIMEOUT`` seconds becomes a reject
instead of hanging the crawl; the crawlers of one process share the workers.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import date
from functools import partial
from typing import Any

from itemadapter import ItemAdapter

from crawler import sites
from crawler.items import Reject
from crawler.workers import JobError, WorkerPool
from pipelines.normalize import DEFAULT_TIMEZONE, PAGE_FIELDS, normalize

logger = logging.getLogger(__name__)

# A page to normalize and what its site tells normalization ({"site", "timezone"}).
Job = tuple[Mapping[str, Any], dict[str, Any]]
PoolKey = tuple[int, float, int, date | None]


def site_context(url: str | None) -> dict[str, Any]:
    """What normalization is told of a page's site, found by the URL's host: its key and
    timezone; a page of no registered site gets no key and China time."""
    site = sites.for_url(url or "")
    if site is None:
        return {"site": None, "timezone": DEFAULT_TIMEZONE}
    return {"site": site.name, "timezone": site.timezone}


class NormalizePipeline:
    """Scrapy item pipeline: writes every normalized field back onto the item, or returns
    a ``normalize`` reject of the page when normalization failed or ran past the deadline.

    With ``workers`` (``NORMALIZE_WORKERS``, default 1), pages are normalized in worker
    processes, up to ``batch`` (``NORMALIZE_BATCH``) at a time, each within ``timeout``
    seconds (``NORMALIZE_TIMEOUT``), and ``process_item`` returns an awaitable. With 0,
    pages are normalized in the reactor thread, without a deadline (for debugging).
    """

    pools: dict[PoolKey, tuple[WorkerPool, int]] = {}  # shared by the crawlers of a process

    def __init__(
        self,
        today: date | None = None,
        workers: int = 0,
        batch: int = 16,
        timeout: float = 5.0,
    ) -> None:
        self.today = today
        self.key: PoolKey = (max(workers, 0), timeout, max(batch, 1), today)
        self.pool: WorkerPool | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> NormalizePipeline:
        settings = crawler.settings
        return cls(
            workers=settings.getint("NORMALIZE_WORKERS"),
            batch=settings.getint("NORMALIZE_BATCH"),
            timeout=settings.getfloat("NORMALIZE_TIMEOUT"),
        )

    def open_spider(self) -> None:
        workers, timeout, batch, today = self.key
        if not workers:
            return
        pool, users = self.pools.get(self.key) or (None, 0)
        if pool is None:
            function = partial(normalize_job, today=today)
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
        if "text" not in adapter:  # not a page (e.g. a reject): nothing to normalize
            return item
        page = {name: adapter.get(name) for name in PAGE_FIELDS}
        job = (page, site_context(page["url"]))
        if self.pool is not None:
            return self._normalized_in_pool(item, job)
        try:
            normalized = normalize_job(job, self.today)
        except Exception as exc:  # the page's own failure: it becomes a reject
            return _reject(job, f"{type(exc).__name__}: {exc}")
        return _write_back(item, normalized)

    async def _normalized_in_pool(self, item: Any, job: Job) -> Any:
        assert self.pool is not None
        try:
            normalized = await self.pool.run(job)
        except JobError as exc:
            return _reject(job, str(exc))
        return _write_back(item, normalized)


def normalize_job(job: Job, today: date | None = None) -> dict[str, Any]:
    """Normalize the page of a job with what it says of the page's site."""
    page, context = job
    return normalize(page, today=today, **context)


def _reject(job: Job, reason: str) -> Reject:
    page, context = job
    return Reject(str(page["url"]), context["site"], "normalize", reason)


def _write_back(item: Any, normalized: dict[str, Any]) -> Any:
    adapter = ItemAdapter(item)
    for name, value in normalized.items():
        adapter[name] = value
    return item


def normalize_page(page: Mapping[str, Any], today: date | None = None) -> dict[str, Any]:
    """`normalize` for a page of whatever site its URL names (what `newsarchive normalize`
    does with a page given as text)."""
    return normalize(page, today=today, **site_context(page.get("url")))
