"""End to end: a crawl, a refresh that finds an article changed, a WARC export, and the
standard tools on the file: `warcio check` and `warcio index`, then pywb replaying it.

The crawl runs as a process against a replay of a copy of the sample sites (Yueyang),
one of whose pages is served gzipped; the test then edits a page and refreshes.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import subprocess
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from warcio.archiveiterator import ArchiveIterator

from archive.captures import content_type, payload_digest
from archive.reading import captured_html
from crawler import charset
from crawler.replay import Replay
from crawler.samples_io import sample_item
from crawler.sites import SAMPLES_DIR

from .conftest import run_cli
from .pywb import wayback

pytestmark = pytest.mark.e2e

YUEYANG = "en.yueyang.gov.cn"
SECTION = "21730"
CHANGED = f"http://{YUEYANG}/{SECTION}/content_712408.html"
GZIPPED = f"http://{YUEYANG}/{SECTION}/content_1103517.html"
FAST = ("-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0")
WARCIO = str(Path(sys.executable).with_name("warcio"))


@dataclass(frozen=True)
class Crawled:
    root: Path  # the replayed sites, as last served
    archive: Path
    warc: Path


def crawl(replay: Replay, archive: Path, *args: str) -> None:
    done = run_cli(
        "crawl", "yueyang", "--replay", replay.url, "--archive", str(archive), *FAST, *args
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Crawled:
    work = tmp_path_factory.mktemp("warc")
    root = work / "samples"
    shutil.copytree(SAMPLES_DIR, root)
    faults = root / YUEYANG / "_replay.json"
    served = json.loads(faults.read_text(encoding="utf-8"))
    served["faults"][GZIPPED.split(YUEYANG)[1]] = {"gzip": True}
    faults.write_text(json.dumps(served), encoding="utf-8")
    archive = work / "archive.db"
    with Replay(root) as replay:
        crawl(replay, archive)
        page = root / YUEYANG / SECTION / "content_712408.html"
        text = page.read_text(encoding="utf-8")
        page.write_text(text.replace("About 30,000 saplings", "About 45,000 saplings"), "utf-8")
        crawl(replay, archive, "--refresh")
    out = work / "out"
    done = run_cli(
        "snapshot",
        "--archive",
        str(archive),
        "--format",
        "warc",
        "--out",
        str(out),
        "-o",
        "news.warc.gz",
    )
    assert done.returncode == 0, done.stderr
    return Crawled(root, archive, out / "news.warc.gz")


def query(archive: Path, sql: str, *params: object) -> list[tuple]:
    with sqlite3.connect(archive) as db:
        return db.execute(sql, params).fetchall()


@dataclass
class Record:
    kind: str
    url: str | None
    date: str | None
    payload_digest: str | None
    refers_to: tuple[str | None, str | None]
    http: dict[str, str]
    payload: bytes


def records(warc: Path) -> list[Record]:
    found = []
    with warc.open("rb") as f:
        for record in ArchiveIterator(f):
            headers = record.rec_headers
            http = dict(record.http_headers.headers) if record.http_headers else {}
            found.append(
                Record(
                    record.rec_type,
                    headers.get_header("WARC-Target-URI"),
                    headers.get_header("WARC-Date"),
                    headers.get_header("WARC-Payload-Digest"),
                    (
                        headers.get_header("WARC-Refers-To-Target-URI"),
                        headers.get_header("WARC-Refers-To-Date"),
                    ),
                    http,
                    record.raw_stream.read(),
                )
            )
    return found


def stored_bytes(archive: Path, digest: str) -> bytes:
    (body_z,) = query(archive, "select body_z from payloads where digest = ?", digest)[0]
    return zlib.decompress(body_z)


def test_warcio_check_and_index_accept_the_file(crawled: Crawled) -> None:
    check = subprocess.run(
        [WARCIO, "check", "-v", str(crawled.warc)], capture_output=True, text=True
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert "digest pass" in check.stdout and "failed" not in check.stdout
    index = subprocess.run(
        [WARCIO, "index", "-f", "warc-type,warc-target-uri", str(crawled.warc)],
        capture_output=True,
        text=True,
    )
    assert index.returncode == 0, index.stderr
    kinds = [json.loads(line)["warc-type"] for line in index.stdout.splitlines()]
    articles = query(crawled.archive, "select count(*) from articles")[0][0]
    assert kinds[0] == "warcinfo"
    # Two fetches of every article: 12 responses and a revisit for each unchanged one.
    assert kinds.count("response") == articles + 1
    assert kinds.count("revisit") == articles - 1
    assert kinds.count("request") == 2 * articles


def test_every_archived_article_is_in_the_file_with_its_stored_payload(crawled: Crawled) -> None:
    found = records(crawled.warc)
    responses = {(r.url, r.date): r for r in found if r.kind in ("response", "revisit")}
    captured = query(
        crawled.archive,
        "select a.url, c.fetched_at, c.payload_digest from articles a"
        " join captures c on c.id = a.capture_id",
    )
    assert len(captured) == 12
    for url, fetched_at, digest in captured:
        record = responses[(url, fetched_at.replace("+00:00", "Z"))]
        assert record.payload_digest == digest
    for record in found:
        if record.kind == "response":
            stored = stored_bytes(crawled.archive, record.payload_digest or "")
            assert record.payload == stored
            assert payload_digest(record.payload) == record.payload_digest
            sha256 = query(
                crawled.archive,
                "select sha256 from payloads where digest = ?",
                record.payload_digest,
            )[0][0]
            assert hashlib.sha256(record.payload).hexdigest() == sha256


def test_the_changed_article_has_both_captures(crawled: Crawled) -> None:
    versions = [r for r in records(crawled.warc) if r.kind == "response" and r.url == CHANGED]
    assert len(versions) == 2
    assert b"About 30,000 saplings" in versions[0].payload
    assert b"About 45,000 saplings" in versions[1].payload
    (old_capture, new_capture) = query(
        crawled.archive,
        "select v.capture_id, a.capture_id from article_versions v"
        " join articles a on a.id = v.article_id where a.url = ?",
        CHANGED,
    )[0]
    assert old_capture < new_capture


def test_an_unchanged_refetch_is_a_revisit_of_the_first_capture(crawled: Crawled) -> None:
    found = records(crawled.warc)
    responses = {(r.url, r.date): r for r in found if r.kind == "response"}
    revisits = [r for r in found if r.kind == "revisit"]
    assert revisits and CHANGED not in {r.url for r in revisits}
    for revisit in revisits:
        original = responses[revisit.refers_to]
        assert original.payload_digest == revisit.payload_digest
        assert revisit.payload == b""


def test_a_gzipped_page_keeps_its_content_encoding_and_says_the_payload_is_decoded(
    crawled: Crawled,
) -> None:
    (headers,) = query(
        crawled.archive, "select response_headers from captures where url = ? limit 1", GZIPPED
    )[0]
    assert ["Content-Encoding", "gzip"] in json.loads(headers)
    (response,) = [r for r in records(crawled.warc) if r.kind == "response" and r.url == GZIPPED]
    assert response.http.get("X-Orig-Content-Encoding") == "gzip"
    assert "Content-Encoding" not in response.http
    assert response.http["Content-Length"] == str(len(response.payload))
    assert response.payload.startswith(b"<!DOCTYPE") or b"<html" in response.payload[:200]


def test_the_html_shown_is_what_the_crawler_read(crawled: Crawled) -> None:
    with sqlite3.connect(crawled.archive) as conn:
        for url, headers, digest in conn.execute(
            "select c.url, c.response_headers, c.payload_digest from articles a"
            " join captures c on c.id = a.capture_id"
        ):
            page = charset.decode(stored_bytes(crawled.archive, digest), content_type(headers))
            assert captured_html(conn, url) == page.text
            if url != CHANGED:
                assert page.text == sample_item(url, crawled.root)["html"]


def test_pywb_replays_each_capture_with_its_text(crawled: Crawled) -> None:
    found = records(crawled.warc)
    versions = [r for r in found if r.kind == "response" and r.url == CHANGED]
    revisit = next(r for r in found if r.kind == "revisit")
    with wayback(crawled.warc) as base:
        for record, text in (
            (versions[0], "About 30,000 saplings"),
            (versions[1], "About 45,000 saplings"),
        ):
            stamp = "".join(ch for ch in record.date or "" if ch.isdigit())
            page = httpx.get(f"{base}/news/{stamp}id_/{CHANGED}", timeout=30)
            assert page.status_code == 200 and text in page.text
        stamp = "".join(ch for ch in revisit.date or "" if ch.isdigit())
        again = httpx.get(f"{base}/news/{stamp}id_/{revisit.url}", timeout=30)
        assert again.status_code == 200
        assert again.content == responses_payload(found, revisit)


def responses_payload(found: list[Record], revisit: Record) -> bytes:
    return next(r.payload for r in found if (r.url, r.date) == revisit.refers_to)


TABLES = ("articles", "article_versions", "captures", "payloads", "credits", "article_urls")


def contents(archive: Path) -> dict[str, list[tuple]]:
    found = {table: query(archive, f"select * from [{table}] order by 1, 2") for table in TABLES}
    found["rejects"] = query(archive, "select url, stage, reason from rejects order by 1, 2")
    return found


def test_a_reprocess_of_the_unchanged_archive_changes_nothing(
    crawled: Crawled, tmp_path: Path
) -> None:
    copy = tmp_path / "archive.db"
    with sqlite3.connect(crawled.archive) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    before = contents(copy)
    done = run_cli("reprocess", "--archive", str(copy), "--workers", "0")
    assert done.returncode == 0, done.stderr
    assert "0 new, 0 updated, 12 unchanged" in done.stdout
    assert contents(copy) == before
