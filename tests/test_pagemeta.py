"""Page metadata: the government-site tags, og/article tags and JSON-LD, checked for sense."""

from __future__ import annotations

import pytest

from crawler.pagemeta import is_person, read_meta
from crawler.reader import parse_html

GOV_HEAD = """<html><head><title>渡口重新开放 - 某某市人民政府门户网站</title>
<meta name="SiteName" content="某某市人民政府门户网站"><meta name="ColumnName" content="本地要闻">
<meta name="ArticleTitle" content="渡口重新开放"><meta name="PubDate" content="2024-05-06 10:20">
<meta name="ContentSource" content="某某日报"><meta name="Author" content="某某日报">
</head><body></body></html>"""
OG_HEAD = """<html><head><title>Ferry Runs Again | Example News</title>
<meta property="og:title" content="Ferry Runs Again">
<meta property="og:site_name" content="Example News">
<meta property="article:published_time" content="2024-05-06T02:20:00Z">
<meta name="author" content="Li Ming">
<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Ferry Runs Again",
 "datePublished": "2024-05-06T10:20:00+08:00", "author": [{"@type": "Person", "name": "Li Ming"}]}
</script></head><body></body></html>"""


def test_government_site_tags() -> None:
    meta = read_meta(parse_html(GOV_HEAD))
    assert meta.head_title == "渡口重新开放 - 某某市人民政府门户网站"
    assert meta.titles == ["渡口重新开放"]
    assert meta.date == ("pubdate", "2024-05-06 10:20")
    assert meta.source == ("contentsource", "某某日报")
    assert meta.site_name == "某某市人民政府门户网站"
    assert meta.column == "本地要闻"
    assert meta.author is None  # an outlet is nobody


def test_open_graph_and_json_ld() -> None:
    meta = read_meta(parse_html(OG_HEAD))
    assert meta.titles[:2] == ["Ferry Runs Again", "Ferry Runs Again"]
    assert meta.date == ("article:published_time", "2024-05-06T02:20:00Z")
    assert meta.author == ("author", "Li Ming")


def test_unreadable_json_ld_is_skipped() -> None:
    html = '<html><head><script type="application/ld+json">{broken</script></head></html>'
    assert read_meta(parse_html(html)).date is None


@pytest.mark.parametrize(
    ("name", "person"),
    [
        ("Li Ming", True),
        ("王明", True),
        ("网易", False),
        ("某某日报", False),
        ("12345", False),
        ("name, someone@example.com", False),
        ("Example Daily News", False),
        ("佚名", False),
        ("", False),
        ("Example News", False),
    ],
)
def test_is_person(name: str, person: bool) -> None:
    assert is_person(name, ("Example News",)) is person
