"""crawler.crawling: what a crawl refuses before it starts, and how it stops.

SIGINT and SIGTERM stop a `newsarchive crawl` within seconds, whenever they come: while it
imports, opens the archive, starts its sites or waits on slow pages. Every site stops, the
runs say `interrupted`, the exit status is 130, and nothing prints a traceback.
"""

from __future__ import annotations

import json
import re
import shutil
import signal
import sqlite3
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from crawler.crawling import CrawlError, CrawlOptions, check_replay_url, check_settings
from crawler.crawling import crawler_settings as settings_for
from crawler.replay import Replay
from crawler.sites import SAMPLES_DIR, all_sites

from .conftest import NEWSARCHIVE, run_cli

FAST = ("-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0")
KNOWN = settings_for("archive.db", CrawlOptions())


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("DOWNLOAD_DELAY", "abc", "setting DOWNLOAD_DELAY takes a number, not 'abc'"),
        ("CONCURRENT_REQUESTS", "2.5", "setting CONCURRENT_REQUESTS takes an integer"),
        ("ROBOTSTXT_OBEY", "maybe", "setting ROBOTSTXT_OBEY takes true or false"),
        ("ITEM_PIPELINES", "[1, 2]", "setting ITEM_PIPELINES takes a JSON object"),
        ("DOWNLOAD_HANDLERS", "{not json", "takes a JSON object"),
        ("NORMALIZE_TIMEOUT", "soon", "setting NORMALIZE_TIMEOUT takes a number"),
        ("ARCHIVE_BATCH_SIZE", "fifty", "setting ARCHIVE_BATCH_SIZE takes an integer"),
    ],
)
def test_a_setting_of_the_wrong_type_is_refused(name: str, value: str, expected: str) -> None:
    with pytest.raises(CrawlError, match=re.escape(expected)):
        check_settings({name: value}, KNOWN)


@pytest.mark.parametrize(
    "values",
    [
        {"DOWNLOAD_DELAY": "2", "DOWNLOAD_TIMEOUT": "7.5", "ARCHIVE_LOCK_WAIT": "0.5"},
        {"AUTOTHROTTLE_ENABLED": "false", "ROBOTSTXT_OBEY": "True", "COOKIES_ENABLED": "1"},
        {"CONCURRENT_REQUESTS": "4", "NORMALIZE_WORKERS": "0", "LOG_LEVEL": "INFO"},
        {"ITEM_PIPELINES": '{"crawler.archiving.ArchivePipeline": 900}'},
        {"SPIDER_MODULES": "crawler.spiders", "REPLAY_URL": "http://127.0.0.1:1"},
        {"A_SETTING_OF_MY_OWN": "anything"},
    ],
)
def test_settings_of_the_right_type_pass(values: dict[str, str]) -> None:
    check_settings(values, KNOWN)


@pytest.mark.parametrize(
    "url", ["notaurl", "127.0.0.1:8765", "ftp://127.0.0.1/", "http://", "http://127.0.0.1:99999"]
)
def test_a_replay_url_that_is_no_server_is_refused(url: str) -> None:
    with pytest.raises(CrawlError, match="is not a server address like http://127.0.0.1:8765"):
        check_replay_url(url)


def test_a_replay_url_with_a_path_is_refused() -> None:
    with pytest.raises(CrawlError, match="has a path"):
        check_replay_url("http://127.0.0.1:8765/eng.hengyang.gov.cn/")
    check_replay_url("http://127.0.0.1:8765/")


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("-s", "DOWNLOAD_DELAY=abc"), "setting DOWNLOAD_DELAY takes a number, not 'abc'"),
        (("--replay", "notaurl"), "replay URL 'notaurl' is not a server address"),
    ],
)
def test_the_command_refuses_them_in_one_line(
    tmp_path: Path, args: tuple[str, ...], fragment: str
) -> None:
    result = run_cli("crawl", "yueyang", "--archive", str(tmp_path / "a.db"), *args)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"newsarchive: {fragment}"), lines
    assert not (tmp_path / "a.db").exists()


def start(replay: Replay, archive: Path, *args: str) -> subprocess.Popen[str]:
    command = [NEWSARCHIVE, "crawl", *args, "--replay", replay.url, "--archive", str(archive)]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_until(condition: Callable[[], bool], process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while not condition():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the moment never came"
        time.sleep(0.005)


def stop(process: subprocess.Popen[str], signum: int) -> tuple[float, str]:
    """Send ``signum``: how long the crawl took to exit, and what it printed on stderr."""
    process.send_signal(signum)
    sent = time.monotonic()
    _, stderr = process.communicate(timeout=60)
    return time.monotonic() - sent, stderr


def statuses(archive: Path) -> list[str]:
    try:
        with sqlite3.connect(archive) as db:
            return [status for (status,) in db.execute("select status from crawl_runs")]
    except sqlite3.OperationalError:  # the signal came before the archive had its tables
        return []


@pytest.fixture
def slow_site(tmp_path: Path) -> Path:
    """Yueyang, each article page answering after 20 s."""
    root = tmp_path / "samples"
    site = shutil.copytree(SAMPLES_DIR / "en.yueyang.gov.cn", root / "en.yueyang.gov.cn")
    faults = {f"/21730/{page.name}": {"delay": 20} for page in site.glob("21730/content_*")}
    (site / "_replay.json").write_text(json.dumps({"faults": faults}), encoding="utf-8")
    return root


@pytest.mark.e2e
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_stop_signal_ends_a_crawl_waiting_on_slow_pages(
    tmp_path: Path, slow_site: Path, signum: int
) -> None:
    archive = tmp_path / "archive.db"
    with Replay(slow_site) as replay:
        process = start(replay, archive, "yueyang", *FAST)

        def article_in_flight() -> bool:
            return any("/content_" in target for _, target in replay.server.requests)

        wait_until(article_in_flight, process)
        seconds, stderr = stop(process, signum)
    assert seconds < 5, stderr
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr
    assert statuses(archive) == ["interrupted"]
    with sqlite3.connect(archive) as db:
        assert db.execute("select count(*) from rejects").fetchone() == (0,)  # not their fault


@pytest.fixture(scope="module")
def replay() -> Replay:
    with Replay() as server:
        yield server


def moments(replay: Replay, archive: Path) -> dict[str, Callable[[], bool]]:
    started = time.monotonic()
    return {
        "importing": lambda: time.monotonic() - started > 0.2,
        "opening the archive": archive.exists,
        "opening the sites": lambda: len(statuses(archive)) >= 1,  # once left them `running`
        "crawling": lambda: len(replay.server.requests) >= 12,
    }


@pytest.mark.e2e
@pytest.mark.parametrize(
    "moment", ["importing", "opening the archive", "opening the sites", "crawling"]
)
def test_an_early_ctrl_c_stops_every_site(tmp_path: Path, replay: Replay, moment: str) -> None:
    archive = tmp_path / "archive.db"
    process = start(replay, archive)
    wait_until(moments(replay, archive)[moment], process)
    seconds, stderr = stop(process, signal.SIGINT)
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr
    assert seconds < 10, stderr
    runs = statuses(archive)
    assert set(runs) <= {"interrupted"}, (runs, stderr)  # none crawled on, none left running
    assert len(runs) in (0, len(all_sites())), runs
    if moment == "importing":
        assert stderr.strip() == "newsarchive: interrupted"
