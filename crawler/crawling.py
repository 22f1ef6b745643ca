"""Run the Scrapy crawl of some or all sites into an archive (what `newsarchive crawl` does)."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings
from scrapy.utils.project import get_project_settings

from archive.crawllog import CrawlLog
from archive.db import Archive, ArchiveError
from archive.lock import CrawlLock
from crawler import sites
from crawler.spiders.news import SPIDERS

logger = logging.getLogger(__name__)

RUN_COUNT_KEYS = (
    "pages_fetched",
    "articles_new",
    "articles_updated",
    "articles_unchanged",
    "rejects",
)


class CrawlError(Exception):
    """The crawl cannot start: an unknown site, an archive that cannot be opened."""


@dataclass
class CrawlOptions:
    """How to crawl: where requests go, what to re-fetch, settings over the project's."""

    replay_url: str | None = None
    refresh: bool = False
    since: str | None = None
    wait: float = 0
    verbose: bool = False
    progress: bool = False
    settings: dict[str, str] = field(default_factory=dict)


def check_sites(names: list[str]) -> list[str]:
    """The site names to crawl (all when none given); CrawlError for an unknown one."""
    if not names:
        return [site.name for site in sites.all_sites()]
    try:
        return [sites.get(name).name for name in names]
    except KeyError as exc:
        raise CrawlError(exc.args[0]) from None


def crawler_settings(archive_path: str, options: CrawlOptions) -> Settings:
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    settings = get_project_settings()
    values: dict[str, Any] = {
        "ARCHIVE_PATH": archive_path,
        "LOG_LEVEL": "INFO" if options.verbose else "WARNING",
        "INCREMENTAL_REFRESH": options.refresh,
        "INCREMENTAL_SINCE": options.since,
        "PROGRESS_ENABLED": options.progress and not options.verbose,
    }
    if options.replay_url:
        values["REPLAY_URL"] = options.replay_url
    values.update(options.settings)
    settings.setdict(values, priority="cmdline")
    return settings


def run_crawl(
    names: list[str], archive_path: str, options: CrawlOptions | None = None
) -> list[dict[str, Any]]:
    """Crawl the named sites (all when empty) in one Scrapy process; the runs it recorded.

    Raises CrawlError when the crawl cannot start, and ArchiveBusy (an ArchiveError) when
    another crawl holds the archive.
    """
    options = options or CrawlOptions()
    wanted = check_sites(names)
    if not Path(archive_path).resolve().parent.is_dir():
        raise CrawlError(f"directory {Path(archive_path).parent} does not exist")

    # The lock comes first: two crawls started at once on a missing archive never both
    # create or migrate it.
    with CrawlLock.acquire(archive_path, wait=options.wait):
        try:
            archive = Archive.open(archive_path)
        except ArchiveError as exc:
            raise CrawlError(str(exc)) from None
        with archive:
            log = CrawlLog(archive)
            log.close_stale_runs()
            latest = log.latest_runs(1)
        last_run = latest[0]["id"] if latest else 0
        process = CrawlerProcess(crawler_settings(archive_path, options))
        if not options.verbose:
            # A robots.txt that cannot be fetched is logged with a traceback; the failure of
            # the pages behind it is reported anyway, in one line per site.
            logging.getLogger("scrapy.downloadermiddlewares.robotstxt").setLevel(logging.CRITICAL)
        for name in wanted:
            process.crawl(SPIDERS[name])
        process.start()
        with Archive.open(archive_path) as archive:
            recorded = {run["site"]: run for run in CrawlLog(archive).runs_after(last_run)}
    not_started = dict.fromkeys(RUN_COUNT_KEYS, 0) | {
        "status": "failed",
        "error": "the crawl did not start (see the log above)",
    }
    return [recorded.get(name) or {"site": name, **not_started} for name in wanted]
