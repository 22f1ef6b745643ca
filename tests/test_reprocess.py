"""`newsarchive reprocess`: stored pages re-parsed and re-normalized into the archive."""

from __future__ import annotations

import hashlib
import sqlite3
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

from archive.captures import payload_digest
from archive.db import Archive
from bench.generate import TODAY, page_html, stories
from crawler.normalizing import normalize_page
from crawler.reprocess import reprocess
from crawler.samples_io import parsed_item
from tests.conftest import run_cli

PAGES = 12


def crawled(path: Path) -> list[str]:
    """An archive holding what a crawl of generated Huasheng pages stores; their URLs."""
    articles = []
    for story in stories(PAGES, seed=3):
        item = parsed_item(story.url, page_html(story), encoding="utf-8")
        articles.append({**item, **normalize_page(item, TODAY)})
    with Archive.open(path) as archive:
        assert archive.upsert_articles(articles)["new"] == PAGES
    return [article["url"] for article in articles]


def edit_page(path: Path, url: str, edit: Callable[[str], str]) -> None:
    """Give the article at `url` a new capture holding its page edited, as if the page had
    been fetched so (a parser reading it differently would see the same)."""
    with sqlite3.connect(path) as conn:
        (html,) = conn.execute(
            "select p.body_z from articles a join captures c on c.id = a.capture_id"
            " join payloads p on p.digest = c.payload_digest where a.url = ?",
            [url],
        ).fetchone()
        body = edit(zlib.decompress(html).decode()).encode()
        digest = payload_digest(body)
        conn.execute(
            "insert into payloads (digest, sha256, size, body_z) values (?, ?, ?, ?)",
            [digest, hashlib.sha256(body).hexdigest(), len(body), zlib.compress(body)],
        )
        conn.execute(
            "insert into captures (url, fetched_at, origin, encoding, payload_digest, article_id)"
            " select url, fetched_at, origin, encoding, ?, article_id from captures"
            " where id = (select capture_id from articles where url = ?)",
            [digest, url],
        )
        conn.execute(
            "update articles set capture_id = (select max(id) from captures) where url = ?", [url]
        )


@pytest.mark.parametrize("workers", [0, 2])
def test_unchanged_pages_change_nothing(tmp_path: Path, workers: int) -> None:
    path = tmp_path / "archive.db"
    crawled(path)
    done = reprocess(path, workers=workers, today=TODAY)
    assert (done.pages, done.new, done.updated, done.unchanged) == (PAGES, 0, 0, PAGES)
    with Archive.open(path) as archive:
        assert archive.counts()["article_versions"] == 0


def test_a_changed_parse_updates_the_article_with_a_version(tmp_path: Path) -> None:
    path = tmp_path / "archive.db"
    url = crawled(path)[0]
    edit_page(path, url, lambda html: html.replace("</h1>", " (updated)</h1>"))
    done = reprocess(path, workers=0, today=TODAY)
    assert (done.updated, done.unchanged) == (1, PAGES - 1)
    with Archive.open(path) as archive:
        row = archive.db.execute("select title, version from articles where url = ?", [url])
        title, version = row.fetchone()
        assert title.endswith("(updated)") and version == 2
        assert archive.counts()["article_versions"] == 1


def test_a_page_that_no_longer_parses_is_a_parse_reject(tmp_path: Path) -> None:
    path = tmp_path / "archive.db"
    url = crawled(path)[1]
    edit_page(path, url, lambda html: "<html><body><div>Page moved</div></body></html>")
    done = reprocess(path, workers=0, today=TODAY)
    assert done.rejects == 1 and done.unchanged == PAGES - 1
    with Archive.open(path) as archive:
        rejects = list(archive.db.query("select url, stage, site from rejects"))
    assert rejects == [{"url": url, "stage": "parse", "site": "huasheng"}]


@pytest.mark.e2e
def test_command_prints_counts_and_filters_by_site(tmp_path: Path) -> None:
    path = tmp_path / "archive.db"
    crawled(path)
    done = run_cli("reprocess", "--archive", str(path), "--site", "huasheng")
    assert done.returncode == 0, done.stderr
    assert f"reprocessed {PAGES} pages" in done.stdout
    assert f"0 new, 0 updated, {PAGES} unchanged, 0 rejects" in done.stdout
    other = run_cli("reprocess", "--archive", str(path), "--site", "hunan", "--workers", "0")
    assert other.returncode == 0 and "reprocessed 0 pages" in other.stdout


@pytest.mark.e2e
def test_command_errors_are_one_line(tmp_path: Path) -> None:
    unknown = run_cli("reprocess", "--archive", str(tmp_path / "archive.db"), "--site", "nope")
    assert unknown.returncode == 1 and "unknown site 'nope'" in unknown.stderr
    missing = run_cli("reprocess", "--archive", str(tmp_path / "none.db"))
    assert missing.returncode == 1 and "no archive at" in missing.stderr
    assert "Traceback" not in unknown.stderr + missing.stderr
