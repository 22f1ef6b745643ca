"""Drift alarms (`archive/health.py`) on archives built run by run: every figure, every limit,
the canned query against the library, and an archive that is only read."""

from __future__ import annotations

import asyncio
import hashlib
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from datasette.app import Datasette
from sqlite_utils import Database

from archive import Archive, ArchiveError
from archive.crawllog import CrawlLog
from archive.health import GENERIC_STAT, Limits, Report, check
from archive.metadata import build_metadata
from archive.migrations import migrations

SITE = "lakeside"


def article(number: int, *, site: str = SITE, generic: bool = False, dated: bool = True) -> dict:
    return {
        "url": f"http://news.lakeside.example.cn/xw/202401/t20240105_{number}.html",
        "site": site,
        "lang": "en",
        "title": f"Ferry line {number} opens",
        "body": f"Ferry line {number} now crosses the lake four times a day.",
        "published_date": "2024-01-05" if dated else None,
        "extraction": "generic" if generic else "selectors:content",
        "credits": [],
    }


class Builder:
    """An archive made the way crawls make it: a run, the articles it stored, its end."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.number = 0

    def run(
        self,
        site: str = SITE,
        *,
        new: int = 0,
        generic: int = 0,
        undated: int = 0,
        pages: int | None = None,
        rejects: int = 0,
        status: str = "finished",
        stats: dict[str, Any] | None = None,
        error: str | None = None,
    ) -> int:
        """A run of ``site`` that stores ``new`` articles (the first ``generic`` read
        generically, the last ``undated`` without a date)."""
        batch = []
        for index in range(new):
            self.number += 1
            batch.append(
                article(
                    self.number, site=site, generic=index < generic, dated=index < new - undated
                )
            )
        with Archive.open(self.path) as archive:
            log = CrawlLog(archive)
            run_id = log.start_run(site)
            counts = archive.upsert_articles(batch)
            counts |= {"pages_fetched": new + 2 if pages is None else pages, "rejects": rejects}
            log.finish_run(run_id, status, counts, stats or {}, error=error)
        return run_id


@pytest.fixture
def build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Builder:
    """A builder whose archive clock starts an hour ago and ticks a minute a reading, so that
    every run starts after the articles of the one before were stored (as crawls do)."""
    ticks = iter(range(10_000))
    start = datetime.now(UTC) - timedelta(hours=1)

    def clock() -> str:
        return (start + timedelta(minutes=next(ticks))).isoformat(timespec="seconds")

    for module in ("archive.db", "archive.crawllog"):
        monkeypatch.setattr(f"{module}.now", clock)
    return Builder(tmp_path / "archive.db")


def site_report(build: Builder, **limits: Any) -> Report:
    return check(build.path, registered=[SITE], limits=Limits(**limits))


def figures(build: Builder, **limits: Any) -> dict[str, Any]:
    (site,) = site_report(build, **limits).sites
    return site.figures


def alarms(build: Builder, **limits: Any) -> list[str]:
    (site,) = site_report(build, **limits).sites
    return site.alarms


def test_a_healthy_site(build: Builder) -> None:
    build.run(new=10, generic=1, undated=1, pages=20, rejects=1)
    last = build.run(new=10, pages=20, rejects=1)
    report = site_report(build)
    assert report.ok and report.unindexed == 0
    (site,) = report.sites
    assert site.alarms == []
    assert site.figures | {"last_run_started": None, "last_finished_at": None} == {
        "site": SITE,
        "last_run": last,
        "last_run_started": None,
        "last_run_status": "finished",
        "last_run_error": None,
        "last_finished_run": last,
        "last_finished_at": None,
        "failed_in_a_row": 0,
        "runs": 2,
        "new_articles": 20,
        "generic_share": 0.05,
        "generic_from": "articles",
        "undated_share": 0.05,
        "reject_rate": 0.05,
        "days_since_new_article": 0.0,
    }


def test_a_redesign_shows_as_generic_reading(build: Builder) -> None:
    build.run(new=10)
    build.run(new=4, generic=4)
    assert figures(build)["generic_share"] == round(4 / 14, 3)
    assert alarms(build) == ["29% read without the site's selectors (limit 20%)"]
    assert alarms(build, max_generic=0.3) == []
    assert figures(build, runs=1)["generic_share"] == 1.0  # the latest run alone


def test_the_runs_own_count_of_generic_readings_wins(build: Builder) -> None:
    """A refresh re-reads stored articles: the run's count says what the articles cannot."""
    build.run(new=10)
    build.run(new=0, stats={GENERIC_STAT: 5})
    with sqlite3.connect(build.path) as db:
        db.execute("update crawl_runs set articles_unchanged = 10 where id = 2")
    assert figures(build)["generic_from"] == "runs"
    assert figures(build)["generic_share"] == 0.25  # 5 of the 20 articles the runs stored
    assert alarms(build) == ["25% read without the site's selectors (limit 20%)"]


def test_undated_articles(build: Builder) -> None:
    build.run(new=10, undated=3)
    assert figures(build)["undated_share"] == 0.3
    assert alarms(build) == ["30% of new articles undated (limit 20%)"]
    assert alarms(build, max_undated=0.5) == []


def test_rejects_over_pages(build: Builder) -> None:
    build.run(new=8, pages=10, rejects=2)
    assert figures(build)["reject_rate"] == 0.2
    assert alarms(build) == ["20% of pages rejected (limit 10%)"]


def test_rejects_without_any_page(build: Builder) -> None:
    build.run(new=0, pages=0, rejects=3, status="failed", error="DNS lookup failed")
    assert figures(build)["reject_rate"] == 1.0


def test_no_new_article_for_weeks(build: Builder) -> None:
    build.run(new=3)
    build.run(new=0)
    with sqlite3.connect(build.path) as db:
        db.execute("update articles set first_seen = datetime('now', '-20 days')")
    assert figures(build)["days_since_new_article"] == pytest.approx(20, abs=0.1)
    assert alarms(build) == ["no new article in 20 days (limit 14)"]
    assert alarms(build, max_days=30) == []


def test_failed_runs(build: Builder) -> None:
    build.run(new=3)
    build.run(status="failed", error="listing http://news.lakeside.example.cn/ answered 500")
    assert figures(build)["failed_in_a_row"] == 1
    assert figures(build)["last_finished_run"] == 1
    assert alarms(build) == [
        "last run failed: listing http://news.lakeside.example.cn/ answered 500"
    ]
    assert alarms(build, max_failed=1) == []
    build.run(status="failed", error="timeout")
    assert alarms(build, max_failed=1) == ["the last 2 runs failed: timeout"]
    build.run(status="interrupted")
    assert alarms(build) == []


def test_sites_never_crawled_and_no_longer_registered(build: Builder) -> None:
    build.run(site="oldsite", new=1)
    with sqlite3.connect(build.path) as db:
        db.execute("update articles set first_seen = datetime('now', '-400 days')")
    report = check(build.path, registered=["newsite"])
    by_site = {site.site: site for site in report.sites}
    assert by_site["newsite"].alarms == ["never crawled"] and not by_site["newsite"].crawled
    assert by_site["oldsite"].registered is False and by_site["oldsite"].alarms == []
    assert not report.ok
    assert [site.site for site in check(build.path).sites] == ["oldsite"]  # registry unknown
    assert check(build.path).sites[0].alarms == ["no new article in 400 days (limit 14)"]


def test_a_crawled_site_without_articles(build: Builder) -> None:
    build.run(new=0)
    assert alarms(build) == ["no article yet"]


def test_the_window_is_the_last_runs(build: Builder) -> None:
    build.run(new=10, generic=10, pages=10, rejects=10)
    for _ in range(5):
        build.run(new=2, pages=4)
    assert figures(build)["runs"] == 5
    assert figures(build)["new_articles"] == 10
    assert figures(build)["reject_rate"] == 0.0
    assert figures(build)["generic_share"] == 0.0
    assert figures(build, runs=6)["reject_rate"] == round(10 / 30, 3)


def test_articles_another_tool_wrote_are_not_generic_readings(build: Builder) -> None:
    build.run(new=4)
    with sqlite3.connect(build.path) as db:
        db.execute(
            "insert into articles (url, site, body, version, content_hash, first_seen,"
            " last_seen) values ('http://news.lakeside.example.cn/imported.html', ?, 'Text.',"
            " 1, 'x', datetime('now'), datetime('now'))",
            [SITE],
        )
    assert figures(build)["generic_share"] == 0.0
    report = site_report(build)
    assert report.unindexed == 1 and not report.ok
    assert report.index_alarm == (
        "1 articles are not in the search index yet: run `newsarchive reindex`"
    )
    with Archive.open(build.path) as archive:
        archive.reindex()
    assert site_report(build).ok


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_archive_is_only_read(build: Builder) -> None:
    build.run(new=3)
    build.path.chmod(0o444)
    before = sha256(build.path)
    assert site_report(build).ok
    assert sha256(build.path) == before


def test_not_an_archive(tmp_path: Path) -> None:
    with pytest.raises(ArchiveError, match="no archive"):
        check(tmp_path / "missing.db")
    other = tmp_path / "other.db"
    Database(other)["things"].insert({"a": 1})
    with pytest.raises(ArchiveError, match="not a newsarchive archive"):
        check(other)


def test_an_archive_that_needs_migrating_is_not_migrated(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    db = Database(path)
    migrations.apply(db, stop_before="m004_one_search_index")
    db.close()
    with pytest.raises(ArchiveError, match="m004_one_search_index"):
        check(path)
    assert [m.name for m in migrations.applied(Database(path))][-1] == "m003_search"


def canned(path: Path, query: str = "") -> list[dict[str, Any]]:
    async def fetch() -> list[dict[str, Any]]:
        ds = Datasette([str(path)], metadata=build_metadata())
        response = await ds.client.get(f"/archive/health.json?_shape=array{query}")
        assert response.status_code == 200, response.text
        return list(response.json())

    return asyncio.run(fetch())


def test_the_canned_query_gives_the_same_figures(build: Builder) -> None:
    build.run(new=10, undated=3, pages=12, rejects=1)
    build.run(new=5, generic=2, pages=8)
    build.run(site="hillside", new=2, status="failed", error="timeout")
    build.run(site="hillside", new=0, stats={GENERIC_STAT: 1}, pages=3, rejects=2)
    for runs, query in ((5, ""), (1, "&runs=1")):
        report = check(build.path, limits=Limits(runs=runs))
        rows = canned(build.path, query)
        assert [row["site"] for row in rows] == ["hillside", SITE]
        for row, site in zip(rows, report.sites, strict=True):
            days = row.pop("days_since_new_article")
            expected = dict(site.figures)
            assert days == pytest.approx(expected.pop("days_since_new_article"), abs=0.1)
            assert row == expected


def test_the_canned_query_describes_the_default_limits() -> None:
    query = build_metadata()["databases"]["archive"]["queries"]["health"]
    assert "14 days" in query["description"] and "20%" in query["description"]
    assert "10%" in query["description"]
