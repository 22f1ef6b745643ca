"""The cluster's writer (crawler/clusterwriter.py) over a real redis-server and a real
archive: what crawlers hand over is stored once, and a batch ingested again after a crash
(committed, not yet cleared from processing) changes nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from archive.crawllog import CrawlLog
from archive.db import Archive
from crawler.cluster import ITEMS, PROCESSING, Cluster, RedisHistory
from crawler.clusterwriter import Writer, WriterBusy

from .redisserver import MISSING, available
from .test_archive import samples

pytestmark = pytest.mark.skipif(not available(), reason=MISSING)
RUN = {"site": "hunan", "node": "crawler-1:42", "started_at": "2026-05-01T10:00:00+00:00"}


def hand_over_a_run(cluster: Cluster, articles: list[dict[str, Any]], run: dict = RUN) -> None:
    messages: list[dict[str, Any]] = [{"kind": "start"}]
    messages += [{"kind": "article", "article": article} for article in articles]
    messages.append(
        {
            "kind": "reject",
            "reject": {"url": "http://x/500.html", "stage": "fetch", "reason": "HTTP 500"},
        }
    )
    messages.append(
        {
            "kind": "end",
            "status": "finished",
            "error": None,
            "pages": 9,
            "stats": {"a": 1},
            "aliases": {"http://old/a.html": articles[0]["url"]},
            "finished_at": "2026-05-01T10:05:00+00:00",
        }
    )
    for seq, message in enumerate(messages):
        cluster.hand_over({**message, "run": run, "seq": seq})


def drain(writer: Writer) -> None:
    while batch := writer.take_batch():
        writer.ingest(batch)


def test_a_run_handed_over_is_archived_with_its_node(cluster: Cluster, tmp_path: Path) -> None:
    articles = [dict(article, site="hunan") for article in samples()]
    hand_over_a_run(cluster, articles)
    with Archive.open(tmp_path / "a.db") as archive:
        writer = Writer(cluster, archive, batch_size=2)
        drain(writer)
        runs = CrawlLog(archive).latest_runs()
        assert archive.counts()["articles"] == len(articles)
        assert archive.known_urls("hunan") >= {"http://old/a.html"}
    assert [
        (r["node"], r["status"], r["articles_new"], r["rejects"], r["pages_fetched"]) for r in runs
    ] == [("crawler-1:42", "finished", len(articles), 1, 9)]
    assert runs[0]["started_at"] == RUN["started_at"]
    assert runs[0]["finished_at"] == "2026-05-01T10:05:00+00:00"
    assert RedisHistory(cluster).known_urls("hunan") >= {a["url"] for a in articles}
    assert cluster.redis.llen(ITEMS) == cluster.redis.llen(PROCESSING) == 0


def test_a_batch_ingested_again_after_a_crash_changes_nothing(
    cluster: Cluster, tmp_path: Path
) -> None:
    articles = [dict(article, site="hunan") for article in samples()]
    hand_over_a_run(cluster, articles)
    with Archive.open(tmp_path / "a.db") as archive:
        writer = Writer(cluster, archive, batch_size=100)
        batch = writer.take_batch()
        writer.ingest(batch)
        before = archive.counts(), CrawlLog(archive).latest_runs()
        cluster.redis.rpush(PROCESSING, *batch)  # killed after the commit, before clearing
        drain(Writer(cluster, archive))  # the next writer
        assert (archive.counts(), CrawlLog(archive).latest_runs()) == before


def test_a_second_run_of_the_site_closes_the_one_its_dead_node_left(
    cluster: Cluster, tmp_path: Path
) -> None:
    articles = [dict(article, site="hunan") for article in samples()]
    cluster.hand_over({"kind": "start", "run": RUN, "seq": 0})
    cluster.hand_over({"kind": "article", "article": articles[0], "run": RUN, "seq": 1})
    hand_over_a_run(cluster, articles, {**RUN, "node": "crawler-2:7"})
    with Archive.open(tmp_path / "a.db") as archive:
        drain(Writer(cluster, archive))
        runs = {run["node"]: run for run in CrawlLog(archive).latest_runs()}
    assert runs["crawler-1:42"]["status"] == "interrupted"
    assert "crawler-2:7 took the site over" in runs["crawler-1:42"]["error"]
    assert runs["crawler-2:7"]["status"] == "finished"


def test_one_writer_per_cluster(cluster: Cluster, tmp_path: Path) -> None:
    with Archive.open(tmp_path / "a.db") as archive:
        first, second = Writer(cluster, archive), Writer(cluster, archive)
        second.node = "another-host:1"
        with (
            first.leased(wait=0),
            pytest.raises(WriterBusy, match="another writer"),
            second.leased(wait=0.3),
        ):
            pass
