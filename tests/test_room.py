"""The reading room (`archive/room.py`, `archive/cells.py`, `archive/facets.py`, the templates)
as a real Datasette serves it, pages read the way a person reads them: what is written on
them and where their links lead. One test for each defect issue 15 lists."""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import lxml.html
import pytest
from datasette.app import Datasette

from archive import Archive
from archive.metadata import build_metadata

SITES = {"hengyang": "Hengyang Municipal People's Government (English)", "huasheng": "Huasheng"}
PAGE = (
    "<html><head><script src='http://cdn.example/a.js'></script></head><body>"
    "<h1>Riverside tea house reopens</h1><img src='http://cdn.example/p.jpg'>"
    "<p onclick='x()'>A wooden tea house on the bank has reopened.</p></body></html>"
)
TEA_HOUSE = {
    "url": "http://eng.hengyang.gov.cn/news/2021/0316/tea-house.html",
    "site": "hengyang",
    "lang": "en",
    "title": "Riverside Tea House Reopens",
    "body": "A wooden tea house on the bank has reopened.\n\nCarpenters restored its roof.",
    "published_date": "2021-03-16",
    "published_at": "2021-03-16T09:30:00+08:00",
    "source": "Hengyang Daily",
    "source_raw": "衡阳日报",
    "credits": [
        {"role": "reporter", "name": "Lin Qiao"},
        {"role": "translator", "name": "Mo Yuting"},
        {"role": "translator", "name": "Tang Wei"},
    ],
    "html": PAGE,
}
CHINESE = {
    "url": "https://hunan.voc.com.cn/article/202101/bus.html",
    "site": "huasheng",
    "lang": "zh",
    "title": "城际定制公交开通",
    "body": "本报讯（记者 林晓）今天上午，城际定制公交首发仪式在汽车站举行，乘客可以通过手机提前"
    "预约座位。该线路每天往返各六个班次，全程约五十分钟，票价与普通班车持平，车辆均为新能源客车。"
    "交通部门表示，株洲至长沙南站的班车下月开通。",
    "published_date": "2021-01-15",
    "credits": [{"role": "reporter", "name": "林晓"}],
}
AUGUST = {
    "url": "http://eng.hengyang.gov.cn/news/2019/0828/clean-up.html",
    "site": "hengyang",
    "lang": "en",
    "title": "Volunteers Clean Up the Riverbank",
    "body": "Volunteers collected plastic along the ferry landing.",
    "published_date": "2019-08-28",
    "credits": [],
}
FERRIES = [
    {
        "url": f"http://eng.hengyang.gov.cn/news/ferry/{n}.html",
        "site": "hengyang",
        "lang": "en",
        "title": f"Ferry Route {n} Opens",
        "body": f"The ferry route number {n} links two villages. Boats run hourly.",
        "published_date": f"2024-{1 + n % 12:02d}-10",
        "credits": [],
    }
    for n in range(24)
]


@pytest.fixture(scope="module")
def archive_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("room") / "news.db"  # not archive.db: served as /archive
    with Archive.open(path) as archive:
        archive.upsert_articles(copy.deepcopy([TEA_HOUSE, CHINESE, AUGUST, *FERRIES]))
        changed = {**copy.deepcopy(TEA_HOUSE), "body": TEA_HOUSE["body"] + "\n\nIt opens daily."}
        archive.upsert_articles([changed])
        moved = {**copy.deepcopy(changed), "url": "http://www.enghengyang.gov.cn/i300.html"}
        archive.upsert_articles([moved])
    return path


Fetch = Callable[..., list[httpx.Response]]


@pytest.fixture(scope="module")
def fetch(archive_path: Path) -> Fetch:
    def fetch(*urls: str, **options: Any) -> list[httpx.Response]:
        metadata = build_metadata(sites=SITES, file_database="news", **options)

        async def run() -> list[httpx.Response]:
            ds = Datasette([str(archive_path)], metadata=metadata, settings={"num_sql_threads": 3})
            return [await ds.client.get(url) for url in urls]

        return asyncio.run(run())

    return fetch


def page(fetch: Fetch, url: str, status: int = 200) -> lxml.html.HtmlElement:
    (response,) = fetch(url)
    assert response.status_code == status, (url, response.text[:500])
    return lxml.html.fromstring(response.text)


def text(element: lxml.html.HtmlElement, selector: str) -> list[str]:
    return [" ".join(e.text_content().split()) for e in element.cssselect(selector)]


def links(element: lxml.html.HtmlElement, selector: str) -> dict[str, str]:
    return {" ".join(a.text_content().split()): a.get("href") for a in element.cssselect(selector)}


def article_id(fetch: Fetch, title: str) -> int:
    (response,) = fetch(f"/archive/articles.json?_shape=array&title={title}")
    return int(response.json()[0]["id"])


# An article page


def test_the_article_page_reads_as_an_article(fetch: Fetch) -> None:
    tea = article_id(fetch, TEA_HOUSE["title"])
    doc = page(fetch, f"/archive/articles/{tea}")
    assert text(doc, "h1.article-title") == ["Riverside Tea House Reopens"]
    assert text(doc, ".article-when") == ["2021-03-16 09:30 (UTC+08:00)"]
    assert text(doc, ".article-site") == [SITES["hengyang"]]
    assert text(doc, ".article-source") == ["Source: Hengyang Daily (衡阳日报)"]
    assert text(doc, ".credit dt") == ["Reporter", "Translated by"]
    people = links(doc, ".credit a.person")
    assert list(people) == ["Lin Qiao", "Mo Yuting", "Tang Wei"]
    assert all(href.startswith("/archive/people/") for href in people.values())
    assert text(doc, ".article-body p") == [
        "A wooden tea house on the bank has reopened.",
        "Carpenters restored its roof.",
        "It opens daily.",
    ]
    assert links(doc, "a.original-url") == {TEA_HOUSE["url"]: TEA_HOUSE["url"]}
    assert list(links(doc, "a.other-url")) == ["http://www.enghengyang.gov.cn/i300.html"]
    assert "Version 1: Riverside Tea House Reopens" in text(doc, ".version summary")[0]
    assert links(doc, "a.captured-link") == {
        "The page as captured": f"/archive/articles/{tea}/captured"
    }


def test_the_article_stays_json(fetch: Fetch) -> None:
    tea = article_id(fetch, TEA_HOUSE["title"])
    (response,) = fetch(f"/archive/articles/{tea}.json?_shape=array")
    assert response.json()[0]["title"] == TEA_HOUSE["title"]


def test_the_reading_width_and_fonts(fetch: Fetch) -> None:
    (css,) = fetch("/-/static-plugins/newsarchive/reading.css")
    assert css.status_code == 200
    assert "max-width: 40em" in css.text and "WenQuanYi Micro Hei" in css.text
    chinese = article_id(fetch, CHINESE["title"])
    assert (
        page(fetch, f"/archive/articles/{chinese}").cssselect("article.article")[0].get("lang")
        == "zh"
    )


def test_a_translator_leads_to_their_page(fetch: Fetch) -> None:
    tea = article_id(fetch, TEA_HOUSE["title"])
    href = links(page(fetch, f"/archive/articles/{tea}"), ".credit a.person")["Mo Yuting"]
    person = page(fetch, href)
    assert text(person, "h1.person-name") == ["Mo Yuting"]
    assert text(person, ".person-role h2") == ["As translator"]
    assert links(person, ".article-list a") == {TEA_HOUSE["title"]: f"/archive/articles/{tea}"}


# The page as captured


def test_the_captured_page_is_framed_sandboxed(fetch: Fetch) -> None:
    tea = article_id(fetch, TEA_HOUSE["title"])
    doc = page(fetch, f"/archive/articles/{tea}/captured")
    (frame,) = doc.cssselect("iframe.captured-frame")
    assert frame.get("sandbox") == ""  # no allow-scripts, no allow-anything
    assert frame.get("src") == f"/archive/articles/{tea}/captured/page"
    assert TEA_HOUSE["url"] in text(doc, ".captured-note")[0]


def test_the_captured_page_runs_and_loads_nothing(fetch: Fetch) -> None:
    tea = article_id(fetch, TEA_HOUSE["title"])
    (response,) = fetch(f"/archive/articles/{tea}/captured/page")
    assert response.status_code == 200
    csp = response.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "img-src data:" in csp
    assert "A wooden tea house on the bank has reopened." in response.text
    assert "<script" not in response.text and "cdn.example" not in response.text
    assert "onclick" not in response.text


def test_an_article_without_a_capture_says_so(fetch: Fetch) -> None:
    chinese = article_id(fetch, CHINESE["title"])
    doc = page(fetch, f"/archive/articles/{chinese}")
    assert "The page itself was not stored." in text(doc, ".article-record li")
    (response,) = fetch(f"/archive/articles/{chinese}/captured")
    assert response.status_code == 404


# Links wherever an article or a person appears


@pytest.mark.parametrize(
    ("url", "column"),
    [
        ("/archive/articles", "title"),
        ("/archive/credits_flat", "title"),
        ("/archive/translations", "title"),
        ("/archive/person?name=Mo+Yuting", "title"),
        ("/archive/search?q=tea", None),
    ],
)
def test_every_article_title_links_to_its_page(fetch: Fetch, url: str, column: str | None) -> None:
    doc = page(fetch, url)
    selector = f"td.col-{column} a" if column else ".hit-title a"
    found = links(doc, selector)
    assert found, url
    assert all(href.startswith("/archive/articles/") for href in found.values()), found


@pytest.mark.parametrize(
    ("url", "column"),
    [
        ("/archive/translators", "translator"),
        ("/archive/translations", "translator"),
        ("/archive/credits_flat", "name"),
        ("/archive/credited", "name"),
        ("/archive/people", "name"),
    ],
)
def test_every_name_links_to_the_persons_page(fetch: Fetch, url: str, column: str) -> None:
    found = links(page(fetch, url), f"td.col-{column} a")
    assert "Mo Yuting" in found, url
    assert found["Mo Yuting"].startswith("/archive/people/")


# Browsing


def test_the_articles_table_shows_what_a_reader_scans(fetch: Fetch) -> None:
    doc = page(fetch, "/archive/articles")
    headers = [th.get("data-column") for th in doc.cssselect("table.rows-and-columns th")]
    assert headers == ["title", "published_date", "site", "source_id", "body"]
    tea_row = next(tr for tr in doc.cssselect("tbody tr") if "Riverside" in tr.text_content())
    (excerpt,) = text(tea_row, "td.col-body")
    assert excerpt.startswith("A wooden tea house")
    assert "It opens daily" not in excerpt or len(excerpt) < 200
    (full,) = fetch("/archive/articles.json?_shape=array&_size=1&title=" + TEA_HOUSE["title"])
    assert "body" in full.json()[0]  # the JSON keeps every column


def test_column_descriptions_are_behind_a_link(fetch: Fetch) -> None:
    doc = page(fetch, "/archive/articles")
    (details,) = doc.cssselect("details.column-descriptions-toggle")
    assert text(details, "summary") == ["About the columns"]
    assert "Headline" in details.text_content()
    assert doc.cssselect("dl.column-descriptions")[0].getparent() is details


@pytest.mark.parametrize("name", ["published_month", "published_year"])
def test_date_facets_are_in_date_order(fetch: Fetch, name: str) -> None:
    (response,) = fetch("/archive/articles.json?_extra=facet_results")
    values = [item["value"] for item in response.json()["facet_results"][name]["results"]]
    assert values == sorted(values, reverse=True)
    assert len(values) == len(set(values)) > 2


def test_the_database_page_leads_with_the_reading_room(fetch: Fetch) -> None:
    doc = page(fetch, "/archive")
    doors = links(doc, ".room-doors a")
    assert list(doors) == ["Search", "Browse", "People", "Articles per month"]
    headings = text(doc, "h2")
    assert headings.index("Tables") < headings.index("Internal tables")
    internal = doc.xpath("//h2[@id='internal']/following-sibling::div//h3/a/text()")
    assert {"crawl_runs", "rejects", "captures"} <= set(internal)  # payloads: hidden


def test_the_chart_is_drawn_wherever_its_query_is_opened(fetch: Fetch) -> None:
    doc = page(fetch, "/archive/articles_per_month")
    bars = doc.xpath("//*[local-name()='rect'][@data-month]")
    months = sorted({bar.get("data-month") for bar in bars})
    assert months[0] == "2019-08" and "2024-12" in months
    assert SITES["hengyang"] in text(doc, ".chart-legend li")[0]
    assert len({bar.get("fill") for bar in bars}) == 2  # two sites, two colours


# Searching


def search(fetch: Fetch, **params: str) -> lxml.html.HtmlElement:
    return page(fetch, "/archive/search?" + httpx.QueryParams(params).__str__())


def test_the_search_page_is_a_search_page(fetch: Fetch) -> None:
    doc = search(fetch)
    assert "Run SQL" not in doc.text_content() and "Custom SQL" not in doc.text_content()
    assert doc.cssselect("input[name=q]") and doc.cssselect("select[name=site]")
    options = text(doc, "select[name=site] option")
    assert options == ["All sites", SITES["hengyang"], SITES["huasheng"]]
    help_text = " ".join(text(doc, ".search-help li"))
    for operator in ('"Xiang River"', "tea -festival", "metro OR ferry", "2023-05"):
        assert operator in help_text


def test_a_result_count_and_a_second_page(fetch: Fetch) -> None:
    first = search(fetch, q="ferry")
    assert text(first, ".result-count") == ["25 articles match, best first; page 1 of 2."]
    assert len(first.cssselect(".hit")) == 20
    next_page = links(first, ".pages a.page-next")["Next →"]
    second = page(fetch, next_page)
    assert len(second.cssselect(".hit")) == 5
    assert second.cssselect("ol.hits")[0].get("start") == "21"
    titles = set(text(first, ".hit-title")) | set(text(second, ".hit-title"))
    assert len(titles) == 25


def test_minus_excludes_a_word(fetch: Fetch) -> None:
    found = text(search(fetch, q="ferry -route"), ".hit-title")
    assert found == [AUGUST["title"]]


def test_a_bad_date_gets_a_message_not_an_empty_result(fetch: Fetch) -> None:
    doc = search(fetch, q="ferry", date_from="2024-13")
    assert text(doc, ".search-problem") == [
        "From: '2024-13' is not a date: write 2023, 2023-05 or 2023-05-26."
    ]
    assert not doc.cssselect(".hit") and not doc.cssselect(".result-count")
    (response,) = fetch("/archive/search.json?q=ferry&date_to=soon")
    assert response.status_code == 400
    assert "To: 'soon' is not a date" in response.json()["error"]


def test_a_month_written_short_keeps_the_whole_month(fetch: Fetch) -> None:
    found = text(search(fetch, q="volunteers", date_from="2019-8", date_to="2019-8"), ".hit-title")
    assert found == [AUGUST["title"]]


def test_a_site_in_any_case_and_an_unknown_site(fetch: Fetch) -> None:
    assert text(search(fetch, q="volunteers", site="Hengyang"), ".hit-title") == [AUGUST["title"]]
    doc = search(fetch, q="volunteers", site="Nowhere")
    assert "The archive has no site 'Nowhere'" in text(doc, ".search-problem")[0]


def test_a_chinese_match_is_whole_in_its_snippet(fetch: Fetch) -> None:
    doc = search(fetch, q="长沙")
    (snippet,) = doc.cssselect(".hit .snippet")
    assert [mark.text for mark in snippet.cssselect("mark")] == ["长沙"]
    assert "株洲至长沙南站" in snippet.text_content()


def test_the_search_stays_json(fetch: Fetch) -> None:
    (response,) = fetch("/archive/search.json?q=ferry&page=2&_shape=array")
    rows = response.json()
    assert len(rows) == 5 and {row["matches"] for row in rows} == {25}
    assert all("<mark>ferry</mark>" in row["snippet"].lower() for row in rows)


# Public mode


def test_public_mode_hides_the_crawlers_tables(fetch: Fetch) -> None:
    tea = article_id(fetch, TEA_HOUSE["title"])
    responses = fetch(
        "/archive",
        "/archive/crawl_runs",
        "/archive/rejects.json",
        "/archive/captures",
        "/archive/payloads.json",
        "/archive/_sqlite_migrations",
        "/archive/latest_runs",
        f"/archive/articles/{tea}/captured/page",
        public=True,
    )
    database, *hidden, captured = responses
    assert [r.status_code for r in hidden] == [403] * 6
    assert captured.status_code == 200
    for name in ("crawl_runs", "rejects", "captures", "payloads", "Latest crawl runs"):
        assert name not in database.text
    shown = fetch("/archive/crawl_runs", public=True, show=("crawl_runs",))
    assert shown[0].status_code == 200
