"""Search (`archive/search.py`, `archive/datasette_plugin.py`): Chinese segmentation, ranking,
the index kept in sync, and the searches a user runs through a real Datasette over HTTP."""

from __future__ import annotations

import copy
import json
import re
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlite_utils import Database

from archive import Archive
from archive.migrations import migrations
from archive.search import (
    MAX_QUERY_CHARS,
    MAX_TERMS,
    RANK_WINDOW,
    SEARCH_TABLE,
    SEPARATOR,
    SearchQueryError,
    check_query,
    fts_query,
    ranked_search,
    search_terms,
    segment,
)
from archive.verify import check_index
from tests.conftest import serving

BRIDGE_TITLE = "Hengyang opens new bridge"
ARTICLES = [
    {
        "url": "http://eng.hengyang.gov.cn/a/1.html",
        "site": "hengyang",
        "lang": "en",
        "title": BRIDGE_TITLE,
        "body": "The bridge over the Xiang River opened on Saturday.",
        "published_date": "2018-12-06",
        "credits": [{"role": "translator", "name": "Xie Caihong"}],
    },
    {
        "url": "http://www.enghunan.gov.cn/a/2.html",
        "site": "hunan",
        "lang": "en",
        "title": "Hunan farmers harvest early rice",
        "body": "Farmers near the bridge, the old bridge and the rail bridge harvested rice. "
        "A note about <script>alert(1)</script> markup.",
        "published_date": "2023-06-05",
        "credits": [{"role": "photographer", "name": "Zhao Chi"}],
    },
    {
        "url": "https://www.hengyang.gov.cn/a/3.html",
        "site": "hengyang",
        "lang": "zh",
        "title": "衡阳市召开防汛工作会议",
        "body": "本报讯（记者 陈红飞）会议部署了全市防汛工作。",
        "published_date": "2023-05-26",
        "credits": [{"role": "reporter", "name": "陈红飞"}],
    },
]
ZH_TITLE = ARTICLES[2]["title"]
BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def archive_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("search") / "archive.db"
    with Archive.open(path) as archive:
        archive.upsert_articles(copy.deepcopy(ARTICLES))
    return path


def titles(rows: list[dict[str, Any]]) -> list[str]:
    return [row["title"] for row in rows]


# Segmentation and queries


def test_segment_separates_each_chinese_character_and_leaves_english() -> None:
    z = SEPARATOR
    assert segment("衡阳市 G4高速 bridge") == f"衡{z}阳{z}市 G4{z}高{z}速 bridge"
    assert segment("Hengyang, Hunan.") == "Hengyang, Hunan."


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("衡阳", f'"衡{SEPARATOR}阳"'),
        ("flood 衡阳", f'"flood" AND "衡{SEPARATOR}阳"'),
        ('"rail bridge"', '"rail bridge"'),
        ("AND(", '"AND("'),
        ('"', '""'),
        ("", '""'),
        ("   ", '""'),
    ],
)
def test_fts_query(query: str, expected: str) -> None:
    assert fts_query(query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("the the THE", ['"the"']),  # FTS5 folds case: one term, searched once
        ('river "rail bridge" river "Rail Bridge"', ['"river"', '"rail bridge"']),
        ('a"b c"d', ['"a"', '"b c"', '"d"']),
        ('open "quote', ['"open"', '"quote"']),
        ('"" x ""', ['"x"']),
        ("a\0b", ['"a"', '"b"']),
    ],
)
def test_search_terms(query: str, expected: list[str]) -> None:
    assert search_terms(query) == expected


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("bridge", None),
        (" ".join(f"w{n}" for n in range(MAX_TERMS)), None),
        ("the " * 1000, "too long (4,000 characters): use at most 200 characters"),
        ("x" * (MAX_QUERY_CHARS + 1), "too long"),
        (" ".join(f"w{n}" for n in range(MAX_TERMS + 1)), f"too many words ({MAX_TERMS + 1})"),
        ("a* " * (MAX_TERMS + 1), None),  # one word, many times
        ("衡阳" * (MAX_QUERY_CHARS // 2), None),
        ("衡阳" * MAX_QUERY_CHARS, "too long"),
    ],
)
def test_check_query(query: str, message: str | None) -> None:
    if message is None:
        check_query(query)
    else:
        with pytest.raises(SearchQueryError, match=re.escape(message)):
            check_query(query)


def test_ranked_search_refuses_past_the_caps(archive_path: Path) -> None:
    with Archive.open(archive_path) as archive, pytest.raises(SearchQueryError):
        ranked_search(archive.db, "bridge " + " ".join(f"w{n}" for n in range(MAX_TERMS)))


# Ranked search from Python, over the archive's own index


def test_title_match_ranks_first(archive_path: Path) -> None:
    with Archive.open(archive_path) as archive:
        found = ranked_search(archive.db, "bridge")
    # The Hunan article says "bridge" three times, but only in its body.
    assert titles(found) == [BRIDGE_TITLE, ARTICLES[1]["title"]]
    assert "<mark>bridge</mark>" in found[0]["snippet"]


def test_ranking_looks_at_the_newest_matches_only(tmp_path: Path) -> None:
    """A word in more articles than the window: the best of the newest matches, quickly,
    and not an old article that would have ranked first among all of them."""

    def article(number: int, title: str) -> dict[str, Any]:
        return {
            "url": f"http://en.example.gov.cn/{number}.html",
            "site": "yueyang",
            "lang": "en",
            "title": title,
            "published_date": "2024-01-01",
            "credits": [],
            "body": f"Ferry timetable number {number} for the lake crossings this week.",
        }

    old = article(0, "Ferry ferry ferry: the ferry guide")
    newer = [article(n, f"Lake notice {n}") for n in range(1, RANK_WINDOW + 100)]
    with Archive.open(tmp_path / "archive.db") as archive:
        archive.upsert_articles([old])
        archive.upsert_articles(newer)
        hits = archive.search("ferry", limit=RANK_WINDOW + 200)
        # A filter every article passes finds the same window, through the articles table.
        filtered = archive.search("ferry", limit=RANK_WINDOW + 200, site=" Yueyang ")
        unreadable = archive.search("ferry", date_from="next spring")
    assert len(hits) == RANK_WINDOW
    assert {hit["matches"] for hit in hits} == {RANK_WINDOW + 1}
    assert filtered == hits
    assert unreadable == []
    assert old["url"] not in {hit["url"] for hit in hits}
    assert newer[-1]["url"] in {hit["url"] for hit in hits}


@pytest.mark.parametrize(
    "query", ["衡阳", "记者", "防汛", "防汛工作", "衡阳市召开", "陈红飞", '"全市 防汛"']
)
def test_chinese_words_and_phrases(archive_path: Path, query: str) -> None:
    with Archive.open(archive_path) as archive:
        assert titles(ranked_search(archive.db, query)) == [ZH_TITLE]


def test_chinese_snippet_is_highlighted_without_separators(archive_path: Path) -> None:
    with Archive.open(archive_path) as archive:
        (found,) = ranked_search(archive.db, "记者")
    assert "<mark>记者</mark>" in found["snippet"]
    assert SEPARATOR not in found["snippet"]


def test_filters_by_site_and_date_prefix(archive_path: Path) -> None:
    with Archive.open(archive_path) as archive:
        db = archive.db
        assert titles(ranked_search(db, "bridge", site="hunan")) == [ARTICLES[1]["title"]]
        assert titles(ranked_search(db, "bridge", date_to="2018")) == [BRIDGE_TITLE]
        assert titles(ranked_search(db, "bridge", date_from="2023-06")) == [ARTICLES[1]["title"]]
        assert ranked_search(db, "bridge", date_from="2018-12-07", date_to="2023-06-04") == []


def test_credited_names_are_searchable(archive_path: Path) -> None:
    with Archive.open(archive_path) as archive:
        assert titles(ranked_search(archive.db, "Xie Caihong")) == [BRIDGE_TITLE]


def test_index_follows_changed_text_and_credits(tmp_path: Path) -> None:
    with Archive.open(tmp_path / "archive.db") as archive:
        archive.upsert_articles(copy.deepcopy(ARTICLES[:1]))
        changed = {
            **copy.deepcopy(ARTICLES[0]),
            "title": "Hengyang opens new tunnel",
            "body": "The tunnel opened.",
            "credits": [{"role": "translator", "name": "Li Ming"}],
        }
        assert archive.upsert_articles([changed])["updated"] == 1
        db = archive.db
        assert ranked_search(db, "bridge") == []
        assert ranked_search(db, "Xie") == []
        assert titles(ranked_search(db, "tunnel Li Ming")) == [changed["title"]]
        for table in ("credits", "article_versions", "articles"):
            db.execute(f"delete from {table}")
        assert db.execute("select count(*) from articles_search").fetchone()[0] == 0


def test_migration_indexes_an_existing_archive(tmp_path: Path) -> None:
    path = tmp_path / "archive.db"
    db = Database(path)
    migrations.apply(db, stop_before="m003_search")
    db["articles"].insert(
        {
            "url": "https://www.hengyang.gov.cn/a/9.html",
            "lang": "zh",
            "title": ZH_TITLE,
            "body": "会议。",
            "published_date": "2023-05-26",
            "version": 1,
            "content_hash": "x",
            "first_seen": "2023-05-26",
            "last_seen": "2023-05-26",
        }
    )
    db["people"].insert({"id": 1, "name": "陈红飞"})
    db["credits"].insert({"article_id": 1, "person_id": 1, "role": "reporter", "position": 0})
    db.close()
    with Archive.open(path) as archive:
        assert titles(ranked_search(archive.db, "衡阳")) == [ZH_TITLE]
        assert titles(ranked_search(archive.db, "陈红飞")) == [ZH_TITLE]
        row = archive.db.execute("select published_year, published_month from articles").fetchone()
    assert row == (2023, "2023-05")


OUTSIDE_ROW = {
    "url": "https://www.hengyang.gov.cn/a/77.html",
    "site": "hengyang",
    "lang": "zh",
    "title": "耒阳新建图书馆开馆",
    "body": "新馆藏书十万册，市民可免费借阅。",
    "published_date": "2024-03-01",
    "version": 1,
    "content_hash": "written-by-hand",
    "first_seen": "2024-03-01T00:00:00+00:00",
    "last_seen": "2024-03-01T00:00:00+00:00",
}


def sqlite_utils(*args: str, stdin: str | None = None) -> None:
    """The real `sqlite-utils` command, as a user outside the project would run it."""
    subprocess.run([str(BIN / "sqlite-utils"), *args], input=stdin, text=True, check=True)


def test_one_index_serves_every_search(archive_path: Path) -> None:
    with Archive.open(archive_path, create=False) as archive:
        tables = set(archive.db.table_names())
    assert "articles_fts" not in tables and SEARCH_TABLE in tables


def test_another_tool_never_breaks_the_archive_and_reindex_repairs(tmp_path: Path) -> None:
    path = tmp_path / "archive.db"
    with Archive.open(path) as archive:
        archive.upsert_articles(copy.deepcopy(ARTICLES))
    sqlite_utils("insert", str(path), "articles", "-", stdin=json.dumps(OUTSIDE_ROW))
    sqlite_utils("query", str(path), "update articles set body = 'A ferry crosses.' where id = 1")
    sqlite_utils("query", str(path), "update people set name = '陈小飞' where name = '陈红飞'")
    with Archive.open(path) as archive:
        assert archive.unindexed() == 3  # the new article, the changed one, the renamed credit
        assert ranked_search(archive.db, "图书馆") == []
        assert [check.ok for check in check_index(archive.db)] == [False]
    done = subprocess.run(
        [str(BIN / "newsarchive"), "reindex", "--archive", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "3 articles indexed" in done.stdout
    with Archive.open(path) as archive:
        db = archive.db
        assert archive.unindexed() == 0
        assert titles(ranked_search(db, "图书馆")) == [OUTSIDE_ROW["title"]]
        assert titles(ranked_search(db, "ferry")) == [BRIDGE_TITLE]
        assert ranked_search(db, "Saturday") == []
        assert titles(ranked_search(db, "陈小飞")) == [ZH_TITLE]
        names = db.execute(f"select names from {SEARCH_TABLE} where rowid = 3").fetchone()[0]
        assert names == segment("陈小飞")
        assert [check.ok for check in check_index(db)] == [True]


def test_the_next_batch_indexes_what_another_tool_wrote(tmp_path: Path) -> None:
    path = tmp_path / "archive.db"
    with Archive.open(path) as archive:
        archive.upsert_articles(copy.deepcopy(ARTICLES[:1]))
    sqlite_utils("insert", str(path), "articles", "-", stdin=json.dumps(OUTSIDE_ROW))
    with Archive.open(path) as archive:
        archive.upsert_articles(copy.deepcopy(ARTICLES[1:2]))
        assert archive.unindexed() == 0
        assert titles(ranked_search(archive.db, "图书馆")) == [OUTSIDE_ROW["title"]]


def test_deleting_with_plain_sql_drops_the_index_row(tmp_path: Path) -> None:
    path = tmp_path / "archive.db"
    with Archive.open(path) as archive:
        archive.upsert_articles(copy.deepcopy(ARTICLES))
    conn = sqlite3.connect(path)  # no project code, no functions registered
    with conn:
        conn.execute("pragma foreign_keys = on")
        conn.execute("delete from credits where article_id = 3")
        conn.execute("delete from articles where id = 3")
    conn.close()
    with Archive.open(path) as archive:
        assert archive.unindexed() == 0
        assert ranked_search(archive.db, "衡阳") == []
        assert archive.reindex(everything=True) == 2
        assert titles(ranked_search(archive.db, "bridge"))[0] == BRIDGE_TITLE


def test_archive_stays_readable_without_the_plugin(archive_path: Path) -> None:
    """Plain SQLite (no Datasette, no project code) can still read and search the index."""
    conn = sqlite3.connect(archive_path)
    try:
        match = f'"衡{SEPARATOR}阳"'
        found = conn.execute(
            "select rowid from articles_search where articles_search match ?", [match]
        ).fetchall()
    finally:
        conn.close()
    assert found == [(3,)]


# Through a real Datasette over HTTP


@pytest.fixture(scope="module")
def server(archive_path: Path) -> Iterator[str]:
    with serving("--archive", str(archive_path)) as base:
        yield base + "/archive"


def get_rows(url: str, **params: str) -> list[dict[str, Any]]:
    response = httpx.get(url, params={**params, "_shape": "array"}, timeout=10)
    assert response.status_code == 200, response.text
    return list(response.json())


@pytest.mark.e2e
def test_http_ranked_search_puts_the_title_match_first(server: str) -> None:
    found = get_rows(f"{server}/search.json", q="bridge")
    assert titles(found) == [BRIDGE_TITLE, ARTICLES[1]["title"]]
    assert all("<mark>bridge</mark>" in row["snippet"] for row in found)


@pytest.mark.e2e
@pytest.mark.parametrize("query", ["衡阳", "记者", "防汛工作", "陈红飞"])
def test_http_chinese_search(server: str, query: str) -> None:
    assert titles(get_rows(f"{server}/search.json", q=query)) == [ZH_TITLE]
    assert titles(get_rows(f"{server}/articles.json", _search=query)) == [ZH_TITLE]


@pytest.mark.e2e
def test_http_filters(server: str) -> None:
    found = get_rows(f"{server}/search.json", q="bridge", site="hunan", date_from="2023")
    assert titles(found) == [ARTICLES[1]["title"]]
    assert get_rows(f"{server}/search.json", q="bridge", date_to="2017") == []


@pytest.mark.e2e
def test_http_search_page_highlights_and_escapes(server: str) -> None:
    page = httpx.get(f"{server}/search", params={"q": "markup"}, timeout=10).text
    assert "<mark>markup</mark>" in page
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)" in page


HOSTILE = [
    '"',
    "AND(",
    "*",
    "-",
    "river -",
    "NEAR(",
    "a OR",
    '"bridge',
    "title:",
    "^",
    '衡阳"',
    "\\",
]


@pytest.mark.e2e
@pytest.mark.parametrize("query", HOSTILE)
def test_http_hostile_search_is_never_an_error(server: str, query: str) -> None:
    for url, params in [
        (f"{server}/search.json", {"q": query}),
        (f"{server}/search", {"q": query}),
        (f"{server}/articles.json", {"_search": query}),
        (f"{server}/articles", {"_search": query}),
        (f"{server}/articles.json", {"_search_title": query}),
    ]:
        response = httpx.get(url, params=params, timeout=10)
        assert response.status_code == 200, (url, query, response.text[:300])


@pytest.mark.e2e
def test_http_raw_search_mode_errors_are_client_errors(server: str) -> None:
    response = httpx.get(
        f"{server}/articles.json", params={"_search": "AND(", "_searchmode": "raw"}, timeout=10
    )
    assert response.status_code == 400
