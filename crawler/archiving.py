"""ArchivePipeline: writes normalized articles and rejects into the archive, in batches.

Each spider run is a `crawl_runs` row: started when the spider opens, closed with its status,
counts, Scrapy stats and (when it failed) the reason. A page that fails validation, or an
item a pipeline raised on, becomes a `rejects` row: nothing is dropped silently. Articles
are written in transactions of ``ARCHIVE_BATCH_SIZE``, so a killed crawl leaves no half
rows, and the crawl holds the archive's lock, so two crawls never write at once.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter
from scrapy import signals

from archive.crawllog import CrawlLog
from archive.db import Archive
from archive.lock import CrawlLock
from crawler.items import Alias, Reject

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy.statscollectors import StatsCollector
    from twisted.python.failure import Failure

logger = logging.getLogger(__name__)

CLOSE_STATUS = {"finished": "finished", "shutdown": "interrupted"}
COUNTED = ("new", "updated", "unchanged")


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
        self.articles: list[dict[str, Any]] = []
        self.aliases: dict[str, str] = {}  # old URL -> URL it redirects to
        self.rejects: list[dict[str, Any]] = []
        self.counts = dict.fromkeys(COUNTED, 0) | {"rejects": 0}
        self.archive: Archive | None = None
        self.log: CrawlLog | None = None
        self.lock: CrawlLock | None = None
        self.run_id: int | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchivePipeline:
        settings = crawler.settings
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

    def open_spider(self) -> None:
        # The lock before the archive: only its holder may create or migrate it.
        self.lock = CrawlLock.acquire(self.path, wait=self.lock_wait)
        try:
            self.archive = Archive.open(self.path)
        except BaseException:
            self.lock.release()
            self.lock = None
            raise
        self.log = CrawlLog(self.archive)
        if self.lock.outermost:  # no crawl of this process has started yet
            self.log.close_stale_runs()
        self.run_id = self.log.start_run(self.site)

    def process_item(self, item: Any) -> Any:
        if isinstance(item, Reject):
            self._reject(item.url, item.stage, item.reason)
            return item
        if isinstance(item, Alias):
            self.aliases[item.alias] = item.url
            return item
        article = ItemAdapter(item)
        for problem in problem_reasons(article):  # recorded; the article is stored anyway
            self._reject(article["url"], "normalize", problem, lost=False)
        reason = validation_problem(article)
        if reason:
            self._reject(article["url"], "validate", reason)
            return item
        self.articles.append(article.asdict())
        if len(self.articles) >= self.batch_size:
            self.flush()
        return item

    def item_error(self, item: Any, response: Response, spider: Spider, failure: Failure) -> None:
        url = ItemAdapter(item).get("url") or (response.url if response else "")
        self._reject(url, "normalize", f"{failure.type.__name__}: {failure.getErrorMessage()}")

    def _reject(self, url: str, stage: str, reason: str, *, lost: bool = True) -> None:
        """Record what went wrong with a page in `rejects`; the run counts the pages
        ``lost`` (not archived), and the problems of archived ones apart."""
        logger.info("rejected %s at %s: %s", url, stage, reason)  # recorded in `rejects`
        self.rejects.append({"url": url, "site": self.site, "stage": stage, "reason": reason})
        if lost:
            self.counts["rejects"] += 1
        if self.stats:
            self.stats.inc_value(f"archive/rejects/{stage}" if lost else "archive/problems")

    def flush(self) -> None:
        assert self.archive is not None and self.log is not None and self.run_id is not None
        if self.articles:
            with self.archive.transaction():
                counts = self.archive.upsert_articles(self.articles)
                self.log.add_to_run(self.run_id, counts)
            for key in COUNTED:
                self.counts[key] += counts.get(key, 0)
                if self.stats:
                    self.stats.inc_value(f"archive/articles_{key}", counts.get(key, 0))
            self.articles = []
        if self.rejects:
            self.log.add_rejects(self.rejects, max_attempts=self.max_attempts)
            self.rejects = []

    def write_aliases(self) -> None:
        """Record each old URL under the article it finally redirects to (chains resolved),
        once the run's articles are all stored."""
        assert self.archive is not None

        def final(url: str, hops: int = 10) -> str:
            while url in self.aliases and hops:
                url, hops = self.aliases[url], hops - 1
            return url

        self.archive.add_aliases((alias, final(alias)) for alias in self.aliases)
        self.aliases = {}

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.archive is None:
            return
        try:
            self.flush()
            self.write_aliases()
            stats = self.stats.get_stats() if self.stats else {}
            status, error = run_outcome(spider, reason)
            pages = int(stats.get("response_received_count", 0))
            assert self.log is not None and self.run_id is not None
            self.log.finish_run(
                self.run_id,
                status,
                self.counts | {"pages_fetched": pages},
                stats,
                error=error,
            )
        finally:
            self.archive.close()
            self.archive = self.log = None
            if self.lock:
                self.lock.release()
