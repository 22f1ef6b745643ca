"""Bad input at the command line: one line on stderr, a non-zero exit, no traceback."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from sqlite_utils import Database

from archive import Archive
from archive.lock import CrawlLock
from archive.migrations import migrations

from .conftest import run_cli


def assert_one_line_error(result, fragment: str) -> None:
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert fragment in lines[0]


@pytest.fixture
def busy_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock.getsockname()[1]


def test_unknown_site(tmp_path: Path) -> None:
    result = run_cli("crawl", "atlantis", "--archive", str(tmp_path / "a.db"))
    assert_one_line_error(result, "unknown site 'atlantis'")
    assert not (tmp_path / "a.db").exists()


def test_missing_archive_directory(tmp_path: Path) -> None:
    result = run_cli("crawl", "--archive", str(tmp_path / "nowhere" / "a.db"))
    assert_one_line_error(result, "does not exist")


def test_archive_that_is_not_sqlite(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.db"
    bogus.write_text("these are my notes, not a database\n" * 50)
    result = run_cli("crawl", "--archive", str(bogus))
    assert_one_line_error(result, "notes.db")
    assert bogus.read_text().startswith("these are my notes")


def test_replay_port_in_use(busy_port: int) -> None:
    assert_one_line_error(run_cli("replay", "--port", str(busy_port)), "cannot listen")


def test_serve_port_in_use(tmp_path: Path, busy_port: int) -> None:
    archive = tmp_path / "archive.db"
    assert run_cli("runs", "--archive", str(archive)).returncode != 0  # not created by `runs`
    from archive.db import Archive

    Archive.open(archive).close()
    assert_one_line_error(
        run_cli("serve", "--archive", str(archive), "--port", str(busy_port)), "in use"
    )


def test_serve_without_archive(tmp_path: Path) -> None:
    assert_one_line_error(run_cli("serve", "--archive", str(tmp_path / "none.db")), "no archive")


@pytest.mark.parametrize(
    "args",
    [
        ("replay", "--port", "eighty"),
        ("replay", "--port", "70000"),
        ("serve", "--port", "-1"),
        ("crawl", "--bogus-flag"),
        ("no-such-command",),
    ],
)
def test_bad_arguments(args: tuple[str, ...]) -> None:
    result = run_cli(*args)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_help_lists_every_command() -> None:
    result = run_cli("--help")
    assert result.returncode == 0
    for command in ("crawl", "replay", "serve", "demo", "normalize", "sources", "runs"):
        assert command in result.stdout


# Reading never writes; `migrate` does


def older_archive(path: Path, *, wal: bool = True) -> Path:
    """An archive as a version of newsarchive that knew only m001 and m002 left it (in WAL
    mode, as that version wrote it; or not)."""
    db = Database(path)
    if wal:
        db.enable_wal()
    migrations.apply(db, stop_before="m003_search")
    db.table("crawl_runs").insert(
        {"site": "yueyang", "started_at": "2024-01-01T00:00:00+00:00", "status": "finished"}
    )
    db.close()
    return path


def snapshot_of(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {
        entry.name: (entry.read_bytes(), entry.stat().st_mtime_ns) for entry in folder.iterdir()
    }


@pytest.mark.parametrize(
    ("command", "wal"),
    [("runs", True), ("sources", True), ("runs", False)],
    ids=["runs", "sources", "runs-rollback-journal"],
)
def test_reading_an_older_archive_changes_nothing_and_names_migrate(
    tmp_path: Path, command: str, wal: bool
) -> None:
    archive = older_archive(tmp_path / "archive.db", wal=wal)
    before = snapshot_of(tmp_path)
    result = run_cli(command, "--archive", str(archive))
    assert_one_line_error(
        result, "needs migrating (m003_search, m004_one_search_index, m007_run_node)"
    )
    assert f"newsarchive migrate --archive {archive}" in result.stderr
    assert snapshot_of(tmp_path) == before  # same bytes, same mtime, no -wal, -shm or lock


def test_reading_does_not_sync_the_source_registry(tmp_path: Path) -> None:
    """Nor does it write anything else: the archive file keeps its bytes and mtime (SQLite
    itself may make the -wal and -shm files it reads a WAL database with)."""
    archive = tmp_path / "archive.db"
    with Archive.open(archive) as opened:
        opened.db.execute("update sources set in_registry = 0")
    before = archive.read_bytes(), archive.stat().st_mtime_ns
    result = run_cli("sources", "--unknown", "--archive", str(archive))
    assert result.returncode == 0, result.stderr
    assert "Hengyang News Network" in result.stdout  # the registry's mark is not restored
    assert (archive.read_bytes(), archive.stat().st_mtime_ns) == before


def test_migrate_applies_what_is_pending_then_nothing(tmp_path: Path) -> None:
    archive = older_archive(tmp_path / "archive.db")
    result = run_cli("migrate", "--archive", str(archive))
    assert result.returncode == 0, result.stderr
    assert (
        result.stdout == f"{archive}: applied m003_search, m004_one_search_index, m007_run_node\n"
    )
    again = run_cli("migrate", "--archive", str(archive))
    assert again.stdout == f"{archive}: up to date, nothing to apply\n"
    runs = run_cli("runs", "--archive", str(archive))
    assert runs.returncode == 0, runs.stderr
    assert "yueyang" in runs.stdout


def test_migrate_a_missing_archive_is_one_line_and_leaves_nothing(tmp_path: Path) -> None:
    assert_one_line_error(run_cli("migrate", "--archive", str(tmp_path / "a.db")), "no archive")
    assert not list(tmp_path.iterdir())


def test_migrate_waits_for_no_crawl(tmp_path: Path) -> None:
    archive = older_archive(tmp_path / "archive.db")
    with CrawlLock.acquire(archive):
        result = run_cli("migrate", "--archive", str(archive))
    assert result.returncode == 75
    assert_one_line_error(result, "another crawl is running")
    with Database(archive) as db:
        pending = [m.name for m in migrations.pending(db)]
        assert pending == ["m003_search", "m004_one_search_index", "m007_run_node"]
