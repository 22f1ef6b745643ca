"""What the reading room reads (`archive/reading.py`): an article with its credits by role,
a person's credits, the captured page through its one function."""

from __future__ import annotations

import copy
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from archive import Archive, reading
from tests.test_room import CHINESE, TEA_HOUSE


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
        conn.execute("update pages set html_gz = ? where url = ?", [b"not zlib", TEA_HOUSE["url"]])
        assert reading.captured_html(conn, TEA_HOUSE["url"]) is None  # logged, not raised


def test_dates_without_a_time() -> None:
    article = reading.Article({"published_date": "2023-05-26"}, [], [], [], None)
    assert article.when == "2023-05-26"
    assert reading.Article({}, [], [], [], None).when == ""
