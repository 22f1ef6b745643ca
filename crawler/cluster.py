"""The cluster's shared state in Redis: rounds, site leases, site state, known URLs, items.

Several crawler processes (on one machine or many) and one writer meet in one Redis
database (``NEWSARCHIVE_CLUSTER=redis://host:6379/0``). Every key starts with ``newsarchive:``:

- ``round`` (the current round's number), ``round:N:sites`` (the sites its crawlers asked
  for) and ``round:N:ended`` (those crawled to the end in it). A round ends when every site
  it asked for has ended; the next crawler to join then starts round N+1.
- ``lease:SITE``: the node crawling SITE (``SET NX PX``, renewed while it crawls, released
  by compare-and-delete). A node that dies loses it after ``NEWSARCHIVE_CLUSTER_LEASE``
  seconds, and another node takes the site over. ``node:NODE``: a crawler process alive.
- ``site:SITE``: the round the site's queues belong to and how its runs ended
  (``status``; ``previous``: how the run before this round's ended).
- ``SITE:requests``, ``SITE:dupefilter``, ``SITE:inflight``: scrapy-redis's request queue
  and duplicate filter, and the requests a node took and has not finished
  (`crawler.clusterqueue`), kept for the round so that a node taking the site over goes on.
- ``known:SITE``, ``givenup:SITE``, ``retry:SITE``: what the archive knows (seeded and kept
  by the writer; a crawler adds what it hands over), read by `RedisHistory`.
- ``items`` and ``items:processing``: the messages for the writer (`crawler.clusterwriter`).
"""

from __future__ import annotations

import base64
import json
import logging
import os
import socket
from collections.abc import Iterable
from typing import Any

import redis
from scrapy.exceptions import NotConfigured
from scrapy.settings import BaseSettings

logger = logging.getLogger(__name__)

PREFIX = "newsarchive"
CLUSTER_SETTING = "NEWSARCHIVE_CLUSTER"
LEASE_SETTING = "NEWSARCHIVE_CLUSTER_LEASE"
DEFAULT_LEASE = 30.0
QUEUE_KEY = f"{PREFIX}:%(spider)s:requests"
DUPEFILTER_KEY = f"{PREFIX}:%(spider)s:dupefilter"
ITEMS = f"{PREFIX}:items"
PROCESSING = f"{PREFIX}:items:processing"
WRITER = f"{PREFIX}:writer"
CHUNK = 1000

# KEYS: lease; ARGV: token, milliseconds. Take a free lease, or renew one's own.
TAKE = """
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1
end
return 0
"""
# KEYS: lease; ARGV: token. Release one's own lease only.
RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""
# KEYS: lease, ended set; ARGV: token, site. The holder ends the site in the round.
END = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SADD', KEYS[2], ARGV[2])
return redis.call('DEL', KEYS[1])
"""
# KEYS: round counter; ARGV: prefix, sites... The open round (a new one when the current
# one has ended every site it asked for), with the sites added to what it asks for.
JOIN = """
local round = redis.call('GET', KEYS[1])
if round then
  local base = ARGV[1] .. ':round:' .. round
  if redis.call('SCARD', base .. ':sites') > 0
     and #redis.call('SDIFF', base .. ':sites', base .. ':ended') == 0 then
    round = false
  end
end
if not round then round = redis.call('INCR', KEYS[1]) end
local base = ARGV[1] .. ':round:' .. round
for i = 2, #ARGV do redis.call('SADD', base .. ':sites', ARGV[i]) end
return tonumber(round)
"""


class ClusterError(Exception):
    """The cluster's Redis cannot be used (unreachable, not a Redis URL)."""


def node_name() -> str:
    """This process in the cluster: ``host:pid``."""
    return f"{socket.gethostname()}:{os.getpid()}"


def text(value: bytes | str) -> str:
    """A value Redis answered (bytes) as text."""
    return value.decode() if isinstance(value, bytes) else value


def site_key(site: str, part: str) -> str:
    """A per-site key: ``SITE:requests``, ``SITE:dupefilter``, ``SITE:inflight``."""
    return f"{PREFIX}:{site}:{part}"


def cluster_url(settings: BaseSettings) -> str | None:
    return settings.get(CLUSTER_SETTING) or None


class ClusterAddon:
    """Scrapy add-on: with ``NEWSARCHIVE_CLUSTER`` set, requests go through scrapy-redis's
    scheduler and duplicate filter in that Redis, kept between processes
    (``SCHEDULER_PERSIST``), one queue per site; without it, nothing changes."""

    def update_settings(self, settings: BaseSettings) -> None:
        url = cluster_url(settings)
        if not url:
            raise NotConfigured
        values = {
            "SCHEDULER": "crawler.clusterqueue.ClusterScheduler",
            "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
            "SCHEDULER_PERSIST": True,
            "SCHEDULER_QUEUE_CLASS": "crawler.clusterqueue.ReliableQueue",
            "SCHEDULER_QUEUE_KEY": QUEUE_KEY,
            "SCHEDULER_DUPEFILTER_KEY": DUPEFILTER_KEY,
            "REDIS_URL": url,
        }
        settings.setdict(values, priority="addon")


class Cluster:
    """One connection to the cluster's Redis, and what nodes and the writer do there."""

    def __init__(self, url: str, lease_seconds: float = DEFAULT_LEASE) -> None:
        try:
            self.redis = redis.Redis.from_url(url, socket_timeout=30, socket_connect_timeout=10)
        except ValueError:
            raise ClusterError(f"{url!r} is not a Redis URL like redis://host:6379/0") from None
        self.url = url
        self.lease_ms = max(int(lease_seconds * 1000), 100)
        self._take = self.redis.register_script(TAKE)
        self._release = self.redis.register_script(RELEASE)
        self._end = self.redis.register_script(END)
        self._join = self.redis.register_script(JOIN)

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> Cluster:
        url = cluster_url(settings)
        if not url:
            raise NotConfigured(f"{CLUSTER_SETTING} is not set")
        return cls(url, settings.getfloat(LEASE_SETTING, DEFAULT_LEASE))

    @property
    def lease_seconds(self) -> float:
        return self.lease_ms / 1000

    def check(self) -> None:
        """ClusterError when the Redis server does not answer."""
        try:
            self.redis.ping()
        except redis.RedisError as exc:
            raise ClusterError(f"cannot reach the cluster's Redis at {self.url}: {exc}") from None

    # Rounds

    def join_round(self, sites: Iterable[str]) -> int:
        """The open round, asking it for ``sites`` (a new round when the last has ended)."""
        return int(self._join(keys=[f"{PREFIX}:round"], args=[PREFIX, *sites]))

    def ended(self, round_id: int) -> set[str]:
        return self.members(f"{PREFIX}:round:{round_id}:ended")

    # Leases

    def take(self, site: str, token: str) -> bool:
        """Take the site's lease (or renew it, when ``token`` holds it)."""
        return bool(self._take(keys=[f"{PREFIX}:lease:{site}"], args=[token, self.lease_ms]))

    def release(self, site: str, token: str) -> None:
        self._release(keys=[f"{PREFIX}:lease:{site}"], args=[token])

    def end_site(self, round_id: int, site: str, token: str) -> bool:
        """Mark the site ended in the round and release its lease (only its holder can)."""
        keys = [f"{PREFIX}:lease:{site}", f"{PREFIX}:round:{round_id}:ended"]
        return bool(self._end(keys=keys, args=[token, site]))

    def take_writer(self, token: str) -> bool:
        """Take (or renew) the writer's lease: one writer per cluster."""
        return bool(self._take(keys=[WRITER], args=[token, self.lease_ms]))

    def release_writer(self, token: str) -> None:
        self._release(keys=[WRITER], args=[token])

    def writer(self) -> str | None:
        value = self.redis.get(WRITER)
        return value.decode() if isinstance(value, bytes) else None

    def holder(self, site: str) -> str | None:
        value = self.redis.get(f"{PREFIX}:lease:{site}")
        return value.decode() if isinstance(value, bytes) else None

    def beat(self, node: str) -> None:
        """Say that the crawler process ``node`` is alive (for one lease time)."""
        self.redis.set(f"{PREFIX}:node:{node}", "1", px=self.lease_ms)

    def leave(self, node: str) -> None:
        self.redis.delete(f"{PREFIX}:node:{node}")

    def crawlers_alive(self) -> bool:
        """Whether any crawler process is alive or holds a site."""
        for pattern in (f"{PREFIX}:node:*", f"{PREFIX}:lease:*"):
            if next(iter(self.redis.scan_iter(match=pattern, count=100)), None) is not None:
                return True
        return False

    # A site's state

    def begin_site(self, site: str, round_id: int) -> bool:
        """Make the site's queues the round's (call it holding the lease): True when the
        site starts afresh in the round (its queues emptied), False when this node goes on
        where a node that died left it."""
        key = f"{PREFIX}:site:{site}"
        state = {text(k): text(v) for k, v in self.redis.hgetall(key).items()}
        if state.get("round") == str(round_id):
            return False
        status = state.get("status")
        previous = "interrupted" if status == "running" else status  # its node died
        pipe = self.redis.pipeline()
        pipe.delete(*(site_key(site, part) for part in ("requests", "dupefilter", "inflight")))
        pipe.hset(key, mapping={"round": str(round_id), "previous": previous or "", "status": ""})
        pipe.execute()
        return True

    def set_status(self, site: str, status: str) -> None:
        self.redis.hset(f"{PREFIX}:site:{site}", "status", status)

    def set_seconds(self, site: str, seconds: float) -> None:
        """How long the site's last finished crawl took (nodes take the longest first)."""
        self.redis.hset(f"{PREFIX}:site:{site}", "seconds", f"{seconds:.1f}")

    def seed_seconds(self, site: str, seconds: float | None) -> None:
        """The archive's last duration of the site, unless the cluster knows a newer one."""
        if seconds is not None:
            self.redis.hsetnx(f"{PREFIX}:site:{site}", "seconds", f"{seconds:.1f}")

    def longest_first(self, sites: list[str]) -> list[str]:
        """``sites`` in the order a node takes them: those never crawled first (they may be
        the longest), then by how long their last crawl took, longest first, so that the
        last sites of a round are short ones and the nodes finish together. Equal sites
        keep the order given."""
        pipe = self.redis.pipeline(transaction=False)
        for site in sites:
            pipe.hget(f"{PREFIX}:site:{site}", "seconds")
        seconds = zip(sites, pipe.execute(), strict=True)
        known = {site: float(text(value)) for site, value in seconds if value}
        return sorted(sites, key=lambda site: -known.get(site, float("inf")))

    def site_status(self, site: str) -> str | None:
        value = self.redis.hget(f"{PREFIX}:site:{site}", "status")
        return text(value) or None if value else None

    # What the archive knows (read by crawlers, written by the writer)

    def members(self, key: str) -> set[str]:
        return {text(value) for value in self.redis.smembers(key)}

    def add_known(self, site: str, urls: Iterable[str]) -> None:
        self._add(f"{PREFIX}:known:{site}", list(urls))

    def _add(self, key: str, values: list[str]) -> None:
        for start in range(0, len(values), CHUNK):
            self.redis.sadd(key, *values[start : start + CHUNK])

    def publish_rejects(self, site: str, given_up: set[str], retry: list[str]) -> None:
        """Replace the site's given-up set and retry list with the archive's."""
        pipe = self.redis.pipeline()
        pipe.delete(f"{PREFIX}:givenup:{site}", f"{PREFIX}:retry:{site}")
        if given_up:
            pipe.sadd(f"{PREFIX}:givenup:{site}", *given_up)
        if retry:
            pipe.rpush(f"{PREFIX}:retry:{site}", *retry)
        pipe.execute()

    def seed_status(self, site: str, status: str | None) -> None:
        """How the site's last run in the archive ended, unless the cluster knows better."""
        if status:
            self.redis.hsetnx(f"{PREFIX}:site:{site}", "status", status)

    # Messages for the writer

    def hand_over(self, message: dict[str, Any], known: tuple[str, str] | None = None) -> None:
        """Queue one message for the writer; with ``known`` (site, URL), the URL is known
        to every crawler from now on (in the same transaction)."""
        pipe = self.redis.pipeline(transaction=True)
        pipe.rpush(ITEMS, encode_message(message))
        if known:
            pipe.sadd(f"{PREFIX}:known:{known[0]}", known[1])
        pipe.execute()


BYTES = "$bytes"  # a message's bytes (a capture's body) travel as {"$bytes": base64}


def _encode(value: Any) -> Any:
    if isinstance(value, bytes | bytearray):
        return {BYTES: base64.b64encode(value).decode("ascii")}
    return str(value)


def _decode(value: dict[str, Any]) -> Any:
    if len(value) == 1 and BYTES in value:
        return base64.b64decode(value[BYTES])
    return value


def encode_message(message: dict[str, Any]) -> str:
    """A message for the writer as JSON; bytes (a capture's body) kept exact, in base64."""
    return json.dumps(message, ensure_ascii=False, default=_encode)


def decode_message(raw: str | bytes) -> dict[str, Any]:
    """A message `encode_message` wrote, its bytes bytes again."""
    message: dict[str, Any] = json.loads(raw, object_hook=_decode)
    return message


class RedisHistory:
    """What the archive knows of a site, as the writer keeps it in Redis: the crawl history
    `crawler.incremental.plan_crawl` plans from in a cluster crawl."""

    def __init__(self, cluster: Cluster) -> None:
        self.cluster = cluster

    def known_urls(self, site: str) -> set[str]:
        return self.cluster.members(f"{PREFIX}:known:{site}")

    def given_up_urls(self, site: str) -> set[str]:
        return self.cluster.members(f"{PREFIX}:givenup:{site}")

    def retry_urls(self, site: str) -> list[str]:
        return [text(url) for url in self.cluster.redis.lrange(f"{PREFIX}:retry:{site}", 0, -1)]

    def last_status(self, site: str) -> str | None:
        value = self.cluster.redis.hget(f"{PREFIX}:site:{site}", "previous")
        return text(value) or None if value else None

    def article_urls_since(self, site: str, since: str | None = None) -> list[str]:
        raise ClusterError("--refresh is not available in a cluster crawl; refresh locally")


def history_for(settings: BaseSettings) -> RedisHistory | None:
    """The crawl history of a cluster crawl, or None (plan from the archive)."""
    if not cluster_url(settings):
        return None
    return RedisHistory(Cluster.from_settings(settings))
