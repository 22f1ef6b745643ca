"""End to end: the real crawler as a process against the replay, a real SQLite file, a real
Datasette over HTTP. The replay serves the bundled sample sites on 127.0.0.1."""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
from collections import Counter
from pathlib import Path

import httpx
import pytest

from crawler import sites
from crawler.replay import Replay
from crawler.samples_io import sample_item
from crawler.sites import SAMPLES_DIR, all_sites

from .conftest import NEWSARCHIVE, run_cli

pytestmark = pytest.mark.e2e
COUNTED_TABLES = (
    "articles",
    "sources",
    "people",
    "credits",
    "article_versions",
    "article_urls",
    "captures",
    "payloads",
    "rejects",
)


@pytest.fixture(scope="module")
def replay():
    with Replay() as server:
        yield server


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory, replay: Replay) -> Path:
    workdir = tmp_path_factory.mktemp("e2e")
    result = run_cli("crawl", "--replay", replay.url, cwd=workdir)
    assert result.returncode == 0, result.stdout + result.stderr
    return workdir / "archive.db"


def query(archive: Path, sql: str, *params: object) -> list[tuple]:
    with sqlite3.connect(archive) as db:
        return db.execute(sql, params).fetchall()


def table_counts(archive: Path) -> dict[str, int]:
    return {
        table: query(archive, f"select count(*) from [{table}]")[0][0] for table in COUNTED_TABLES
    }


def test_every_site_is_archived_with_title_body_and_date(crawled: Path) -> None:
    per_site = dict(query(crawled, "select site, count(*) from articles group by site"))
    assert set(per_site) == {site.name for site in all_sites()}
    per_host = Counter(sites.host_of(url) for (url,) in query(crawled, "select url from articles"))
    served = {host for site in all_sites() for host in site.hosts if (SAMPLES_DIR / host).is_dir()}
    assert all(per_host[host] >= 2 for host in served), per_host
    incomplete = query(
        crawled,
        "select url from articles where coalesce(title, '') = '' "
        "or coalesce(body, '') = '' or published_date is null",
    )
    assert incomplete == []


def test_items_keep_their_real_urls(crawled: Path) -> None:
    hosts = {host for site in all_sites() for host in site.hosts}
    for (url,) in query(crawled, "select url from articles"):
        assert re.match(r"https?://([^/:]+)/", url)[1] in hosts, url


def test_translators_of_the_sample_pages_are_credited(crawled: Path) -> None:
    translated = Counter(
        site
        for (site,) in query(
            crawled,
            "select a.site from credits c join articles a on a.id = c.article_id "
            "where c.role = 'translator'",
        )
    )
    assert {"hengyang", "hunan", "yueyang"} <= set(translated)


def test_moved_article_is_stored_once_with_its_old_url(crawled: Path) -> None:
    old = (
        "http://eng.hengyang.gov.cn/shishixinwen/hotnews/bendixinwen3/202001/t20200108_2990731.html"
    )
    new = "http://www.enghengyang.gov.cn/CurrentNews/HotNews/Local/20200108/i213120.html"
    assert query(crawled, "select url from articles where url in (?, ?)", old, new) == [(new,)]
    aliases = query(
        crawled, "select u.url, a.url from article_urls u join articles a on a.id = u.article_id"
    )
    assert (old, new) in aliases


def test_gbk_pages_are_decoded(crawled: Path) -> None:
    mojibake = query(crawled, "select url from articles where body like '%Ã%' or body like '%锟%'")
    assert mojibake == []


def test_robots_txt_is_asked_for_every_host(crawled: Path, replay: Replay) -> None:
    asked = {host for host, target in replay.server.requests if target == "/robots.txt"}
    visited = {host for host, _ in replay.server.requests}
    assert visited <= asked


def test_failed_fetches_are_rejects_not_silence(crawled: Path) -> None:
    rejects = query(crawled, "select stage, reason from rejects")
    assert ("fetch", "HTTP 500") in rejects


def test_every_run_is_recorded_as_finished(crawled: Path) -> None:
    runs = dict(query(crawled, "select site, status from crawl_runs"))
    assert runs == {site.name: "finished" for site in all_sites()}


def test_datasette_search_finds_the_article_holding_a_word(crawled: Path, served_archive) -> None:
    base = served_archive(crawled)
    # A word that occurs in exactly one article's title: search must return that article.
    titles = query(crawled, "select url, title from articles")
    words = Counter(w for _, t in titles for w in set(re.findall(r"[A-Za-z]{6,}", t)))
    word, url = next(
        (w, u) for u, t in titles for w in re.findall(r"[A-Za-z]{6,}", t) if words[w] == 1
    )
    rows = httpx.get(
        f"{base}/archive/articles.json", params={"_search": word, "_shape": "array"}, timeout=30
    ).json()
    assert url in [row["url"] for row in rows]


def test_second_crawl_changes_no_counts(crawled: Path, replay: Replay) -> None:
    before = table_counts(crawled)
    result = run_cli("crawl", "--replay", replay.url, "--archive", str(crawled))
    assert result.returncode == 0, result.stderr
    assert table_counts(crawled) == before


STORED_FIELDS = (
    "title",
    "body",
    "published_date",
    "published_at",
    "source_raw",
    "source",
    "original_source_raw",
    "published_from",
)


def stored_articles(crawled: Path) -> list[tuple]:
    """Every archived article's URL and stored fields (those of STORED_FIELDS, credits apart)."""
    return query(
        crawled,
        "select a.url, a.title, a.body, a.published_date, a.published_at, a.source_raw,"
        " s.name, a.original_source_raw, a.published_from from articles a"
        " left join sources s on s.id = a.source_id order by a.url",
    )


def stored_credits(crawled: Path, url: str) -> list[tuple]:
    return query(
        crawled,
        "select c.role, p.name from credits c"
        " join people p on p.id = c.person_id"
        " join articles a on a.id = c.article_id"
        " where a.url = ? order by c.position",
        url,
    )


@pytest.mark.parametrize("given", ["html", "text"])
def test_archive_fields_are_what_normalize_prints_for_the_page(crawled: Path, given: str) -> None:
    """The crawler's pipelines and `newsarchive normalize` are the same code: for every
    archived article, `normalize` of its sample page, given as the page's HTML (read as the
    crawler reads it) or as the text the reader made of it, gives the stored fields. Given as
    text, the page's metadata is not there to fill a field, so pages that needed it are left
    to the HTML case. A page that states no date has the date its listing showed: `normalize`
    of the page alone gives it none."""
    rows = stored_articles(crawled)
    assert len(rows) >= 50
    items = [sample_item(url) for url, *_ in rows]
    pages = [
        {"url": item["url"], "html": item["html"]}
        if given == "html"
        else {key: item[key] for key in ("url", "text", "title", "lang")}
        for item in items
    ]
    printed = run_normalize(pages)
    read = run_normalize([{"url": item["url"], "html": item["html"]} for item in items])
    for (url, *stored), result, from_html in zip(rows, printed, read, strict=True):
        if given == "text" and from_html.get("evidence"):
            continue
        if stored[-1] == "listing":
            assert (result["published_date"], result["published_from"]) == (None, None), url
            result = {**result, "published_date": stored[2], "published_from": "listing"}
        assert stored == [result[key] for key in STORED_FIELDS], url
        assert stored_credits(crawled, url) == [(c["role"], c["name"]) for c in result["credits"]]
        if given == "html":
            assert (
                result["extraction"]
                == query(crawled, "select extraction from articles where url = ?", url)[0][0]
            )


# Sample pages without a date line, as most real Yueyang pages are: their listing's date.
UNDATED = {
    "http://en.yueyang.gov.cn/21730/content_905233.html": "2017-09-05",
    "http://en.yueyang.gov.cn/21730/content_1103517.html": "2018-06-18",
}


@pytest.mark.parametrize("url", sorted(UNDATED))
def test_a_page_without_a_date_line_has_its_listing_date(crawled: Path, url: str) -> None:
    [row] = query(
        crawled,
        "select published_date, published_at, published_from, published_raw from articles"
        " where url = ?",
        url,
    )
    assert row[:3] == (UNDATED[url], None, "listing")
    assert row[3] == f"listing http://en.yueyang.gov.cn/21730/index_2.html: {UNDATED[url]}"


def test_other_dates_say_where_they_came_from(crawled: Path) -> None:
    origins = dict(query(crawled, "select published_from, count(*) from articles group by 1"))
    assert set(origins) <= {"page", "meta", "url", "listing"}
    assert origins["page"] > 40 and origins["listing"] == len(UNDATED)


def run_normalize(pages: list[dict]) -> list[dict]:
    """What `newsarchive normalize` prints for ``pages`` (the real command, JSON Lines)."""
    lines = "".join(json.dumps(page, ensure_ascii=False) + "\n" for page in pages)
    result = subprocess.run(
        [NEWSARCHIVE, "normalize"], input=lines, text=True, capture_output=True, check=True
    )
    return [json.loads(line) for line in result.stdout.splitlines()]


# Each launch host's page as its CMS writes it, and a redesigned twin its selectors miss.
TWINS = [
    (
        "http://eng.hengyang.gov.cn/shishixinwen/hotnews/bendixinwen3/202103/t20210316_3102554.html",
        "http://eng.hengyang.gov.cn/shishixinwen/hotnews/bendixinwen3/202103/t20210318_3103120.html",
    ),
    (
        "http://www.enghengyang.gov.cn/CurrentNews/HotNews/Local/20250612/i3671208.html",
        "http://www.enghengyang.gov.cn/CurrentNews/HotNews/Local/20250613/i3671544.html",
    ),
    (
        "http://www.enghunan.gov.cn/hneng/News/Localnews/202404/t20240409_33290154.html",
        "http://www.enghunan.gov.cn/hneng/News/Localnews/202404/t20240411_33295017.html",
    ),
    (
        "http://en.yueyang.gov.cn/21730/content_2710356.html",
        "http://en.yueyang.gov.cn/21730/content_2710419.html",
    ),
    (
        "https://english.rednet.cn/content/2024/11/19/14520736.html",
        "https://english.rednet.cn/content/2024/11/20/14523381.html",
    ),
    (
        "http://english.voc.com.cn/article/202409/202409101530416782.html",
        "http://english.voc.com.cn/article/202409/202409111022305519.html",
    ),
    (
        "http://hunan.voc.com.cn/article/202410/202410221418093305.html",
        "http://hunan.voc.com.cn/article/202410/202410231036117429.html",
    ),
]
TWIN_FIELDS = "published_date, published_at, published_raw is not null, source_raw, source_id"


@pytest.mark.parametrize(("normal", "redesigned"), TWINS, ids=[t[1].split("/")[2] for t in TWINS])
def test_a_redesigned_page_is_stored_with_the_fields_of_its_twin(
    crawled: Path, normal: str, redesigned: str
) -> None:
    sql = f"select extraction, {TWIN_FIELDS}, title from articles where url = ?"
    [(normal_reading, *normal_fields, _)] = query(crawled, sql, normal)
    [(reading, *fields, title)] = query(crawled, sql, redesigned)
    assert normal_reading.startswith("selectors:") and reading == "generic"
    assert fields == normal_fields and normal_fields[0] is not None and title
    assert stored_credits(crawled, redesigned) == stored_credits(crawled, normal) != []


def test_runs_count_the_articles_read_generically(crawled: Path) -> None:
    # Every run (two crawls of every site): the first crawl's runs are the ones that read pages.
    every_run = ("--archive", str(crawled), "--limit", "1000")
    runs = json.loads(run_cli("runs", *every_run, "--json").stdout)
    counted = {run["site"]: run["stats"].get("newsarchive/generic_reading", 0) for run in runs}
    twins = Counter(sites.for_url(redesigned).name for _, redesigned in TWINS)
    assert all(counted[site] >= number for site, number in twins.items()), counted
    table = run_cli("runs", *every_run).stdout
    assert all(re.search(rf"{site}.*generic\s+{counted[site]}", table) for site in twins), table


# Pages whose declared charset lies (or is missing), and what the archive records of them.
CHARSET_LIES = {
    "http://eng.hengyang.gov.cn/shishixinwen/hotnews/bendixinwen3/202103/t20210316_3102554.html": (
        "the meta tag declares gb2312, the bytes are UTF-8"
    ),
    "http://eng.hengyang.gov.cn/shishixinwen/hotnews/bendixinwen3/202103/t20210318_3103120.html": (
        "no charset declared; read as gb18030"
    ),
    "http://www.enghunan.gov.cn/hneng/News/Localnews/202404/t20240409_33290154.html": (
        "the HTTP header declares gb2312, the bytes are UTF-8"
    ),
    "http://en.yueyang.gov.cn/21730/content_2710356.html": (
        "the HTTP header declares iso-8859-1, the bytes are UTF-8"
    ),
    "http://hunan.voc.com.cn/article/202410/202410231036117429.html": (
        "the meta tag declares gb2312, the bytes are UTF-8"
    ),
}


@pytest.mark.parametrize("url", sorted(CHARSET_LIES))
def test_a_charset_that_lies_is_read_right_and_recorded(crawled: Path, url: str) -> None:
    [(title, body)] = query(crawled, "select title, body from articles where url = ?", url)
    assert "\ufffd" not in title + body and not re.search("[ÃÂâ¤¥]|锟", title + body)
    reasons = [r for (r,) in query(crawled, "select reason from rejects where url = ?", url)]
    assert any(CHARSET_LIES[url] in reason for reason in reasons), reasons


def test_runs_command_shows_the_latest_runs(crawled: Path) -> None:
    sites = str(len(all_sites()))
    table = run_cli("runs", "--archive", str(crawled), "--limit", sites)
    assert table.returncode == 0
    assert sorted(line.split()[2] for line in table.stdout.splitlines()) == sorted(
        site.name for site in all_sites()
    )
    runs = json.loads(run_cli("runs", "--archive", str(crawled), "--json", "--limit", sites).stdout)
    assert {run["status"] for run in runs} == {"finished"}
    assert all(run["stats"]["response_received_count"] == run["pages_fetched"] for run in runs)
