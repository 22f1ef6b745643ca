"""What a crawl of one site fetches, given what the archive already holds.

- An article URL already archived is not fetched again (nor one given up after failing).
- Listing pages are always fetched; paging stops at the first listing page whose articles
  are all known, after ``INCREMENTAL_EXTRA_PAGES`` more pages.
- When the site's previous run did not finish (killed, interrupted, failed), paging goes
  through every listing page: the work that run left undone is found again.
- Pages rejected at fetch or parse are retried, until ``REJECTS_MAX_ATTEMPTS``.
- ``--refresh`` (``INCREMENTAL_REFRESH``) re-fetches the archived articles, those published
  on or after ``INCREMENTAL_SINCE`` when it is set.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

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


def plan_crawl(
    archive_path: str | Path,
    site: str,
    *,
    refresh: bool = False,
    since: str | None = None,
    extra_pages: int = 0,
) -> CrawlPlan:
    """The plan for crawling ``site`` into the archive at ``archive_path``."""
    if not Path(archive_path).is_file():
        return CrawlPlan(extra_pages=extra_pages)
    with Archive.open(archive_path) as archive:
        known = archive.known_urls(site)
        log = CrawlLog(archive)
        given_up = log.given_up_urls(site)
        retry = log.retry_urls(site)
        previous = log.last_status(site)
        revisit = archive.article_urls_since(site, since) if refresh else []
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
