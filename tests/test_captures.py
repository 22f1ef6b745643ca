"""Captures (`archive/captures.py`): every fetch kept, each payload stored once."""

from __future__ import annotations

import base64
import hashlib
import json
import zlib
from pathlib import Path
from typing import Any

import pytest
from scrapy.http import Headers

from archive import Archive
from archive.captures import content_type, decoded, header_pairs, payload_digest

from .captured import article, fetched, page

URL = "http://en.lakeside.gov.cn/news/content_1001.html"
FIRST = "2024-05-01T08:00:00+00:00"
SECOND = "2024-05-02T08:00:00+00:00"
THIRD = "2024-05-03T08:00:00+00:00"
STORY = article(URL, "yueyang", "Ferry Opens", "A ferry now crosses the lake.", "2024-04-30")


@pytest.fixture
def archive(tmp_path: Path):
    with Archive.open(tmp_path / "archive.db") as archive:
        yield archive


def rows(archive: Archive, sql: str, *params: Any) -> list[dict[str, Any]]:
    return list(archive.db.query(sql, list(params)))


def test_payload_digest_is_the_warc_sha1_in_base32() -> None:
    body = b"<html>hello</html>"
    expected = base64.b32encode(hashlib.sha1(body).digest()).decode()
    assert payload_digest(body) == f"sha1:{expected}"
    assert payload_digest(b"") == "sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ"


def test_header_pairs_keep_order_repeats_and_every_byte() -> None:
    headers = Headers({"Content-Type": "text/html"})
    headers.appendlist("Set-Cookie", "a=1")
    headers.appendlist("Set-Cookie", "b=2")
    headers["X-Name"] = "caf\xe9".encode("latin-1")
    assert header_pairs(headers) == [
        ("Content-Type", "text/html"),
        ("Set-Cookie", "a=1"),
        ("Set-Cookie", "b=2"),
        ("X-Name", "caf\xe9"),
    ]


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (None, "text/html; charset=utf-8"),  # no headers: the payload is UTF-8
        (json.dumps([["content-type", "text/html; charset=gbk"]]), "text/html; charset=gbk"),
        (json.dumps([["Server", "x"]]), None),
    ],
)
def test_content_type_a_capture_is_read_with(headers: str | None, expected: str | None) -> None:
    assert content_type(headers) == expected


@pytest.mark.parametrize(
    ("body", "encoding", "headerless", "text"),
    [
        ("湖南".encode("gb18030"), "gb18030", False, "湖南"),
        ("湖南".encode(), "gb18030", True, "湖南"),  # a migrated page: UTF-8 whatever it was
        (b"\xef\xbb\xbfplain", "utf-8", False, "plain"),
        ("bom".encode("utf-16-le").join([b"\xff\xfe", b""]), "utf-8", False, "bom"),
        (b"caf\xe9", "cp1252", False, "caf\xe9"),
    ],
)
def test_decoded_reads_a_payload_as_the_crawler_did(
    body: bytes, encoding: str, headerless: bool, text: str
) -> None:
    assert decoded(body, encoding, headerless=headerless) == text


def test_every_fetch_is_a_capture_and_an_unchanged_page_is_stored_once(archive: Archive) -> None:
    body = page("Ferry Opens", "A ferry now crosses the lake.")
    for when in (FIRST, SECOND):
        archive.upsert_articles([fetched(STORY, body, when)])
    captures = rows(archive, "select * from captures order by id")
    assert [c["fetched_at"] for c in captures] == [FIRST, SECOND]
    assert {c["payload_digest"] for c in captures} == {payload_digest(body)}
    assert all(c["origin"] == "fetched" and c["ip_address"] == "127.0.0.1" for c in captures)
    assert json.loads(captures[0]["request_headers"])[0] == ["User-Agent", "newsarchive-test"]
    (payload,) = rows(archive, "select * from payloads")
    assert zlib.decompress(payload["body_z"]) == body
    assert (payload["size"], payload["sha256"]) == (len(body), hashlib.sha256(body).hexdigest())
    (stored,) = rows(archive, "select capture_id, version from articles")
    assert stored == {"capture_id": captures[1]["id"], "version": 1}


def test_a_changed_page_keeps_each_version_with_its_capture(archive: Archive) -> None:
    archive.upsert_articles([fetched(STORY, page("Ferry Opens", "One ferry."), FIRST)])
    changed = {**STORY, "body": "Two ferries now cross the lake."}
    archive.upsert_articles([fetched(changed, page("Ferry Opens", "Two ferries."), SECOND)])
    archive.upsert_articles([fetched(changed, page("Ferry Opens", "Two ferries."), THIRD)])
    first, second, third = (c["id"] for c in rows(archive, "select id from captures order by id"))
    assert rows(archive, "select version, capture_id from article_versions") == [
        {"version": 1, "capture_id": first}
    ]
    assert rows(archive, "select version, capture_id from articles") == [
        {"version": 2, "capture_id": third}
    ]
    assert archive.counts()["payloads"] == 2
    assert second < third


def test_a_reprocessed_article_keeps_its_capture_and_when_it_was_seen(archive: Archive) -> None:
    archive.upsert_articles([fetched(STORY, page("Ferry Opens", "One ferry."), FIRST)])
    (stored,) = rows(archive, "select capture_id, last_seen from articles")
    again = {**STORY, "capture_id": stored["capture_id"], "crawled_at": FIRST}
    assert archive.upsert_articles([again]) == {"new": 0, "updated": 0, "unchanged": 1}
    assert rows(archive, "select capture_id, last_seen from articles") == [stored]
    assert archive.counts()["captures"] == 1


def test_a_duplicate_under_another_url_is_captured_for_the_article(archive: Archive) -> None:
    body = page("Ferry Opens", "A ferry now crosses the lake.")
    other = {**STORY, "url": URL.replace("1001", "1002")}
    archive.upsert_articles([fetched(STORY, body, FIRST), fetched(other, body, FIRST)])
    article_ids = {c["url"]: c["article_id"] for c in rows(archive, "select * from captures")}
    assert len(article_ids) == 2 and len(set(article_ids.values())) == 1
    assert archive.db.execute("pragma foreign_key_check").fetchall() == []
