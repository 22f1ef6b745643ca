"""The captures as WARC records (ISO 28500, written with warcio), one capture at a time.

Every capture of an archived article (of the articles `--since` and `--site` select) is
written in the order it was stored, so memory stays flat for any archive:

- a fetched capture whose payload is new to the file: a ``request`` record (the request
  line and the headers it was sent with, ``Host`` added when Scrapy left it to the HTTP
  client) and a ``response`` record (status line, headers, payload);
- a fetched capture whose payload digest the file holds already (an unchanged page fetched
  again): the ``request`` and a ``revisit`` record (profile identical-payload-digest) that
  refers to the first capture by URI, date and record id, with its own headers and no body;
- a capture without headers (migrated or given, `archive.captures`): a ``resource`` record
  of its payload, ``text/html; charset=utf-8``, since nothing of the HTTP exchange is known.

``WARC-Date`` is the fetch time and ``WARC-IP-Address`` the IP the page came from. The
payload is the body as Scrapy handed it over, transfer and content codings undone, so the
response's ``Content-Encoding`` and ``Transfer-Encoding`` are written as
``X-Orig-Content-Encoding`` and ``X-Orig-Transfer-Encoding`` and ``Content-Length`` is the
payload's length (a different one received is kept as ``X-Orig-Content-Length``): what
Webrecorder's crawlers write for decoded payloads, and what pywb and ReplayWeb.page replay.
Record ids are derived from the capture (uuid5), so a revisit names its original without
any table of what was written.
"""

from __future__ import annotations

import sqlite3
import uuid
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from http import HTTPStatus
from io import BytesIO
from typing import Any
from urllib.parse import urlsplit

from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from archive.captures import HEADERLESS_CONTENT_TYPE, Headers, load_headers

RECORD_NAMESPACE = uuid.UUID("8f4b7f5e-3c0a-5b8e-9d65-6e6577736172")
# Headers that describe codings the stored payload no longer has.
DECODED_HEADERS = ("content-encoding", "transfer-encoding")
SELECTED = """(:since is null or {a}.published_date >= :since)
  and (:site is null or {a}.site = :site)"""
# The indexed part of a capture's payload digest (migration m008): a query must use this
# expression, as written, for SQLite to use the index.
DIGEST_KEY_SQL = "substr({c}.payload_digest, 1, 10)"
# The first capture with headers in the selection holding each payload: its response.
FIRST_SQL = f"""(select min(f.id) from captures f join articles fa on fa.id = f.article_id
  where {DIGEST_KEY_SQL.format(c="f")} = {DIGEST_KEY_SQL.format(c="c")}
  and f.payload_digest = c.payload_digest and f.response_headers is not null
  and {SELECTED.format(a="fa")})"""
CAPTURES_SQL = f"""select s.*, p.size,
  case when o.id is null then p.body_z end as body_z,
  o.url as refers_to_url, o.fetched_at as refers_to_date, o.id as refers_to_id
from (
  select c.id, c.url, c.fetched_at, c.method, c.status, c.protocol, c.ip_address,
    c.request_headers, c.response_headers, c.payload_digest, {FIRST_SQL} as first_id
  from captures c join articles a on a.id = c.article_id
  where {SELECTED.format(a="a")}
) s
join payloads p on p.digest = s.payload_digest
left join captures o on o.id = s.first_id and o.id < s.id and s.response_headers is not null
order by s.id"""
SUMMARY_SQL = f"""select count(*), count(distinct c.article_id), min(c.fetched_at),
  max(c.fetched_at), min(a.published_date), max(a.published_date),
  sum(c.response_headers is null)
from captures c join articles a on a.id = c.article_id
where {SELECTED.format(a="a")}"""


@dataclass
class Capture:
    """One row of `CAPTURES_SQL`: a capture, its payload (unless a revisit) and, for a
    revisit, the capture it refers to."""

    id: int
    url: str
    fetched_at: str
    method: str | None
    status: int | None
    protocol: str | None
    ip_address: str | None
    request_headers: str | None
    response_headers: str | None
    payload_digest: str
    first_id: int | None
    size: int
    body_z: bytes | None
    refers_to_url: str | None
    refers_to_date: str | None
    refers_to_id: int | None


def captures(conn: sqlite3.Connection, since: str | None, site: str | None) -> Iterator[Capture]:
    """The selected captures in the order they were stored, read as they are consumed."""
    cursor = conn.execute(CAPTURES_SQL, {"since": since, "site": site})
    for row in cursor:
        yield Capture(*row)


def summary(conn: sqlite3.Connection, since: str | None, site: str | None) -> dict[str, Any]:
    """What the selection holds, for the warcinfo record and the manifest."""
    row = conn.execute(SUMMARY_SQL, {"since": since, "site": site}).fetchone()
    return {
        "captures": row[0],
        "articles": row[1],
        "fetched": {"earliest": row[2], "latest": row[3]},
        "published_date": {"earliest": row[4], "latest": row[5]},
        "captures_without_headers": row[6] or 0,
    }


def warc_date(stored: str) -> str:
    """An archive time (ISO 8601, UTC) as WARC writes it: ``2024-05-01T08:00:00Z``."""
    return stored.replace("+00:00", "Z")


def record_id(capture_id: int, kind: str, url: str, fetched_at: str, digest: str) -> str:
    name = f"{capture_id} {kind} {url} {fetched_at} {digest}"
    return f"<urn:uuid:{uuid.uuid5(RECORD_NAMESPACE, name)}>"


def response_headers(pairs: Headers, size: int) -> Headers:
    """The response's headers for its decoded payload: codings it no longer has renamed
    ``X-Orig-…``, ``Content-Length`` its length (another received kept as
    ``X-Orig-Content-Length``)."""
    headers: Headers = []
    for name, value in pairs:
        lower = name.lower()
        if lower in DECODED_HEADERS:
            headers.append((f"X-Orig-{name}", value))
        elif lower == "content-length":
            if value.strip() != str(size):
                headers.append(("X-Orig-Content-Length", value))
        else:
            headers.append((name, value))
    headers.append(("Content-Length", str(size)))
    return headers


def status_line(status: int | None) -> str:
    code = status or 200
    try:
        return f"{code} {HTTPStatus(code).phrase}"
    except ValueError:
        return str(code)


def request_headers(capture: Capture) -> StatusAndHeaders:
    parts = urlsplit(capture.url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    pairs = load_headers(capture.request_headers) or []
    if not any(name.lower() == "host" for name, _ in pairs):
        pairs = [("Host", parts.netloc), *pairs]
    protocol = capture.protocol or "HTTP/1.1"
    line = f"{capture.method or 'GET'} {target} {protocol}"
    return StatusAndHeaders(line, pairs, is_http_request=True)


class RecordMaker:
    """Makes the records of captures for one WARC writer; ``counts`` per record type."""

    def __init__(self, writer: WARCWriter, warcinfo_id: str) -> None:
        self.writer = writer
        self.warcinfo_id = warcinfo_id
        self.counts: dict[str, int] = {}

    def write(self, capture: Capture) -> None:
        """Write the records of one capture."""
        if capture.response_headers is None:
            self._write(self._resource(capture))
            return
        request = self._record(capture, "request", http=request_headers(capture))
        if capture.refers_to_id is not None:
            main = self._revisit(capture)
        else:
            main = self._response(capture)
        self.writer.write_request_response_pair(request, main)
        for record in (request, main):
            self._count(record.rec_type)

    def _write(self, record: ArcWarcRecord) -> None:
        self.writer.write_record(record)
        self._count(record.rec_type)

    def _count(self, kind: str) -> None:
        self.counts[kind] = self.counts.get(kind, 0) + 1

    def _headers(self, capture: Capture, kind: str) -> dict[str, str]:
        headers = {
            "WARC-Record-ID": self._id(capture, kind),
            "WARC-Date": warc_date(capture.fetched_at),
            "WARC-Warcinfo-ID": self.warcinfo_id,
        }
        if capture.ip_address:
            headers["WARC-IP-Address"] = capture.ip_address
        if kind != "request":
            headers["WARC-Payload-Digest"] = capture.payload_digest
        return headers

    @staticmethod
    def _id(capture: Capture, kind: str) -> str:
        return record_id(capture.id, kind, capture.url, capture.fetched_at, capture.payload_digest)

    def _record(
        self, capture: Capture, kind: str, *, http: StatusAndHeaders, body: bytes = b""
    ) -> ArcWarcRecord:
        return self.writer.create_warc_record(
            capture.url,
            kind,
            payload=BytesIO(body),
            length=len(body),
            http_headers=http,
            warc_headers_dict=self._headers(capture, kind),
        )

    def _http(self, capture: Capture) -> StatusAndHeaders:
        pairs = response_headers(load_headers(capture.response_headers) or [], capture.size)
        return StatusAndHeaders(
            status_line(capture.status), pairs, protocol=capture.protocol or "HTTP/1.1"
        )

    def _response(self, capture: Capture) -> ArcWarcRecord:
        assert capture.body_z is not None
        body = zlib.decompress(capture.body_z)
        return self._record(capture, "response", http=self._http(capture), body=body)

    def _revisit(self, capture: Capture) -> ArcWarcRecord:
        assert capture.refers_to_url and capture.refers_to_date and capture.refers_to_id
        headers = self._headers(capture, "revisit")
        headers.pop("WARC-Payload-Digest")  # warcio adds it after the profile
        original = record_id(
            capture.refers_to_id,
            "response",
            capture.refers_to_url,
            capture.refers_to_date,
            capture.payload_digest,
        )
        headers["WARC-Refers-To"] = original
        return self.writer.create_revisit_record(
            capture.url,
            capture.payload_digest,
            capture.refers_to_url,
            warc_date(capture.refers_to_date),
            http_headers=self._http(capture),
            warc_headers_dict=headers,
        )

    def _resource(self, capture: Capture) -> ArcWarcRecord:
        assert capture.body_z is not None
        body = zlib.decompress(capture.body_z)
        return self.writer.create_warc_record(
            capture.url,
            "resource",
            payload=BytesIO(body),
            length=len(body),
            warc_content_type=HEADERLESS_CONTENT_TYPE,
            warc_headers_dict=self._headers(capture, "resource"),
        )
