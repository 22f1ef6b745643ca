"""Run the Scrapy crawl of some or all sites into an archive (what `newsarchive crawl` does)."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scrapy.crawler import CrawlerProcess
from scrapy.settings import BaseSettings, Settings
from scrapy.utils.project import get_project_settings
from scrapy.utils.reactor import install_reactor

from archive.crawllog import CrawlLog
from archive.db import Archive, ArchiveError
from archive.lock import CrawlLock
from crawler import clustercrawl, sites
from crawler.cluster import CLUSTER_SETTING, ClusterError, cluster_url
from crawler.spiders.news import SPIDERS
from crawler.stopping import Stopper

logger = logging.getLogger(__name__)

# How a -s NAME=VALUE must read, by the type of the setting's default (bool before int:
# True is an int too): the getter the crawl will read it with, and what to tell the user.
SETTING_KINDS: tuple[tuple[tuple[type, ...], str, str], ...] = (
    ((bool,), "getbool", "true or false"),
    ((int,), "getint", "an integer"),
    ((float,), "getfloat", "a number"),
    ((dict, BaseSettings), "getdict", "a JSON object"),
)
REPLAY_EXAMPLE = "http://127.0.0.1:8765"
QUIET_LOGGERS = ("scrapy.downloadermiddlewares.robotstxt", "scrapy.downloadermiddlewares.retry")
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
    cluster: str | None = None  # a Redis URL: crawl as a node of that cluster


def check_sites(names: list[str]) -> list[str]:
    """The site names to crawl (all when none given); CrawlError for an unknown one."""
    if not names:
        return [site.name for site in sites.all_sites()]
    try:
        return [sites.get(name).name for name in names]
    except KeyError as exc:
        raise CrawlError(exc.args[0]) from None


def check_settings(values: Mapping[str, str], known: BaseSettings) -> None:
    """CrawlError for the first value a setting with a default in ``known`` cannot take
    (``DOWNLOAD_DELAY=abc``); settings without a default, or of text, take anything."""
    for name, value in values.items():
        default = known.get(name)
        for types, getter, expected in SETTING_KINDS:
            if isinstance(default, types):
                try:
                    getattr(BaseSettings({name: value}), getter)(name)
                except (ValueError, TypeError):
                    raise CrawlError(f"setting {name} takes {expected}, not {value!r}") from None
                break


def check_replay_url(url: str) -> None:
    """CrawlError unless ``url`` is a server's address, like http://127.0.0.1:8765."""
    parts = urlsplit(url)
    try:
        port_ok = parts.port is None or parts.port > 0
    except ValueError:
        port_ok = False
    if parts.scheme not in ("http", "https") or not parts.hostname or not port_ok:
        raise CrawlError(f"replay URL {url!r} is not a server address like {REPLAY_EXAMPLE}")
    if parts.path not in ("", "/") or parts.query:
        raise CrawlError(f"replay URL {url!r} has a path: give only {REPLAY_EXAMPLE}")


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
    if options.cluster:
        values[CLUSTER_SETTING] = options.cluster
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
    check_settings(options.settings, crawler_settings(archive_path, CrawlOptions()))
    settings = crawler_settings(archive_path, options)
    if settings.get("REPLAY_URL"):
        check_replay_url(settings["REPLAY_URL"])
    if cluster_url(settings):
        return crawl_as_node(wanted, settings, options)
    if not Path(archive_path).resolve().parent.is_dir():
        raise CrawlError(f"directory {Path(archive_path).parent} does not exist")
    with Stopper() as stopper:
        return crawl_into(archive_path, wanted, settings, options, stopper)


def crawl_as_node(
    wanted: list[str], settings: Settings, options: CrawlOptions
) -> list[dict[str, Any]]:
    """Crawl as a node of the cluster in the settings (crawler/clustercrawl.py): its
    writer, not this process, writes the archive."""
    if options.refresh:
        raise CrawlError("--refresh is not available in a cluster crawl; refresh locally")
    try:
        cluster = clustercrawl.connect(settings)
        with Stopper() as stopper:
            process = crawler_process(settings, stopper, quiet=not options.verbose)
            return clustercrawl.crawl_cluster(wanted, process, cluster, stopper)
    except ClusterError as exc:
        raise CrawlError(str(exc)) from None


def crawl_into(
    archive_path: str,
    wanted: list[str],
    settings: Settings,
    options: CrawlOptions,
    stopper: Stopper,
) -> list[dict[str, Any]]:
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
        crawl_all(wanted, settings, stopper, quiet=not options.verbose)
        with Archive.open(archive_path) as archive:
            log = CrawlLog(archive)
            if stopper.stopped_hard:  # a second signal: runs the reactor had no time to close
                log.close_stale_runs()
            recorded = {run["site"]: run for run in log.runs_after(last_run)}
    not_started = dict.fromkeys(RUN_COUNT_KEYS, 0) | {
        "status": "interrupted" if stopper.requested else "failed",
        "error": "the crawl did not start (see the log above)",
    }
    return [recorded.get(name) or {"site": name, **not_started} for name in wanted]


def crawl_all(wanted: list[str], settings: Settings, stopper: Stopper, *, quiet: bool) -> None:
    """Crawl the sites in one Scrapy process, until they end or ``stopper`` stops them."""
    process = crawler_process(settings, stopper, quiet=quiet)
    for name in wanted:
        crawler = process.create_crawler(SPIDERS[name])
        stopper.watch(crawler)
        process.crawl(crawler)
    process.start(install_signal_handlers=False)


def crawler_process(settings: Settings, stopper: Stopper, *, quiet: bool) -> CrawlerProcess:
    """The Scrapy process of a crawl, its reactor installed and armed to stop on signals."""
    process = CrawlerProcess(settings)
    if quiet:
        # A robots.txt that cannot be fetched is logged with a traceback, and a page that
        # failed its last retry with an error: the failures are rejects anyway, reported in
        # one line per site (and kept in the archive with their reasons).
        for name in QUIET_LOGGERS:
            logging.getLogger(name).setLevel(logging.CRITICAL)
    # What the first crawler would install, installed first, so that a signal from now on
    # reaches the crawl through its reactor (imported only once installed, as Scrapy does).
    install_reactor(settings["TWISTED_REACTOR"], settings["ASYNCIO_EVENT_LOOP"])
    from twisted.internet import reactor

    stopper.arm(reactor)
    return process
