"""The archive library (`archive/db.py`, `archive/ingest.py`, `archive/migrations.py`)."""

from __future__ import annotations

import copy
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database

from archive import Archive, ArchiveError
from archive.db import ArchiveNeedsMigration
from archive.ingest import content_hash
from archive.migrations import MIGRATION_SET, migrations
from archive.reading import captured_html
from pipelines.sources import load_registry

from .conftest import migrations_from

ENGLISH = {
    "url": "http://eng.hengyang.gov.cn/shishixinwen/hotnews/201810/t20181009_2625737.html",
    "site": "hengyang",
    "lang": "en",
    "title": "Hengyang opens new bridge over the Xiang River",
    "body": "The bridge links two districts.\n\nTraffic opened on Saturday.",
    "published_date": "2018-12-06",
    "published_at": "2018-12-06T23:00:02+08:00",
    "published_raw": "Date Add in:2018-12-06 23:00:02",
    "source": "Hengyang News Network",
    "source_raw": "衡阳新闻网",
    "original_source": None,
    "original_source_raw": None,
    "credits": [{"role": "translator", "name": "Xie Caihong"}],
    "extraction": "selectors",
    "html": "<html><body><h1>Hengyang opens new bridge</h1></body></html>",
    "encoding": "utf-8",
    "status": 200,
}
HUNAN = {
    "url": "https://www.enghunan.gov.cn/hneng/News/Localnews/202306/t20230605_29366558.html",
    "site": "enghunan",
    "lang": "en",
    "title": "Hunan farmers harvest early rice",
    "body": "Farmers in Hunan harvested early rice this week.\n\nThe yield rose.",
    "published_date": "2023-06-05",
    "published_at": None,
    "published_raw": "2023-06-05 Download Print",
    "source": "Hunan Provincial Government",
    "source_raw": "Hunan Provincial Government www.enghunan.gov.cn",
    "original_source": "Hunan Provincial Government",
    "original_source_raw": "hunan.gov.cn",
    "credits": [
        {"role": "photographer", "name": "Zhao Chi"},
        {"role": "translator", "name": "Yu Jiangjiang"},
    ],
}
CHINESE = {
    "url": "https://www.hengyang.gov.cn/xxgk/dtxx/20230526/i3000001.html",
    "site": "hengyang_zh",
    "lang": "zh",
    "title": "衡阳市召开防汛工作会议",
    "body": "5月26日，衡阳市召开防汛工作会议。\n\n会议部署了 防汛 工作。",
    "published_date": "2023-05-26",
    "published_at": "2023-05-26T10:20:00+08:00",
    "published_raw": "发布时间：2023-05-26 10:20",
    "source": "衡阳晚报",
    "source_raw": "衡阳晚报",
    "credits": [
        {"role": "reporter", "name": "陈红飞"},
        {"role": "correspondent", "name": "刘玲"},
        {"role": "editor", "name": "Xie Caihong"},
    ],
}
SAMPLES = (ENGLISH, HUNAN, CHINESE)


def samples() -> list[dict[str, Any]]:
    return copy.deepcopy(list(SAMPLES))


@pytest.fixture
def archive(tmp_path: Path):
    with Archive.open(tmp_path / "archive.db") as archive:
        yield archive


def rows(archive: Archive, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
    return list(archive.db.query(sql, params or []))


def table_dump(archive: Archive, ignore: frozenset[str] = frozenset()) -> dict[str, list]:
    """Every row of every table (FTS index included), without the `ignore` columns."""
    dump = {}
    for table in archive.db.table_names():
        if table.startswith(("articles_fts_", "articles_search_")) or table == "_sqlite_migrations":
            continue
        dump[table] = [
            {k: v for k, v in row.items() if k not in ignore}
            for row in archive.db.query(f"select rowid as _rowid, * from [{table}] order by rowid")
        ]
    return dump


# Opening


def test_open_creates_migrated_archive_in_wal_mode(archive: Archive) -> None:
    assert not migrations.pending(archive.db)
    assert archive.db.execute("pragma journal_mode").fetchone()[0] == "wal"
    assert archive.db.execute("pragma foreign_keys").fetchone()[0] == 1
    assert archive.db.execute("pragma busy_timeout").fetchone()[0] > 0
    tables = set(archive.db.table_names())
    assert {"articles", "articles_search", "search_pending", "credits", "rejects"} <= tables
    assert "articles_fts" not in tables
    assert archive.db.view_names() == ["credits_flat", "translations"]


def test_reopening_applies_nothing_and_keeps_schema(tmp_path: Path) -> None:
    path = tmp_path / "archive.db"
    with Archive.open(path) as archive:
        archive.upsert_articles(samples())
        schema, applied = archive.db.schema, migrations.applied(archive.db)
        counts = archive.counts()
    with Archive.open(path, create=False) as archive:
        assert archive.db.schema == schema
        assert migrations.applied(archive.db) == applied
        assert archive.counts() == counts


def test_sources_are_seeded_from_the_registry(archive: Archive) -> None:
    registry = load_registry()
    stored = {row["name"]: row for row in rows(archive, "select * from sources")}
    assert set(stored) == {entry["name"] for entry in registry}
    assert all(row["in_registry"] == 1 for row in stored.values())
    assert stored["Hengyang News Network"]["name_zh"] == "衡阳新闻网"


def test_open_missing_directory_is_an_error_and_creates_nothing(tmp_path: Path) -> None:
    with pytest.raises(ArchiveError, match="does not exist"):
        Archive.open(tmp_path / "missing" / "archive.db")
    assert not (tmp_path / "missing").exists()


def test_open_without_create_needs_the_file(tmp_path: Path) -> None:
    with pytest.raises(ArchiveError, match="no archive"):
        Archive.open(tmp_path / "archive.db", create=False)
    assert not (tmp_path / "archive.db").exists()


def test_open_a_directory_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ArchiveError, match="directory"):
        Archive.open(tmp_path)


def test_open_a_file_that_is_not_sqlite_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("these are not the droids " * 100)
    with pytest.raises(ArchiveError, match="not a usable SQLite archive"):
        Archive.open(path)


def test_open_another_sqlite_database_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("create table birds (name text)")
    conn.close()
    with pytest.raises(ArchiveError, match="not a newsarchive archive"):
        Archive.open(path)


def test_open_an_archive_from_a_newer_version_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "archive.db"
    Archive.open(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute(
            "insert into _sqlite_migrations (migration_set, name, applied_at) values (?, ?, ?)",
            [MIGRATION_SET, "m999_future", "2030-01-01"],
        )
    conn.close()
    with pytest.raises(ArchiveError, match="newer newsarchive"):
        Archive.open(path)


# Opening for reading


def test_read_only_open_of_an_older_archive_names_the_command_that_migrates_it(
    tmp_path: Path,
) -> None:
    path = tmp_path / "archive.db"
    db = Database(path)
    migrations.apply(db, stop_before="m004_one_search_index")
    db.close()
    with pytest.raises(ArchiveNeedsMigration, match="m004_one_search_index.*newsarchive migrate"):
        Archive.open(path, read_only=True)
    pending = [m.name for m in migrations.pending(Database(path))]
    assert pending == migrations_from("m004_one_search_index")


@pytest.mark.parametrize(
    ("make", "error"),
    [
        (lambda path: None, "no archive at"),
        (lambda path: path.write_bytes(b""), "holds no newsarchive archive yet"),
        (lambda path: path.write_bytes(b"not sqlite" * 100), "not a usable SQLite archive"),
    ],
    ids=["missing", "empty", "not-sqlite"],
)
def test_read_only_open_needs_an_archive_and_makes_none(
    tmp_path: Path, make: Any, error: str
) -> None:
    path = tmp_path / "archive.db"
    make(path)
    before = sorted(tmp_path.iterdir())
    with pytest.raises(ArchiveError, match=error):
        Archive.open(path, read_only=True)
    assert sorted(tmp_path.iterdir()) == before


def test_a_read_only_archive_refuses_writes(tmp_path: Path) -> None:
    Archive.open(tmp_path / "archive.db").close()
    with Archive.open(tmp_path / "archive.db", read_only=True) as archive:
        assert archive.counts()["articles"] == 0
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            archive.upsert_articles(samples())


# Upserting


def test_upsert_counts_new_then_unchanged(archive: Archive) -> None:
    assert archive.upsert_articles(samples()) == {"new": 3, "updated": 0, "unchanged": 0}
    assert archive.upsert_articles(samples()) == {"new": 0, "updated": 0, "unchanged": 3}
    assert archive.upsert_articles([]) == {"new": 0, "updated": 0, "unchanged": 0}


def test_second_identical_upsert_changes_nothing_but_last_seen(archive: Archive) -> None:
    archive.upsert_articles(samples())
    counts = archive.counts()
    before = table_dump(archive, ignore=frozenset({"last_seen"}))
    archive.upsert_articles(samples())
    assert archive.counts() == counts
    assert table_dump(archive, ignore=frozenset({"last_seen"})) == before


def test_stored_article_fields(archive: Archive) -> None:
    archive.upsert_articles(samples())
    (row,) = rows(
        archive,
        "select articles.*, sources.name as source_name from articles"
        " join sources on sources.id = articles.source_id where url = ?",
        [ENGLISH["url"]],
    )
    for name in (
        "site",
        "lang",
        "title",
        "body",
        "published_date",
        "published_at",
        "published_raw",
        "source_raw",
        "extraction",
    ):
        assert row[name] == ENGLISH[name], name
    assert row["source_name"] == "Hengyang News Network"
    assert row["version"] == 1
    assert row["first_seen"] == row["last_seen"]
    assert row["original_source_id"] is None


def test_changed_text_keeps_the_previous_version(archive: Archive) -> None:
    archive.upsert_articles(samples())
    changed = samples()
    changed[0]["body"] = ENGLISH["body"] + "\n\nThe mayor attended."
    assert archive.upsert_articles(changed) == {"new": 0, "updated": 1, "unchanged": 2}
    changed[0]["title"] = "Hengyang opens its new bridge"
    assert archive.upsert_articles(changed) == {"new": 0, "updated": 1, "unchanged": 2}

    (article,) = rows(archive, "select * from articles where url = ?", [ENGLISH["url"]])
    assert article["version"] == 3
    assert article["title"] == "Hengyang opens its new bridge"
    versions = rows(archive, "select * from article_versions order by version")
    assert [(v["article_id"], v["version"]) for v in versions] == [
        (article["id"], 1),
        (article["id"], 2),
    ]
    assert versions[0]["body"] == ENGLISH["body"]
    assert versions[1]["body"] == changed[0]["body"]
    assert versions[1]["title"] == ENGLISH["title"]
    assert archive.counts()["articles"] == 3


def test_changed_details_update_without_a_new_version(archive: Archive) -> None:
    archive.upsert_articles(samples())
    fixed = samples()
    fixed[1]["published_date"] = "2023-06-04"
    assert archive.upsert_articles(fixed) == {"new": 0, "updated": 1, "unchanged": 2}
    (article,) = rows(archive, "select * from articles where url = ?", [HUNAN["url"]])
    assert (article["published_date"], article["version"]) == ("2023-06-04", 1)
    assert archive.counts()["article_versions"] == 0


def dated(article: dict[str, Any], day: str | None, origin: str | None, raw: str | None):
    return {**article, "published_date": day, "published_at": None, "published_raw": raw,
            "published_from": origin}  # fmt: skip


def test_a_date_from_the_listing_stays_when_the_page_comes_again_without_one(
    archive: Archive,
) -> None:
    """A refresh or a reprocess reads the page again, without its listing: the listing's
    date stays. A date of the page's own replaces it."""
    listed = dated(ENGLISH, "2018-12-05", "listing", "listing http://x/index.html: 12-05")
    archive.upsert_articles([listed])
    assert archive.upsert_articles([dated(ENGLISH, None, None, None)])["unchanged"] == 1
    keys = "published_date, published_from, published_raw, published_year, published_month"
    query = f"select {keys} from articles"
    assert rows(archive, query) == [
        {
            "published_date": "2018-12-05",
            "published_from": "listing",
            "published_raw": listed["published_raw"],
            "published_year": 2018,
            "published_month": "2018-12",
        }
    ]
    own = dated(ENGLISH, "2018-12-06", "page", "Date Add in:2018-12-06")
    assert archive.upsert_articles([own])["updated"] == 1
    assert rows(archive, f"select {keys} from articles")[0]["published_from"] == "page"
    assert archive.upsert_articles([dated(ENGLISH, None, None, None)])["updated"] == 1
    assert rows(archive, f"select {keys} from articles")[0]["published_date"] is None


def test_credits_and_people(archive: Archive) -> None:
    archive.upsert_articles(samples())
    flat = rows(archive, "select url, role, name from credits_flat")
    assert [(r["role"], r["name"]) for r in flat if r["url"] == CHINESE["url"]] == [
        ("reporter", "陈红飞"),
        ("correspondent", "刘玲"),
        ("editor", "Xie Caihong"),
    ]
    # One person credited in two articles is one row in people.
    assert archive.counts()["people"] == 5
    assert archive.counts()["credits"] == 6


def test_changed_credits_are_replaced(archive: Archive) -> None:
    archive.upsert_articles(samples())
    changed = samples()
    changed[1]["credits"] = [
        {"role": "translator", "name": "Yu  Jiangjiang"},
        {"role": "translator", "name": "Yu Jiangjiang"},
        {"role": "reporter", "name": " "},
    ]
    assert archive.upsert_articles(changed) == {"new": 0, "updated": 1, "unchanged": 2}
    flat = rows(archive, "select role, name from credits_flat where url = ?", [HUNAN["url"]])
    assert flat == [{"role": "translator", "name": "Yu Jiangjiang"}]
    assert archive.counts()["article_versions"] == 0


def test_unknown_sources_are_kept_for_curation(archive: Archive) -> None:
    archive.upsert_articles(samples())
    assert archive.unknown_sources() == [{"name": "衡阳晚报", "articles": 1}]
    (hunan,) = rows(
        archive,
        "select s.name as source, o.name as original from articles"
        " join sources s on s.id = articles.source_id"
        " join sources o on o.id = articles.original_source_id where url = ?",
        [HUNAN["url"]],
    )
    assert hunan == {
        "source": "Hunan Provincial Government",
        "original": "Hunan Provincial Government",
    }


def test_source_counts_cover_registry_and_unknown_sources(archive: Archive) -> None:
    archive.upsert_articles(samples())
    counts = {row["name"]: row["articles"] for row in archive.source_counts()}
    assert counts["Hunan Provincial Government"] == 1  # source and original of one article
    assert counts["衡阳晚报"] == 1
    assert counts["Xinhua Net"] == 0
    assert len(counts) == len(load_registry()) + 1


def test_same_text_under_another_url_is_one_article(archive: Archive) -> None:
    archive.upsert_articles(samples())
    moved = {
        **copy.deepcopy(ENGLISH),
        "url": "http://www.enghengyang.gov.cn/News/20181206/i3000001.html",
    }
    other_site = {**copy.deepcopy(ENGLISH), "url": "http://example.org/copy", "site": "copier"}
    assert archive.upsert_articles([moved, other_site]) == {"new": 1, "updated": 0, "unchanged": 1}
    (alias,) = rows(archive, "select * from article_urls")
    assert alias["url"] == moved["url"]
    assert moved["url"] in archive.known_urls("hengyang")
    # Seen again under the moved URL: still the one article, now updated in place.
    moved["body"] += "\n\nUpdated."
    assert archive.upsert_articles([moved]) == {"new": 0, "updated": 1, "unchanged": 0}
    (article,) = rows(
        archive, "select url, version from articles where id = ?", [alias["article_id"]]
    )
    assert article == {"url": ENGLISH["url"], "version": 2}


def test_a_text_whose_hash_only_starts_like_a_stored_one_is_a_new_article(
    archive: Archive,
) -> None:
    """The index holds the first 16 digits of each text's hash; a stored text whose hash
    shares them (forged here: 64 bits do not collide by chance) is not the same text."""
    archive.upsert_articles([copy.deepcopy(ENGLISH)])
    other = {**copy.deepcopy(ENGLISH), "url": ENGLISH["url"] + "?other", "body": "Other text."}
    forged = content_hash(other["title"], other["body"])[:16] + "0" * 48
    archive.db.execute("update articles set content_hash = ?", [forged])
    archive.db.conn.commit()
    assert archive.upsert_articles([other]) == {"new": 1, "updated": 0, "unchanged": 0}
    assert rows(archive, "select count(*) as n from article_urls") == [{"n": 0}]


def test_the_same_page_again_under_another_url_of_its_article_adds_no_capture(
    archive: Archive,
) -> None:
    archive.upsert_articles([copy.deepcopy(ENGLISH)])
    moved = {**copy.deepcopy(ENGLISH), "url": ENGLISH["url"] + "?moved"}
    archive.upsert_articles([moved])  # the same text: an alias, and its page is a capture
    assert archive.counts()["captures"] == 2
    assert archive.counts()["payloads"] == 1  # the same bytes, stored once
    assert captured_html(archive.db, moved["url"]) == ENGLISH["html"]
    archive.upsert_articles([copy.deepcopy(moved)])  # again under either URL: nothing new
    archive.upsert_articles([copy.deepcopy(ENGLISH)])
    assert archive.counts()["captures"] == 2


def test_duplicates_within_one_batch(archive: Archive) -> None:
    first = copy.deepcopy(ENGLISH)
    second = {**copy.deepcopy(ENGLISH), "url": ENGLISH["url"] + "?copy"}
    assert archive.upsert_articles([first, second, copy.deepcopy(first)]) == {
        "new": 1,
        "updated": 0,
        "unchanged": 1,
    }
    assert archive.known_urls() == {first["url"], second["url"]}


def test_html_given_as_text_is_a_capture_without_headers(archive: Archive) -> None:
    archive.upsert_articles(samples())
    (capture,) = rows(archive, "select * from captures")
    assert capture["url"] == ENGLISH["url"]
    assert (capture["status"], capture["encoding"], capture["origin"]) == (200, "utf-8", "given")
    assert capture["response_headers"] is None and capture["request_headers"] is None
    assert captured_html(archive.db, ENGLISH["url"]) == ENGLISH["html"]
    archive.upsert_articles(samples())  # the same page again: nothing new
    assert archive.counts()["captures"] == 1
    changed = samples()
    changed[0]["html"] = "<html>redesigned</html>"
    archive.upsert_articles(changed)
    assert archive.counts()["captures"] == 2
    assert captured_html(archive.db, ENGLISH["url"]) == "<html>redesigned</html>"
    assert captured_html(archive.db, HUNAN["url"]) is None  # stored without its page


def test_an_invalid_article_writes_nothing(archive: Archive) -> None:
    bad = samples()
    bad[2]["body"] = None
    with pytest.raises(ValueError, match="without a body"):
        archive.upsert_articles(bad)
    assert archive.counts()["articles"] == 0
    assert archive.counts()["people"] == 0


def test_foreign_keys_hold(archive: Archive) -> None:
    archive.upsert_articles(samples())
    changed = samples()
    for article in changed:
        article["body"] += " (corrected)"
        article["credits"] = article["credits"][:1]
    archive.upsert_articles(changed)
    assert archive.db.execute("pragma foreign_key_check").fetchall() == []


# Reading


def test_known_urls_and_articles_per_site(archive: Archive) -> None:
    archive.upsert_articles(samples())
    assert archive.known_urls() == {a["url"] for a in SAMPLES}
    assert archive.known_urls("enghunan") == {HUNAN["url"]}
    assert archive.known_urls("nowhere") == set()
    assert archive.articles_per_site() == {"hengyang": 1, "enghunan": 1, "hengyang_zh": 1}
    archive.upsert_articles([{**copy.deepcopy(HUNAN), "url": "http://x/1", "site": None}])
    assert archive.articles_per_site()[""] == 1


def test_search_ranks_and_snippets(archive: Archive) -> None:
    archive.upsert_articles(samples())
    (hit,) = archive.search("bridge")
    assert hit["url"] == ENGLISH["url"]
    assert "<mark>bridge</mark>" in hit["snippet"]
    # Every word is required; OR finds either, -word leaves out (archive.searchquery).
    assert [h["url"] for h in archive.search("Xiang bridge")] == [ENGLISH["url"]]
    assert len(archive.search("rice OR bridge")) == 2
    assert archive.search("bridge -Xiang") == []
    assert [h["url"] for h in archive.search("防汛")] == [CHINESE["url"]]


def test_search_follows_updates(archive: Archive) -> None:
    archive.upsert_articles(samples())
    changed = samples()
    changed[0]["body"] = "A ferry replaces the old crossing."
    archive.upsert_articles(changed)
    assert [h["url"] for h in archive.search("ferry")] == [ENGLISH["url"]]
    assert archive.search("Traffic") == []
    archive.db.execute("insert into articles_search(articles_search) values('integrity-check')")


@pytest.mark.parametrize(
    "query",
    [
        '"',
        "AND(",
        "*",
        "-",
        "bridge -",
        "OR",
        "NOT bridge",
        "NEAR(",
        "title:",
        ":",
        "^",
        "(",
        ")",
        "'",
        "\0",
        'bridge"s',
        "{title}:x",
        "a AND",
        '衡阳"',
        "",
        "   ",
        "+",
    ],
)
def test_search_never_raises(archive: Archive, query: str) -> None:
    archive.upsert_articles(samples())
    assert isinstance(archive.search(query), list)
