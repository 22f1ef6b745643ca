"""Scrapy settings for newsarchive: polite by default, every component wired here."""

from __future__ import annotations

import os

BOT_NAME = "newsarchive"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# Who crawls and how to reach them: override NEWSARCHIVE_CONTACT for your deployment.
NEWSARCHIVE_CONTACT = os.environ.get(
    "NEWSARCHIVE_CONTACT", "https://github.com/newsarchive/newsarchive"
)
USER_AGENT = f"newsarchive/0.1 (+{NEWSARCHIVE_CONTACT}; archiving public government news)"

# Politeness: robots.txt, one or two requests at a time per host, AutoThrottle.
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 0.25
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 30.0
RETRY_TIMES = 2
# What a news page needs (the largest real one seen is 0.5 MB): a larger page, or one that
# decompresses to more (a gzip bomb), is a reject with its size, and memory stays bounded.
DOWNLOAD_MAXSIZE = 8 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False

# REPLAY_URL (e.g. http://127.0.0.1:8765) sends every request to the replay server while
# URLs stay real; unset, the handler is Scrapy's plain HTTP/1.1 download handler.
REPLAY_URL = os.environ.get("REPLAY_URL") or None
DOWNLOAD_HANDLERS = {
    "http": "crawler.handlers.ReplayDownloadHandler",
    "https": "crawler.handlers.ReplayDownloadHandler",
}

# Each response's headers as received (before HttpCompressionMiddleware, 590, drops
# Content-Encoding), for the capture an article keeps (crawler/capturing.py).
DOWNLOADER_MIDDLEWARES = {"crawler.capturing.CaptureMiddleware": 595}
# An exception while reading a page makes it a reject (crawler/failures.py).
SPIDER_MIDDLEWARES = {"crawler.failures.RejectFailedPages": 10}
# A cluster crawl (NEWSARCHIVE_CLUSTER) hands items to the writer instead of the archive:
# each of the last two pipelines is off when the other is on.
ITEM_PIPELINES = {
    "crawler.normalizing.NormalizePipeline": 300,
    "crawler.archiving.ArchivePipeline": 900,
    "crawler.clusterpipeline.ClusterPipeline": 900,
}
ARCHIVE_PATH = os.environ.get("NEWSARCHIVE_ARCHIVE", "archive.db")
ARCHIVE_BATCH_SIZE = 50
# Pages are normalized in worker processes beside the reactor thread, up to NORMALIZE_BATCH
# at a time; a page that takes over NORMALIZE_TIMEOUT seconds is a reject (its worker is
# killed and replaced). 0 workers: in the reactor thread, without a deadline (debugging).
NORMALIZE_WORKERS = 1
NORMALIZE_BATCH = 16
NORMALIZE_TIMEOUT = 5.0

LOG_LEVEL = "INFO"
FEED_EXPORT_ENCODING = "utf-8"

# Incremental crawling (crawler/incremental.py): known articles are not fetched again;
# paging stops at the first listing page holding only known articles, after this many more.
INCREMENTAL_EXTRA_PAGES = 0
# A site that names no listing has its sections found (crawler/sections.py): links to
# listing pages followed this many links from its homepage (a site may set its own). Not
# Scrapy's DEPTH_LIMIT, which counts every link followed, paging and articles too.
SECTIONS_DEPTH = 2
INCREMENTAL_REFRESH = False  # `newsarchive crawl --refresh`: re-fetch archived articles
INCREMENTAL_SINCE = None  # with refresh: only those published on or after YYYY-MM-DD
REJECTS_MAX_ATTEMPTS = 3  # rejected pages are retried by later runs, this many times in all
ARCHIVE_LOCK_WAIT = 0.0  # seconds to wait for another crawl of the archive to end

# Cluster mode (crawler/cluster.py): a Redis URL such as redis://127.0.0.1:6379/0 makes this
# crawl one node of a cluster (scrapy-redis's scheduler and duplicate filter, a lease per
# site, items to the writer `newsarchive ingest`); a node that stops renewing its lease for
# this many seconds loses its site to another node.
NEWSARCHIVE_CLUSTER = os.environ.get("NEWSARCHIVE_CLUSTER") or None
NEWSARCHIVE_CLUSTER_LEASE = 30.0
ADDONS = {"crawler.cluster.ClusterAddon": 0}

EXTENSIONS = {"crawler.progress.Progress": 500}
PROGRESS_ENABLED = False  # the CLI turns the progress line on when stderr is a terminal
