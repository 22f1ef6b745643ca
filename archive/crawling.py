"""Run the Scrapy crawl of some or all sites into an archive (what `newsarchive crawl` does)."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from archive.db import Archive, ArchiveError

logger = logging.getLogger(__name__)


class CrawlError(Exception):
    """The crawl cannot start: an unknown site, an archive that cannot be opened."""


def check_sites(names: list[str]) -> list[str]:
    """The site names to crawl (all when none given); CrawlError for an unknown one."""
    from crawler import sites

    if not names:
        return [site.name for site in sites.all_sites()]
    try:
        return [sites.get(name).name for name in names]
    except KeyError as exc:
        raise CrawlError(exc.args[0]) from None


def crawler_settings(archive_path: str, replay_url: str | None, verbose: bool) -> Any:
    from scrapy.utils.project import get_project_settings

    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    settings = get_project_settings()
    settings.set("ARCHIVE_PATH", archive_path, priority="cmdline")
    if replay_url:
        settings.set("REPLAY_URL", replay_url, priority="cmdline")
    settings.set("LOG_LEVEL", "INFO" if verbose else "WARNING", priority="cmdline")
    return settings


def run_crawl(
    names: list[str], archive_path: str, *, replay_url: str | None = None, verbose: bool = False
) -> list[dict[str, Any]]:
    """Crawl the named sites (all when empty) in one Scrapy process; the runs it recorded."""
    from scrapy.crawler import CrawlerProcess

    from crawler.spiders.news import SPIDERS

    wanted = check_sites(names)
    if not Path(archive_path).resolve().parent.is_dir():
        raise CrawlError(f"directory {Path(archive_path).parent} does not exist")
    try:
        with Archive.open(archive_path) as archive:
            latest = archive.latest_runs(1)
            last_run = latest[0]["id"] if latest else 0
    except ArchiveError as exc:
        raise CrawlError(str(exc)) from None

    process = CrawlerProcess(crawler_settings(archive_path, replay_url, verbose))
    for name in wanted:
        process.crawl(SPIDERS[name])
    process.start()

    with Archive.open(archive_path) as archive:
        recorded = {
            run["site"]: run for run in archive.latest_runs(len(wanted)) if run["id"] > last_run
        }
    missing = dict.fromkeys(
        ("pages_fetched", "articles_new", "articles_updated", "articles_unchanged", "rejects"), 0
    )
    return [recorded.get(name) or {"site": name, "status": "failed", **missing} for name in wanted]
