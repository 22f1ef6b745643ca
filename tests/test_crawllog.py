"""archive.crawllog: crawl runs and rejects, kept beside the articles of an archive."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from archive import Archive, ArchiveError
from archive.crawllog import CrawlLog
from tests.test_archive import CHINESE, rows, samples


@pytest.fixture
def archive(tmp_path: Path) -> Iterator[Archive]:
    with Archive.open(tmp_path / "archive.db") as archive:
        yield archive


def test_rejects_count_attempts(archive: Archive) -> None:
    reject = {"url": CHINESE["url"], "site": "hengyang_zh", "stage": "fetch", "reason": "HTTP 500"}
    CrawlLog(archive).add_rejects([reject])
    CrawlLog(archive).add_rejects([{**reject, "reason": "HTTP 503"}])
    CrawlLog(archive).add_rejects([{**reject, "stage": "normalize", "reason": "no date"}])
    stored = rows(archive, "select stage, reason, attempts from rejects order by id")
    assert stored == [
        {"stage": "fetch", "reason": "HTTP 503", "attempts": 2},
        {"stage": "normalize", "reason": "no date", "attempts": 1},
    ]
    with pytest.raises(ValueError, match="stage"):
        CrawlLog(archive).add_rejects([{**reject, "stage": "download"}])


@pytest.mark.parametrize(
    ("stage", "reason", "retried"),
    [
        ("fetch", "HTTP 503", True),
        ("fetch", "DNS lookup failed", True),
        ("parse", "no body", True),
        ("normalize", "took over 5 s", True),
        ("normalize", "took over 0.5 s", True),
        ("normalize", "no date", False),
        ("normalize", "ValueError: bad credit line", False),
        ("validate", "no title", False),
    ],
)
def test_which_rejects_later_runs_retry(
    archive: Archive, stage: str, reason: str, retried: bool
) -> None:
    log = CrawlLog(archive)
    log.add_rejects([{"url": "http://x.cn/a.html", "site": "x", "stage": stage, "reason": reason}])
    assert log.retry_urls("x") == (["http://x.cn/a.html"] if retried else [])
    assert log.retry_urls("y") == []


def test_a_given_up_timeout_is_not_retried(archive: Archive) -> None:
    log = CrawlLog(archive)
    reject = {"url": "http://x.cn/a.html", "site": "x", "stage": "normalize"}
    for _ in range(3):
        log.add_rejects([{**reject, "reason": "took over 5 s"}], max_attempts=3)
    assert log.retry_urls("x") == []
    assert log.given_up_urls("x") == {"http://x.cn/a.html"}


def test_a_stored_article_clears_its_rejects(archive: Archive) -> None:
    CrawlLog(archive).add_rejects(
        [
            {"url": CHINESE["url"], "stage": "parse", "reason": "no body"},
            {"url": "http://other", "stage": "parse", "reason": "no body"},
        ]
    )
    archive.upsert_articles(samples())
    assert [r["url"] for r in rows(archive, "select url from rejects")] == ["http://other"]


def test_crawl_runs(archive: Archive) -> None:
    log = CrawlLog(archive)
    run_id = log.start_run("hengyang")
    for _ in range(2):
        with archive.transaction():
            log.add_to_run(run_id, archive.upsert_articles(samples()))
    log.add_rejects([{"url": "http://x", "stage": "fetch", "reason": "timeout"}], run_id=run_id)
    (running,) = log.latest_runs(1)
    assert (
        running["status"],
        running["articles_new"],
        running["articles_unchanged"],
        running["rejects"],
    ) == ("running", 3, 3, 1)
    log.finish_run(run_id, "finished", {"pages_fetched": 7}, {"downloader/request_count": 9})
    (run,) = log.latest_runs(5)
    assert run["status"] == "finished"
    assert run["finished_at"] is not None
    assert (run["pages_fetched"], run["articles_new"]) == (7, 3)
    assert run["stats"] == {"downloader/request_count": 9}
    assert json.loads(rows(archive, "select stats from crawl_runs")[0]["stats"]) == run["stats"]
    with pytest.raises(ValueError, match="unknown run counts"):
        log.finish_run(run_id, "finished", {"articles": 1}, {})
    with pytest.raises(ArchiveError, match="no crawl run 99"):
        log.finish_run(99, "finished", {}, {})
    with pytest.raises(ArchiveError, match="no crawl run 99"):
        log.add_to_run(99, {"new": 1})
    with pytest.raises(ValueError, match="unknown run counts"):
        log.add_to_run(run_id, {"articles": 1})


def test_the_last_finished_runs_duration(archive: Archive) -> None:
    """What a cluster's nodes order the sites by (the longest first)."""
    log = CrawlLog(archive)
    assert log.last_seconds("hunan") is None
    first = log.start_run("hunan", started_at="2026-01-05T02:00:00+00:00")
    log.finish_run(first, "finished", {}, {}, finished_at="2026-01-05T02:01:30+00:00")
    stopped = log.start_run("hunan", started_at="2026-01-06T02:00:00+00:00")
    log.finish_run(stopped, "interrupted", {}, {}, finished_at="2026-01-06T02:00:05+00:00")
    assert log.last_seconds("hunan") == pytest.approx(90.0, abs=0.01)
    assert log.last_seconds("rednet") is None


def test_problems_of_stored_articles_are_recorded_not_counted(archive: Archive) -> None:
    log = CrawlLog(archive)
    run_id = log.start_run("hengyang")
    problem = {"url": "http://a", "stage": "normalize", "reason": "date: unreadable", "lost": False}
    lost = {"url": "http://b", "stage": "fetch", "reason": "timeout"}
    assert log.add_rejects([problem, lost], run_id=run_id) == 2
    (run,) = log.latest_runs(1)
    assert run["rejects"] == 1
    assert {row["url"] for row in rows(archive, "select url from rejects")} == {
        "http://a",
        "http://b",
    }
