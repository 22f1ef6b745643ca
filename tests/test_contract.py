"""What `newsarchive import` accepts (`archive/contract.py`): each kind of malformed record
is refused with the line and the field it is wrong in, and the archive stays as it was."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from archive import Archive, ArchiveError
from archive.export import import_jsonl
from tests.conftest import run_cli

GOOD: dict[str, Any] = {
    "url": "https://news.example.org/2024/05/t20240501_1.html",
    "site": "hunan",
    "lang": "en",
    "title": "Lanterns go up along the river",
    "body": "Volunteers hung lanterns along the river.\n\nThe festival opens on Friday.",
    "published_date": "2024-05-01",
    "published_at": "2024-05-01T09:30:00+08:00",
    "source": {"name": "Hunan Daily", "name_zh": "湖南日报", "raw": "Hunan Daily"},
    "credits": [{"role": "reporter", "name": "Mei Lantian"}],
}

# (what is wrong, the fields that make it so, words of the error)
BAD: list[tuple[str, dict[str, Any], str]] = [
    ("superscript-year", {"published_date": "¹²³⁴-01-01"}, "published_date is not a date"),
    ("impossible-date", {"published_date": "2023-02-30"}, "not a date that exists"),
    ("date-a-number", {"published_date": 20230101}, "published_date must be a string"),
    ("time-without-offset", {"published_at": "2024-05-01T09:30:00"}, "published_at is not"),
    ("time-in-words", {"published_at": "yesterday"}, "published_at is not an ISO 8601"),
    ("no-url", {"url": None}, "an article needs a url"),
    ("url-a-number", {"url": 7}, "url must be a string, not a number"),
    ("empty-url", {"url": ""}, "url is empty"),
    ("nul-in-url", {"url": "https://news.example.org/a\u0000b"}, "url contains a space, NUL"),
    ("url-not-http", {"url": "javascript:alert(1)"}, "not an http(s) URL"),
    ("url-bad-port", {"url": "http://news.example.org:99999/"}, "url is not a URL"),
    ("no-body", {"body": None}, "an article needs a body"),
    ("body-a-list", {"body": ["one", "two"]}, "body must be a string, not a list"),
    ("title-a-number", {"title": 12}, "title must be a string, not a number"),
    ("lone-surrogate", {"title": "Lanterns \ud800"}, "title is not valid Unicode"),
    ("lang-unknown", {"lang": "fr"}, "lang is not one of en, zh"),
    ("site-true", {"site": True}, "site must be a string, not true/false"),
    ("source-a-number", {"source": 3}, "source must be a string, not a number"),
    ("source-name-a-list", {"source": {"name": ["Hunan Daily"]}}, "source.name must be"),
    ("credits-a-string", {"credits": "Mei Lantian"}, "credits must be a list"),
    ("credit-a-string", {"credits": ["Mei Lantian"]}, "credits must be a list"),
    ("role-unknown", {"credits": [{"role": "boss", "name": "Mei"}]}, "has role 'boss'"),
    ("role-missing", {"credits": [{"name": "Mei"}]}, "credit 1 has role None"),
    ("credit-name-a-number", {"credits": [{"role": "editor", "name": 5}]}, "credit 1 name"),
    ("credit-without-name", {"credits": [{"role": "editor"}]}, "credit 1 name (a string)"),
    ("html-a-number", {"html": 5}, "html must be a string"),
    ("status-a-string", {"status": "200"}, "status must be an HTTP status number"),
]


def lines(*records: dict[str, Any]) -> list[str]:
    return [json.dumps(record, ensure_ascii=False) for record in records]


@pytest.mark.parametrize(("change", "error"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_a_malformed_record_is_refused_and_nothing_is_written(
    tmp_path: Path, change: dict[str, Any], error: str
) -> None:
    good = {**GOOD, "url": "https://news.example.org/2024/05/t20240501_0.html"}
    with Archive.open(tmp_path / "archive.db") as archive:
        with pytest.raises(ArchiveError) as raised:
            import_jsonl(archive, lines(good, {**GOOD, **change}), name="in.jsonl", batch=1)
        assert archive.counts()["articles"] == 0
    message = str(raised.value)
    assert message.startswith("in.jsonl:2: ") and error in message, message
    assert "\n" not in message


@pytest.mark.parametrize(
    ("line", "error"),
    [
        ("[" * 100_000, "JSON nested too deeply"),
        ('"just a string"', "not a JSON object"),
        ("{not json", "not valid JSON"),
    ],
    ids=["deep", "string", "not-json"],
)
def test_a_line_that_is_no_record_is_refused(tmp_path: Path, line: str, error: str) -> None:
    with (
        Archive.open(tmp_path / "archive.db") as archive,
        pytest.raises(ArchiveError, match=f"in.jsonl:1: {error}"),
    ):
        import_jsonl(archive, [line], name="in.jsonl")


def test_a_good_record_and_an_export_of_it_are_taken(tmp_path: Path) -> None:
    plain = {**GOOD, "source": "Hunan Daily", "url": "https://news.example.org/2", "body": "B"}
    with Archive.open(tmp_path / "archive.db") as archive:
        assert import_jsonl(archive, lines(GOOD, plain))["new"] == 2
        sources = archive.db.execute(
            "select sources.name from articles join sources on sources.id = articles.source_id"
        ).fetchall()
    assert sources == [("Hunan Daily",), ("Hunan Daily",)]


@pytest.mark.e2e
def test_import_of_a_malformed_record_is_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text("\n".join(lines(GOOD, {**GOOD, "published_date": "¹²³⁴-01-01"})) + "\n")
    result = run_cli("import", str(bad), "--archive", str(tmp_path / "archive.db"))
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert f"{bad}:2: published_date is not a date written YYYY-MM-DD" in result.stderr
