"""ReliableQueue: scrapy-redis's priority queue, where a request a node took stays until
the node is done with it.

scrapy-redis pops a request off the shared queue when the engine asks for it, and the
duplicate filter has seen it already: a node killed with requests in its downloader would
lose them for the round. This queue moves each request it pops into ``SITE:inflight`` in
the same step (a Lua script), and takes it out again once the engine is done with it: no
longer downloading, no longer in the scraper (whose callbacks and item pipelines have then
handed every request it led to to the queue, every item to the writer). A node taking the
site over puts what is left there back in the queue (`restore`). When the crawl is stopped
(SIGINT, SIGTERM), the requests it was busy with stay in flight for the next holder.
"""

from __future__ import annotations

import hashlib
import logging
import warnings
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import ScrapyDeprecationWarning
from scrapy_redis import picklecompat
from scrapy_redis.queue import PriorityQueue
from scrapy_redis.scheduler import Scheduler
from twisted.internet import task

from crawler.handlers import INTERRUPTED

if TYPE_CHECKING:
    import redis
    from scrapy import Request, Spider
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

TOKEN = "cluster_inflight"
ACK_SECONDS = 0.5
# KEYS: queue, inflight. The request with the lowest score, moved into the in-flight hash.
POP = """
local found = redis.call('ZRANGE', KEYS[1], 0, 0)
if #found == 0 then return false end
redis.call('ZREM', KEYS[1], found[1])
redis.call('HSET', KEYS[2], redis.sha1hex(found[1]), found[1])
return found[1]
"""


def inflight_key(queue_key: str) -> str:
    return queue_key.removesuffix(":requests") + ":inflight"


def restore(server: redis.Redis, queue_key: str) -> int:
    """Put the requests a dead node left in flight back in the queue; how many."""
    key = inflight_key(queue_key)
    moved = 0
    for token, data in server.hgetall(key).items():
        score = -int(picklecompat.loads(data).get("priority", 0))
        server.execute_command("ZADD", queue_key, score, data)  # first: never lost
        server.hdel(key, token)
        moved += 1
    if moved:
        logger.warning("%d requests a dead node took are back in %s", moved, queue_key)
    return moved


class ReliableQueue(PriorityQueue):
    """``SCHEDULER_QUEUE_CLASS`` of a cluster crawl (see the module's docstring)."""

    def __init__(self, server: Any, spider: Spider, key: str, serializer: Any = None) -> None:
        super().__init__(server, spider, key, serializer)
        self.inflight = inflight_key(self.key)
        self.taken: set[str] = set()
        self.frozen = False
        self._pop = server.register_script(POP)
        crawler = spider.crawler
        self.engine = crawler.engine
        crawler.signals.connect(self.freeze, signal=INTERRUPTED)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)
        self.loop = task.LoopingCall(self.ack)
        self.loop.start(ACK_SECONDS, now=False)

    def pop(self, timeout: int = 0) -> Request | None:
        data = self._pop(keys=[self.key, self.inflight])
        if not data:
            return None
        request = self._decode_request(data)
        token = hashlib.sha1(data).hexdigest()
        request.meta[TOKEN] = token
        self.taken.add(token)
        return request

    def busy(self) -> set[str]:
        """The tokens of the requests the engine is still working on."""
        requests = set(self.engine.downloader.active)
        slot = self.engine.scraper.slot
        if slot is not None:
            requests |= slot.active | {request for _, request, _ in slot.queue}
        return {request.meta.get(TOKEN, "") for request in requests}

    def ack(self) -> None:
        """Take the requests the engine is done with out of the in-flight hash."""
        if self.frozen or not self.taken:
            return
        done = self.taken - self.busy()
        if done:
            self.server.hdel(self.inflight, *done)
            self.taken -= done

    def freeze(self) -> None:
        """The crawl is being stopped: what it was busy with stays in flight."""
        self.ack()
        self.frozen = True

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.loop.running:
            self.loop.stop()
        if reason == "finished":
            self.ack()


class ClusterScheduler(Scheduler):
    """scrapy-redis's scheduler, without its stats: scrapy-redis 0.9.1 passes them the
    ``spider`` argument Scrapy 2.19 deprecates (a warning at every crawl); the cluster's
    own counts are the ``cluster/*`` stats."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ClusterScheduler:
        scheduler: ClusterScheduler = cls.from_settings(crawler.settings)
        return scheduler

    def open(self, spider: Spider) -> None:
        with warnings.catch_warnings():
            # It says how many requests it resumes with Spider.log(), deprecated in 2.19.
            warnings.filterwarnings("ignore", "Spider.log", ScrapyDeprecationWarning)
            super().open(spider)
