"""Creating and migrating an archive (`archive/migrations.py`, `Archive.open`): one
transaction, so that a process killed at any point, or two processes opening a missing
archive at the same instant, never leave half a schema behind.

The processes are real: a helper script forks children that create archives and are
SIGKILLed after a random delay, or that open the same missing file at the same moment.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlite_utils import Database

from archive import Archive, ArchiveError
from archive.migrations import migrations, registered_migrations

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
    pending = [m.name for m in migrations.pending(db)]
    assert pending[:2] == ["m003_search", "m004_one_search_index"]
    db.close()
