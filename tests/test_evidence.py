"""Metadata as a witness: it fills what the text lacks, says so, and never beats the text."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import pytest

from crawler.evidence import meta_date, weigh, weigh_listing

TZ = ZoneInfo("Asia/Shanghai")
TODAY = date(2025, 1, 1)


def article(**fields: object) -> dict:
    base = {
        "url": "http://x.example/a.html",
        "title": "T",
        "published_date": None,
        "published_at": None,
        "published_raw": None,
        "source_raw": None,
        "source": None,
        "problems": [],
    }
    return {**base, **fields}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-05-06 10:20", (date(2024, 5, 6), (10, 20, 0))),
        ("2024-05-06", (date(2024, 5, 6), None)),
        ("2024-05-06T02:20:00Z", (date(2024, 5, 6), (10, 20, 0))),
        ("2024-05-05T20:00:00-04:00", (date(2024, 5, 6), (8, 0, 0))),
        ("2024年5月6日", (date(2024, 5, 6), None)),
        ("soon", None),
    ],
)
def test_meta_date(value: str, expected: object) -> None:
    assert meta_date(value, TZ) == expected


def test_a_meta_date_fills_a_page_without_a_date_and_says_where_it_came_from() -> None:
    out = weigh(article(), {"date": ["pubdate", "2024-05-06 10:20"]}, tz=TZ, today=TODAY)
    assert out["published_date"] == "2024-05-06"
    assert out["published_at"] == "2024-05-06T10:20:00+08:00"
    assert out["published_raw"] == "meta pubdate: 2024-05-06 10:20"
    assert out["evidence"] == {"published_date": "meta pubdate"}
    assert out["problems"] == []


def test_the_date_line_wins_and_a_disagreement_is_a_problem() -> None:
    given = article(published_date="2024-05-07", published_raw="发布时间：2024-05-07")
    out = weigh(given, {"date": ["pubdate", "2024-05-06 10:20"]}, tz=TZ, today=TODAY)
    assert out["published_date"] == "2024-05-07"
    assert out["problems"] == [
        {
            "field": "published_date",
            "reason": "the page's date line and its metadata disagree",
            "value": "发布时间：2024-05-07 / meta pubdate: 2024-05-06 10:20",
        }
    ]


def test_an_implausible_meta_date_is_ignored() -> None:
    out = weigh(article(), {"date": ["pubdate", "2031-01-01"]}, tz=TZ, today=TODAY)
    assert out["published_date"] is None and out["problems"] == []


def test_a_meta_source_fills_a_page_that_names_none() -> None:
    out = weigh(article(), {"source": ["contentsource", " 某某日报 "]}, tz=TZ, today=TODAY)
    assert (out["source_raw"], out["evidence"]) == (
        "某某日报",
        {"source_raw": "meta contentsource"},
    )
    kept = weigh(
        article(source_raw="某某晚报"),
        {"source": ["contentsource", "某某日报"]},
        tz=TZ,
        today=TODAY,
    )
    assert kept["source_raw"] == "某某晚报" and "evidence" not in kept


def test_the_readers_problems_join_the_articles() -> None:
    problem = {"field": "encoding", "reason": "no charset declared; read as gb18030", "value": ""}
    out = weigh(article(), {}, [problem], tz=TZ, today=TODAY)
    assert out["problems"] == [problem]


def test_a_meta_author_the_page_shows_unlabelled_is_the_author() -> None:
    meta = {"author": ["author", "王明"]}
    text = "老渡口重新开放\n\n2024-05-06 王明\n\n正文第一段。"
    out = weigh(article(credits=[]), meta, tz=TZ, today=TODAY, text=text)
    assert out["credits"] == [{"role": "author", "name": "王明"}]
    assert out["evidence"] == {"credits": "meta author"}
    unseen = weigh(article(credits=[]), meta, tz=TZ, today=TODAY, text="老渡口重新开放\n\n正文。")
    assert unseen["credits"] == []
    credited = [{"role": "reporter", "name": "李华"}]
    kept = weigh(article(credits=credited), meta, tz=TZ, today=TODAY, text=text)
    assert kept["credits"] == credited


LISTED = {"date": "2024-05-03", "shown": "[05-03]", "listing": "http://x.example/list.html"}


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ({}, ("2024-05-03", "listing", "listing http://x.example/list.html: [05-03]")),
        (
            {"published_date": "2024-05-06", "published_raw": "2024-05-06",
             "published_from": "page"},
            ("2024-05-06", "page", "2024-05-06"),
        ),
        (
            {"published_date": "2024-05-06", "published_raw": "meta pubdate: 2024-05-06",
             "published_from": "meta"},
            ("2024-05-06", "meta", "meta pubdate: 2024-05-06"),
        ),
    ],
)  # fmt: skip
def test_the_listing_date_fills_only_a_missing_date(given: dict, expected: tuple) -> None:
    out = weigh_listing(article(**given), LISTED)
    assert (out["published_date"], out.get("published_from"), out["published_raw"]) == expected
    assert out["published_at"] is None


def test_no_listing_date_changes_nothing() -> None:
    assert weigh_listing(article(), None) == article()
    assert weigh_listing(article(), {"date": "", "shown": "", "listing": "x"}) == article()
