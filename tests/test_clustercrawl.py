"""A cluster crawl end to end: a real redis-server, the replay with a delay per request (so
that politeness is what takes the time, as on the real sites), three `newsarchive crawl
--cluster` processes and one `newsarchive ingest` writer, a real SQLite archive."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from crawler.replay import Replay, Visit
from crawler.sites import all_sites

from .conftest import NEWSARCHIVE
from .redisserver import MISSING, available, redis_server

pytestmark = [pytest.mark.e2e, pytest.mark.skipif(not available(), reason=MISSING)]

DELAY = 0.2  # seconds the replay takes to answer each request
# Seconds a dead node keeps its site: more than the reactor may stall on a busy machine
# (the first page a process normalizes starts its worker processes, which blocks).
LEASE = 6
# One request at a time per host, no retries (a page answering 500 is asked for once).
# DOWNLOAD_DELAY is not 0: with 0, Scrapy 2.19 starts every queued request of a host at
# once, whatever CONCURRENT_REQUESTS_PER_DOMAIN says.
SETTINGS = {
    "AUTOTHROTTLE_ENABLED": "False",
    "DOWNLOAD_DELAY": "0.01",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "1",
    "RETRY_TIMES": "0",
    "NEWSARCHIVE_CLUSTER_LEASE": str(LEASE),
}


def spawn(command: list[str], log: Path) -> subprocess.Popen[str]:
    """Run a command with its output in ``log``."""
    with log.open("w") as out:
        return subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, text=True)


def crawler(url: str, replay: Replay, log: Path) -> subprocess.Popen[str]:
    options = [arg for name, value in SETTINGS.items() for arg in ("-s", f"{name}={value}")]
    command = [NEWSARCHIVE, "crawl", "--cluster", url, "--replay", replay.url, *options]
    return spawn(command, log)


def writer(url: str, archive: Path, log: Path, *, once: bool) -> subprocess.Popen[str]:
    command = [NEWSARCHIVE, "ingest", "--cluster", url, "--archive", str(archive)]
    command += ["--lease", str(LEASE), *(["--once"] if once else [])]
    return spawn(command, log)


def wait_for(condition: object, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def finish(process: subprocess.Popen[str], log: Path, timeout: float = 120) -> None:
    assert process.wait(timeout=timeout) == 0, log.read_text()[-3000:]


def query(archive: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(archive) as db:
        return db.execute(sql).fetchall()


def overlaps(visits: list[Visit]) -> list[tuple[Visit, Visit]]:
    """Pairs of requests one host had in flight at once."""
    by_host: dict[str, list[Visit]] = defaultdict(list)
    for visit in visits:
        by_host[visit.host].append(visit)
    found = []
    for host_visits in by_host.values():
        ordered = sorted(host_visits, key=lambda visit: visit.started)
        found += [
            (a, b) for a, b in zip(ordered, ordered[1:], strict=False) if b.started < a.answered
        ]
    return found


@pytest.fixture
def cluster_url() -> Iterator[str]:
    with redis_server() as url:
        yield url


@pytest.fixture
def replay() -> Iterator[Replay]:
    with Replay(delay=DELAY) as server:
        yield server


def started(url: str) -> bool:
    return redis.Redis.from_url(url).exists("newsarchive:round") == 1


@pytest.fixture(scope="module")
def articles_of_a_local_crawl(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    """The article URLs a plain local crawl of the replay archives."""
    archive = tmp_path_factory.mktemp("local") / "archive.db"
    with Replay() as server:
        done = subprocess.run(
            [NEWSARCHIVE, "crawl", "--replay", server.url, "--archive", str(archive)],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    assert done.returncode == 0, done.stderr
    return {url for (url,) in query(archive, "select url from articles")}


def test_three_crawlers_and_a_writer_archive_every_article_once_politely(
    tmp_path: Path, cluster_url: str, replay: Replay, articles_of_a_local_crawl: set[str]
) -> None:
    archive = tmp_path / "archive.db"
    crawlers = [crawler(cluster_url, replay, tmp_path / f"crawler{n}.log") for n in range(3)]
    wait_for(lambda: started(cluster_url))
    ingest = writer(cluster_url, archive, tmp_path / "writer.log", once=True)
    for n, process in enumerate(crawlers):
        finish(process, tmp_path / f"crawler{n}.log")
    finish(ingest, tmp_path / "writer.log")

    urls = [url for (url,) in query(archive, "select url from articles")]
    assert set(urls) == articles_of_a_local_crawl  # every article of every site
    runs = query(
        archive, "select site, node, status, articles_new, articles_unchanged from crawl_runs"
    )
    assert sorted(run[0] for run in runs) == sorted(site.name for site in all_sites())
    assert {run[2] for run in runs} == {"finished"}
    assert sum(run[3] for run in runs) == len(urls)  # each one stored once, as new
    assert sum(run[4] for run in runs) == 0
    assert len({run[1] for run in runs}) > 1  # the sites were shared out
    assert query(archive, "select count(*) from article_versions") == [(0,)]

    fetched = Counter((visit.host, visit.target) for visit in replay.server.visits)
    assert [key for key, times in fetched.items() if times > 1] == []  # across processes
    assert overlaps(replay.server.visits) == []  # no host had two requests at once


def test_a_killed_crawler_and_writer_lose_nothing_and_duplicate_nothing(
    tmp_path: Path, cluster_url: str, replay: Replay, articles_of_a_local_crawl: set[str]
) -> None:
    archive = tmp_path / "archive.db"
    client = redis.Redis.from_url(cluster_url)
    crawlers = [crawler(cluster_url, replay, tmp_path / f"crawler{n}.log") for n in range(3)]
    wait_for(lambda: started(cluster_url))
    ingest = writer(cluster_url, archive, tmp_path / "writer.log", once=False)

    def handed() -> int:
        return sum(client.scard(key) for key in client.scan_iter("newsarchive:known:*"))

    wait_for(lambda: handed() >= 20 and archive.exists())
    holder = next(client.scan_iter("newsarchive:lease:*"))
    victim = int(client.get(holder).decode().rsplit(":", 1)[1])
    subprocess.run(["kill", "-KILL", str(victim)], check=True)  # mid-site, leases held
    ingest.send_signal(signal.SIGKILL)
    ingest.wait()
    for n, process in enumerate(crawlers):
        if process.pid != victim:
            finish(process, tmp_path / f"crawler{n}.log")  # they take the dead one's site over
        else:
            process.wait()

    rerun = writer(cluster_url, archive, tmp_path / "rerun.log", once=True)
    finish(rerun, tmp_path / "rerun.log")
    urls = [url for (url,) in query(archive, "select url from articles")]
    assert set(urls) == articles_of_a_local_crawl  # nothing lost
    runs = query(archive, "select site, status, articles_new, error from crawl_runs")
    assert sum(run[2] for run in runs) == len(urls)  # nothing counted twice
    assert query(archive, "select count(*) from article_versions") == [(0,)]
    finished = {run[0] for run in runs if run[1] == "finished"}
    assert finished == {site.name for site in all_sites()}
    taken_over = [run for run in runs if run[1] == "interrupted"]
    assert taken_over and all("took the site over" in run[3] for run in taken_over)


def test_scrapyd_jobs_share_what_the_archive_knows(tmp_path: Path, cluster_url: str) -> None:
    """What Scrapyd runs: `scrapy crawl SITE -s NEWSARCHIVE_CLUSTER=...`. A second job of
    the site, in the next round, fetches no article the first one handed over."""
    archive = tmp_path / "archive.db"
    scrapy = str(Path(NEWSARCHIVE).with_name("scrapy"))
    options = [arg for name, value in SETTINGS.items() for arg in ("-s", f"{name}={value}")]
    root = Path(__file__).resolve().parents[1]
    with Replay() as server:
        command = [scrapy, "crawl", "yueyang", "-s", f"NEWSARCHIVE_CLUSTER={cluster_url}"]
        command += ["-s", f"REPLAY_URL={server.url}", "-s", "LOG_LEVEL=WARNING", *options]
        for job in range(2):
            done = subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=120)
            assert done.returncode == 0, done.stderr[-3000:]
            if job == 0:
                first = len(server.server.requests)
        articles = [target for _, target in server.server.requests[first:] if "content_" in target]
    assert articles == []  # the second job knew them all
    ingest = writer(cluster_url, archive, tmp_path / "writer.log", once=True)
    finish(ingest, tmp_path / "writer.log")
    runs = query(archive, "select status, articles_new, node from crawl_runs order by id")
    assert [(status, new) for status, new, _ in runs] == [("finished", 12), ("finished", 0)]
    assert all(node for _, _, node in runs)
