"""The news spider on hostile pages (tests/hostile_site.py): every requested URL ends as an
article or a reject that names the real URL, one bad link costs nothing else, and memory
stays bounded whatever a page weighs. One crawl, as a process, against the replay."""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from bench.crawl import wait_measured
from crawler import settings
from crawler.replay import Replay
from crawler.sites import get

from . import hostile_site
from .conftest import NEWSARCHIVE

pytestmark = pytest.mark.e2e
MB = 1024 * 1024


@dataclass
class Crawl:
    archive: Path
    returncode: int
    stdout: str
    stderr: str
    peak_rss: int
    requested: list[tuple[str, str]]


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory) -> Crawl:
    root = tmp_path_factory.mktemp("hostile")
    hostile_site.build(root)
    archive = root / "archive.db"
    with Replay(root) as replay:
        command = [NEWSARCHIVE, "crawl", "yueyang", "--replay", replay.url]
        command += ["--archive", str(archive), "-s", "AUTOTHROTTLE_ENABLED=False"]
        command += ["-s", "DOWNLOAD_DELAY=0"]
        command += ["-s", f"REDIRECT_MAX_TIMES={hostile_site.MAX_REDIRECTS}"]
        process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        returncode, peak = wait_measured(process)
        stdout, stderr = process.communicate()
        requested = list(replay.server.requests)
    return Crawl(archive, returncode, stdout, stderr, peak, requested)


def query(archive: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(archive) as db:
        return db.execute(sql).fetchall()


def test_the_crawl_finishes(crawl: Crawl) -> None:
    assert crawl.returncode == 0, crawl.stderr
    assert "Traceback" not in crawl.stderr
    assert query(crawl.archive, "select status from crawl_runs") == [("finished",)]


def test_every_requested_article_is_an_article_or_a_reject(crawl: Crawl) -> None:
    article = get("yueyang").listings[0].article
    requested = {f"http://{host}{target}" for host, target in crawl.requested}
    articles = {url for url in requested if re.match(article, url)}
    stored = {url for (url,) in query(crawl.archive, "select url from articles")}
    aliases = {url for (url,) in query(crawl.archive, "select url from article_urls")}
    rejected = {url for (url,) in query(crawl.archive, "select url from rejects")}
    assert articles - stored - aliases - rejected == set()
    assert len(articles) >= len(hostile_site.EXPECTED) + 10


@pytest.mark.parametrize("number", sorted(hostile_site.EXPECTED))
def test_each_hostile_page_is_a_reject_saying_why(crawl: Crawl, number: int) -> None:
    what, fragment = hostile_site.EXPECTED[number]
    reasons = [
        reason
        for url, reason in query(crawl.archive, "select url, reason from rejects")
        if url == hostile_site.url(number)
    ]
    assert len(reasons) == 1, f"{what}: {reasons}"
    assert fragment in reasons[0], what


def test_rejects_name_the_real_urls_never_the_replay(crawl: Crawl) -> None:
    rows = query(crawl.archive, "select url, reason from rejects")
    assert rows
    assert [row for row in rows if "127.0.0.1" in "".join(row)] == []
    assert {host for host, _ in crawl.requested} == {hostile_site.HOST}  # offsite: not fetched


def test_a_bad_link_costs_only_itself(crawl: Crawl) -> None:
    urls = {url for (url,) in query(crawl.archive, "select url from articles")}
    assert hostile_site.url(9000030) in urls  # linked next to the bad link
    assert len(urls) == 13  # the twelve sample articles too
    (stats,) = query(crawl.archive, "select stats from crawl_runs")[0]
    assert json.loads(stats)["newsarchive/links_invalid"] == 1


def test_memory_stays_bounded_by_the_page_size_limit(crawl: Crawl) -> None:
    assert settings.DOWNLOAD_MAXSIZE < hostile_site.BIG_PAGE
    print(f"peak RSS of the crawl: {crawl.peak_rss / MB:.0f} MB")
    # A 12 MB page and a gzip bomb of 400 MB: without the limit the crawl peaks at ~900 MB.
    assert crawl.peak_rss < 250 * MB
