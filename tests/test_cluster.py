"""The cluster's shared state (crawler/cluster.py) in a real redis-server: leases, rounds,
a site's queues, the crawl history crawlers plan from, and the settings of cluster mode."""

from __future__ import annotations

import time

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.settings import Settings

from crawler import clusterqueue
from crawler.cluster import (
    Cluster,
    ClusterAddon,
    ClusterError,
    RedisHistory,
    decode_message,
    encode_message,
    history_for,
    site_key,
)
from crawler.incremental import plan_crawl

from .redisserver import MISSING, available

pytestmark = pytest.mark.skipif(not available(), reason=MISSING)


def test_a_site_has_one_holder_and_only_it_releases_or_ends_it(cluster: Cluster) -> None:
    assert cluster.take("hunan", "a:1")
    assert cluster.take("hunan", "a:1")  # its own: renewed
    assert not cluster.take("hunan", "b:2")
    cluster.release("hunan", "b:2")  # not b's to release
    assert cluster.holder("hunan") == "a:1"
    round_id = cluster.join_round(["hunan"])
    assert not cluster.end_site(round_id, "hunan", "b:2")
    assert cluster.end_site(round_id, "hunan", "a:1")
    assert cluster.holder("hunan") is None
    assert cluster.ended(round_id) == {"hunan"}


def test_nodes_take_the_sites_never_crawled_then_the_longest_first(cluster: Cluster) -> None:
    """So that a round's last sites are short ones and the nodes finish together."""
    cluster.seed_seconds("hunan", 9.0)  # from the archive's last finished run
    cluster.set_seconds("rednet", 4.5)
    cluster.seed_seconds("yueyang", 30.0)
    cluster.set_seconds("yueyang", 2.0)  # a node's newer crawl wins over the archive's
    cluster.seed_seconds("yueyang", 50.0)
    cluster.seed_seconds("changde", None)  # never finished: nothing known
    order = ["yueyang", "rednet", "changde", "hunan", "huaihua"]
    assert cluster.longest_first(order) == ["changde", "huaihua", "hunan", "rednet", "yueyang"]


def test_a_dead_holders_lease_expires(redis_url: str) -> None:
    cluster = Cluster(redis_url, lease_seconds=0.2)
    cluster.redis.flushdb()
    assert cluster.take("yueyang", "dead:1")
    assert not cluster.take("yueyang", "alive:2")
    time.sleep(0.3)  # the holder renewed nothing
    assert cluster.take("yueyang", "alive:2")


def test_a_round_ends_when_every_site_it_asked_for_has_ended(cluster: Cluster) -> None:
    first = cluster.join_round(["hunan", "rednet"])
    assert cluster.join_round(["yueyang"]) == first  # joins the open round
    for site in ("hunan", "rednet"):
        assert cluster.take(site, "n:1") and cluster.end_site(first, site, "n:1")
    assert cluster.join_round(["hunan"]) == first  # yueyang has not ended
    assert cluster.take("yueyang", "n:1") and cluster.end_site(first, "yueyang", "n:1")
    assert cluster.join_round(["hunan"]) == first + 1


def test_a_site_starts_afresh_in_a_new_round_and_goes_on_in_the_same(cluster: Cluster) -> None:
    cluster.redis.sadd(site_key("hunan", "dupefilter"), "old fingerprint")
    cluster.set_status("hunan", "running")  # its last node died
    assert cluster.begin_site("hunan", 1)
    assert not cluster.redis.exists(site_key("hunan", "dupefilter"))
    assert RedisHistory(cluster).last_status("hunan") == "interrupted"
    cluster.redis.sadd(site_key("hunan", "dupefilter"), "this round's")
    assert not cluster.begin_site("hunan", 1)  # a node taking over goes on
    assert cluster.redis.exists(site_key("hunan", "dupefilter"))


def test_requests_a_dead_node_took_go_back_in_the_queue(cluster: Cluster) -> None:
    from scrapy_redis import picklecompat

    queue = site_key("hunan", "requests")
    data = picklecompat.dumps({"url": "http://www.enghunan.gov.cn/a.html", "priority": 10})
    cluster.redis.hset(clusterqueue.inflight_key(queue), "token", data)
    assert clusterqueue.restore(cluster.redis, queue) == 1
    assert cluster.redis.zrange(queue, 0, -1, withscores=True) == [(data, -10.0)]
    assert not cluster.redis.exists(clusterqueue.inflight_key(queue))


def test_crawlers_plan_from_what_the_writer_publishes(cluster: Cluster) -> None:
    cluster.add_known("rednet", ["http://english.rednet.cn/known.html"])
    cluster.publish_rejects("rednet", {"http://english.rednet.cn/gone.html"}, ["http://r/1"])
    cluster.seed_status("rednet", "finished")
    cluster.begin_site("rednet", 1)
    plan = plan_crawl("unused.db", "rednet", history=RedisHistory(cluster))
    assert plan.is_known("http://english.rednet.cn/known.html")
    assert plan.is_known("http://english.rednet.cn/gone.html")
    assert plan.retry == ("http://r/1",)
    assert not plan.full_pass  # its last run finished
    with pytest.raises(ClusterError, match="--refresh"):
        plan_crawl("unused.db", "rednet", refresh=True, history=RedisHistory(cluster))


def test_cluster_mode_is_a_setting(redis_url: str) -> None:
    assert history_for(Settings()) is None
    with pytest.raises(NotConfigured):
        ClusterAddon().update_settings(Settings())
    settings = Settings({"NEWSARCHIVE_CLUSTER": redis_url})
    ClusterAddon().update_settings(settings)
    assert settings["SCHEDULER"] == "crawler.clusterqueue.ClusterScheduler"
    assert settings["DUPEFILTER_CLASS"] == "scrapy_redis.dupefilter.RFPDupeFilter"
    assert settings.getbool("SCHEDULER_PERSIST")
    assert settings["REDIS_URL"] == redis_url
    assert isinstance(history_for(settings), RedisHistory)


@pytest.mark.parametrize("url", ["http://127.0.0.1:1/", "redis://127.0.0.1:1/0"])
def test_a_cluster_that_cannot_be_reached_is_one_clear_error(url: str) -> None:
    with pytest.raises(ClusterError, match="Redis"):
        Cluster(url).check()


@pytest.mark.parametrize(
    "body",
    [b"", "<p>\u6e58\u6c5f</p>".encode("gb18030"), bytes(range(256)), b'{"$bytes": "x"}'],
)
def test_a_message_keeps_a_captures_bytes_exact(body: bytes) -> None:
    """What a crawler hands the writer through Redis: a capture's body as it came, in
    whatever charset (or none), next to text in any script."""
    message = {"kind": "article", "seq": 3, "article": {"title": "湘江", "capture": {"body": body}}}
    again = decode_message(encode_message(message))
    assert again == message and isinstance(again["article"]["capture"]["body"], bytes)
