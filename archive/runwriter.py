"""`RunWriter`: what one crawl run writes into the archive, in batches.

A local crawl's `ArchivePipeline` and the cluster's writer (`crawler.clusterwriter`) both
write through it: articles are upserted in transactions of ``batch_size`` with their counts
added to the run, rejects are recorded (and given up after ``max_attempts``) against the run,
and at the end the URLs that redirected to stored articles become their aliases (chains
resolved) and the run is closed. Totals live in the `crawl_runs` row as they are written,
so a writer that restarts in the middle of a run goes on adding to them.
"""

from __future__ import annotations

import logging
from typing import Any

from archive.crawllog import CrawlLog
from archive.db import Archive

logger = logging.getLogger(__name__)

COUNTED = ("new", "updated", "unchanged")
ALIAS_HOPS = 10


class RunWriter:
    """The writes of run ``run_id`` of ``site`` into an open archive."""

    def __init__(
        self,
        archive: Archive,
        run_id: int,
        site: str | None,
        *,
        batch_size: int = 50,
        max_attempts: int = 3,
    ) -> None:
        self.archive = archive
        self.log = CrawlLog(archive)
        self.run_id = run_id
        self.site = site
        self.batch_size = batch_size
        self.max_attempts = max_attempts
        self.articles: list[dict[str, Any]] = []
        self.rejects: list[dict[str, Any]] = []
        self.aliases: dict[str, str] = {}  # old URL -> URL it redirects to

    @classmethod
    def start(
        cls,
        archive: Archive,
        site: str | None,
        *,
        node: str | None = None,
        started_at: str | None = None,
        **options: int,
    ) -> RunWriter:
        """A new `crawl_runs` row for ``site`` and its writer."""
        run_id = CrawlLog(archive).start_run(site, node=node, started_at=started_at)
        return cls(archive, run_id, site, **options)

    def add_article(self, article: dict[str, Any]) -> bool:
        """Queue a normalized, valid article; True when a batch is due (`flush`)."""
        self.articles.append(article)
        return len(self.articles) >= self.batch_size

    def add_reject(self, url: str, stage: str, reason: str, *, lost: bool = True) -> None:
        """Queue a reject; ``lost`` False for a problem of an article stored all the same
        (recorded, not counted among the run's rejects)."""
        reject = {"url": url, "site": self.site, "stage": stage, "reason": reason, "lost": lost}
        self.rejects.append(reject)

    def add_alias(self, alias: str, url: str) -> None:
        self.aliases[alias] = url

    def flush(self) -> dict[str, int]:
        """Write what is queued; the article counts it added to the run."""
        counts = dict.fromkeys(COUNTED, 0)
        if self.articles:
            with self.archive.transaction():
                counts = self.archive.upsert_articles(self.articles)
                self.log.add_to_run(self.run_id, counts)
            self.articles = []
        if self.rejects:
            self.log.add_rejects(self.rejects, run_id=self.run_id, max_attempts=self.max_attempts)
            self.rejects = []
        return counts

    def write_aliases(self) -> None:
        """Record each old URL under the article it finally redirects to (chains resolved),
        once the run's articles are all stored."""

        def final(url: str) -> str:
            hops = ALIAS_HOPS
            while url in self.aliases and hops:
                url, hops = self.aliases[url], hops - 1
            return url

        self.archive.add_aliases((alias, final(alias)) for alias in self.aliases)
        self.aliases = {}

    def finish(
        self,
        status: str,
        pages: int,
        stats: dict[str, Any],
        *,
        error: str | None = None,
        finished_at: str | None = None,
    ) -> dict[str, int]:
        """Write the rest, the aliases, and close the run (at ``finished_at``, when the
        crawler says); the article counts of the rest."""
        counts = self.flush()
        self.write_aliases()
        counts_then = {"pages_fetched": pages}
        self.log.finish_run(
            self.run_id, status, counts_then, stats, error=error, finished_at=finished_at
        )
        return counts
