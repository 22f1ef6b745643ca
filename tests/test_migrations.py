"""Creating and migrating an archive (`archive/migrations.py`, `Archive.open`): one
transaction, so that a process killed at any point, or two processes opening a missing
archive at the same instant, never leave half a schema behind.

The processes are real: a helper script forks children that create archives and are
SIGKILLed after a random delay, or that open the same missing file at the same moment.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from sqlite_utils import Database

from archive import Archive, ArchiveError, captures, ingest, warc
from archive.captures import payload_digest
from archive.migrations import migrations, registered_migrations
from archive.reading import captured_html

from .conftest import migrations_from

# Fork a child that creates archive after archive (0.db, 1.db, ...) in a folder, SIGKILL it
# after a random delay, and do that KILLS times, each time in a new folder.
KILLER = """
import os, random, signal, sys, time
from itertools import count
from pathlib import Path
from archive.db import Archive

root, kills = Path(sys.argv[1]), int(sys.argv[2])
random.seed(int(sys.argv[3]))
for kill in range(kills):
    folder = root / str(kill)
    folder.mkdir()
    pid = os.fork()
    if pid == 0:
        for n in count():
            Archive.open(folder / f"{n}.db").close()
    time.sleep(random.uniform(0.005, 0.12))
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
"""

# PAIRS times, fork two children that open the same missing archive the moment a pipe
# closes; print what each said.
RACE = """
import json, os, sys
from pathlib import Path
from archive.db import Archive

root, pairs = Path(sys.argv[1]), int(sys.argv[2])
outcomes = []
for n in range(pairs):
    start_r, start_w = os.pipe()
    report_r, report_w = os.pipe()
    children = []
    for _ in range(2):
        pid = os.fork()
        if pid == 0:
            os.close(start_w)
            os.read(start_r, 1)
            try:
                Archive.open(root / f"{n}.db").close()
                message = "ok"
            except BaseException as exc:
                message = f"{type(exc).__name__}: {exc}"
            os.write(report_w, (message.replace(chr(10), " ") + chr(10)).encode())
            os._exit(0)
        children.append(pid)
    os.close(start_r)
    os.close(start_w)  # both children wake at once
    for pid in children:
        os.waitpid(pid, 0)
    os.close(report_w)
    with os.fdopen(report_r) as report:
        outcomes += report.read().splitlines()
print(json.dumps(outcomes))
"""


def run_helper(script: str, *args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", script, *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=Path(__file__).parent.parent,
    )


def fully_migrated(path: Path) -> bool:
    with Archive.open(path, create=False) as archive:
        return not migrations.pending(archive.db) and archive.counts()["sources"] > 0


def test_an_archive_killed_while_being_created_opens_next_time(tmp_path: Path) -> None:
    result = run_helper(KILLER, tmp_path, 25, 10)
    assert result.returncode == 0, result.stderr
    interrupted = [
        # The last archive of each folder is the one the kill interrupted (a kill that came
        # before the first one began leaves none).
        max(archives, key=lambda path: int(path.stem))
        for folder in tmp_path.iterdir()
        if (archives := list(folder.glob("*.db")))
    ]
    assert len(interrupted) > 18
    for path in interrupted:
        assert fully_migrated(path), path


def test_two_processes_creating_the_same_archive_both_succeed(tmp_path: Path) -> None:
    result = run_helper(RACE, tmp_path, 15)
    assert result.returncode == 0, result.stderr
    outcomes = json.loads(result.stdout)
    assert len(outcomes) == 30
    assert set(outcomes) == {"ok"}, [o for o in outcomes if o != "ok"][:3]
    for path in tmp_path.glob("*.db"):
        assert fully_migrated(path)


def test_an_archive_bricked_by_an_older_version_is_repaired(tmp_path: Path) -> None:
    """Before migrating was one transaction, a kill could leave the migrations table and
    nothing else; such a file holds no data, and opening it makes the archive."""
    path = tmp_path / "archive.db"
    db = Database(path)
    migrations.ensure_migrations_table(db)
    db.close()
    with Archive.open(path) as archive:
        assert set(archive.migrated) == registered_migrations()


def test_migrating_is_one_transaction(tmp_path: Path) -> None:
    """A migration that fails leaves the archive as it was: the pending migrations before it
    in the same open are rolled back with it."""
    path = tmp_path / "archive.db"
    db = Database(path)
    migrations.apply(db, stop_before="m003_search")
    db.execute("create table search_pending (x)")  # m004 creates a table of that name
    schema = db.schema
    db.close()
    with pytest.raises(ArchiveError, match="search_pending already exists"):
        Archive.open(path)
    db = Database(path)
    assert db.schema == schema
    assert [m.name for m in migrations.pending(db)] == migrations_from("m003_search")
    db.close()


def test_published_from_is_read_from_published_raw(tmp_path: Path) -> None:
    """m005 fills `published_from` of the articles an older version stored."""
    path = tmp_path / "archive.db"
    db = Database(path)
    migrations.apply(db, stop_before="m005_published_from")
    url = "http://en.example.gov.cn/news/202401/t20240105_1.html"
    stored = [
        ("a", "2024-01-05", "2024-01-05 Download Print"),
        (url, "2024-01-05", url),
        ("b", "2024-01-05", "meta pubdate: 2024-01-05 10:20"),
        ("c", None, None),
    ]
    for n, (where, day, raw) in enumerate(stored):
        article = {"url": where, "body": "x", "version": 1, "content_hash": str(n)}
        article.update(published_date=day, published_raw=raw, first_seen="t", last_seen="t")
        db.table("articles").insert(article)
    db.close()
    with Archive.open(path) as archive:
        found = archive.db.execute("select published_from from articles order by id").fetchall()
    assert [origin for (origin,) in found] == ["page", "url", "meta", None]


def test_m006_turns_stored_pages_into_captures_without_headers(tmp_path: Path) -> None:
    """An archive from before captures were kept: its pages become captures (origin
    migrated, no headers) its articles point at, read and exported as they were stored."""
    path = tmp_path / "archive.db"
    db = Database(path)
    migrations.apply(db, stop_before="m006_captures")
    url = "http://en.lakeside.gov.cn/news/content_9.html"
    html = "<html><body><h1>Dragon Boats</h1><p>湖边 races on Sunday.</p></body></html>"
    db["articles"].insert(
        {
            "url": url,
            "body": "Races on Sunday.",
            "content_hash": "x",
            "version": 1,
            "first_seen": "2020-01-01T00:00:00+00:00",
            "last_seen": "2020-01-01T00:00:00+00:00",
        }
    )
    db["pages"].insert(
        {
            "url": url,
            "fetched_at": "2020-01-01T00:00:00+00:00",
            "status": 200,
            "encoding": "gb18030",
            "html_hash": hashlib.sha256(html.encode()).hexdigest(),
            "html_gz": zlib.compress(html.encode()),
        }
    )
    db.close()
    with Archive.open(path) as archive:
        assert "m006_captures" in archive.migrated
        assert "pages" not in archive.db.table_names()
        (capture,) = archive.db.query("select * from captures")
        assert capture["origin"] == "migrated" and capture["response_headers"] is None
        assert (capture["encoding"], capture["status"]) == ("gb18030", 200)
        (stored,) = archive.db.query("select capture_id from articles")
        assert stored["capture_id"] == capture["id"] == 1
        assert captured_html(archive.db, url) == html
        assert capture["payload_digest"] == payload_digest(html.encode())


def test_m008_indexes_hashes_and_digests_by_their_first_digits(tmp_path: Path) -> None:
    """An archive indexed by whole URLs, hashes and digests (as m006 made it) is reindexed
    by their keys, and what it holds is found as before: its pages, its texts."""
    path = tmp_path / "archive.db"
    url = "http://en.lakeside.gov.cn/news/content_9.html"
    article = {
        "url": url,
        "site": "lakeside",
        "title": "Dragon Boats",
        "body": "Races on Sunday.",
        "html": "<html><body><h1>Dragon Boats</h1><p>Races on Sunday.</p></body></html>",
        "credits": [],
    }
    with Archive.open(path) as archive:
        archive.upsert_articles([article])
    db = Database(path)
    db.execute("drop index idx_articles_content_key")
    db.execute("drop index idx_captures_digest_key")
    db["captures"].create_index(["url"])
    db["captures"].create_index(["payload_digest"])
    db["articles"].create_index(["content_hash"])
    db.execute("delete from _sqlite_migrations where name = 'm008_lean_indexes'")
    db.conn.commit()
    db.close()
    with Archive.open(path) as archive:
        assert "m008_lean_indexes" in archive.migrated
        indexes = {name for (name,) in archive.db.execute("select name from sqlite_master")}
        assert {"idx_articles_content_key", "idx_captures_digest_key"} <= indexes
        old = {"idx_captures_url", "idx_articles_content_hash", "idx_captures_payload_digest"}
        assert not old & indexes
        assert captured_html(archive.db, url) == article["html"]
        moved = {**article, "url": url + "?moved"}
        assert archive.upsert_articles([moved]) == {"new": 0, "updated": 0, "unchanged": 1}


def test_the_lookups_of_a_batch_and_of_the_warc_export_use_the_m008_indexes(
    tmp_path: Path,
) -> None:
    """The indexes m008 makes are on expressions, which SQLite uses only for a query that
    writes the same expression: each lookup is read through an index, none scans a table."""
    with Archive.open(tmp_path / "archive.db") as archive:
        conn = archive.db.conn
        lookups = {
            "text": (
                f"select id from articles where {ingest.CONTENT_KEY_SQL} in (?, ?)",
                ["a", "b"],
                "idx_articles_content_key",
            ),
            "page": (
                captures.LATEST_OF_ARTICLES_SQL.format("?, ?"),
                ["a", "b"],
                "idx_articles_url",
            ),
            "warc": (warc.CAPTURES_SQL, {"since": None, "site": None}, "idx_captures_digest_key"),
        }
        for name, (sql, params, index) in lookups.items():
            plan = [row[3] for row in conn.execute(f"explain query plan {sql}", params)]
            assert any(index in step for step in plan), (name, plan)
            scans = [step for step in plan if step.startswith("SCAN") and step != "SCAN c"]
            assert scans == [], (name, plan)  # the export reads every capture once: `c`
