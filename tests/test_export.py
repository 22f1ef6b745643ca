"""Exports and import (`archive/export.py`, `newsarchive snapshot --format`, `newsarchive
import`): JSON Lines and CSV for people who do not use SQLite, and the round trip back."""

from __future__ import annotations

import csv
import io
import json
import tracemalloc
from pathlib import Path
from typing import Any

import pytest

from archive import Archive, ArchiveError
from archive.export import export_to_dir, import_jsonl, records, write_export
from tests.conftest import run_cli
from tests.test_archive import samples
from tests.test_snapshot import batch, make_archive, one_line_error

ODD = {
    "url": "https://english.rednet.cn/content/2022/07/20/11543795.html",
    "site": "rednet",
    "lang": "en",
    "title": None,
    "body": 'A body with "quotes", commas, and\n\nseveral paragraphs; translator: nobody.',
    "published_date": None,
}
ARTICLES_SQL = """select a.url, a.site, a.lang, a.title, a.body, a.published_date, a.published_at,
  a.published_raw, a.published_from, s.name as source, a.source_raw, o.name as original_source,
  a.original_source_raw, a.extraction, a.crawled_at
from articles a
left join sources s on s.id = a.source_id
left join sources o on o.id = a.original_source_id
order by a.url"""
CREDITS_SQL = """select a.url, c.position, c.role, p.name from credits c
join articles a on a.id = c.article_id join people p on p.id = c.person_id
order by a.url, c.position"""
SOURCES_SQL = "select name, name_zh, in_registry from sources order by name"


def contents(path: Path) -> dict[str, list[dict[str, Any]]]:
    """Articles, credits and sources of an archive, as a user would compare them."""
    with Archive.open(path) as archive:
        return {
            name: list(archive.db.query(sql))
            for name, sql in (
                ("articles", ARTICLES_SQL),
                ("credits", CREDITS_SQL),
                ("sources", SOURCES_SQL),
            )
        }


@pytest.fixture
def source(tmp_path: Path) -> Path:
    path = make_archive(tmp_path / "archive.db", transactions=3)
    with Archive.open(path) as archive:
        archive.upsert_articles([ODD])
    return path


# JSON Lines and the round trip


def test_jsonl_nests_credits_and_sources(source: Path) -> None:
    by_url = {record["url"]: record for record in records(source)}
    hunan = by_url[samples()[1]["url"]]
    assert hunan["credits"] == [
        {"role": "photographer", "name": "Zhao Chi"},
        {"role": "translator", "name": "Yu Jiangjiang"},
    ]
    assert hunan["source"] == {
        "name": "Hunan Provincial Government",
        "name_zh": "湖南省人民政府",
        "raw": "Hunan Provincial Government www.enghunan.gov.cn",
    }
    assert hunan["original_source"]["raw"] == "hunan.gov.cn"
    assert by_url[ODD["url"]]["source"] is None
    assert by_url[ODD["url"]]["credits"] == []
    assert len(by_url) == len(samples()) + 3 * 5 + 1


@pytest.mark.e2e
def test_export_then_import_gives_the_same_articles_credits_and_sources(
    source: Path, tmp_path: Path
) -> None:
    result = run_cli(
        "snapshot", "--archive", str(source), "--format", "jsonl", "--out", str(tmp_path / "x")
    )
    assert result.returncode == 0, result.stderr
    (exported,) = (tmp_path / "x").glob("archive-*.jsonl")
    assert f"{exported}  {len(samples()) + 16} articles" in result.stdout

    fresh = tmp_path / "fresh.db"
    result = run_cli("import", str(exported), "--archive", str(fresh))
    assert result.returncode == 0, result.stderr
    assert f"new {len(samples()) + 16}" in result.stdout
    assert contents(fresh) == contents(source)

    again = run_cli("import", str(exported), "--archive", str(fresh))
    assert f"new 0  updated 0  unchanged {len(samples()) + 16}" in again.stdout


def test_import_takes_normalized_articles_as_well(tmp_path: Path) -> None:
    lines = [json.dumps(article, ensure_ascii=False) for article in samples()]
    with Archive.open(tmp_path / "a.db") as archive:
        assert import_jsonl(archive, lines)["new"] == len(samples())
    make_archive(tmp_path / "b.db", transactions=0)
    # Both archives stamp crawled_at when they store the articles, maybe a second apart.
    imported, stored = (
        [{**row, "crawled_at": None} for row in contents(tmp_path / name)["articles"]]
        for name in ("a.db", "b.db")
    )
    assert imported == stored


@pytest.mark.parametrize(
    ("line", "error"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "not a JSON object"),
        ('{"url": "http://x.example/1"}', "an article needs a body"),
        ('{"url": "http://x.example/1", "body": "b", "credits": "Li"}', "credits must be"),
    ],
)
def test_a_bad_line_imports_nothing(source: Path, line: str, error: str) -> None:
    good = [json.dumps(record, ensure_ascii=False) for record in records(source)]
    with Archive.open(source.with_name("fresh.db")) as archive:
        with pytest.raises(ArchiveError, match=f"in.jsonl:{len(good) + 1}: {error}"):
            import_jsonl(archive, [*good, line], name="in.jsonl", batch=4)
        assert archive.counts()["articles"] == 0


@pytest.mark.e2e
def test_import_of_a_bad_file_is_a_one_line_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"url": "http://x.example/1", "body": "b"}\nnot json\n', encoding="utf-8")
    one_line_error(run_cli("import", str(bad), "--archive", str(tmp_path / "a.db")), "bad.jsonl:2")
    missing = run_cli(
        "import", str(tmp_path / "missing.jsonl"), "--archive", str(tmp_path / "b.db")
    )
    one_line_error(missing, "cannot read")
    assert not (tmp_path / "b.db").exists()


# CSV


def test_csv_flattens_credits(source: Path, tmp_path: Path) -> None:
    path, count = export_to_dir(source, tmp_path / "out", "csv", name="articles.csv")
    with path.open(encoding="utf-8", newline="") as f:
        rows = {row["url"]: row for row in csv.DictReader(f)}
    assert len(rows) == count == len(samples()) + 16
    chinese = rows[samples()[2]["url"]]
    assert chinese["credits"] == "reporter: 陈红飞; correspondent: 刘玲; editor: Xie Caihong"
    assert chinese["source"] == "衡阳晚报"
    assert rows[ODD["url"]]["body"] == ODD["body"]
    assert rows[ODD["url"]]["credits"] == ""


# Filters, stdout and names


def test_since_and_site_select_articles(source: Path) -> None:
    since = list(records(source, since="2019-01-01"))
    assert {record["published_date"] for record in since} == {"2023-05-26", "2023-06-05"}
    assert {r["url"] for r in records(source, site="rednet")} == {ODD["url"]}
    with pytest.raises(ArchiveError, match="no articles of site 'nowhere'.*hengyang"):
        records(source, site="nowhere")


@pytest.mark.e2e
def test_export_to_stdout(source: Path) -> None:
    result = run_cli(
        "snapshot", "--archive", str(source), "--format", "jsonl", "--site", "rednet", "-o", "-"
    )
    assert result.returncode == 0, result.stderr
    assert [json.loads(line)["url"] for line in result.stdout.splitlines()] == [ODD["url"]]


@pytest.mark.e2e
def test_an_export_name_cannot_leave_the_output_directory(source: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ("snapshot", "--archive", str(source), "--format", "csv", "--out", str(out))
    one_line_error(run_cli(*args, "-o", "../escape.csv"), "not a plain file name")
    assert not (tmp_path / "escape.csv").exists()
    assert not out.exists()
    assert run_cli(*args, "-o", "a.csv").returncode == 0
    one_line_error(run_cli(*args, "-o", "a.csv"), "already exists")


@pytest.mark.e2e
def test_options_of_the_other_kind_are_a_one_line_error(source: Path) -> None:
    args = ("snapshot", "--archive", str(source))
    one_line_error(run_cli(*args, "--format", "csv", "--keep", "2"), "apply to SQLite")
    one_line_error(run_cli(*args, "--site", "hunan"), "apply to exports")


def test_export_streams_in_flat_memory(tmp_path: Path) -> None:
    path = tmp_path / "big.db"
    with Archive.open(path) as archive:
        for number in range(600):
            archive.upsert_articles(batch(number))  # 3,000 articles, about 5 MB of text

    class Sink(io.TextIOBase):
        written = 0

        def write(self, text: str) -> int:
            self.written += len(text)
            return len(text)

    for fmt in ("jsonl", "csv"):
        sink = Sink()
        tracemalloc.start()
        try:
            write_export(records(path), sink, fmt)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert sink.written > 4_000_000
        assert peak < 500_000, f"{fmt}: {peak} bytes at peak"
