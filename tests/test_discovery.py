"""A site given only as hosts and a homepage, crawled completely (tests/lakeside_site.py):
its sections found from the homepage and the sitemap, every paging form followed, robots.txt
and the depth limit obeyed, dates beside the links stored where the pages state none; then a
second run that reads only the first page of each section. Real crawls, as processes,
against the replay."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from crawler.replay import Replay

from . import lakeside_site as lakeside

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parent.parent
FAST = ("-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0")


@dataclass
class Run:
    result: subprocess.CompletedProcess[str]
    requested: list[str]  # the URLs the run asked the replay for, in order
    stats: dict[str, object]


@dataclass
class Crawls:
    archive: Path
    first: Run
    second: Run


def crawl(replay: Replay, archive: Path) -> Run:
    before = len(replay.server.requests)
    command = [sys.executable, "-m", "tests.sitecrawl", "tests.lakeside_site", "crawl"]
    command += ["lakeside", "--replay", replay.url, "--archive", str(archive), *FAST]
    command += ["-s", f"SECTIONS_DEPTH={lakeside.DEPTH}"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
    requested = [f"http://{host}{target}" for host, target in replay.server.requests[before:]]
    with sqlite3.connect(archive) as db:
        (stats,) = db.execute("select stats from crawl_runs order by id desc limit 1").fetchone()
    return Run(result, requested, json.loads(stats))


@pytest.fixture(scope="module")
def crawls(tmp_path_factory: pytest.TempPathFactory) -> Crawls:
    root = tmp_path_factory.mktemp("lakeside")
    lakeside.build(root)
    archive = root / "archive.db"
    with Replay(root) as replay:
        return Crawls(archive, crawl(replay, archive), crawl(replay, archive))


def query(archive: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(archive) as db:
        return db.execute(sql).fetchall()


def test_both_runs_finish_without_rejects(crawls: Crawls) -> None:
    for run in (crawls.first, crawls.second):
        assert run.result.returncode == 0, run.result.stderr
        assert "Traceback" not in run.result.stderr
    assert query(crawls.archive, "select status from crawl_runs") == [("finished",)] * 2
    # a guessed page that is missing ends its section; a section robots.txt forbids is left
    assert query(crawls.archive, "select url, reason from rejects") == []


def test_every_article_is_archived_and_no_listing_page(crawls: Crawls) -> None:
    stored = {url for (url,) in query(crawls.archive, "select url from articles")}
    assert stored == set(lakeside.EXPECTED)
    assert f"{lakeside.BASE}/" not in stored and f"{lakeside.BASE}/news/" not in stored


@pytest.mark.parametrize("section", lakeside.SECTIONS, ids=[s.folder for s in lakeside.SECTIONS])
def test_every_page_of_each_paging_form_is_read(crawls: Crawls, section: lakeside.Section) -> None:
    folder = f"{lakeside.BASE}/news/{section.folder}/"
    assert [folder + name for name in section.pages if folder + name in crawls.first.requested] == [
        folder + name for name in section.pages
    ]


def test_the_forms_are_counted(crawls: Crawls) -> None:
    """Each page that shows its form counts it; a last page without a link to a next one
    (rel-next, next-text) shows none."""
    stats = crawls.first.stats
    forms = {"create-page-html": 3, "page-variables": 3, "rel-next": 2, "next-text": 2}
    forms["numbered"] = 3
    assert {form: stats.get(f"newsarchive/paging/{form}") for form in forms} == forms
    assert stats["newsarchive/paging/probe"] == 4  # plain: 3 guesses; notices: 1
    assert stats["newsarchive/paging/probe_end"] == 2
    assert stats["newsarchive/links/article"] >= len(lakeside.EXPECTED)
    assert stats["newsarchive/links/listing"] > 0 and stats["newsarchive/links/other"] > 0


def test_the_guess_after_the_last_page_is_its_end(crawls: Crawls) -> None:
    missing = f"{lakeside.BASE}/news/plain/index_3.html"
    assert missing in crawls.first.requested
    assert f"{lakeside.BASE}/news/plain/index_4.html" not in crawls.first.requested


def test_robots_txt_and_the_depth_limit_keep_sections_out(crawls: Crawls) -> None:
    requested = set(crawls.first.requested)
    assert not [url for url in requested if "/private/" in url]
    assert not [url for url in requested if url.startswith(lakeside.TOO_DEEP)]
    assert crawls.first.stats["newsarchive/robots_forbidden"] == 1


def test_the_sitemap_leads_to_its_section_and_article(crawls: Crawls) -> None:
    assert f"{lakeside.BASE}/sitemap.xml" in crawls.first.requested
    stored = {url for (url,) in query(crawls.archive, "select url from articles")}
    assert {f"{lakeside.BASE}/notices/content_{n}.html" for n in (901, 902, 903)} <= stored


def test_dates_are_stored_with_where_they_came_from(crawls: Crawls) -> None:
    rows = query(crawls.archive, "select url, published_date, published_from from articles")
    got = {url: (day, origin) for url, day, origin in rows}
    want = {url: (a.day, a.published_from) for url, a in lakeside.EXPECTED.items()}
    assert got == want
    listed = query(
        crawls.archive, "select published_raw from articles where published_from = 'listing'"
    )
    assert all(raw.startswith(f"listing {lakeside.BASE}/") for (raw,) in listed)


def test_the_second_run_reads_the_first_page_of_each_section_and_no_article(
    crawls: Crawls,
) -> None:
    second = crawls.second
    assert second.stats.get("archive/articles_new", 0) == 0
    assert not [url for url in second.requested if url in lakeside.EXPECTED]
    later_pages = {
        f"{lakeside.BASE}/news/{section.folder}/{name}"
        for section in lakeside.SECTIONS
        for name in section.pages[1:]
    }
    assert later_pages <= set(crawls.first.requested)
    assert not later_pages & set(second.requested)
    assert second.stats["newsarchive/paging_stopped"] >= len(lakeside.SECTIONS)
