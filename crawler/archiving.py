"""ArchivePipeline: writes normalized articles and rejects into the archive, in batches.

Each spider run is a `crawl_runs` row: started when the spider opens, closed with its status,
counts, Scrapy stats and (when it failed) the reason. A page that fails validation, or an
item a pipeline raised on, becomes a `rejects` row: nothing is dropped silently. Articles
are written in transactions of ``ARCHIVE_BATCH_SIZE``, so a killed crawl leaves no half
rows, and the crawl holds the archive's lock, so two crawls never write at once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.exceptions import NotConfigured

from archive.crawllog import CrawlLog
from archive.db import Archive
from archive.lock import CrawlLock
from archive.runwriter import COUNTED, RunWriter
from crawler.items import Alias, Reject

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy.statscollectors import StatsCollector
    from twisted.python.failure import Failure

logger = logging.getLogger(__name__)

CLOSE_STATUS = {"finished": "finished", "shutdown": "interrupted"}
CLUSTER_SETTING = "NEWSARCHIVE_CLUSTER"


def validation_problem(article: ItemAdapter) -> str | None:
    """Why a normalized article cannot be archived, or None."""
    if not (article.get("body") or "").strip():
        return "empty body after normalization"
    if not (article.get("title") or "").strip():
        return "no title"
    return None


def problem_reasons(article: ItemAdapter) -> list[str]:
    """The normalizer's problems with an article (each recorded as a 'normalize' reject)."""
    return [
        f"{problem.get('field')}: {problem.get('reason')} ({problem.get('value')})"
        for problem in article.get("problems") or ()
    ]


@dataclass
class SortedItem:
    """What an item of the crawl comes to: an article to store, rejects, an alias."""

    article: dict[str, Any] | None = None
    rejects: list[tuple[str, str, str]] = field(default_factory=list)  # (url, stage, reason)
    # The normalizer's problems with an article that is stored all the same: recorded in
    # `rejects`, not counted as pages lost.
    problems: list[tuple[str, str, str]] = field(default_factory=list)

    def reports(self) -> list[tuple[str, str, str, bool]]:
        """What to record in `rejects`: (url, stage, reason, lost), lost False for the
        problems of an article stored all the same."""
        lost = [(*reject, True) for reject in self.rejects]
        return lost + [(*problem, False) for problem in self.problems]

    alias: tuple[str, str] | None = None  # (old URL, URL it redirects to)


def sort_item(item: Any) -> SortedItem:
    """Sort an item the pipelines hand on: a reject, an alias, or a normalized article
    (with a 'normalize' reject per problem, and a 'validate' reject instead when it cannot
    be archived)."""
    if isinstance(item, Reject):
        return SortedItem(rejects=[(item.url, item.stage, item.reason)])
    if isinstance(item, Alias):
        return SortedItem(alias=(item.alias, item.url))
    article = ItemAdapter(item)
    problems = [(article["url"], "normalize", problem) for problem in problem_reasons(article)]
    reason = validation_problem(article)
    if reason:
        return SortedItem(rejects=[*problems, (article["url"], "validate", reason)])
    return SortedItem(article=article.asdict(), problems=problems)


def run_outcome(spider: Spider, reason: str) -> tuple[str, str | None]:
    """The run's status and, unless it finished, why: from the close reason and listings."""
    errors: list[str] = getattr(spider, "listing_errors", [])
    if reason == "finished" and errors and not getattr(spider, "listings_fetched", 0):
        return "failed", f"no listing page could be fetched ({errors[0]})"
    status = CLOSE_STATUS.get(reason, "failed")
    if status == "finished":
        return status, None
    return status, f"stopped: {reason}"


class ArchivePipeline:
    def __init__(
        self,
        path: str,
        site: str | None,
        stats: StatsCollector | None = None,
        batch_size: int = 50,
        max_attempts: int = 3,
        lock_wait: float = 0,
    ) -> None:
        self.path = path
        self.site = site
        self.stats = stats
        self.batch_size = batch_size
        self.max_attempts = max_attempts
        self.lock_wait = lock_wait
        self.archive: Archive | None = None
        self.writer: RunWriter | None = None
        self.lock: CrawlLock | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchivePipeline:
        settings = crawler.settings
        if settings.get(CLUSTER_SETTING):
            raise NotConfigured  # a cluster crawl hands its items to the writer (no warning)
        pipeline = cls(
            path=settings.get("ARCHIVE_PATH"),
            site=getattr(crawler.spidercls, "name", None),
            stats=crawler.stats,
            batch_size=settings.getint("ARCHIVE_BATCH_SIZE", 50),
            max_attempts=settings.getint("REJECTS_MAX_ATTEMPTS", 3),
            lock_wait=settings.getfloat("ARCHIVE_LOCK_WAIT", 0),
        )
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(pipeline.item_error, signal=signals.item_error)
        return pipeline

    @property
    def run_id(self) -> int | None:
        return self.writer.run_id if self.writer else None

    def open_spider(self) -> None:
        # The lock before the archive: only its holder may create or migrate it.
        self.lock = CrawlLock.acquire(self.path, wait=self.lock_wait)
        try:
            self.archive = Archive.open(self.path)
        except BaseException:
            self.lock.release()
            self.lock = None
            raise
        if self.lock.outermost:  # no crawl of this process has started yet
            CrawlLog(self.archive).close_stale_runs()
        self.writer = RunWriter.start(
            self.archive, self.site, batch_size=self.batch_size, max_attempts=self.max_attempts
        )

    def process_item(self, item: Any) -> Any:
        assert self.writer is not None
        sorted_item = sort_item(item)
        for url, stage, reason, lost in sorted_item.reports():
            self._reject(url, stage, reason, lost=lost)
        if sorted_item.alias:
            self.writer.add_alias(*sorted_item.alias)
        if sorted_item.article and self.writer.add_article(sorted_item.article):
            self.flush()
        return item

    def item_error(self, item: Any, response: Response, spider: Spider, failure: Failure) -> None:
        url = ItemAdapter(item).get("url") or (response.url if response else "")
        self._reject(url, "normalize", f"{failure.type.__name__}: {failure.getErrorMessage()}")

    def _reject(self, url: str, stage: str, reason: str, *, lost: bool = True) -> None:
        """Record what went wrong with a page in `rejects`; the run counts the pages
        ``lost`` (not archived), and the problems of archived ones apart."""
        logger.info("rejected %s at %s: %s", url, stage, reason)  # recorded in `rejects`
        assert self.writer is not None
        self.writer.add_reject(url, stage, reason, lost=lost)
        if self.stats:
            self.stats.inc_value(f"archive/rejects/{stage}" if lost else "archive/problems")

    def _count(self, counts: dict[str, int]) -> None:
        if self.stats:
            for key in COUNTED:
                self.stats.inc_value(f"archive/articles_{key}", counts.get(key, 0))

    def flush(self) -> None:
        assert self.writer is not None
        self._count(self.writer.flush())

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.archive is None:
            return
        try:
            assert self.writer is not None
            self.flush()  # first, so that the run's stats count the last batch
            stats = self.stats.get_stats() if self.stats else {}
            status, error = run_outcome(spider, reason)
            pages = int(stats.get("response_received_count", 0))
            self.writer.finish(status, pages, stats, error=error)
        finally:
            self.archive.close()
            self.archive = self.writer = None
            if self.lock:
                self.lock.release()
