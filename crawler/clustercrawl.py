"""A crawler process as one node of a cluster crawl (`newsarchive crawl --cluster URL`).

The process joins the cluster's round and crawls one site at a time: it takes the lease of
a site the round has not ended and no node holds (the longest first, by the site's last
crawl: `Cluster.longest_first`), crawls it (one Scrapy crawler, whose
`ClusterPipeline` renews the lease and hands items to the writer), and takes the next,
until every site it was asked for has ended in the round. A site another node holds is
waited for: it ends there, or its node dies and this one takes it over. The process says
it is alive (``node:NODE``) meanwhile, so that `newsarchive ingest --once` waits for it.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

import redis
from scrapy.utils.defer import deferred_from_coro, maybe_deferred_to_future
from twisted.internet import task

from crawler.cluster import Cluster, ClusterError, node_name
from crawler.clusterpipeline import LEASE_LOST, OUTCOME_STAT
from crawler.spiders.news import SPIDERS

if TYPE_CHECKING:
    from scrapy.crawler import Crawler, CrawlerProcess
    from scrapy.settings import Settings

    from crawler.stopping import Stopper

logger = logging.getLogger(__name__)

POLL_SECONDS = 0.5
COUNTS = ("pages_fetched", "articles_new", "articles_updated", "articles_unchanged", "rejects")


def connect(settings: Settings) -> Cluster:
    """The cluster of the settings, checked to answer (ClusterError otherwise)."""
    cluster = Cluster.from_settings(settings)
    cluster.check()
    return cluster


def run_result(crawler: Crawler, node: str) -> dict[str, Any]:
    """What a crawl of one site did, as `newsarchive crawl` reports it (its articles are
    those handed to the writer: `newsarchive runs` shows what they came to)."""
    assert crawler.stats is not None
    stats = crawler.stats.get_stats()
    return dict.fromkeys(COUNTS, 0) | {
        "site": crawler.spidercls.name,
        "node": node,
        "status": stats.get("cluster/status", "failed"),
        "error": stats.get("cluster/error"),
        "pages_fetched": int(stats.get("response_received_count", 0)),
        "articles_new": int(stats.get("cluster/articles", 0)),
        "rejects": int(stats.get("cluster/rejects", 0)),
    }


def elsewhere(cluster: Cluster, site: str, stopped: bool) -> dict[str, Any]:
    """A site of the round this process did not crawl."""
    if stopped:
        status, error = "interrupted", "not crawled: the crawl was stopped"
    else:
        status, error = cluster.site_status(site) or "finished", "crawled by another node"
    return dict.fromkeys(COUNTS, 0) | {"site": site, "status": status, "error": error}


async def take_sites(
    process: CrawlerProcess,
    cluster: Cluster,
    wanted: list[str],
    stopper: Stopper,
    results: dict[str, dict[str, Any]],
) -> None:
    node = node_name()
    round_id = cluster.join_round(wanted)
    logger.info("%s joined round %d for %s", node, round_id, ", ".join(wanted))
    beat = task.LoopingCall(cluster.beat, node)
    beat.start(cluster.lease_seconds / 3)
    try:
        while not stopper.requested:
            ended = cluster.ended(round_id)
            left = [site for site in wanted if site not in ended]
            if not left:
                break
            site = next(
                (site for site in cluster.longest_first(left) if cluster.take(site, node)), None
            )
            if site is None:  # every site left is another node's: wait for it to end or die
                await asyncio.sleep(POLL_SECONDS)
                continue
            crawler = process.create_crawler(SPIDERS[site])
            stopper.watch(crawler)
            await maybe_deferred_to_future(process.crawl(crawler))
            assert crawler.stats is not None
            if crawler.stats.get_value(OUTCOME_STAT) != "crawled":
                cluster.release(site, node)  # it ended in the round meanwhile: give it back
            elif crawler.stats.get_value("cluster/error") != LEASE_LOST:  # else: the new
                results[site] = run_result(crawler, node)  # holder's run is the site's
    finally:
        beat.stop()
        cluster.leave(node)


def crawl_cluster(
    wanted: list[str], process: CrawlerProcess, cluster: Cluster, stopper: Stopper
) -> list[dict[str, Any]]:
    """Crawl the sites of the round this process can take, until all have ended."""
    from twisted.internet import reactor as installed

    reactor: Any = installed
    results: dict[str, dict[str, Any]] = {}
    failures: list[Any] = []

    def done(outcome: Any) -> None:
        if hasattr(outcome, "value"):  # a Failure: raised again once the reactor stopped
            failures.append(outcome.value)
        if reactor.running:
            reactor.stop()

    def begin() -> None:
        deferred_from_coro(take_sites(process, cluster, wanted, stopper, results)).addBoth(done)

    reactor.callWhenRunning(begin)
    process.start(stop_after_crawl=False, install_signal_handlers=False)
    if failures:
        if isinstance(failures[0], redis.RedisError):
            raise ClusterError(f"the cluster's Redis failed: {failures[0]}") from failures[0]
        raise failures[0]
    stopped = stopper.requested
    return [results.get(site) or elsewhere(cluster, site, stopped) for site in wanted]
