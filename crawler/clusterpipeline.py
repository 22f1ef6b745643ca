"""ClusterPipeline: a cluster crawl's last pipeline, in place of `ArchivePipeline`.

With ``NEWSARCHIVE_CLUSTER`` set, a crawler never opens the archive. Opening, it joins the
cluster's round and takes its site's lease (closing at once, without a run, when the site has
ended in the round or another node holds it); it renews the lease while it crawls. Every
item is sorted as a local crawl sorts it (`crawler.archiving.sort_item`) and handed to the
writer through Redis as it comes, each message numbered within the run: the run's start,
each article (its URL known to every crawler from then on), each reject, and the run's end
with its status, pages, stats and aliases. Closing, it ends the site in the round (unless
the crawl was stopped) and releases the lease. Without the setting: NotConfigured.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.exceptions import CloseSpider, NotConfigured
from twisted.internet import task

from archive.clock import now
from crawler import clusterqueue
from crawler.archiving import run_outcome, sort_item
from crawler.cluster import QUEUE_KEY, Cluster, cluster_url, node_name

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy.statscollectors import StatsCollector
    from twisted.python.failure import Failure

logger = logging.getLogger(__name__)

OUTCOME_STAT = "cluster/outcome"  # crawled, ended (in this round already), taken (by a node)
LEASE_LOST = "lost the site's lease to another node"


class ClusterPipeline:
    def __init__(
        self, cluster: Cluster, site: str, stats: StatsCollector, crawler: Crawler | None = None
    ) -> None:
        self.cluster = cluster
        self.site = site
        self.stats = stats
        self.crawler = crawler
        self.node = node_name()
        self.round_id = 0
        self.run: dict[str, Any] | None = None  # this run's key: site, node, started_at
        self.seq = 0
        self.started = 0.0  # monotonic, when the run began
        self.aliases: dict[str, str] = {}
        self.renewal = task.LoopingCall(self.renew)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ClusterPipeline:
        if not cluster_url(crawler.settings):
            raise NotConfigured  # a local crawl writes the archive itself (no warning)
        assert crawler.stats is not None
        site = str(getattr(crawler.spidercls, "name", ""))
        pipeline = cls(Cluster.from_settings(crawler.settings), site, crawler.stats, crawler)
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(pipeline.item_error, signal=signals.item_error)
        return pipeline

    def open_spider(self) -> None:
        self.cluster.check()
        self.round_id = self.cluster.join_round([self.site])
        if self.site in self.cluster.ended(self.round_id):
            self.stats.set_value(OUTCOME_STAT, "ended")
            raise CloseSpider("cluster_site_ended")
        if not self.cluster.take(self.site, self.node):
            self.stats.set_value(OUTCOME_STAT, "taken")
            logger.info("%s: %s crawls it", self.site, self.cluster.holder(self.site))
            raise CloseSpider("cluster_site_taken")
        if not self.cluster.begin_site(self.site, self.round_id):
            logger.warning("%s: going on where a node that died left it", self.site)
            clusterqueue.restore(self.cluster.redis, QUEUE_KEY % {"spider": self.site})
        self.cluster.set_status(self.site, "running")
        self.renewal.start(self.cluster.lease_seconds / 3, now=False)
        self.stats.set_value(OUTCOME_STAT, "crawled")
        self.stats.set_value("cluster/node", self.node)
        self.run = {"site": self.site, "node": self.node, "started_at": now()}
        self.started = time.monotonic()
        self._hand_over("start", {})

    def renew(self) -> None:
        # Taken again when it expired and no node took it (a stall past the lease time).
        if self.cluster.take(self.site, self.node):
            return
        logger.warning("%s: %s (%s)", self.site, LEASE_LOST, self.cluster.holder(self.site))
        if self.renewal.running:
            self.renewal.stop()
        if self.crawler is not None and self.crawler.engine is not None:
            close = self.crawler.engine.close_spider_async(reason="cluster_lease_lost")
            asyncio.ensure_future(close)

    def _hand_over(self, kind: str, body: dict[str, Any], known: str | None = None) -> None:
        assert self.run is not None
        message = {"kind": kind, "run": self.run, "seq": self.seq, **body}
        self.cluster.hand_over(message, (self.site, known) if known else None)
        self.seq += 1

    def process_item(self, item: Any) -> Any:
        sorted_item = sort_item(item)
        for url, stage, reason, lost in sorted_item.reports():
            self._reject(url, stage, reason, lost=lost)
        if sorted_item.alias:
            self.aliases[sorted_item.alias[0]] = sorted_item.alias[1]
        if sorted_item.article:
            url = sorted_item.article["url"]
            self._hand_over("article", {"article": sorted_item.article}, known=url)
            self.stats.inc_value("cluster/articles")
        return item

    def item_error(self, item: Any, response: Response, spider: Spider, failure: Failure) -> None:
        url = ItemAdapter(item).get("url") or (response.url if response else "")
        self._reject(url, "normalize", f"{failure.type.__name__}: {failure.getErrorMessage()}")

    def _reject(self, url: str, stage: str, reason: str, *, lost: bool = True) -> None:
        logger.info("rejected %s at %s: %s", url, stage, reason)  # the writer records it
        reject = {"url": url, "stage": stage, "reason": reason, "lost": lost}
        self._hand_over("reject", {"reject": reject})
        self.stats.inc_value("cluster/rejects" if lost else "cluster/problems")
        self.stats.inc_value(f"archive/rejects/{stage}" if lost else "archive/problems")

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.run is None:
            return
        if self.renewal.running:
            self.renewal.stop()
        status, error = run_outcome(spider, reason)
        if reason == "cluster_lease_lost":
            status, error = "interrupted", LEASE_LOST
        stats = self.stats.get_stats()
        self.stats.set_value("cluster/status", status)
        self.stats.set_value("cluster/error", error)
        body = {
            "status": status,
            "error": error,
            "finished_at": now(),
            "pages": int(stats.get("response_received_count", 0)),
            "stats": stats,
            "aliases": self.aliases,
        }
        self._hand_over("end", body)
        self.run = None
        if reason == "cluster_lease_lost":
            return
        self.cluster.set_status(self.site, status)
        if status == "finished":
            self.cluster.set_seconds(self.site, time.monotonic() - self.started)
        if status == "interrupted":  # stopped: the next holder goes on in this round
            self.cluster.release(self.site, self.node)
        else:
            self.cluster.end_site(self.round_id, self.site, self.node)
