"""`newsarchive snapshot --format warc` / `wacz` (`archive/warc_export.py`): what the file
holds, its manifest, `verify`, the selection, and one-line errors."""

from __future__ import annotations

import gzip
import json
import sqlite3
import subprocess
import zipfile
from pathlib import Path

import pytest
from sqlite_utils import Database
from warcio.archiveiterator import ArchiveIterator

from archive import Archive, ArchiveError
from archive.files import OWN_PARTIAL
from archive.migrations import migrations
from archive.verify import verify
from archive.warc_export import export_warc

from .captured import article, fetched, page
from .conftest import NEWSARCHIVE, run_cli

LAKE = "http://en.lakeside.gov.cn/news/content_{}.html"
HILL = "http://www.hillside.gov.cn/news/t{}.html"
DAY = "2024-05-0{}T08:00:00+00:00"


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two sites: an article fetched twice unchanged, one that changed, one served
    gzipped, and one of another site stored from HTML given as text (no headers)."""
    path = tmp_path_factory.mktemp("warc") / "archive.db"
    ferry = article(LAKE.format(1), "lakeside", "Ferry Opens", "A ferry crosses.", "2024-04-01")
    bridge = article(LAKE.format(2), "lakeside", "Bridge Works", "Work begins.", "2023-03-01")
    market = article(LAKE.format(3), "lakeside", "Market Day", "Stalls open.", "2024-04-20")
    tea = article(HILL.format(4), "hillside", "Tea Harvest", "Pickers start.", "2024-04-10")
    gzipped = [["Content-Type", "text/html"], ["Content-Encoding", "gzip"]]
    with Archive.open(path) as opened:
        opened.upsert_articles(
            [
                fetched(ferry, page("Ferry Opens", "A ferry crosses."), DAY.format(1)),
                fetched(bridge, page("Bridge Works", "Work begins."), DAY.format(1)),
                fetched(market, page("Market Day", "Stalls open."), DAY.format(1), headers=gzipped),
                {**tea, "html": page("Tea Harvest", "Pickers start.").decode()},
            ]
        )
        changed = {**bridge, "body": "Work began and goes on."}
        opened.upsert_articles(
            [
                fetched(ferry, page("Ferry Opens", "A ferry crosses."), DAY.format(2)),
                fetched(changed, page("Bridge Works", "Work goes on."), DAY.format(2)),
            ]
        )
    return path


def read(path: Path) -> list[tuple[str, str | None, bytes]]:
    with path.open("rb") as f:
        return [
            (r.rec_type, r.rec_headers.get_header("WARC-Target-URI"), r.content_stream().read())
            for r in ArchiveIterator(f)
        ]


def test_the_warc_holds_every_capture_and_its_manifest_says_what(
    archive: Path, tmp_path: Path
) -> None:
    made = export_warc(archive, tmp_path)
    assert made.path.name.endswith(".warc.gz") and made.manifest_path.name.endswith(".warc.json")
    kinds = [kind for kind, _, _ in read(made.path)]
    assert kinds[0] == "warcinfo"
    counts = {kind: kinds.count(kind) for kind in set(kinds)}
    assert counts == {"warcinfo": 1, "request": 5, "response": 4, "revisit": 1, "resource": 1}
    manifest = json.loads(made.manifest_path.read_text())
    assert manifest["export"] == "warc" and manifest["records"] == counts
    assert (manifest["articles"], manifest["captures"]) == (4, 6)
    assert manifest["captures_without_headers"] == 1
    assert manifest["fetched"]["earliest"] == DAY.format(1)
    assert manifest["file"]["size"] == made.path.stat().st_size
    assert all(check.ok for check in verify(made.path))
    assert all(check.ok for check in verify(made.manifest_path))


def test_warcinfo_describes_the_crawl_and_the_selection(archive: Path, tmp_path: Path) -> None:
    made = export_warc(archive, tmp_path, site="lakeside", since="2024-01-01")
    kind, _, fields = read(made.path)[0]
    info = dict(line.split(": ", 1) for line in fields.decode().splitlines())
    assert info["software"].startswith("newsarchive/") and "warcio/" in info["software"]
    assert info["selection"] == "site lakeside; published 2024-01-01 or later"
    assert (info["articles"], info["captures"]) == ("2", "3")
    assert info["published"] == "2024-04-01 to 2024-04-20"


def test_since_and_site_select_articles(archive: Path, tmp_path: Path) -> None:
    urls = {url for _, url, _ in read(export_warc(archive, tmp_path, site="hillside").path)}
    assert urls == {None, HILL.format(4)}
    recent = export_warc(archive, tmp_path / "recent", since="2024-01-01")
    assert LAKE.format(2) not in {url for _, url, _ in read(recent.path)}


def test_a_capture_without_headers_is_a_resource_and_a_decoded_page_says_so(
    archive: Path, tmp_path: Path
) -> None:
    made = export_warc(archive, tmp_path)
    with made.path.open("rb") as f:
        found = {
            (r.rec_type, r.rec_headers.get_header("WARC-Target-URI")): r for r in ArchiveIterator(f)
        }
        resource = found[("resource", HILL.format(4))]
        assert resource.rec_headers.get_header("Content-Type") == "text/html; charset=utf-8"
    with made.path.open("rb") as f:
        for record in ArchiveIterator(f):
            if record.rec_type == "response" and record.rec_headers.get_header(
                "WARC-Target-URI"
            ) == LAKE.format(3):
                http = record.http_headers
                assert http.get_header("X-Orig-Content-Encoding") == "gzip"
                assert http.get_header("Content-Encoding") is None


def test_a_changed_byte_fails_verify(archive: Path, tmp_path: Path) -> None:
    made = export_warc(archive, tmp_path)
    data = bytearray(made.path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    made.path.write_bytes(bytes(data))
    checks = verify(made.path)
    assert not checks[0].ok and checks[0].name.startswith("sha256")
    assert not checks[1].ok


def test_a_wacz_packages_the_warc_with_its_index_and_pages(archive: Path, tmp_path: Path) -> None:
    made = export_warc(archive, tmp_path, fmt="wacz")
    with zipfile.ZipFile(made.path) as package:
        names = set(package.namelist())
        assert {"datapackage.json", "indexes/index.cdx.gz", "pages/pages.jsonl"} <= names
        inner = made.manifest["warc"]["name"]
        assert f"archive/{inner}" in names
        index = gzip.decompress(package.read("indexes/index.cdx.gz")).decode()
        pages = package.read("pages/pages.jsonl").decode().splitlines()
    assert all(url in index for url in (LAKE.format(1), HILL.format(4)))
    assert len(pages) == 1 + 4 and any("Tea Harvest" in line for line in pages)
    assert [check.ok for check in verify(made.path)] == [True, True, True]


def test_partial_names_of_warc_exports_are_the_tool_s_own() -> None:
    for name in ("archive-20240501T080000Z.warc.gz", "archive-20240501T080000Z.wacz"):
        assert OWN_PARTIAL.match(f".{name}.partial")


def test_an_archive_without_captures_is_told_to_migrate(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    db = Database(path)
    migrations.apply(db, stop_before="m006_captures")
    db.close()
    with pytest.raises(ArchiveError, match="newsarchive migrate"):
        export_warc(path, tmp_path / "out")


@pytest.mark.e2e
def test_command_writes_a_warc_to_a_file_or_stdout(archive: Path, tmp_path: Path) -> None:
    done = run_cli(
        "snapshot", "--archive", str(archive), "--format", "warc", "--out", str(tmp_path)
    )
    assert done.returncode == 0, done.stderr
    assert "6 captures of 4 articles" in done.stdout and "manifest" in done.stdout
    piped = tmp_path / "piped.warc.gz"
    with piped.open("wb") as out:
        subprocess.run(
            [NEWSARCHIVE, "snapshot", "--archive", str(archive), "--format", "warc", "-o", "-"],
            stdout=out,
            check=True,
        )
    assert [kind for kind, _, _ in read(piped)].count("response") == 4


@pytest.mark.e2e
def test_command_errors_are_one_line(archive: Path, tmp_path: Path) -> None:
    wacz = run_cli("snapshot", "--archive", str(archive), "--format", "wacz", "-o", "-")
    unknown = run_cli("snapshot", "--archive", str(archive), "--format", "warc", "--site", "nope")
    for done in (wacz, unknown):
        assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "a WACZ needs a file" in wacz.stderr
    assert "no articles of site 'nope'" in unknown.stderr
    with sqlite3.connect(archive) as conn:
        assert conn.execute("select count(*) from captures").fetchone() == (6,)
