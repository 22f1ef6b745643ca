"""What a crawl of one site fetches, given what the archive already holds.

- An article URL already archived is not fetched again (nor one given up after failing).
- Listing pages are always fetched; paging stops at the first listing page whose articles
  are all known, after ``INCREMENTAL_EXTRA_PAGES`` more pages.
- When the site's previous run did not finish (killed, interrupted, failed), paging goes
  through every listing page: the work that run left undone is found again.
- Pages rejected at fetch or parse are retried, until ``REJECTS_MAX_ATTEMPTS``.
- ``--refresh`` (``INCREMENTAL_REFRESH``) re-fetches the archived articles, those published
  on or after ``INCREMENTAL_SINCE`` when it is set.

What is known comes from a `CrawlHistory`: the archive itself, or in a cluster crawl what
the writer keeps of it in Redis (`crawler.cluster.RedisHistory`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from archive.crawllog import CrawlLog
from archive.db import Archive

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CrawlPlan:
    skip: frozenset[str] = frozenset()
    revisit: tuple[str, ...] = ()
    retry: tuple[str, ...] = ()
    full_pass: bool = True
    extra_pages: int = 0

    def is_known(self, url: str) -> bool:
        return url in self.skip


class CrawlHistory(Protocol):
    """What a crawl plans from: the site's archived URLs, rejects and last run."""

    def known_urls(self, site: str) -> set[str]: ...
    def given_up_urls(self, site: str) -> set[str]: ...
    def retry_urls(self, site: str) -> list[str]: ...
    def last_status(self, site: str) -> str | None: ...
    def article_urls_since(self, site: str, since: str | None = None) -> list[str]: ...


class ArchiveHistory:
    """The crawl history an open archive holds."""

    def __init__(self, archive: Archive) -> None:
        self.archive = archive
        self.log = CrawlLog(archive)

    def known_urls(self, site: str) -> set[str]:
        return self.archive.known_urls(site)

    def given_up_urls(self, site: str) -> set[str]:
        return self.log.given_up_urls(site)

    def retry_urls(self, site: str) -> list[str]:
        return self.log.retry_urls(site)

    def last_status(self, site: str) -> str | None:
        return self.log.last_status(site)

    def article_urls_since(self, site: str, since: str | None = None) -> list[str]:
        return self.archive.article_urls_since(site, since)


def plan_crawl(
    archive_path: str | Path,
    site: str,
    *,
    refresh: bool = False,
    since: str | None = None,
    extra_pages: int = 0,
    history: CrawlHistory | None = None,
) -> CrawlPlan:
    """The plan for crawling ``site`` into the archive at ``archive_path`` (or from
    ``history``, when given)."""
    if history is None:
        if not Path(archive_path).is_file():
            return CrawlPlan(extra_pages=extra_pages)
        with Archive.open(archive_path) as archive:
            history = ArchiveHistory(archive)
            return plan_crawl(
                archive_path,
                site,
                refresh=refresh,
                since=since,
                extra_pages=extra_pages,
                history=history,
            )
    known = history.known_urls(site)
    given_up = history.given_up_urls(site)
    retry = history.retry_urls(site)
    previous = history.last_status(site)
    revisit = history.article_urls_since(site, since) if refresh else []
    full_pass = previous != "finished"
    if full_pass and previous is not None:
        logger.warning(
            "%s: the previous run ended %s; paging through every listing page", site, previous
        )
    return CrawlPlan(
        skip=frozenset(known | given_up),
        revisit=tuple(revisit),
        retry=tuple(retry),
        full_pass=full_pass,
        extra_pages=extra_pages,
    )
