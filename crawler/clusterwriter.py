"""The cluster's one writer: messages from Redis into the archive (`newsarchive ingest`).

Crawler nodes queue their runs' messages in ``newsarchive:items`` (`ClusterPipeline`). The
writer moves up to a batch of them into ``newsarchive:items:processing`` (``BLMOVE``, so
nothing is ever only in the writer's memory), writes the batch in one SQLite transaction
through the same `RunWriter` as a local crawl, and only then deletes the processing list.
Each message is numbered within its run, and the transaction records the last number of
each run it wrote (`crawl_runs.ingested_seq`): a writer killed after its commit and before
the delete leaves the batch in processing, and the next writer skips what is stored
already. So killing the writer, or a crawler, loses nothing and duplicates nothing.

Starting, the writer seeds what crawlers plan from (`RedisHistory`): every site's archived
URLs, given-up and retried rejects, and how its last run ended; after each batch it adds
the URLs it stored and republishes the rejects of the sites the batch touched. It holds the
archive's lock all along, and the cluster's writer lease (one writer per cluster).
"""

from __future__ import annotations

import logging
import signal
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import FrameType
from typing import Any

from archive.crawllog import CrawlLog
from archive.db import Archive
from archive.runwriter import COUNTED, RunWriter
from crawler import sites
from crawler.cluster import ITEMS, PROCESSING, Cluster, ClusterError, decode_message, node_name

logger = logging.getLogger(__name__)

POLL_SECONDS = 1
RunKey = tuple[str, str, str]  # site, node, started_at


class WriterBusy(ClusterError):
    """Another writer ingests for this cluster."""


@dataclass
class Totals:
    """What a writer stored: articles by outcome, rejects, runs started and ended."""

    counts: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys((*COUNTED, "rejects", "runs", "ended"), 0)
    )

    def line(self) -> str:
        c = self.counts
        return (
            f"{c['new']} new, {c['updated']} updated, {c['unchanged']} unchanged articles;"
            f" {c['rejects']} rejects; {c['runs']} runs started, {c['ended']} ended"
        )


@dataclass
class RunState:
    writer: RunWriter
    ingested: int  # the last of the run's messages committed (-1: none)


class Writer:
    def __init__(
        self, cluster: Cluster, archive: Archive, *, batch_size: int = 50, max_attempts: int = 3
    ) -> None:
        self.cluster = cluster
        self.archive = archive
        self.log = CrawlLog(archive)
        self.batch_size = max(batch_size, 1)
        self.max_attempts = max_attempts
        self.node = node_name()
        self.runs: dict[RunKey, RunState] = {}
        self.totals = Totals()

    @contextmanager
    def leased(self, wait: float) -> Iterator[Writer]:
        """The cluster's writer lease while the block runs, waiting up to ``wait`` seconds
        for it (a dead writer's lease expires by then); WriterBusy otherwise."""
        deadline = time.monotonic() + wait
        while not self.cluster.take_writer(self.node):
            if time.monotonic() >= deadline:
                raise WriterBusy(
                    f"another writer ({self.cluster.writer()}) ingests for this cluster"
                )
            time.sleep(0.2)
        try:
            yield self
        finally:
            self.cluster.release_writer(self.node)

    def seed(self) -> None:
        """Publish what the archive knows of every site, for crawlers to plan from."""
        names = {site.name for site in sites.all_sites()} | set(self.archive.articles_per_site())
        for site in sorted(names - {""}):
            self.cluster.add_known(site, self.archive.known_urls(site))
            self.publish_rejects(site)
            self.cluster.seed_status(site, self.log.last_status(site))
            self.cluster.seed_seconds(site, self.log.last_seconds(site))

    def publish_rejects(self, site: str) -> None:
        self.cluster.publish_rejects(site, self.log.given_up_urls(site), self.log.retry_urls(site))

    def run(self, *, once: bool, stopped: Callable[[], bool]) -> Totals:
        """Ingest until ``stopped()``; with ``once``, until no crawler is left and nothing
        is queued."""
        self.seed()
        while not stopped():
            if not self.cluster.take_writer(self.node):
                raise WriterBusy(f"lost the writer's lease to {self.cluster.writer()}")
            batch = self.take_batch()
            if batch:
                self.ingest(batch)
            elif once and not self.cluster.crawlers_alive() and self.idle():
                break
        return self.totals

    def idle(self) -> bool:
        redis = self.cluster.redis
        return not redis.llen(ITEMS) and not redis.llen(PROCESSING)

    def take_batch(self) -> list[Any]:
        """What a dead writer left in processing, else up to a batch from the queue."""
        redis = self.cluster.redis
        left: list[Any] = redis.lrange(PROCESSING, 0, -1)
        if left:
            logger.warning("ingesting %d messages a writer left in processing", len(left))
            return left
        first = redis.blmove(ITEMS, PROCESSING, POLL_SECONDS, "LEFT", "RIGHT")
        if first is None:
            return []
        pipe = redis.pipeline(transaction=False)
        for _ in range(self.batch_size - 1):
            pipe.lmove(ITEMS, PROCESSING, "LEFT", "RIGHT")
        return [first, *(message for message in pipe.execute() if message is not None)]

    def ingest(self, batch: list[Any]) -> None:
        """Write one batch in one transaction, then drop it from processing."""
        messages = [decode_message(raw) for raw in batch]
        touched: dict[RunKey, RunState] = {}
        known: dict[str, list[str]] = {}
        with self.archive.transaction():
            for message in messages:
                key = run_key(message["run"])
                state = self.state(key, message)
                if message["seq"] <= state.ingested:
                    continue  # committed by a writer that died before clearing processing
                self.apply(key, state, message, known)
                state.ingested = message["seq"]
                touched[key] = state
            for state in touched.values():
                self.count(state.writer.flush())
                self.log.mark_ingested(state.writer.run_id, state.ingested)
        self.cluster.redis.delete(PROCESSING)
        for site, urls in known.items():
            self.cluster.add_known(site, urls)
        for site in {key[0] for key in touched}:
            self.publish_rejects(site)
        logger.info("ingested %d messages of %d runs", len(messages), len(touched))

    def state(self, key: RunKey, message: dict[str, Any]) -> RunState:
        """The run a message belongs to, recorded when it is new to the archive."""
        if key in self.runs:
            return self.runs[key]
        site, node, started_at = key
        options = {"batch_size": 10**9, "max_attempts": self.max_attempts}  # one per batch
        found = self.log.node_run(site, node, started_at)
        if found:
            run_id, ingested = found
            state = RunState(RunWriter(self.archive, run_id, site, **options), ingested)
        else:
            writer = RunWriter.start(
                self.archive, site, node=node, started_at=started_at, **options
            )
            state = RunState(writer, -1)
            self.totals.counts["runs"] += 1
            taken = self.log.close_taken_over(site, writer.run_id, node)
            if taken:
                logger.warning("%s: %d runs of dead nodes closed; %s took over", site, taken, node)
        self.runs[key] = state
        return state

    def apply(
        self, key: RunKey, state: RunState, message: dict[str, Any], known: dict[str, list[str]]
    ) -> None:
        writer, kind = state.writer, message["kind"]
        if kind == "article":
            writer.add_article(message["article"])
            known.setdefault(key[0], []).append(message["article"]["url"])
        elif kind == "reject":
            reject = message["reject"]
            lost = reject.get("lost", True)
            writer.add_reject(reject["url"], reject["stage"], reject["reason"], lost=lost)
            self.totals.counts["rejects"] += lost
        elif kind == "end":
            for alias, url in message["aliases"].items():
                writer.add_alias(alias, url)
            known.setdefault(key[0], []).extend(message["aliases"])
            end = {"error": message["error"], "finished_at": message["finished_at"]}
            self.count(writer.finish(message["status"], message["pages"], message["stats"], **end))
            self.totals.counts["ended"] += 1
            del self.runs[key]

    def count(self, counts: dict[str, int]) -> None:
        for name in COUNTED:
            self.totals.counts[name] += counts.get(name, 0)


def run_key(run: dict[str, str]) -> RunKey:
    return (run["site"], run["node"], run["started_at"])


class StopFlag:
    """``with StopFlag() as flag:`` SIGINT and SIGTERM set ``flag.set`` (the writer ends its
    batch, then stops)."""

    def __init__(self) -> None:
        self.set = False
        self.previous: dict[int, Any] = {}

    def __enter__(self) -> StopFlag:
        for signum in (signal.SIGINT, signal.SIGTERM):
            self.previous[signum] = signal.signal(signum, self._received)
        return self

    def __exit__(self, *exc: object) -> None:
        for signum, handler in self.previous.items():
            signal.signal(signum, handler)

    def _received(self, signum: int, frame: FrameType | None) -> None:
        logger.warning("%s: stopping after this batch", signal.Signals(signum).name)
        self.set = True
