"""`newsarchive serve` on the sample archive: facets, canned queries, the chart, public mode,
snapshots. A real Datasette process, asked over HTTP."""

from __future__ import annotations

import gzip
import hashlib
import html
import re
import sqlite3
import subprocess
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import ExitStack, closing
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlite_utils import Database

from archive import Archive
from archive.crawllog import CrawlLog
from archive.metadata import build_metadata
from archive.migrations import migrations
from archive.queries import CHART_QUERY, EXAMPLES, QUERIES, chart_path
from archive.serve import PUBLIC_SETTINGS, datasette_args
from crawler.sites import all_sites
from tests.conftest import NEWSARCHIVE, free_port, run_cli, serving, stop, wait_for_http

pytestmark = pytest.mark.e2e
SNAPSHOT = "archive-20261122T050000Z"
README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def archive_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("serve") / "archive.db"
    result = run_cli("demo", "--archive", str(path))
    assert result.returncode == 0, result.stderr
    return path


def query(archive_path: Path, sql: str) -> list[tuple[Any, ...]]:
    with closing(sqlite3.connect(archive_path)) as conn:
        return conn.execute(sql).fetchall()


@pytest.fixture(scope="module")
def start() -> Iterator[Callable[..., str]]:
    """Start `newsarchive serve ARGS`; returns the base URL. Stopped after the module."""
    with ExitStack() as stack:
        yield lambda *args: stack.enter_context(serving(*args))


@pytest.fixture(scope="module")
def local(start: Callable[..., str], archive_path: Path) -> str:
    return start("--archive", str(archive_path)) + "/archive"


@pytest.fixture(scope="module")
def public(start: Callable[..., str], archive_path: Path) -> str:
    return start("--archive", str(archive_path), "--public")


def get(url: str, **params: str) -> Any:
    response = httpx.get(url, params=params, timeout=10)
    assert response.status_code == 200, (url, response.text[:300])
    return response.json()


def rows(url: str, **params: str) -> list[dict[str, Any]]:
    return list(get(url, _shape="array", **params))


def facet(local: str, table: str, name: str, **params: str) -> dict[Any, int]:
    data = get(f"{local}/{table}.json", _facet=name, _facet_size="max", **params)
    return {item["value"]: item["count"] for item in data["facet_results"][name]["results"]}


# Facets


@pytest.mark.parametrize(
    ("name", "column"),
    [
        ("site", "site"),
        ("lang", "lang"),
        ("source_id", "source_id"),
        ("published_year", "published_year"),
        ("published_month", "published_month"),
    ],
)
def test_article_facets_count_the_archive(
    local: str, archive_path: Path, name: str, column: str
) -> None:
    expected = dict(
        query(
            archive_path,
            f"select {column}, count(*) from articles where {column} is not null group by {column}",
        )
    )
    assert facet(local, "articles", name) == expected


def test_facets_are_shown_by_default(local: str) -> None:
    shown = get(f"{local}/articles.json", _extra="facet_results")["facet_results"]
    assert {"site", "source_id", "lang", "published_year", "published_month"} <= set(shown)
    assert {v["value"] for v in shown["site"]["results"]} == {site.name for site in all_sites()}


def test_translator_facet_is_one_click(local: str, archive_path: Path) -> None:
    translators = facet(local, "translations", "translator")
    assert translators == dict(
        query(
            archive_path,
            "select people.name, count(*) from credits join people on people.id = person_id"
            " where role = 'translator' group by people.name",
        )
    )
    name, count = Counter(translators).most_common(1)[0]
    found = rows(f"{local}/translations.json", translator=name, _size="max")
    assert len(found) == count
    assert all(row["translator"] == name for row in found)


def test_foreign_keys_read_as_names(local: str) -> None:
    credits = rows(f"{local}/credits.json", _labels="on", role="translator")
    assert all(isinstance(c["person_id"]["label"], str) for c in credits)
    assert all(c["article_id"]["label"] for c in credits)


# Canned queries


def test_every_canned_query_answers_an_empty_form(local: str) -> None:
    for name in QUERIES:
        get(f"{local}/{name}.json")


def test_search_query_finds_a_two_character_chinese_word(local: str) -> None:
    found = rows(f"{local}/search.json", q="湘江")
    assert found, "湘江 should be found in the Chinese sample articles"
    assert "湘江" in found[0]["title"]
    assert all(row["lang"] == "zh" for row in found)
    assert all("<mark>湘江</mark>" in row["snippet"] for row in found)
    by_site = rows(f"{local}/search.json", q="湘江", site="hunan")
    assert by_site == []


def test_translators_query(local: str, archive_path: Path) -> None:
    found = rows(f"{local}/translators.json")
    expected = query(
        archive_path,
        "select people.name, count(*), min(published_date), max(published_date) from credits"
        " join people on people.id = person_id join articles on articles.id = article_id"
        " where role = 'translator' group by people.name order by count(*) desc, people.name",
    )
    assert [tuple(row.values())[:4] for row in found] == expected


def test_person_query_lists_credits_by_role(local: str) -> None:
    (top, *_) = rows(f"{local}/translators.json")
    found = rows(f"{local}/person.json", name=top["translator"].upper())
    assert len(found) == top["articles"]
    assert {row["role"] for row in found} == {"translator"}
    assert rows(f"{local}/person.json", name="Nobody Atall") == []


def test_articles_per_month_query(local: str, archive_path: Path) -> None:
    found = rows(f"{local}/{CHART_QUERY}.json")
    (dated,) = query(archive_path, "select count(*) from articles where published_date > ''")[0]
    assert sum(row["articles"] for row in found) == dated
    assert list(found[0]) == ["month", "site", "articles"]
    assert [row["month"] for row in found] == sorted(row["month"] for row in found)


def test_unknown_sources_and_latest_runs(local: str, archive_path: Path) -> None:
    with Archive.open(archive_path) as archive:
        unknown = archive.unknown_sources()
        runs = CrawlLog(archive).latest_runs(50)
    assert rows(f"{local}/unknown_sources.json") == unknown
    found = rows(f"{local}/latest_runs.json")
    assert [(r["id"], r["articles_new"]) for r in found] == [
        (r["id"], r["articles_new"]) for r in runs
    ]


def test_the_chart_is_on_its_query_page_however_it_is_reached(local: str) -> None:
    page = httpx.get(local.rsplit("/", 1)[0] + chart_path("archive"), timeout=10).text
    assert page.count('<rect class="bar"') >= 5
    for site in ("hengyang", "huasheng", "hunan", "rednet", "yueyang"):
        assert f'data-site="{site}"' in page
    assert "Yueyang Municipal People's Government (English)" in html.unescape(page)
    database_page = httpx.get(local, timeout=10).text
    assert f'href="{chart_path("archive")}"' in database_page


# Safety


def test_local_mode_allows_sql_within_limits(local: str) -> None:
    assert get(f"{local}.json", sql="select 1 as one", _shape="array") == [{"one": 1}]
    settings = get(local.rsplit("/", 1)[0] + "/-/settings.json")
    assert settings["sql_time_limit_ms"] == 1000
    assert settings["max_returned_rows"] == 2000


def test_public_mode_refuses_arbitrary_sql(public: str) -> None:
    for url in (f"{public}/archive.json", f"{public}/archive"):
        response = httpx.get(url, params={"sql": "select 1"}, timeout=10)
        assert response.status_code == 403, url
    assert rows(f"{public}/archive/search.json", q="bridge")
    assert rows(f"{public}/archive/{CHART_QUERY}.json")
    assert rows(f"{public}/archive/articles.json", _search="湘江")
    assert "Disallow: /" in httpx.get(f"{public}/robots.txt", timeout=10).text
    settings = get(f"{public}/-/settings.json")
    assert settings["allow_download"] is False
    assert settings["suggest_facets"] is False


def test_no_plugin_can_write(local: str) -> None:
    plugins = {p["name"] for p in get(local.rsplit("/", 1)[0] + "/-/plugins.json")}
    assert plugins == {"datasette-vega", "datasette-block-robots", "newsarchive"}


def test_binds_to_loopback_by_default() -> None:
    args = datasette_args("a.db", metadata_path="m.json")
    assert args[args.index("--host") + 1] == "127.0.0.1"
    assert "--host" in run_cli("serve", "--help").stdout
    assert build_metadata(public=True)["allow_sql"] is False
    assert "allow_sql" not in build_metadata()
    assert set(PUBLIC_SETTINGS) <= set(datasette_args("a.db", metadata_path="m", public=True))


# Snapshots


def test_snapshot_is_served_immutable_and_untouched(
    start: Callable[..., str], archive_path: Path, tmp_path: Path
) -> None:
    snapshot = tmp_path / f"{SNAPSHOT}.db"
    with closing(sqlite3.connect(archive_path)) as conn:
        conn.execute("vacuum into ?", [str(snapshot)])
    before = hashlib.sha256(snapshot.read_bytes()).hexdigest()
    base = start("--snapshot", str(snapshot), "--public")
    (database,) = get(f"{base}/-/databases.json")
    assert (database["name"], database["is_mutable"]) == ("archive", False)  # any file name
    table = get(f"{base}/archive/articles.json", _size="1")
    assert (
        table["filtered_table_rows_count"]
        == query(archive_path, "select count(*) from articles")[0][0]
    )
    (hit, *_) = rows(f"{base}/archive/search.json", q="湘江")
    article = httpx.get(f"{base}/archive/articles/{hit['id']}", timeout=10)
    assert article.status_code == 200 and hit["title"] in article.text
    captured = httpx.get(f"{base}/archive/articles/{hit['id']}/captured/page", timeout=10)
    assert captured.status_code == 200
    assert "default-src 'none'" in captured.headers["content-security-policy"]
    assert httpx.get(f"{base}/archive/captures", timeout=10).status_code == 403
    assert hashlib.sha256(snapshot.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [snapshot.name]


def test_a_compressed_snapshot_is_refused_saying_how_to_decompress_it(
    archive_path: Path, tmp_path: Path
) -> None:
    packed = tmp_path / f"{SNAPSHOT}.db.gz"
    packed.write_bytes(gzip.compress(archive_path.read_bytes()))
    result = run_cli("serve", "--snapshot", str(packed), "--port", str(free_port()))
    assert result.returncode == 1
    (line,) = result.stderr.strip().splitlines()
    assert f"{packed} is compressed: decompress it first (gunzip -c {packed} >" in line
    assert f"serve {tmp_path / SNAPSHOT}.db" in line


def test_serve_says_where_to_go_and_any_file_is_the_archive(
    archive_path: Path, tmp_path: Path
) -> None:
    news = tmp_path / "news.db"
    with closing(sqlite3.connect(archive_path)) as conn:
        conn.execute("vacuum into ?", [str(news)])
    port = free_port()
    server = subprocess.Popen(
        [NEWSARCHIVE, "serve", "--archive", str(news), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert server.stdout is not None
        line = server.stdout.readline().strip()
        assert line == f"Search the archive at http://127.0.0.1:{port}/archive/search"
        wait_for_http(f"http://127.0.0.1:{port}/-/settings.json", server)
        assert rows(f"http://127.0.0.1:{port}/archive/search.json", q="湘江")
    finally:
        stop(server)


@pytest.mark.parametrize(
    "link",
    sorted(set(re.findall(r"`(/archive/[^`\s]*\?[^`\s]*)`", README))),
)
def test_every_readme_example_finds_articles_in_the_demo(local: str, link: str) -> None:
    base = local.rsplit("/", 1)[0]
    response = httpx.get(base + link, timeout=10)
    assert response.status_code == 200, link
    if ".json" in link:
        assert response.json(), link
    else:
        assert "0 results" not in response.text and "No article matches" not in response.text


@pytest.mark.parametrize("example", [query for query, _ in EXAMPLES])
def test_every_search_page_example_finds_articles_in_the_demo(local: str, example: str) -> None:
    assert rows(f"{local}/search.json", q=example), example


def test_serve_errors_are_one_line(archive_path: Path, tmp_path: Path) -> None:
    not_an_archive = tmp_path / "notes.db"
    not_an_archive.write_text("hello")
    for args, message in [
        (("--snapshot", str(tmp_path / "missing.db")), "no snapshot"),
        (("--snapshot", str(not_an_archive)), "not a newsarchive snapshot"),
        (("--archive", str(archive_path), "--snapshot", str(archive_path)), "not both"),
        (("--archive", str(tmp_path / "missing.db")), "no archive"),
        (("--archive", str(archive_path), "--show", "crawl_runs"), "--show is for --public"),
    ]:
        result = run_cli("serve", *args)
        assert result.returncode == 1, args
        assert message in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_serve_refuses_an_archive_that_needs_migrating_and_leaves_it_as_it_was(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.db"
    db = Database(path)
    migrations.apply(db, stop_before="m003_search")
    db.close()
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    result = run_cli("serve", "--archive", str(path), "--port", str(free_port()))
    assert result.returncode == 1
    (line,) = result.stderr.strip().splitlines()
    assert "older newsarchive and needs migrating (m003_search" in line
    assert f"newsarchive migrate --archive {path}" in line
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
