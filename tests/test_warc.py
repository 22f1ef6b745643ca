"""WARC records of captures (`archive/warc.py`): headers for a decoded payload, request
lines, record ids."""

from __future__ import annotations

import json

import pytest

from archive.warc import (
    Capture,
    record_id,
    request_headers,
    response_headers,
    status_line,
    warc_date,
)


@pytest.mark.parametrize(
    ("received", "size", "written"),
    [
        (
            [("Content-Type", "text/html"), ("Content-Length", "120")],
            120,
            [("Content-Type", "text/html"), ("Content-Length", "120")],
        ),
        (  # served gzipped: the payload is stored inflated
            [("Content-Encoding", "gzip"), ("Content-Length", "40"), ("Vary", "Accept-Encoding")],
            120,
            [
                ("X-Orig-Content-Encoding", "gzip"),
                ("X-Orig-Content-Length", "40"),
                ("Vary", "Accept-Encoding"),
                ("Content-Length", "120"),
            ],
        ),
        (  # chunked: no length received
            [("Transfer-Encoding", "chunked"), ("Content-Type", "text/html")],
            7,
            [
                ("X-Orig-Transfer-Encoding", "chunked"),
                ("Content-Type", "text/html"),
                ("Content-Length", "7"),
            ],
        ),
    ],
)
def test_response_headers_describe_the_decoded_payload(
    received: list[tuple[str, str]], size: int, written: list[tuple[str, str]]
) -> None:
    assert response_headers(received, size) == written


@pytest.mark.parametrize(
    ("status", "line"), [(200, "200 OK"), (404, "404 Not Found"), (299, "299"), (None, "200 OK")]
)
def test_status_line(status: int | None, line: str) -> None:
    assert status_line(status) == line


def capture(url: str, headers: list[list[str]] | None) -> Capture:
    return Capture(
        id=7,
        url=url,
        fetched_at="2024-05-01T08:00:00+00:00",
        method="GET",
        status=200,
        protocol="HTTP/1.1",
        ip_address="127.0.0.1",
        request_headers=None if headers is None else json.dumps(headers),
        response_headers="[]",
        payload_digest="sha1:AAAA",
        first_id=7,
        size=0,
        body_z=None,
        refers_to_url=None,
        refers_to_date=None,
        refers_to_id=None,
    )


def test_a_request_names_its_target_and_host() -> None:
    sent = request_headers(capture("http://en.lakeside.gov.cn/a/b.html?x=1", [["Accept", "*/*"]]))
    assert f"{sent.protocol} {sent.statusline}" == "GET /a/b.html?x=1 HTTP/1.1"
    assert sent.headers == [("Host", "en.lakeside.gov.cn"), ("Accept", "*/*")]
    kept = request_headers(capture("http://en.lakeside.gov.cn/", [["Host", "other:8080"]]))
    assert kept.headers == [("Host", "other:8080")]


def test_record_ids_are_derived_from_the_capture() -> None:
    one = record_id(7, "response", "http://x.cn/", "2024-05-01T08:00:00+00:00", "sha1:AAAA")
    assert one == record_id(7, "response", "http://x.cn/", "2024-05-01T08:00:00+00:00", "sha1:AAAA")
    assert one != record_id(7, "request", "http://x.cn/", "2024-05-01T08:00:00+00:00", "sha1:AAAA")
    assert one.startswith("<urn:uuid:") and one.endswith(">")


def test_warc_date_is_utc_with_z() -> None:
    assert warc_date("2024-05-01T08:00:00+00:00") == "2024-05-01T08:00:00Z"
