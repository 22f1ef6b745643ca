"""crawler.sections: which links start a section of their own, and what sitemaps hold."""

from __future__ import annotations

import gzip

import pytest

from crawler.sections import Sections, read_sitemap, robots_sitemaps, section_key

H = "http://www.lakeside.example.cn"


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (f"{H}/news/", f"{H}/news/index.html"),
        (f"{H}/news/", f"{H}/news/index_2.html"),
        (f"{H}/news/index.shtml", f"{H}/news/index_14.shtml"),
        (f"{H}/channel/8366.html", f"{H}/channel/8366_2.html"),
        (f"{H}/news/list.html", f"{H}/news/list_3.html"),
        (f"{H}/list.php?cat=3", f"{H}/list.php?cat=3&page=4"),
        (f"{H}/news/", "http://lakeside.example.cn/news/"),
    ],
)
def test_pages_of_one_section_share_its_key(first: str, second: str) -> None:
    assert section_key(first) == section_key(second)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (f"{H}/news/", f"{H}/notices/"),
        (f"{H}/node_12.htm", f"{H}/node_13.htm"),
        (f"{H}/class/12.html", f"{H}/class/13.html"),
        (f"{H}/list.php?cat=3", f"{H}/list.php?cat=4"),
    ],
)
def test_other_sections_have_other_keys(first: str, second: str) -> None:
    assert section_key(first) != section_key(second)


def test_a_section_is_entered_once() -> None:
    sections = Sections(depth=2)
    assert sections.claim(f"{H}/news/index.html")
    assert not sections.claim(f"{H}/news/index_3.html")
    assert sections.claim(f"{H}/notices/")
    assert sections.deeper(0) and sections.deeper(1) and not sections.deeper(2)


URLSET = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>http://www.lakeside.example.cn/notices/</loc></url>
  <url><loc>http://www.lakeside.example.cn/notices/content_7.html</loc><lastmod>2024-05-06</lastmod></url>
</urlset>"""
INDEX = b"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>http://www.lakeside.example.cn/sitemap_news.xml</loc></sitemap>
  <sitemap><loc>/sitemap_old.xml.gz</loc></sitemap>
</sitemapindex>"""


def test_a_urlset_gives_pages() -> None:
    entries = read_sitemap(URLSET, f"{H}/sitemap.xml", 1 << 20)
    assert entries.sitemaps == []
    assert entries.pages == [f"{H}/notices/", f"{H}/notices/content_7.html"]


def test_an_index_gives_sitemaps() -> None:
    entries = read_sitemap(INDEX, f"{H}/sitemap.xml", 1 << 20)
    assert entries.sitemaps == [f"{H}/sitemap_news.xml", f"{H}/sitemap_old.xml.gz"]
    assert entries.pages == []


def test_a_gzipped_sitemap_is_read_within_the_size_limit() -> None:
    assert (
        read_sitemap(gzip.compress(URLSET), f"{H}/s.xml.gz", 1 << 20).pages[1].endswith("_7.html")
    )
    with pytest.raises(ValueError, match="decompresses to over 100 bytes"):
        read_sitemap(gzip.compress(URLSET), f"{H}/s.xml.gz", 100)


@pytest.mark.parametrize(
    ("body", "why"),
    [
        (b"<html><body>Page not found</body></html>", "not a sitemap (<html>)"),
        (b"User-agent: *", "no XML"),
        (b"", "no XML"),
        (b"\x1f\x8bnot really gzip", "not a gzipped sitemap"),
    ],
)
def test_what_is_no_sitemap_says_so(body: bytes, why: str) -> None:
    with pytest.raises(ValueError, match=why.replace("(", r"\(").replace(")", r"\)")):
        read_sitemap(body, f"{H}/sitemap.xml", 1 << 20)


def test_the_sitemaps_robots_txt_names() -> None:
    text = b"User-agent: *\nDisallow: /private/\nSitemap: http://www.lakeside.example.cn/map.xml\n"
    assert robots_sitemaps(text, f"{H}/robots.txt") == [f"{H}/map.xml"]
    assert robots_sitemaps(b"User-agent: *\n", f"{H}/robots.txt") == []
