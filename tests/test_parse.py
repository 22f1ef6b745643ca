"""The page parser: site layouts as hints and the generic reading (paging: test_paging)."""

from __future__ import annotations

import pytest

from crawler.parse import ParseError, parse_page
from crawler.sites import Layout, Listing, Site

SITE = Site(
    name="example",
    title="Example City",
    hosts=("en.example.gov.cn",),
    listings=(Listing(url="http://en.example.gov.cn/news/", links="ul.list a", article=r"/t\d+"),),
    layouts=(
        Layout(
            name="2024",
            title="h1.title",
            meta=".info",
            body="#content",
            tail=".credits",
            drop=".share, script",
            since="2024-01",
        ),
        Layout(name="2016", title="div.tit", meta="div.date", body="div.TRS_Editor"),
    ),
)

PAGE_2024 = """<html><body><nav><a>Home</a><a>News</a></nav>
<h1 class="title">Riverside park opens</h1>
<div class="info">From:Example Daily | Date Add in:2024-03-02 09:15:00 [A A]</div>
<div id="content"><p>The park opened on Saturday.</p><div class="share">Share to WeChat</div>
<p>It has <b>three</b> gardens.<br>And a pier.</p><script>track()</script></div>
<div class="credits">Translated by Li Ming</div>
<footer>Sponsored by Example City ICP NO: 123</footer></body></html>"""

PAGE_2016 = """<html><body><div class="tit">Old style page</div><div class="date">2016-05-04</div>
<div class="TRS_Editor"><p>First paragraph of the old page.</p></div></body></html>"""

PAGE_REDESIGNED = """<html><head><title>Fallback title</title></head><body>
<div class="menu"><p>Home</p></div><main><h1>Brand new layout</h1>
<div class="txt"><p>A long first paragraph that says what happened in the city this week.</p>
<p>A second paragraph with more detail about the event and the people there.</p></div>
</main></body></html>"""


def test_newest_layout_reads_title_meta_body_and_tail() -> None:
    raw = parse_page(SITE, "http://en.example.gov.cn/news/t1.html", PAGE_2024)
    assert raw.title == "Riverside park opens"
    assert raw.meta == ["From:Example Daily | Date Add in:2024-03-02 09:15:00 [A A]"]
    assert raw.paragraphs == [
        "The park opened on Saturday.",
        "It has three gardens.",
        "And a pier.",
    ]
    assert raw.tail == ["Translated by Li Ming"]
    assert raw.extraction == "selectors:2024"
    assert "Home" not in raw.text and "Sponsored" not in raw.text and "WeChat" not in raw.text


def test_older_layout_is_tried_next() -> None:
    raw = parse_page(SITE, "http://en.example.gov.cn/news/t2.html", PAGE_2016)
    assert (raw.title, raw.meta, raw.extraction) == (
        "Old style page",
        ["2016-05-04"],
        "selectors:2016",
    )


def test_redesign_falls_back_to_generic_extraction_and_is_flagged() -> None:
    raw = parse_page(SITE, "http://en.example.gov.cn/news/t3.html", PAGE_REDESIGNED)
    assert raw.extraction == "generic"
    assert raw.title == "Brand new layout"
    assert raw.paragraphs[0].startswith("A long first paragraph")


def test_page_without_article_is_a_parse_error() -> None:
    with pytest.raises(ParseError):
        parse_page(SITE, "http://en.example.gov.cn/news/t4.html", "<html><p>tiny</p></html>")


def test_text_is_title_meta_body_tail_in_page_order() -> None:
    raw = parse_page(SITE, "http://en.example.gov.cn/news/t1.html", PAGE_2024)
    assert raw.text.split("\n\n") == [raw.title, *raw.meta, *raw.paragraphs, *raw.tail]


def test_an_article_link_that_is_not_a_page_is_a_parse_reject() -> None:
    from scrapy.http import Response

    from crawler.items import Reject
    from crawler.spiders.news import SPIDERS

    spider = SPIDERS["yueyang"]()
    url = "http://en.yueyang.gov.cn/21730/content_1.html"
    pdf = Response(url, body=b"%PDF-1.7", headers={"Content-Type": "application/pdf"})
    assert list(spider.parse_article(pdf)) == [
        Reject(url, "yueyang", "parse", "not a text page (application/pdf)")
    ]
