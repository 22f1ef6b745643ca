"""What the reading room reads (`archive/reading.py`): an article with its credits by role,
a person's credits, the page as captured through its one function."""

from __future__ import annotations

import copy
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from archive import Archive, reading
from archive.reading import captured_html
from tests.test_room import CHINESE, TEA_HOUSE

from .captured import article, fetched

URL = "http://en.lakeside.gov.cn/news/content_1.html"
MOVED = "http://new.lakeside.gov.cn/news/content_1.html"
STORY = article(URL, "lakeside", "Lantern Fair", "Lanterns line the river.", "2024-02-10")
GBK_PAGE = "<html><body><h1>灯会</h1><p>河边挂满灯笼。</p></body></html>"


def test_the_html_is_that_of_the_capture_the_article_was_read_from(tmp_path: Path) -> None:
    with Archive.open(tmp_path / "archive.db") as archive:
        served = [["Content-Type", "text/html; charset=gbk"]]
        body = GBK_PAGE.encode("gb18030")
        archive.upsert_articles(
            [fetched(STORY, body, "2024-02-10T01:00:00+00:00", headers=served, encoding="gb18030")]
        )
        archive.add_aliases([(MOVED, URL)])
        assert captured_html(archive.db, URL) == GBK_PAGE
        assert captured_html(archive.db, MOVED) == GBK_PAGE  # another URL of the article
        assert captured_html(archive.db, URL + "?other") is None
        newer = "<html><body><h1>灯会</h1><p>灯会延期。</p></body></html>"
        changed = {**STORY, "body": "The fair is put off."}
        archive.upsert_articles(
            [
                fetched(
                    changed,
                    newer.encode("gb18030"),
                    "2024-02-11T01:00:00+00:00",
                    headers=served,
                    encoding="gb18030",
                )
            ]
        )
        assert captured_html(archive.db, URL) == newer
    with sqlite3.connect(tmp_path / "archive.db") as conn:  # what Datasette hands a plugin
        assert captured_html(conn, URL) == newer


@pytest.fixture
def conn(tmp_path: Path) -> sqlite3.Connection:
    path = tmp_path / "archive.db"
    with Archive.open(path) as archive:
        archive.upsert_articles(copy.deepcopy([TEA_HOUSE, CHINESE]))
    connection = sqlite3.connect(path)
    connection.row_factory = sqlite3.Row  # as Datasette's connections have it
    return connection


def test_an_article_with_its_credits_by_role(conn: sqlite3.Connection) -> None:
    with closing(conn):
        found = reading.article(conn, 1)
        assert found is not None
        assert [(c.label, [p["name"] for p in c.people]) for c in found.credits] == [
            ("Reporter", ["Lin Qiao"]),
            ("Translated by", ["Mo Yuting", "Tang Wei"]),
        ]
        assert found.row["source_name"] == "Hengyang Daily"
        assert found.when == "2021-03-16 09:30 (UTC+08:00)"
        assert found.paragraphs == TEA_HOUSE["body"].split("\n\n")
        assert found.captured_url == TEA_HOUSE["url"]
        assert reading.article(conn, 99) is None


def test_a_person_and_everything_credited(conn: sqlite3.Connection) -> None:
    with closing(conn):
        mo = reading.person_id(conn, "Mo Yuting")
        assert mo is not None
        found = reading.person(conn, mo)
        assert found is not None and found.name == "Mo Yuting" and found.count == 1
        assert [(role, [a["title"] for a in items]) for role, items in found.roles] == [
            ("translator", [TEA_HOUSE["title"]])
        ]
        assert reading.person_id(conn, "Nobody") is None


def test_the_captured_page_and_none(conn: sqlite3.Connection) -> None:
    with closing(conn):
        assert reading.captured_html(conn, TEA_HOUSE["url"]) == TEA_HOUSE["html"]
        assert reading.captured_html(conn, CHINESE["url"]) is None
        assert reading.capture(conn, 2) is None
        conn.execute("update payloads set body_z = ?", [b"not zlib"])
        assert reading.captured_html(conn, TEA_HOUSE["url"]) is None  # logged, not raised


def test_dates_without_a_time() -> None:
    article = reading.Article({"published_date": "2023-05-26"}, [], [], [], None)
    assert article.when == "2023-05-26"
    assert reading.Article({}, [], [], [], None).when == ""
