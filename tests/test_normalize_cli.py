"""newsarchive normalize: JSON Lines in, articles out; no line stops the stream."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from newsarchive.normalize_cli import normalize_stream

TODAY = date(2025, 6, 30)
BIN = Path(sys.executable).parent


def test_stream_keeps_order_and_reports_bad_lines() -> None:
    lines = io.BytesIO(
        b'{"url": "http://x.cn/1", "text": "A."}\nnot json\n[1, 2]\n{"url": "http://x.cn/2"}\n'
    )
    out = io.BytesIO()
    assert normalize_stream(lines, out, today=TODAY) == 2
    rows = [json.loads(line) for line in out.getvalue().decode().splitlines()]
    assert [r.get("url") for r in rows] == ["http://x.cn/1", None, None, "http://x.cn/2"]
    assert rows[1]["line"] == 2 and rows[2]["line"] == 3 and "error" in rows[2]


HOSTILE_LINES = [
    pytest.param(b'{"url": "http://host:99999/a", "text": "T\\nBody."}', id="bad-url"),
    pytest.param(
        b'{"url": "http://x.cn/a", "text": "T\\nBody \\ud800 here."}', id="lone-surrogate"
    ),
    pytest.param(b"[" * 5000 + b"]" * 5000, id="nested-json"),
    pytest.param(b'{"url": "http://x.cn/a", "text": "caf\xe9"}', id="invalid-utf8"),
    pytest.param(b'{"url": "http://x.cn/a", "text": 12}', id="text-a-number"),
    pytest.param(b'{"url": ["http://x.cn/a"], "text": ["a", "b"]}', id="lists"),
    pytest.param(b'{"url": "http://x.cn/a", "title": {"x": 1}, "lang": 5}', id="odd-types"),
]


@pytest.mark.parametrize("hostile", HOSTILE_LINES)
def test_no_line_stops_the_stream(hostile: bytes) -> None:
    good = (
        b'{"url": "http://x.cn/c/2021/03/01/1.html", "text": "Library Opens\\n'
        b'The new library opened its doors to readers on Monday morning."}'
    )
    out = io.BytesIO()
    normalize_stream(io.BytesIO(good + b"\n" + hostile + b"\n\n" + good + b"\n"), out)
    rows = [json.loads(line) for line in out.getvalue().decode("utf-8").splitlines()]
    assert len(rows) == 3  # the blank line is skipped, every other line answered
    assert rows[0] == rows[2]
    assert rows[0]["body"] == "The new library opened its doors to readers on Monday morning."
    assert "error" in rows[1] or "body" in rows[1]
    if "error" in rows[1]:
        assert rows[1]["line"] == 2


def test_a_lone_surrogate_is_kept_as_its_json_escape() -> None:
    out = io.BytesIO()
    line = (
        b'{"url": "http://x.cn/a", "text": "Title\\nA body \\ud800 with a stray half of a pair."}'
    )
    assert normalize_stream(io.BytesIO(line), out) == 0
    (row,) = [json.loads(text) for text in out.getvalue().decode("utf-8").splitlines()]
    assert row["body"] == "A body \ud800 with a stray half of a pair."


def test_the_command_exits_1_when_a_line_failed() -> None:
    feed = (
        b'{"url": "http://x.cn/a", "text": "T\\nThe town fair opens on Saturday with music."}\n'
        b"not json\n"
    )
    done = subprocess.run(
        [str(BIN / "newsarchive"), "normalize"], input=feed, capture_output=True, check=False
    )
    assert done.returncode == 1, done.stderr
    assert not done.stderr
    first, second = (json.loads(line) for line in done.stdout.decode().splitlines())
    assert first["body"] == "The town fair opens on Saturday with music."
    assert second["line"] == 2
    clean = subprocess.run(
        [str(BIN / "newsarchive"), "normalize"], input=feed.splitlines()[0], capture_output=True
    )
    assert clean.returncode == 0


STORY = "<p>" + "The ferry across the lake runs again, linking the two towns. " * 4 + "</p>"


@pytest.mark.parametrize(
    ("url", "html", "extraction"),
    [
        (
            "http://en.yueyang.gov.cn/21730/content_1.html",
            "<html><body><div class='article'><h1 class='article-title'>Ferry Runs</h1>"
            f"<ul class='article-tools'><li>2024-05-06</li></ul>"
            f"<div class='article-content'>{STORY}</div></div></body></html>",
            "selectors:content",
        ),
        (
            "http://en.yueyang.gov.cn/21730/content_2.html",
            f"<html><body><h1>Ferry Runs</h1><p>2024-05-06</p><div>{STORY}</div></body></html>",
            "generic",
        ),
        (
            "http://unknown.example/a.html",
            f"<html><body><h1>Ferry Runs</h1><p>2024-05-06</p><div>{STORY}</div></body></html>",
            "generic",
        ),
    ],
)
def test_a_page_given_as_html_is_read_as_the_crawler_reads_it(
    url: str, html: str, extraction: str
) -> None:
    out = io.BytesIO()
    line = json.dumps({"url": url, "html": html}).encode()
    assert normalize_stream(io.BytesIO(line), out, today=TODAY) == 0
    article = json.loads(out.getvalue())
    assert article["extraction"] == extraction
    assert (article["title"], article["published_date"]) == ("Ferry Runs", "2024-05-06")
    assert article["body"].startswith("The ferry across the lake runs again")


@pytest.mark.parametrize(
    "line",
    [
        b'{"url": "http://x.cn/a", "html": 12}',
        b'{"url": "http://x.cn/a", "html": "<html><body><p>tiny</p></body></html>"}',
    ],
)
def test_a_page_without_an_article_gets_an_error_line(line: bytes) -> None:
    out = io.BytesIO()
    assert normalize_stream(io.BytesIO(line), out, today=TODAY) == 1
    assert "error" in json.loads(out.getvalue())
