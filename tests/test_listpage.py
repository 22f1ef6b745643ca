"""crawler.listpage: the links of a listing page with their kinds, and the date a listing
shows beside each article link (full, or without its year). The listings are written here."""

from __future__ import annotations

from datetime import date

import pytest
from parsel import Selector

from crawler.listpage import read
from crawler.sites import Site

HOST = "www.lakeside.example.cn"
SITE = Site(name="lakeside", title="Lakeside", hosts=(HOST,), homepage=f"http://{HOST}/")
URL = f"http://{HOST}/news/index.html"
TODAY = date(2025, 3, 10)


def links(body: str, *, css: str = "a[href]", context: date | None = None, url: str = URL):
    return read(
        url,
        Selector(text=f"<html><body>{body}</body></html>"),
        css,
        SITE,
        today=TODAY,
        context=context,
    )


def dated(body: str, **options: object) -> list[tuple[str, str | None]]:
    """(the link's last segment, its date) for each article link of the listing."""
    page = links(body, **options)  # type: ignore[arg-type]
    return [(link.url.rsplit("/", 1)[1], link.date) for link in page.of_kind("article")]


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        (
            '<li><a href="content_1.html">Ferry timetable</a><span>2024-05-06</span></li>',
            "2024-05-06",
        ),
        (
            '<li><span class="time">2024/5/6</span><a href="content_1.html">Ferry</a></li>',
            "2024-05-06",
        ),
        ('<li><a href="content_1.html">渡口新班次</a> 2024年5月6日</li>', "2024-05-06"),
        ('<li><a href="content_1.html">Ferry</a> (May 6, 2024)</li>', "2024-05-06"),
        (
            '<li><a href="content_1.html">Ferry</a><time datetime="2024-05-06">Monday</time></li>',
            "2024-05-06",
        ),
        (  # a table row: the date in a cell of its own
            '<table><tr><td><img src="dot.gif"></td><td><a href="content_1.html">Ferry</a></td>'
            "<td>\n 2024-05-06 \n</td></tr></table>",
            "2024-05-06",
        ),
        ('<li><a href="content_1.html">Ferry</a> [03-02]</li>', "2025-03-02"),  # this year
        (
            '<li><a href="content_1.html">Ferry</a> [12-30]</li>',
            "2024-12-30",
        ),  # after today: last year
        ('<li><a href="content_1.html">Ferry</a> <em>3月2日</em></li>', "2025-03-02"),
        ('<li><a href="content_1.html">Ferry</a> 02-28</li>', "2025-02-28"),
        ('<li><a href="content_1.html">Ferry</a> [02-30]</li>', None),  # no such day
        ('<li><a href="content_1.html">Ferry</a> 1985-01-01</li>', None),  # not plausible
        ('<li><a href="content_1.html">Ferry</a> 2025-04-01</li>', None),  # after tomorrow
        # the link's own words are its title, never its date
        ('<li><a href="content_1.html">The 2024-05-06 flood, a year on</a></li>', None),
        ('<li><a href="content_1.html">Ferry</a> 10:30 read 12 times</li>', None),
    ],
)
def test_the_date_beside_a_link(item: str, expected: str | None) -> None:
    assert dated(f"<ul>{item}</ul>") == [("content_1.html", expected)]


def test_a_month_folder_gives_a_yearless_date_its_year() -> None:
    item = '<li><a href="/news/202211/t20221130_5.html">Ferry</a> [11-30]</li>'
    assert dated(f"<ul>{item}</ul>") == [("t20221130_5.html", "2022-11-30")]


def test_yearless_dates_take_their_year_from_the_dates_before_them() -> None:
    """Newest first: after December comes the December of the year before, and the page
    after starts where this one ended."""
    items = "".join(
        f'<li><a href="content_{n}.html">Item {n}</a><span>[{day}]</span></li>'
        for n, day in enumerate(["03-09", "01-04", "12-28", "06-30", "01-02"], 1)
    )
    expected = ["2025-03-09", "2025-01-04", "2024-12-28", "2024-06-30", "2024-01-02"]
    page = links(f"<ul>{items}</ul>")
    assert [link.date for link in page.of_kind("article")] == expected
    assert page.last_date == date(2024, 1, 2)
    following = links(
        '<ul><li><a href="content_9.html">x</a> [11-15]</li></ul>', context=page.last_date
    )
    assert following.of_kind("article")[0].date == "2023-11-15"


def test_a_date_shared_by_several_links_belongs_to_none() -> None:
    body = (
        '<div class="day"><h3>2024-05-06</h3><ul><li><a href="content_1.html">One</a></li>'
        '<li><a href="content_2.html">Two</a></li></ul></div>'
    )
    assert dated(body) == [("content_1.html", None), ("content_2.html", None)]


def test_a_picture_link_and_a_title_link_to_one_article_share_its_item() -> None:
    body = (
        '<ul><li><a href="content_1.html"><img src="a.jpg"></a><a href="content_1.html">One</a>'
        "<span>2024-05-06</span></li></ul>"
    )
    assert dated(body) == [("content_1.html", "2024-05-06")]


def test_kinds_and_order() -> None:
    body = (
        '<a href="/">Home</a><a href="/news/">News</a><a href="content_1.html">One</a>'
        '<a href="http://elsewhere.example.org/content_2.html">Away</a>'
        '<a href="/files/report.pdf">Report</a><a href="content_1.html#top">One again</a>'
        '<a href="http://[broken/x.html">Broken</a>'
    )
    page = links(body)
    assert [(link.url, link.kind, link.rule) for link in page.links] == [
        (f"http://{HOST}/", "listing", "homepage"),
        (f"http://{HOST}/news/", "listing", "folder"),
        (f"http://{HOST}/news/content_1.html", "article", "content-id"),
        ("http://elsewhere.example.org/content_2.html", "other", "offsite"),
        (f"http://{HOST}/files/report.pdf", "other", "file"),
    ]
    assert [href for href, _ in page.invalid] == ["http://[broken/x.html"]


def test_only_the_selected_anchors() -> None:
    body = (
        '<div class="nav"><a href="/about/">About</a></div>'
        '<ul class="list"><li><a href="content_1.html">One</a></li></ul>'
    )
    assert [link.url for link in links(body, css="ul.list a").links] == [
        f"http://{HOST}/news/content_1.html"
    ]
