"""Which links are articles: every rule and refusal of crawler/urlkinds.py, on URLs of our
own making, the examples of issue 13 on the registered sites, and the sample listings."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urljoin

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from parsel import Selector

from crawler import sites
from crawler.sites import Listing, Site, host_of
from crawler.urlkinds import (
    ARTICLE,
    KINDS,
    LISTING,
    OTHER,
    REFUSALS,
    SHAPES,
    classify,
    is_article,
)

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
CORPUS_SETS = ("dev.jsonl", "dev2.jsonl", "html_dev.jsonl")


def site_of(host: str, *patterns: str) -> Site:
    """A throwaway site serving ``host``, with ``patterns`` as its listings' article regexes."""
    listings = tuple(Listing(url=f"http://{host}/", links="a", article=p) for p in patterns)
    return Site(name="test", title="Test", hosts=(host,), listings=listings, layouts=())


# (url, kind, rule), classified by shape alone (no site: every host is welcome).
CASES = [
    # files
    ("http://a.example.cn/uploads/plan.pdf", OTHER, "file"),
    ("http://a.example.cn/att/201905/W020190501.docx", OTHER, "file"),
    ("http://a.example.cn/att/table.XLS", OTHER, "file"),
    ("http://a.example.cn/att/slides.ppt", OTHER, "file"),
    ("http://a.example.cn/att/pack.zip?v=2", OTHER, "file"),
    ("http://a.example.cn/att/pack.rar", OTHER, "file"),
    ("http://a.example.cn/img/202001/t20200101_1.jpg", OTHER, "file"),
    ("http://a.example.cn/img/logo.png", OTHER, "file"),
    ("http://a.example.cn/video/river.mp4", OTHER, "file"),
    ("http://a.example.cn/audio/song.mp3", OTHER, "file"),
    # listings and navigation
    ("http://a.example.cn", LISTING, "homepage"),
    ("http://a.example.cn/", LISTING, "homepage"),
    ("http://a.example.cn/index.html", LISTING, "index"),
    ("http://a.example.cn/news/index_2.html", LISTING, "index"),
    ("http://a.example.cn/news/local/index.shtml", LISTING, "index"),
    ("http://a.example.cn/news/default.aspx", LISTING, "index"),
    ("http://a.example.cn/news/index.html?page=3", LISTING, "index"),
    ("http://a.example.cn/2023-05-26/short-name/index.html", LISTING, "index"),
    ("http://a.example.cn/class/123.html", LISTING, "section"),
    ("http://a.example.cn/channel/4455.html", LISTING, "section"),
    ("http://a.example.cn/col/col3344/index.html", LISTING, "index"),
    ("http://a.example.cn/col/col3344/", LISTING, "section"),
    ("http://a.example.cn/news/list_2.html", LISTING, "list"),
    ("http://a.example.cn/news/newslist.html", LISTING, "list"),
    ("http://a.example.cn/list.aspx?cid=7", LISTING, "list"),
    ("http://a.example.cn/index.php?m=content&c=index&a=lists&catid=8", LISTING, "index"),
    ("http://a.example.cn/list.php?catid=8&a=lists", LISTING, "list"),
    ("http://a.example.cn/news/more.html", LISTING, "more"),
    ("http://a.example.cn/xwzx/node_5566.htm", LISTING, "node"),
    ("http://a.example.cn/news/", LISTING, "folder"),
    ("http://a.example.cn/news/local/", LISTING, "folder"),
    ("http://a.example.cn/2021/05/", LISTING, "folder"),
    ("http://a.example.cn/news/202105/", LISTING, "folder"),
    # article shapes
    ("http://a.example.cn/xw/bmdt/201812/t20181206_123.html", ARTICLE, "trs"),
    ("http://a.example.cn/xw/201812/t20181206_123456.htm", ARTICLE, "trs"),
    ("http://a.example.cn/x/202101/t20210105_9.shtml", ARTICLE, "trs"),
    ("http://a.example.cn/News/Local/20210105/i778899.html", ARTICLE, "dated-folder"),
    ("http://a.example.cn/c10203/20210105/i778899.html", ARTICLE, "dated-folder"),
    ("http://a.example.cn/news/202101/33445566.html", ARTICLE, "dated-folder"),
    ("http://a.example.cn/article/202101/202101050830123456.html", ARTICLE, "dated-folder"),
    (
        "http://a.example.cn/zw/202101/0a1b2c3d4e5f60718293a4b5c6d7e8f9.shtml",
        ARTICLE,
        "dated-folder",
    ),
    ("http://a.example.cn/rb/202101/05/c4455.html", ARTICLE, "dated-folder"),
    ("http://a.example.cn/content/2021/01/05/7788990.html", ARTICLE, "dated-path"),
    ("http://a.example.cn/c/2012/03/04/556677.htm", ARTICLE, "dated-path"),
    ("http://a.example.cn/art/2021/1/5/art_1122_3344556.html", ARTICLE, "dated-path"),
    ("http://a.example.cn/2021-01/05/content_3344556.htm", ARTICLE, "dated-path"),
    ("http://a.example.cn/html/2021-01/05/content_11_22.htm", ARTICLE, "dated-path"),
    ("http://a.example.cn/2021-01/05/c_1122334.htm", ARTICLE, "dated-path"),
    ("http://a.example.cn/n3/2021/0105/c9000-1122334.html", ARTICLE, "dated-path"),
    ("http://a.example.cn/news/2021-01-05/5566.html", ARTICLE, "dated-path"),
    ("http://a.example.cn/sh/2021/01-05/5566778.shtml", ARTICLE, "dated-path"),
    ("http://a.example.cn/2021/01/05/city-opens-a-new-river-park/", ARTICLE, "dated-path"),
    ("http://a.example.cn/content/646700/12/11223344.html", ARTICLE, "content-channel"),
    ("http://a.example.cn/21001/content_123456.html", ARTICLE, "content-id"),
    ("http://a.example.cn/21001/content_123456_2.htm", ARTICLE, "content-id"),
    ("http://a.example.cn/cityinfo/citynews/content_123456", ARTICLE, "content-id"),
    ("http://a.example.cn/news/0a1b2c3d4e5f60718293a4b5c6d7e8f9.shtml", ARTICLE, "hex-id"),
    ("http://a.example.cn/d/0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9.html", ARTICLE, "hex-id"),
    (
        "http://a.example.cn/news/0a1b2c3d4e5f60718293a4b5c6d7e8f9/index.html",
        ARTICLE,
        "article-folder",
    ),
    (
        "http://a.example.cn/news/a-new-bridge-opens-over-the-river-Xy12/index.html",
        ARTICLE,
        "article-folder",
    ),
    ("http://a.example.cn/dy/article/AB12CD34EF56GH78.html", ARTICLE, "alnum-id"),
    ("http://a.example.cn/detail/abc", ARTICLE, "detail"),
    ("http://a.example.cn/index/news/detail/id/42.html", ARTICLE, "detail"),
    ("http://a.example.cn/p/42.html", ARTICLE, "post-id"),
    ("http://a.example.cn/hk/article/4455", ARTICLE, "post-id"),
    ("http://a.example.cn/news/a-new-bridge-opens-over-the-river/", ARTICLE, "slug"),
    ("http://a.example.cn/cs/202089.html", ARTICLE, "numeric-id"),
    ("http://a.example.cn/xw/5566.html", ARTICLE, "numeric-id"),
    ("http://a.example.cn/tzgg/i445566.html", ARTICLE, "numeric-id"),
    ("http://a.example.cn/info/show-2-3344.html", ARTICLE, "numeric-id"),
    ("http://a.example.cn/yw/5566s778899.htm", ARTICLE, "numeric-id"),
    ("http://a.example.cn/metro/33445566/", ARTICLE, "numeric-id"),
    ("http://a.example.cn/info/3344.html?cid=2", ARTICLE, "numeric-id"),
    ("http://a.example.cn/info/show.asp?id=8", ARTICLE, "query-id"),
    ("http://a.example.cn/view.php?cid=2&tid=4455", ARTICLE, "query-id"),
    ("http://a.example.cn/News/Detail?id=55&categoryId=3", ARTICLE, "query-id"),
    ("http://a.example.cn/article.jsp?artid=9", ARTICLE, "query-id"),
    ("http://a.example.cn/index.php?m=content&c=index&a=show&catid=8&id=4455", ARTICLE, "query-id"),
    # a later page of a section without extensions; an article's id is not a page number
    ("http://a.example.cn/cityinfo/citynews_2", LISTING, "section-page"),
    ("http://a.example.cn/work/county_news_12/", LISTING, "folder"),
    ("http://a.example.cn/cityinfo/content_12", ARTICLE, "content-id"),
    ("http://a.example.cn/cityinfo/citynews_123456", ARTICLE, "numeric-id"),
    # neither
    ("http://a.example.cn/about/contact.html", OTHER, "no-match"),
    ("http://a.example.cn/cityinfo/citynews", OTHER, "no-match"),
    ("http://a.example.cn/search?q=river", OTHER, "no-match"),
    ("http://a.example.cn/news/202105", OTHER, "no-match"),
    ("javascript:void(0)", OTHER, "not-http"),
    ("mailto:office@a.example.cn", OTHER, "not-http"),
    ("ftp://a.example.cn/x/201801/t20180101_1.html", OTHER, "not-http"),
    ("http://[::1/x.html", OTHER, "invalid"),
    ("http:///x/201801/t20180101_1.html", OTHER, "invalid"),
    ("not a url", OTHER, "invalid"),
    ("", OTHER, "invalid"),
]


@pytest.mark.parametrize(("url", "kind", "rule"), CASES)
def test_shape(url: str, kind: str, rule: str) -> None:
    assert classify(url, None) == (kind, rule)


def test_every_rule_decides_a_case_above() -> None:
    rules = {rule.name for rule in (*REFUSALS, *SHAPES)}
    assert rules - {rule for _, _, rule in CASES} == set()


# The examples of issue 13, on the sites that serve them (ids of our own).
SITE_EXAMPLES = [
    (
        "https://english.rednet.cn/content/646712/58/11223344.html",
        "rednet",
        ARTICLE,
        "content-channel",
    ),
    ("https://english.rednet.cn/content/2022/07/20/556677.html", "rednet", ARTICLE, "site"),
    ("https://english.rednet.cn/channel/8366.html", "rednet", LISTING, "section"),
    ("http://hunan.voc.com.cn/news/202405/31415926.html", "huasheng", ARTICLE, "dated-folder"),
    ("http://hunan.voc.com.cn/class/123.html", "huasheng", LISTING, "section"),
    ("http://hunan.voc.com.cn/news/index_2.html", "huasheng", LISTING, "index"),
    (
        "http://eng.hengyang.gov.cn/CurrentNews/Local/20240101/i1234567.html",
        "hengyang",
        ARTICLE,
        "dated-folder",
    ),
    (
        "http://eng.hengyang.gov.cn/c11223/20240101/i1234567.html",
        "hengyang",
        ARTICLE,
        "dated-folder",
    ),
    ("http://eng.hengyang.gov.cn/xw/201812/t20181206_2700000.html", "hengyang", ARTICLE, "site"),
    ("http://eng.hengyang.gov.cn/xw/index_2.html", "hengyang", LISTING, "index"),
    ("http://www.hengyang.gov.cn/xw/201812/t20181206_1.html", "hengyang", OTHER, "offsite"),
    ("http://en.yueyang.gov.cn/21730/content_1234567.html", "yueyang", ARTICLE, "site"),
    ("http://en.yueyang.gov.cn/21732/content_7654321.html", "yueyang", ARTICLE, "site"),
    ("http://en.yueyang.gov.cn/21730/index_2.html", "yueyang", LISTING, "index"),
    ("http://enghunan.gov.cn/hneng/News/202001/t20200101_123.html", "hunan", ARTICLE, "site"),
    ("http://www.enghunan.gov.cn/hneng/News/Localnews/", "hunan", LISTING, "folder"),
    # the sites of "More of Hunan"
    ("https://eng.changde.gov.cn/aboutchangde/citynews/content_612345", "changde", ARTICLE, "site"),
    ("https://eng.changde.gov.cn/aboutchangde/citynews_3", "changde", LISTING, "section-page"),
    (
        "http://eng.huaihua.gov.cn/enghuaihua/c100200/202401/0a1b2c3d4e5f60718293a4b5c6d7e8f9.shtml",
        "huaihua",
        ARTICLE,
        "site",
    ),
    ("http://eng.huaihua.gov.cn/enghuaihua/c100200/list_2.shtml", "huaihua", LISTING, "list"),
    (
        "https://hunan.gov.cn/hnszf/hnyw/zwdt/202401/t20240105_1234567.html",
        "hunan_gov",
        ARTICLE,
        "site",
    ),
    ("http://wjw.hunan.gov.cn/xxgk/gzdt/zyxw_1/index_3.html", "hunan_gov", LISTING, "index"),
    ("https://hn.rednet.cn/m/content/646700/12/11223344.html", "rednet_zh", ARTICLE, "site"),
    ("https://hy.rednet.cn/content/2021/06/01/5566778.html", "rednet_zh", ARTICLE, "site"),
    ("http://yy.voc.com.cn/view.php?tid-4455-cid-66.html", "voc_cities", ARTICLE, "site"),
    ("http://yy.voc.com.cn/wx/view.php?topic=7&cid=66&tid=4455", "voc_cities", ARTICLE, "query-id"),
    ("https://hy.voc.com.cn/view.php?tid=4455&cid=66", "voc_cities", ARTICLE, "site"),
    ("https://hy.voc.com.cn/list.php?cid=66", "voc_cities", LISTING, "list"),
    ("https://hunantoday.cn/news/xhn/202401/12345678.html", "hunantoday", ARTICLE, "site"),
]


@pytest.mark.parametrize(("url", "name", "kind", "rule"), SITE_EXAMPLES)
def test_issue_13_example(url: str, name: str, kind: str, rule: str) -> None:
    assert classify(url, sites.get(name)) == (kind, rule)
    assert is_article(url, sites.get(name)) == (kind == ARTICLE)


def test_rednet_form_on_another_rednet_host() -> None:
    """hn.rednet.cn (site rednet_zh) uses the same /content/<channel>/<nn>/<id>.html."""
    url = "http://hn.rednet.cn/content/646733/61/22334455.html"
    assert classify(url, site_of("hn.rednet.cn")) == (ARTICLE, "content-channel")
    assert classify(url, sites.get("rednet_zh")) == (ARTICLE, "site")
    assert classify(url, sites.get("rednet")) == (OTHER, "offsite")


def test_www_or_not_is_the_same_host() -> None:
    site = site_of("www.a.example.cn")
    assert classify("http://a.example.cn/x/201801/t20180101_1.html", site) == (ARTICLE, "trs")
    assert classify("http://b.example.cn/x/201801/t20180101_1.html", site) == (OTHER, "offsite")


def test_the_site_pattern_only_adds_articles() -> None:
    site = site_of("a.example.cn", r"/special/[a-z]+\.html$", r"/news/index\.html$")
    assert classify("http://a.example.cn/special/river.html", site) == (ARTICLE, "site")
    assert classify("http://a.example.cn/special/river.html#top", site) == (ARTICLE, "site")
    assert classify("http://a.example.cn/news/index.html", site) == (LISTING, "index")
    assert classify("http://a.example.cn/special/river.pdf", site) == (OTHER, "file")
    assert classify("http://a.example.cn/special/river.html", None) == (OTHER, "no-match")


def sample_links(site: Site) -> list[str]:
    """Every link on the site's sample pages (whatever their extension, if any), absolute."""
    links = []
    for host in site.hosts:
        folder = sites.SAMPLES_DIR / host
        pages = [path for path in folder.rglob("*") if path.is_file()] if folder.is_dir() else []
        for page in sorted(pages):
            if page.name in ("robots.txt", "_replay.json") or page.suffix == ".gz":
                continue
            base = f"http://{host}/{page.relative_to(folder).as_posix()}"
            html = page.read_bytes().decode("utf-8", "replace")
            hrefs = Selector(html).xpath("//a/@href").getall()
            links += [urljoin(base, href.strip()).partition("#")[0] for href in hrefs]
    return links


@pytest.mark.parametrize("site", sites.all_sites(), ids=lambda site: site.name)
def test_sample_pages_hold_the_articles_the_site_pattern_finds(site: Site) -> None:
    """On every link of the sample pages, the recognizer and the site's own patterns agree:
    it adds no navigation link and loses no article the spider crawls today."""
    patterns = [re.compile(listing.article) for listing in site.listings]
    links = sample_links(site)
    assert links
    disagree = [
        url for url in links if is_article(url, site) != any(p.search(url) for p in patterns)
    ]
    assert not disagree


def corpus_urls() -> list[str]:
    urls = set()
    for name in CORPUS_SETS:
        with (CORPUS / name).open(encoding="utf-8") as lines:
            urls.update(json.loads(line)["url"] for line in lines if line.strip())
    return sorted(url for url in urls if host_of(url) != "unknown.invalid")


@pytest.mark.skipif(not (CORPUS / CORPUS_SETS[0]).is_file(), reason="no corpus at ../shared")
def test_real_article_urls_are_articles(capsys: pytest.CaptureFixture[str]) -> None:
    """The real URLs of the corpus are article pages: each is an article of a site whose
    only host is the URL's own (run with -s to see the rate and the misses)."""
    urls = corpus_urls()
    misses = [(url, classify(url, site_of(host_of(url)))) for url in urls]
    misses = [(url, verdict) for url, verdict in misses if verdict.kind != ARTICLE]
    with capsys.disabled():
        print(f"\n{len(urls) - len(misses)} of {len(urls)} real article URLs are articles")
        for url, verdict in misses:
            print(f"  miss: {url} {verdict.kind} {verdict.rule}")
    assert len(misses) <= len(urls) // 100


@settings(max_examples=300, deadline=1000)
@given(st.text())
def test_any_text_gets_an_answer(text: str) -> None:
    kind, rule = classify(text, None)
    assert kind in KINDS and rule
    assert classify(f"http://a.example.cn/{text}", site_of("a.example.cn")).kind in KINDS
