"""Scheduled crawls, as cron runs them: incremental, refreshable, locked and resumable.

Every test runs the real `newsarchive crawl` as a process against a replay of a copy of
the sample sites, which the test then changes (a new article, an edited one).
"""

from __future__ import annotations

import os
import pty
import re
import shutil
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from crawler.replay import Replay
from crawler.sites import SAMPLES_DIR

from .conftest import NEWSARCHIVE, run_cli

pytestmark = pytest.mark.e2e

YUEYANG = "en.yueyang.gov.cn"
SECTION = "21730"
FAST = ("-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0")
# Slow enough that a test can act while the crawl runs, with the writes spread out.
SLOW = (
    "-s",
    "AUTOTHROTTLE_ENABLED=False",
    "-s",
    "DOWNLOAD_DELAY=0.3",
    "-s",
    "ARCHIVE_BATCH_SIZE=1",
)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    copy = tmp_path / "samples"
    shutil.copytree(SAMPLES_DIR, copy)
    return copy


@pytest.fixture
def replay(root: Path):
    with Replay(root) as server:
        yield server


def crawl_args(replay: Replay, archive: Path, *args: str) -> list[str]:
    return ["crawl", "--replay", replay.url, "--archive", str(archive), *args]


def crawl(replay: Replay, archive: Path, *args: str) -> subprocess.CompletedProcess[str]:
    result = run_cli(*crawl_args(replay, archive, *FAST, *args))
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def query(archive: Path, sql: str, *params: object) -> list[tuple]:
    with sqlite3.connect(archive) as db:
        return db.execute(sql, params).fetchall()


def scalar(archive: Path, sql: str, *params: object) -> object:
    return query(archive, sql, *params)[0][0]


def add_article(root: Path, number: int, title: str, text: str) -> str:
    """Publish a new article at the top of Yueyang's first listing page; its URL."""
    section = root / YUEYANG / SECTION
    template = (section / "content_712408.html").read_text(encoding="utf-8")
    page = template.replace(
        "Yueyang Launches Spring Tree Planting Drive Along Dongting Lake", title
    ).replace(
        "Yueyang launched a tree planting drive along the shores of Dongting Lake on April 18,"
        " with officials, soldiers and volunteers joining in.",
        text,
    )
    (section / f"content_{number}.html").write_text(page, encoding="utf-8")
    listing = section / "index.html"
    link = f'<li><a href="./content_{number}.html" title="{title}">{title}</a></li>\n'
    html = listing.read_text(encoding="utf-8")
    first = html.index('<li><a href="./content_')
    listing.write_text(html[:first] + link + html[first:], encoding="utf-8")
    return f"http://{YUEYANG}/{SECTION}/content_{number}.html"


def requested(replay: Replay, since: int) -> list[str]:
    return [target for _, target in replay.server.requests[since:]]


def test_second_run_fetches_listings_and_only_the_new_articles(
    tmp_path: Path, root: Path, replay: Replay
) -> None:
    archive = tmp_path / "archive.db"
    crawl(replay, archive, "yueyang")
    first = scalar(archive, "select count(*) from articles")
    first_pages = scalar(archive, "select pages_fetched from crawl_runs order by id desc")
    assert first == 12

    new = [
        add_article(
            root,
            9_000_001 + i,
            f"Ferry Line {i} Opens on Dongting Lake",
            f"A new ferry line number {i} now links the two shores of the lake, "
            "with four sailings a day in summer and two in winter.",
        )
        for i in range(2)
    ]
    mark = len(replay.server.requests)
    crawl(replay, archive, "yueyang")

    fetched = requested(replay, mark)
    articles = [path for path in fetched if "/content_" in path]
    assert sorted(articles) == sorted(url.split(YUEYANG)[1] for url in new)
    assert f"/{SECTION}/index.html" in fetched  # listings are always fetched
    run = query(
        archive,
        "select pages_fetched, articles_new, articles_unchanged, stats"
        " from crawl_runs order by id desc limit 1",
    )[0]
    assert run[:3] == (len(fetched), 2, 0)
    assert '"newsarchive/articles_known"' in run[3]
    assert scalar(archive, "select count(*) from articles") == first + 2
    print(f"incremental: first run {first_pages} pages, second run {run[0]} pages")


def test_refresh_keeps_the_earlier_version(tmp_path: Path, root: Path, replay: Replay) -> None:
    archive = tmp_path / "archive.db"
    crawl(replay, archive, "yueyang")
    page = root / YUEYANG / SECTION / "content_712408.html"
    page.write_text(
        page.read_text(encoding="utf-8").replace("About 30,000 saplings", "About 45,000 saplings"),
        encoding="utf-8",
    )
    url = f"http://{YUEYANG}/{SECTION}/content_712408.html"

    crawl(replay, archive, "yueyang")  # not a refresh: known articles are not fetched
    assert scalar(archive, "select version from articles where url = ?", url) == 1

    crawl(replay, archive, "yueyang", "--refresh")
    article_id, version, body = query(
        archive, "select id, version, body from articles where url = ?", url
    )[0]
    assert version == 2 and "45,000" in body
    old = query(
        archive, "select version, body from article_versions where article_id = ?", article_id
    )
    assert len(old) == 1 and old[0][0] == 1 and "30,000" in old[0][1]
    updated = query(
        archive,
        "select articles_updated, articles_unchanged from crawl_runs order by id desc limit 1",
    )[0]
    assert updated == (1, 11)


def test_refresh_since_a_date_refetches_only_newer_articles(tmp_path: Path, replay: Replay) -> None:
    archive = tmp_path / "archive.db"
    crawl(replay, archive, "yueyang")
    since = "2022-01-01"
    newer = scalar(archive, "select count(*) from articles where published_date >= ?", since)
    crawl(replay, archive, "yueyang", "--refresh", "--since", since)
    assert scalar(archive, "select articles_unchanged from crawl_runs order by id desc") == newer


def wait_for_articles(archive: Path, process: subprocess.Popen[str], at_least: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if scalar(archive, "select count(*) from articles") >= at_least:
                return
        except sqlite3.OperationalError:
            pass  # not created yet
        time.sleep(0.1)
    raise AssertionError(f"the crawl did not archive {at_least} articles in time")


def start_crawl(replay: Replay, archive: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [NEWSARCHIVE, *crawl_args(replay, archive, *args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_killed_crawl_is_finished_by_the_next_run(tmp_path: Path, replay: Replay) -> None:
    clean = tmp_path / "clean.db"
    crawl(replay, clean)
    killed = tmp_path / "killed.db"
    process = start_crawl(replay, killed, *SLOW)
    wait_for_articles(killed, process, at_least=5)
    process.send_signal(signal.SIGKILL)
    process.communicate()
    at_kill = scalar(killed, "select count(*) from articles")

    crawl(replay, killed)
    print(
        f"kill test: {at_kill} articles at SIGKILL, "
        f"{scalar(killed, 'select count(*) from articles')} after the next run, "
        f"{scalar(clean, 'select count(*) from articles')} in a clean crawl"
    )
    assert scalar(killed, "pragma integrity_check") == "ok"
    assert scalar(killed, "select count(*) from articles") == scalar(
        clean, "select count(*) from articles"
    )
    assert query(killed, "select url from articles group by url having count(*) > 1") == []
    assert sorted(query(killed, "select url from articles")) == sorted(
        query(clean, "select url from articles")
    )
    statuses = [status for (status,) in query(killed, "select status from crawl_runs")]
    assert "running" not in statuses and "interrupted" in statuses


def test_sigint_stops_cleanly_and_records_interrupted(tmp_path: Path, replay: Replay) -> None:
    archive = tmp_path / "archive.db"
    process = start_crawl(replay, archive, "hengyang", *SLOW)
    wait_for_articles(archive, process, at_least=2)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert query(archive, "select status from crawl_runs") == [("interrupted",)]
    assert "hengyang interrupted" in stderr
    assert scalar(archive, "pragma integrity_check") == "ok"


def test_second_crawl_on_a_busy_archive_exits_at_once(tmp_path: Path, replay: Replay) -> None:
    archive = tmp_path / "archive.db"
    first = start_crawl(replay, archive, "hengyang", *SLOW)
    try:
        wait_for_articles(archive, first, at_least=1)
        second = run_cli(*crawl_args(replay, archive, "yueyang"))
        assert first.poll() is None  # it did not wait for the first crawl to end
        assert second.returncode == 75
        assert "another crawl is running" in second.stderr
        assert len(second.stderr.strip().splitlines()) == 1

        waiting = run_cli(*crawl_args(replay, archive, "yueyang", *FAST, "--wait", "120"))
        assert waiting.returncode == 0, waiting.stderr
        first.communicate(timeout=60)
    finally:
        if first.poll() is None:
            first.kill()
            first.communicate()
    assert first.returncode == 0
    assert sorted(query(archive, "select site, status from crawl_runs")) == [
        ("hengyang", "finished"),
        ("yueyang", "finished"),
    ]


def test_two_crawls_started_at_once_on_a_missing_archive(tmp_path: Path, replay: Replay) -> None:
    """Pairs of crawls started at the same instant, each pair on its own missing archive:
    one crawls and the other exits 75 (or, if the first was done before the second began,
    both crawl, one after the other); never "database is locked"."""
    pairs = {
        tmp_path / f"{n}.db": [start_crawl(replay, tmp_path / f"{n}.db", "yueyang", *FAST)]
        for n in range(2)
    }
    for archive, processes in pairs.items():
        processes.append(start_crawl(replay, archive, "yueyang", *FAST))
    for archive, processes in pairs.items():
        outcomes = sorted((p.communicate(timeout=120)[1], p.returncode) for p in processes)
        codes = sorted(code for _, code in outcomes)
        errors = "".join(stderr for stderr, _ in outcomes)
        assert codes in ([0, 75], [0, 0]), errors
        assert "locked" not in errors and "Traceback" not in errors, errors
        runs = query(archive, "select status, started_at, finished_at from crawl_runs")
        assert [status for status, _, _ in runs] == ["finished"] * codes.count(0)
        if len(runs) == 2:
            assert runs[0][2] <= runs[1][1]  # one after the other
        if 75 in codes:
            assert "another crawl is running" in errors
            assert len(errors.strip().splitlines()) == 1
        assert scalar(archive, "pragma integrity_check") == "ok"


def test_lock_of_a_killed_crawl_is_taken_over(tmp_path: Path, replay: Replay) -> None:
    archive = tmp_path / "archive.db"
    process = start_crawl(replay, archive, "hengyang", *SLOW)
    wait_for_articles(archive, process, at_least=1)
    process.send_signal(signal.SIGKILL)
    process.communicate()
    assert Path(f"{archive}.lock").read_text().strip()  # the dead crawl's pid is still there
    result = crawl(replay, archive, "hengyang")
    assert "taking over the lock" in result.stderr


def test_rejected_pages_are_retried_then_given_up(tmp_path: Path, replay: Replay) -> None:
    archive = tmp_path / "archive.db"
    broken = (
        "http://eng.hengyang.gov.cn/shishixinwen/hotnews/bendixinwen3/201911/t20191105_2951220.html"
    )
    for _ in range(4):
        crawl(replay, archive, "hengyang", "-s", "REJECTS_MAX_ATTEMPTS=3")
    attempts, given_up = query(
        archive, "select attempts, given_up from rejects where url = ?", broken
    )[0]
    assert (attempts, given_up) == (3, 1)  # the fourth run left it alone


def test_progress_line_in_a_terminal(tmp_path: Path, replay: Replay) -> None:
    controller, terminal = pty.openpty()
    with subprocess.Popen(
        [NEWSARCHIVE, *crawl_args(replay, tmp_path / "archive.db", "yueyang", *FAST)],
        stdout=subprocess.PIPE,
        stderr=terminal,
        text=True,
    ) as process:
        os.close(terminal)
        shown = b""
        while True:
            try:
                chunk = os.read(controller, 4096)
            except OSError:  # the terminal closed: the crawl ended
                break
            if not chunk:
                break
            shown += chunk
        process.communicate(timeout=60)
    os.close(controller)
    assert process.returncode == 0
    assert re.search(rb"\r\x1b\[Kyueyang 15 pages 12 articles", shown), shown[-300:]


def test_without_a_terminal_only_a_summary_line_per_site(tmp_path: Path, replay: Replay) -> None:
    result = crawl(replay, tmp_path / "archive.db", "yueyang", "rednet")
    assert [line.split()[:2] for line in result.stdout.splitlines()] == [
        ["yueyang", "finished"],
        ["rednet", "finished"],
    ]
    assert "\r" not in result.stderr
    assert all(
        " INFO: " not in line and " DEBUG: " not in line for line in result.stderr.splitlines()
    )
