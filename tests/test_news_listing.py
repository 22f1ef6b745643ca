"""The news spider's listing logic, on pages written here: which requests a listing page
yields (articles with the date beside their link, sections, the next page), in which order
a site's start requests come, and which failed listing requests are no rejects."""

from __future__ import annotations

import asyncio

import pytest
from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.test import get_crawler
from twisted.python.failure import Failure

from crawler.incremental import CrawlPlan
from crawler.items import Reject
from crawler.sites import Listing, Site
from crawler.spiders.news import LISTED, NewsSpider, Walk, spider_for

HOST = "www.harbour.example.cn"
BASE = f"http://{HOST}"
NAMED = Listing(f"{BASE}/news/", links="ul.list a")
SITE = Site(
    name="harbour",
    title="Harbour (a test site)",
    hosts=(HOST,),
    homepage=f"{BASE}/",
    listings=(NAMED,),
    discover=True,
)
LISTING = f"""<html><body>
<div class="nav"><a href="/">Home</a> <a href="/notices/">Notices</a>
<a href="/a.pdf">Form</a></div>
<ul class="list">
<li><a href="{BASE}/news/content_1.html">Pier reopens</a> <span>2024-05-06</span></li>
<li><a href="{BASE}/news/content_2.html">Market moves</a></li>
<li><a href="{BASE}/news/content_3.html">Known story</a> <span>2024-05-01</span></li>
</ul>
<p><a href="index_1.html">下一页</a></p>
</body></html>"""


def spider(site: Site = SITE, known: frozenset[str] = frozenset()) -> NewsSpider:
    crawler = get_crawler(spider_for(site), {"ARCHIVE_PATH": "/nonexistent/archive.db"})
    made: NewsSpider = crawler.spidercls.from_crawler(crawler)
    made.plan = CrawlPlan(skip=known, full_pass=True)
    made.sections.depth = 2
    return made


def start_requests(made: NewsSpider) -> list[Request]:
    async def collect() -> list[Request]:
        return [request async for request in made.start()]

    return asyncio.run(collect())


def test_the_named_sections_come_first_then_the_homepage_and_robots() -> None:
    requests = start_requests(spider())
    assert [(r.url, r.priority) for r in requests] == [
        (f"{BASE}/news/", 10),
        (f"{BASE}/", 5),
        (f"{BASE}/robots.txt", 5),
    ]


def test_a_site_that_names_its_sections_finds_none() -> None:
    plain = Site(name="plain", title="Plain", hosts=(HOST,), homepage=f"{BASE}/", listings=(NAMED,))
    assert [r.url for r in start_requests(spider(plain))] == [f"{BASE}/news/"]


def test_a_listing_page_yields_its_new_articles_sections_and_next_page() -> None:
    made = spider(known=frozenset({f"{BASE}/news/content_3.html"}))
    made.sections.claim(NAMED.url)
    made.sections.claim(SITE.homepage)  # as start() does
    response = HtmlResponse(f"{BASE}/news/", body=LISTING.encode(), encoding="utf-8")
    walk = Walk(Listing(f"{BASE}/news/"))  # all its anchors
    requests = [r for r in made.parse_listing(response, walk) if isinstance(r, Request)]
    articles = {r.url: r.meta.get(LISTED) for r in requests if r.callback == made.parse_article}
    assert articles == {
        f"{BASE}/news/content_1.html": {
            "date": "2024-05-06",
            "shown": "2024-05-06",
            "listing": f"{BASE}/news/",
        },
        f"{BASE}/news/content_2.html": None,
    }
    listings = [(r.url, r.cb_kwargs["walk"].depth) for r in requests if r.url not in articles]
    assert listings == [(f"{BASE}/notices/", 1), (f"{BASE}/news/index_1.html", 0)]
    stats = made.crawler.stats.get_stats()
    assert (stats["newsarchive/links/article"], stats["newsarchive/links/other"]) == (3, 1)
    assert stats["newsarchive/links/listing"] == 3  # the homepage, the notices, the next page
    assert stats["newsarchive/paging/next-text"] == 1


def failure(exception: Exception, request: Request) -> Failure:
    failed = Failure(exception)
    failed.request = request  # type: ignore[attr-defined]
    return failed


def listing_request(made: NewsSpider, walk: Walk) -> Request:
    return made.listing_request(walk.listing.url, walk, 5)


def not_found(request: Request, status: int = 404) -> HttpError:
    return HttpError(HtmlResponse(request.url, status=status, request=request), "not found")


@pytest.mark.parametrize("status", [404, 301])
def test_a_guessed_page_that_is_missing_ends_its_section(status: int) -> None:
    made = spider()
    request = listing_request(made, Walk(Listing(f"{BASE}/news/index_4.html"), probe=True))
    assert list(made.listing_failed(failure(not_found(request, status), request))) == []
    assert made.listing_errors == []
    assert made.crawler.stats.get_value("newsarchive/paging/probe_end") == 1


def test_a_found_section_robots_txt_forbids_is_no_reject() -> None:
    made = spider()
    request = listing_request(made, Walk(Listing(f"{BASE}/private/"), depth=1))
    assert (
        list(made.listing_failed(failure(IgnoreRequest("Forbidden by robots.txt"), request))) == []
    )
    assert made.crawler.stats.get_value("newsarchive/robots_forbidden") == 1


def test_a_named_section_that_is_missing_is_a_reject() -> None:
    made = spider()
    request = listing_request(made, Walk(NAMED))
    rejects = list(made.listing_failed(failure(not_found(request), request)))
    assert rejects == [Reject(NAMED.url, "harbour", "fetch", "HTTP 404")]
    assert made.listing_errors == [f"listing {NAMED.url}: HTTP 404"]
