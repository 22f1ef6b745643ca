"""Cluster crawl: the wall time of 1 and of 3 crawler processes over the same replay sites.

A real redis-server, the replay of every sample site answering each request after
``delay`` seconds, and `newsarchive crawl --cluster` processes with one request at a time
per host: politeness, not the machine, is what takes the time, as on the real sites. Each
process crawls one site at a time, taking the longest first by the site's last crawl
(`Cluster.longest_first`): the 3 processes' cluster knows the durations the 1-process crawl
measured, as a cluster knows them from its last round (the URLs it knows stay empty, so
both crawls fetch everything). The sites are uneven, and the detail says what the best
sharing-out of them would give. The writer (`newsarchive ingest --once`) runs afterwards
and is not timed; both archives must hold the same articles.
"""

from __future__ import annotations

import itertools
import sqlite3
import subprocess
import tempfile
import time
from pathlib import Path

from bench.crawl import NEWSARCHIVE
from crawler import sites
from crawler.cluster import Cluster
from crawler.replay import Replay, Visit
from tests.redisserver import redis_server


def settings(download_delay: float) -> list[str]:
    values = {
        "AUTOTHROTTLE_ENABLED": "False",
        "DOWNLOAD_DELAY": str(download_delay),
        "CONCURRENT_REQUESTS_PER_DOMAIN": "1",
        "LOG_LEVEL": "WARNING",
    }
    return [arg for name, value in values.items() for arg in ("-s", f"{name}={value}")]


def site_spans(visits: list[Visit]) -> dict[str, float]:
    """Seconds from a site's first request to its last answer."""
    spans: dict[str, tuple[float, float]] = {}
    for visit in visits:
        site = sites.for_url(f"http://{visit.host}/")
        name = site.name if site else visit.host
        first, last = spans.get(name, (visit.started, visit.answered))
        spans[name] = (min(first, visit.started), max(last, visit.answered))
    return {name: last - first for name, (first, last) in spans.items()}


def best_split(spans: list[float], processes: int) -> float:
    """The shortest time ``processes`` can crawl sites taking ``spans`` in, one site at a
    time each (every way of sharing them out tried)."""
    best = sum(spans)
    for shares in itertools.product(range(processes), repeat=len(spans)):
        loads = [0.0] * processes
        for span, share in zip(spans, shares, strict=True):
            loads[share] += span
        best = min(best, max(loads))
    return best


def crawl(
    processes: int,
    delay: float,
    download_delay: float,
    work: Path,
    last: dict[str, float] | None = None,
) -> dict[str, object]:
    """One cluster crawl of every site (``last``: how long each took the last time, as the
    cluster knows it): wall time, articles archived, spans per site."""
    archive = work / f"cluster-{processes}.db"
    with redis_server() as url, Replay(delay=delay) as replay:
        cluster = Cluster(url)
        for site, seconds in (last or {}).items():
            cluster.set_seconds(site, seconds)
        command = [NEWSARCHIVE, "crawl", "--cluster", url, "--replay", replay.url]
        command += settings(download_delay)
        started = time.perf_counter()
        with tempfile.TemporaryFile("w+") as log:
            crawlers = [
                subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=log, text=True)
                for _ in range(processes)
            ]
            if any(process.wait() != 0 for process in crawlers):
                log.seek(0)
                raise RuntimeError(f"a cluster crawler failed: {log.read()[-2000:]}")
        seconds = time.perf_counter() - started
        ingest = [NEWSARCHIVE, "ingest", "--cluster", url, "--archive", str(archive), "--once"]
        subprocess.run(ingest, check=True, capture_output=True, timeout=300)
        spans = site_spans(replay.server.visits)
        pages = len(replay.server.visits)
    with sqlite3.connect(archive) as db:
        articles = {url for (url,) in db.execute("select url from articles")}
    return {"seconds": seconds, "articles": articles, "spans": spans, "pages": pages}


def speedup(work: Path, delay: float, download_delay: float) -> tuple[float, str, str]:
    """The speed-up of 3 processes over 1, the work measured, and what it is made of."""
    one = crawl(1, delay, download_delay, work)
    spans = one["spans"]
    assert isinstance(spans, dict)
    three = crawl(3, delay, download_delay, work, last=spans)
    if one["articles"] != three["articles"]:
        raise RuntimeError("the two cluster crawls archived different articles")
    ratio = round(float(one["seconds"]) / float(three["seconds"]), 2)  # type: ignore[arg-type]
    bound = sum(spans.values()) / best_split(list(spans.values()), 3)
    each = ", ".join(f"{name} {span:.1f} s" for name, span in sorted(spans.items()))
    pace = delay + download_delay
    size = f"{len(spans)} sites, {one['pages']} requests, {pace:.2f} s each per host"
    detail = (
        f"1 process {one['seconds']:.1f} s, 3 processes {three['seconds']:.1f} s, process"
        f" start-up included; the sites alone take {each}: shared out at best, one site at"
        f" a time per process, 3 processes could be {bound:.2f}x faster; the 3 take the"
        f" longest first, by the durations the 1-process crawl measured"
    )
    return ratio, size, detail
