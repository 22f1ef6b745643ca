"""Every capture of an article page, kept as the server sent it (`captures`, `payloads`).

A *capture* is one fetch: the URL, the time, the status, the request's and the response's
headers as they were sent and received (name and value pairs, in order, as JSON), the IP the
page came from, and the payload's digest. The *payload* is the response body as Scrapy hands
it over (`response.body`: transfer and content codings undone, so a page served
``Content-Encoding: gzip`` is stored inflated while its headers still say gzip),
zlib-compressed, stored once per digest: an unchanged page fetched again adds a capture row
that points at the payload already stored (the WARC ``revisit`` idea).

The digest is the WARC one, ``sha1:`` and the SHA-1 in base 32 (`WARC-Payload-Digest`), so
an export needs no recomputation; ``sha256`` (hex) is kept beside it as the stronger witness.

Where a capture came from (``origin``):

- ``fetched``: fetched by the crawler; bytes, status and headers as received.
- ``migrated``: a page an archive held before captures were kept (migration m006): the
  page's decoded HTML as UTF-8, without headers.
- ``given``: HTML handed to the archive as text (an import, a generated archive): as UTF-8,
  without headers; stored again only when it differs from the URL's latest capture.

A capture without headers says so: ``response_headers`` is null and its origin is not
``fetched``. Its payload is UTF-8 whatever the page was served in (``encoding`` keeps that).
"""

from __future__ import annotations

import base64
import hashlib
import json
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from archive.ingest import insert_rows, select_in

FETCHED = "fetched"
MIGRATED = "migrated"
GIVEN = "given"
ORIGINS = (FETCHED, MIGRATED, GIVEN)
# What the payload of a capture without headers is: the decoded page, as UTF-8.
HEADERLESS_CONTENT_TYPE = "text/html; charset=utf-8"
BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)

Headers = list[tuple[str, str]]


def payload_digest(body: bytes) -> str:
    """The WARC payload digest of ``body``: ``sha1:`` and the SHA-1 in base 32."""
    return "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode("ascii")


def header_pairs(headers: Mapping[Any, Any]) -> Headers:
    """A Scrapy `Headers` (or any mapping of name to value or list of values, bytes or
    str) as (name, value) text pairs in order, one per value; bytes are read as latin-1,
    which keeps every byte."""
    pairs: Headers = []
    for name, values in headers.items():
        for value in values if isinstance(values, list | tuple) else [values]:
            pairs.append((_text(name), _text(value)))
    return pairs


def _text(value: str | bytes) -> str:
    return value.decode("latin-1") if isinstance(value, bytes) else str(value)


def dump_headers(pairs: Sequence[Sequence[str]] | None) -> str | None:
    return None if pairs is None else json.dumps([list(pair) for pair in pairs])


def load_headers(text: str | None) -> Headers | None:
    return None if text is None else [(name, value) for name, value in json.loads(text)]


def header(pairs: Headers | None, name: str) -> str | None:
    """The first value of header ``name`` (any case) in ``pairs``."""
    wanted = name.lower()
    return next((value for key, value in pairs or () if key.lower() == wanted), None)


def content_type(response_headers: str | None) -> str | None:
    """The Content-Type a stored capture's bytes are read with: the one it was served with,
    and for a capture without headers the UTF-8 its payload is."""
    if response_headers is None:
        return HEADERLESS_CONTENT_TYPE
    return header(load_headers(response_headers), "Content-Type")


def decoded(body: bytes, encoding: str | None, *, headerless: bool) -> str:
    """A payload as the text the crawler read: without its byte-order mark, in the charset
    the crawler chose (`encoding`), or UTF-8 for a capture without headers."""
    for bom, bom_encoding in BOMS:
        if body.startswith(bom):
            return body[len(bom) :].decode(bom_encoding, "replace")
    return body.decode("utf-8" if headerless else encoding or "utf-8", "replace")


@dataclass
class NewCapture:
    """A capture about to be stored, with its payload."""

    id: int
    article_url: str  # the URL the batch gave the article (a capture's own may differ)
    url: str
    fetched_at: str
    origin: str
    body: bytes
    digest: str
    status: int | None = None
    encoding: str | None = None
    method: str | None = None
    protocol: str | None = None
    ip_address: str | None = None
    request_headers: str | None = None
    response_headers: str | None = None

    def row(self, article_id: int | None) -> dict[str, Any]:
        return {
            "id": self.id,
            "url": self.url,
            "fetched_at": self.fetched_at,
            "method": self.method,
            "status": self.status,
            "protocol": self.protocol,
            "ip_address": self.ip_address,
            "request_headers": self.request_headers,
            "response_headers": self.response_headers,
            "origin": self.origin,
            "encoding": self.encoding,
            "payload_digest": self.digest,
            "article_id": article_id,
        }


def fetched(article: Mapping[str, Any], capture_id: int, seen_at: str) -> NewCapture:
    """The capture a crawled item carries (``capture``: what `crawler.capturing` noted)."""
    capture = article["capture"]
    body = bytes(capture["body"])
    return NewCapture(
        id=capture_id,
        article_url=article["url"],
        url=capture.get("url") or article["url"],
        fetched_at=capture.get("fetched_at") or seen_at,
        origin=FETCHED,
        body=body,
        digest=payload_digest(body),
        status=capture.get("status"),
        encoding=article.get("encoding"),
        method=capture.get("method") or "GET",
        protocol=capture.get("protocol"),
        ip_address=capture.get("ip_address"),
        request_headers=dump_headers(capture.get("request_headers") or []),
        response_headers=dump_headers(capture.get("response_headers") or []),
    )


def given(article: Mapping[str, Any], capture_id: int, seen_at: str) -> NewCapture:
    """The capture of an item that carries its page as decoded HTML only."""
    html = article["html"]
    body = html.encode("utf-8") if isinstance(html, str) else bytes(html)
    return NewCapture(
        id=capture_id,
        article_url=article["url"],
        url=article["url"],
        fetched_at=article.get("crawled_at") or seen_at,
        origin=GIVEN,
        body=body,
        digest=payload_digest(body),
        status=article.get("status"),
        encoding=article.get("encoding"),
    )


# The latest capture of each of these URLs, found through the article it belongs to (its
# own URL, another of its): captures are indexed by article, not by URL (m008).
LATEST_OF_ARTICLES_SQL = """select captures.url, max(captures.id) as id, captures.payload_digest
from articles join captures
  on captures.article_id = articles.id and captures.url = articles.url
where articles.url in ({})
group by captures.url"""
LATEST_OF_ALIASES_SQL = """select captures.url, max(captures.id) as id, captures.payload_digest
from article_urls join captures
  on captures.article_id = article_urls.article_id and captures.url = article_urls.url
where article_urls.url in ({})
group by captures.url"""


def assign(db: Database, articles: list[dict[str, Any]], seen_at: str) -> list[NewCapture]:
    """The captures a batch brings, numbered after the stored ones (the caller holds the
    write transaction), each article given the id of the capture it was read from
    (``capture_id``). A crawled item always brings a new capture; HTML given as text brings
    one unless it is the URL's latest capture already; an
    article without a page (a reprocess) keeps the ``capture_id`` it carries."""
    (last,) = db.conn.execute("select coalesce(max(id), 0) from captures").fetchone()
    given_urls = [
        a["url"] for a in articles if a.get("capture") is None and a.get("html") is not None
    ]
    latest = {
        row["url"]: row
        for sql in (LATEST_OF_ARTICLES_SQL, LATEST_OF_ALIASES_SQL)
        for row in select_in(db, sql, given_urls)
    }
    made: list[NewCapture] = []
    for article in articles:
        if article.get("capture") is not None:
            capture = fetched(article, last + len(made) + 1, seen_at)
        elif article.get("html") is not None:
            capture = given(article, last + len(made) + 1, seen_at)
            stored = latest.get(capture.url)
            if stored is not None and stored["payload_digest"] == capture.digest:
                article["capture_id"] = stored["id"]
                continue
        else:
            continue
        article["capture_id"] = capture.id
        made.append(capture)
    return made


def new_payloads(db: Database, captures: Iterable[NewCapture]) -> list[NewCapture]:
    """One capture for each payload the archive does not store yet (the first with that
    digest); the caller holds the write transaction."""
    captures = list(captures)
    stored = {
        row["digest"]
        for row in select_in(
            db, "select digest from payloads where digest in ({})", [c.digest for c in captures]
        )
    }
    fresh: dict[str, NewCapture] = {}
    for capture in captures:
        if capture.digest not in stored:
            fresh.setdefault(capture.digest, capture)
    return list(fresh.values())


def payload_rows(captures: Iterable[NewCapture]) -> list[tuple[str, str, int, bytes]]:
    """The `payloads` rows of these captures: digest, SHA-256, size, compressed bytes. No
    database: hashing and compressing release the GIL, so a batch runs this in a thread
    beside its SQL (`Archive.upsert_articles`)."""
    return [
        (c.digest, hashlib.sha256(c.body).hexdigest(), len(c.body), zlib.compress(c.body))
        for c in captures
    ]


def write(
    db: Database,
    captures: Iterable[NewCapture],
    article_ids: Mapping[str, int],
    payloads: Sequence[tuple[str, str, int, bytes]],
) -> None:
    """Store captures and their new payloads (`payload_rows` of `new_payloads`);
    ``article_ids`` maps each article's URL (as the batch gave it) to the article it belongs
    to."""
    db.conn.executemany(
        "insert into payloads (digest, sha256, size, body_z) values (?, ?, ?, ?)", payloads
    )
    insert_rows(db, "captures", [c.row(article_ids.get(c.article_url)) for c in captures])
