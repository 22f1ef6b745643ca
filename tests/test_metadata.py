"""Datasette metadata (`archive/metadata.py`) against the real schema."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from archive import Archive
from archive.metadata import PRIVATE_TABLES, build_metadata
from archive.search import fts_query, register_functions


@pytest.fixture(scope="module")
def schema(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """Table or view -> columns of a freshly migrated archive (FTS shadow tables left out:
    Datasette hides them and they are SQLite's, not ours)."""
    path: Path = tmp_path_factory.mktemp("schema") / "archive.db"
    with Archive.open(path) as archive:
        db = archive.db
        shadow = {
            f"{t}_{s}"
            for t in db.table_names()
            if db[t].virtual_table_using
            for s in ("data", "idx", "docsize", "config", "content")
        }
        names = [t for t in db.table_names() if t not in shadow] + db.view_names()
        return {name: [c.name for c in db[name].columns] for name in names}


def tables() -> dict:
    return build_metadata()["databases"]["archive"]["tables"]


def test_every_table_and_view_is_described(schema: dict[str, list[str]]) -> None:
    assert sorted(tables()) == sorted(schema)
    for name, options in tables().items():
        assert options["description"].strip(), name


@pytest.mark.parametrize("table", ["articles", "sources", "credits", "credits_flat", "rejects"])
def test_every_column_is_described(schema: dict[str, list[str]], table: str) -> None:
    columns = tables()[table]["columns"]
    assert sorted(columns) == sorted(schema[table])


def test_no_column_is_left_out_anywhere(schema: dict[str, list[str]]) -> None:
    missing = {
        f"{table}.{column}"
        for table, columns in schema.items()
        for column in columns
        if not tables()[table]["columns"].get(column, "").strip()
    }
    stale = {
        f"{table}.{column}"
        for table, options in tables().items()
        for column in options["columns"]
        if column not in schema[table]
    }
    assert (missing, stale) == (set(), set())


def test_articles_options_name_real_columns(schema: dict[str, list[str]]) -> None:
    articles = tables()["articles"]
    assert articles["sort_desc"] == "published_date"
    assert {"site", "source_id", "lang"} <= {f for f in articles["facets"] if isinstance(f, str)}
    assert {"chronological": "published_month"} in articles["facets"]
    assert articles["fts_table"] in schema
    for name, options in tables().items():
        for facet in options.get("facets", []):
            (column,) = facet.values() if isinstance(facet, dict) else (facet,)
            assert column in schema[name], f"{name}: facet {facet}"
        for key in ("sort", "sort_desc", "label_column", "fts_pk"):
            if key in options:
                assert options[key] in schema[name], f"{name}: {key}"


def test_labels_for_foreign_keys() -> None:
    assert tables()["sources"]["label_column"] == "name"
    assert tables()["people"]["label_column"] == "name"


def test_the_archive_is_always_called_archive() -> None:
    metadata = build_metadata(file_database="snapshot-2024")
    assert list(metadata["databases"]) == ["archive"]
    assert metadata["plugins"]["newsarchive"]["database"] == "snapshot-2024"
    assert metadata["title"] == "newsarchive"
    assert metadata["license"] and metadata["source"]


def test_public_metadata_hides_the_crawlers_tables_unless_shown() -> None:
    public = build_metadata(public=True, show=("crawl_runs",))["databases"]["archive"]
    hidden = {name for name, table in public["tables"].items() if table.get("allow") is False}
    assert hidden == set(PRIVATE_TABLES) - {"crawl_runs"}
    assert "allow" not in public["queries"]["latest_runs"]  # it reads crawl_runs only
    assert public["queries"]["health"]["allow"] is False  # it reads rejects too
    local = build_metadata()["databases"]["archive"]
    assert not any("allow" in table for table in local["tables"].values())


def test_metadata_is_json_and_fresh_each_time() -> None:
    first = build_metadata()
    first["databases"]["archive"]["tables"]["articles"]["facets"].append("oops")
    assert "oops" not in build_metadata()["databases"]["archive"]["tables"]["articles"]["facets"]
    assert json.loads(json.dumps(build_metadata(), ensure_ascii=False)) == build_metadata()


def test_canned_queries_run(tmp_path: Path) -> None:
    queries = build_metadata()["databases"]["archive"]["queries"]
    assert {"latest_runs", "unknown_sources", "search", "translators"} <= set(queries)
    with Archive.open(tmp_path / "archive.db") as archive:
        # Datasette's SQL function, as the project's plugin defines it; empty form values.
        archive.db.conn.create_function("escape_fts", 1, fts_query)
        register_functions(archive.db.conn)
        for name, query in queries.items():
            assert query["title"], name
            params = dict.fromkeys(re.findall(r":(\w+)", query["sql"]), "")
            assert isinstance(list(archive.db.query(query["sql"], params)), list)
