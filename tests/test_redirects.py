"""crawler.redirects: which article redirects the spider follows, and why it refuses others."""

from __future__ import annotations

import pytest

from crawler.redirects import Redirects
from crawler.sites import get

SITE = get("hengyang")  # two hosts: the old CMS and the new
OLD = "http://eng.hengyang.gov.cn/news/202001/t20200108_1.html"
NEW = "http://www.enghengyang.gov.cn/CurrentNews/20200108/i1.html"


def redirects(limit: int = 5) -> Redirects:
    return Redirects(SITE, limit)


@pytest.mark.parametrize(
    ("location", "target"),
    [
        (NEW, NEW),
        ("t20200108_2.html", "http://eng.hengyang.gov.cn/news/202001/t20200108_2.html"),
        (" /news/x.html?utm_source=wx#top ", "http://eng.hengyang.gov.cn/news/x.html"),
    ],
)
def test_follows_a_redirect_within_the_site(location: str, target: str) -> None:
    assert redirects().follow(OLD, location) == (target, "", ())


@pytest.mark.parametrize(
    ("location", "why"),
    [
        ("", "redirect without a Location"),
        ("javascript:void(0)", "redirects to 'javascript:void(0)', not an http(s) URL"),
        ("mailto:office@example.org", "not an http(s) URL"),
        ("http://eng.hengyang.gov.cn:99999/a.html", "redirects to an invalid URL"),
        ("http://[broken/a.html", "redirects to an invalid URL"),
        ("http://elsewhere.example.com/a.html", "off the site to http://elsewhere.example.com/"),
        ("http://en.yueyang.gov.cn/21730/content_1.html", "off the site to http://en.yueyang"),
        (OLD, f"redirect loop: {OLD} -> {OLD}"),
    ],
)
def test_refuses_a_redirect_and_says_why(location: str, why: str) -> None:
    target, problem, rejected = redirects().follow(OLD, location)
    assert target is None
    assert why in problem
    assert rejected == (OLD,)


def test_a_loop_is_caught_whichever_page_answers_first() -> None:
    """Both pages of a loop linked from a listing: each is fetched once, and the second
    answer closes the loop; both URLs are rejected."""
    graph = redirects()
    assert graph.follow(OLD, NEW)[0] == NEW
    target, problem, rejected = graph.follow(NEW, OLD)
    assert target is None
    assert problem == f"redirect loop: {OLD} -> {NEW} -> {OLD}"
    assert set(rejected) == {OLD, NEW}


def test_a_chain_longer_than_the_limit_is_refused_with_every_url_of_it() -> None:
    graph = redirects(limit=2)
    urls = [f"http://eng.hengyang.gov.cn/news/{n}.html" for n in range(5)]
    assert graph.follow(urls[0], urls[1])[0] == urls[1]
    assert graph.follow(urls[1], urls[2])[0] == urls[2]
    target, problem, rejected = graph.follow(urls[2], urls[3])
    assert target is None
    assert problem == "more than 2 redirects: " + " -> ".join(urls[:4])
    assert set(rejected) == set(urls[:3])


def test_a_refused_redirect_rejects_the_urls_that_led_to_it() -> None:
    graph = redirects()
    graph.follow(OLD, NEW)
    _, problem, rejected = graph.follow(NEW, "http://elsewhere.example.com/")
    assert "off the site" in problem
    assert set(rejected) == {OLD, NEW}
