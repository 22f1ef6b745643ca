"""The archive served by a real Datasette with the generated metadata (`archive/serve.py`)."""

from __future__ import annotations

import asyncio
import copy
import json
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from datasette.app import Datasette

from archive import Archive, ArchiveError
from archive.crawllog import CrawlLog
from archive.metadata import build_metadata
from archive.serve import check_port_free, datasette_args, serve

ARTICLES = [
    {
        "url": "http://eng.hengyang.gov.cn/a/1.html",
        "site": "hengyang",
        "lang": "en",
        "title": "Hengyang opens new bridge",
        "body": "The bridge over the Xiang River opened on Saturday.",
        "published_date": "2018-12-06",
        "source": "Hengyang News Network",
        "source_raw": "衡阳新闻网",
        "credits": [{"role": "translator", "name": "Xie Caihong"}],
    },
    {
        "url": "http://www.enghunan.gov.cn/a/2.html",
        "site": "enghunan",
        "lang": "en",
        "title": "Hunan farmers harvest early rice",
        "body": "Farmers near the river harvested early rice.",
        "published_date": "2023-06-05",
        "source": "Hunan Daily",
        "credits": [{"role": "photographer", "name": "Zhao Chi"}],
    },
    {
        "url": "https://www.hengyang.gov.cn/a/3.html",
        "site": "hengyang_zh",
        "lang": "zh",
        "title": "衡阳市召开防汛工作会议",
        "body": "会议部署了 防汛 工作。",
        "published_date": "2023-05-26",
        "source": "衡阳晚报",
        "credits": [{"role": "reporter", "name": "陈红飞"}],
    },
]


@pytest.fixture(scope="module")
def archive_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("served") / "archive.db"
    with Archive.open(path) as archive:
        log = CrawlLog(archive)
        run_id = log.start_run("hengyang")
        with archive.transaction():
            log.add_to_run(run_id, archive.upsert_articles(copy.deepcopy(ARTICLES)))
        log.finish_run(run_id, "finished", {"pages_fetched": 4}, {})
    return path


def get(path: Path, *urls: str) -> list[httpx.Response]:
    async def fetch() -> list[httpx.Response]:
        ds = Datasette([str(path)], metadata=build_metadata())
        return [await ds.client.get(url) for url in urls]

    return asyncio.run(fetch())


def rows(path: Path, url: str) -> list[dict[str, Any]]:
    (response,) = get(path, url)
    assert response.status_code == 200, response.text
    return response.json()


def test_search(archive_path: Path) -> None:
    found = rows(archive_path, "/archive/articles.json?_search=bridge&_shape=array")
    assert [r["url"] for r in found] == [ARTICLES[0]["url"]]
    found = rows(archive_path, "/archive/articles.json?_search=防汛&_shape=array")
    assert [r["url"] for r in found] == [ARTICLES[2]["url"]]


@pytest.mark.parametrize("query", ["AND(", "*", "-", "river -", "NEAR(", "a OR", '"river"'])
def test_hostile_search_is_no_error(archive_path: Path, query: str) -> None:
    (response,) = get(archive_path, f"/archive/articles.json?_shape=array&_search={query}")
    assert response.status_code == 200


def test_lone_quote_search_finds_nothing(archive_path: Path) -> None:
    # The project's escape_fts (archive/datasette_plugin.py) makes a wordless query match nothing.
    (response,) = get(archive_path, '/archive/articles.json?_search="&_shape=array')
    assert (response.status_code, response.json()) == (200, [])


def test_articles_sorted_newest_first(archive_path: Path) -> None:
    dates = [r["published_date"] for r in rows(archive_path, "/archive/articles.json?_shape=array")]
    assert dates == ["2023-06-05", "2023-05-26", "2018-12-06"]


def test_default_facets(archive_path: Path) -> None:
    (response,) = get(archive_path, "/archive/articles.json?_extra=facet_results")
    facets = response.json()["facet_results"]
    assert {"site", "lang", "source_id"} <= set(facets)
    assert {v["value"] for v in facets["site"]["results"]} == {
        "hengyang",
        "enghunan",
        "hengyang_zh",
    }


def test_foreign_keys_read_as_names(archive_path: Path) -> None:
    credits = rows(archive_path, "/archive/credits.json?_shape=array&_labels=on")
    assert {c["person_id"]["label"] for c in credits} == {"Xie Caihong", "Zhao Chi", "陈红飞"}
    assert {c["article_id"]["label"] for c in credits} == {a["title"] for a in ARTICLES}


def test_credits_flat_view(archive_path: Path) -> None:
    flat = rows(archive_path, "/archive/credits_flat.json?_shape=array&role=reporter")
    assert [(r["name"], r["site"]) for r in flat] == [("陈红飞", "hengyang_zh")]


def test_canned_queries(archive_path: Path) -> None:
    assert rows(archive_path, "/archive/unknown_sources.json?_shape=array") == [
        {"name": "衡阳晚报", "articles": 1}
    ]
    (run,) = rows(archive_path, "/archive/latest_runs.json?_shape=array")
    assert (run["site"], run["status"], run["articles_new"]) == ("hengyang", "finished", 3)


def test_pages_show_titles_and_descriptions(archive_path: Path) -> None:
    home, table, database = get(archive_path, "/", "/archive/articles", "/archive")
    assert all(r.status_code == 200 for r in (home, table, database))
    assert "newsarchive" in home.text
    assert "Headline" in table.text  # a column description
    assert "Latest crawl runs" in database.text
    assert "_sqlite_migrations" not in database.text


def test_datasette_args() -> None:
    args = datasette_args("/data/archive.db", host="0.0.0.0", port=9000, metadata_path="/m.json")
    assert args[:2] == ["serve", "/data/archive.db"]
    assert args[args.index("--metadata") + 1] == "/m.json"
    assert args[args.index("--port") + 1] == "9000"
    assert args[args.index("--host") + 1] == "0.0.0.0"
    settings = {args[i + 1]: args[i + 2] for i, a in enumerate(args) if a == "--setting"}
    assert settings["sql_time_limit_ms"] == "1000"
    assert int(settings["max_returned_rows"]) >= 1000


def test_port_in_use_is_an_error() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(ArchiveError, match=f"port {port} is in use"):
            check_port_free("127.0.0.1", port)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.e2e
def test_datasette_process_serves_the_archive(archive_path: Path, tmp_path: Path) -> None:
    port = free_port()
    metadata = tmp_path / "metadata.json"
    metadata.write_text(json.dumps(build_metadata()), encoding="utf-8")
    args = datasette_args(archive_path, port=port, metadata_path=metadata)
    log = tmp_path / "datasette.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "datasette", *args], stdout=out, stderr=subprocess.STDOUT
        )
    url = f"http://127.0.0.1:{port}/archive/articles.json?_search=rice&_shape=array"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                response = httpx.get(url, timeout=2)
                break
            except httpx.TransportError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"datasette did not answer: {log.read_text()}")
                time.sleep(0.1)
        assert [r["url"] for r in response.json()] == [ARTICLES[1]["url"]]
        settings = httpx.get(f"http://127.0.0.1:{port}/-/settings.json", timeout=2).json()
        assert settings["sql_time_limit_ms"] == 1000
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_serve_refuses_a_missing_archive_or_a_taken_port(
    archive_path: Path, tmp_path: Path
) -> None:
    with pytest.raises(ArchiveError, match="no archive"):
        serve(tmp_path / "missing.db")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(ArchiveError, match="in use"):
            serve(archive_path, "127.0.0.1", port)
