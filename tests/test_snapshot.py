"""Snapshots (`archive/snapshot.py`, `newsarchive snapshot` and `verify`): consistent copies of
a live archive, manifests, verification, pruning, and the errors a user can cause."""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
import os
import random
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from archive import Archive, ArchiveError
from archive.export import export_to_dir
from archive.files import partial_file, target_in
from archive.snapshot import create_snapshot, prune, tool_version
from archive.verify import verify
from tests.conftest import NEWSARCHIVE, run_cli
from tests.test_archive import samples

K = 5  # articles per writer transaction, each with two credits
AT = datetime(2024, 5, 1, 12, 0, 0, tzinfo=UTC)
WRITER = """
import sys
from pathlib import Path
from archive.db import Archive
from tests.test_snapshot import batch

path, stop, k = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
with Archive.open(path) as archive:
    number = 1000
    while not stop.exists():
        archive.upsert_articles(batch(number, k))
        number += 1
        print(number, flush=True)
"""


def batch(number: int, k: int = K) -> list[dict[str, Any]]:
    """One transaction's worth: k articles, each credited to its own reporter and to "T"."""
    return [
        {
            "url": f"https://www.enghunan.gov.cn/hneng/News/{number}/t_{j}.html",
            "site": "hunan" if j % 2 else "hengyang",
            "lang": "en",
            "title": f"Article {number}.{j}",
            "body": f"Paragraph of article {number}.{j}. " * 40 + "\n\nThe end.",
            "published_date": f"20{10 + number % 15}-0{1 + j % 9}-1{j % 10}",
            "credits": [
                {"role": "reporter", "name": f"Reporter {number}.{j}"},
                {"role": "translator", "name": "T"},
            ],
        }
        for j in range(k)
    ]


def make_archive(path: Path, transactions: int = 2) -> Path:
    with Archive.open(path) as archive:
        archive.upsert_articles(samples())
        for number in range(transactions):
            archive.upsert_articles(batch(number))
    return path


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def one_line_error(result: subprocess.CompletedProcess[str], words: str) -> None:
    assert result.returncode == 1, result
    assert words in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "Traceback" not in result.stderr


# The snapshot and its manifest


def test_snapshot_is_a_compacted_copy_with_a_manifest(tmp_path: Path) -> None:
    source = make_archive(tmp_path / "archive.db")
    before = sha256(source)
    made = create_snapshot(source, tmp_path / "out", at=AT)
    assert sha256(source) == before

    assert made.path == tmp_path / "out" / "archive-20240501T120000Z.db"
    assert made.manifest_path == tmp_path / "out" / "archive-20240501T120000Z.json"
    manifest = json.loads(made.manifest_path.read_text(encoding="utf-8"))
    assert manifest == made.manifest
    assert manifest["created_at"] == "2024-05-01T12:00:00Z"
    assert manifest["tool"] == {"name": "newsarchive", "version": tool_version()}
    assert manifest["file"] == {
        "name": made.path.name,
        "size": made.path.stat().st_size,
        "sha256": sha256(made.path),
    }
    with Archive.open(source) as archive:
        applied = [row["name"] for row in archive.db.query("select name from _sqlite_migrations")]
        assert manifest["schema"]["migrations"] == applied
        assert manifest["schema"]["version"] == applied[-1]
        for table, count in archive.counts().items():
            assert manifest["counts"][table] == count
        assert manifest["articles_per_site"] == archive.articles_per_site()
    assert manifest["published_date"] == {"earliest": "2010-01-10", "latest": "2023-06-05"}
    schema = "select type, name, sql from sqlite_master order by name"
    with contextlib.closing(sqlite3.connect(made.path)) as copy:
        assert copy.execute("pragma journal_mode").fetchone()[0] == "delete"
        with contextlib.closing(sqlite3.connect(source)) as original:
            assert copy.execute(schema).fetchall() == original.execute(schema).fetchall()
    assert [check for check in verify(made.path) if not check.ok] == []


def test_compressed_snapshot_gives_both_checksums(tmp_path: Path) -> None:
    made = create_snapshot(make_archive(tmp_path / "archive.db"), tmp_path, compress=True, at=AT)

    assert made.path.name == "archive-20240501T120000Z.db.gz"
    assert not (tmp_path / "archive-20240501T120000Z.db").exists()
    compressed = made.manifest["compressed"]
    assert compressed["sha256"] == sha256(made.path)
    assert compressed["format"] == "gzip"
    inner = gzip.decompress(made.path.read_bytes())
    assert hashlib.sha256(inner).hexdigest() == made.manifest["file"]["sha256"]
    assert len(inner) == made.manifest["file"]["size"]
    assert all(check.ok for check in verify(made.path))
    assert all(check.ok for check in verify(made.manifest_path))
    # Once decompressed by hand, the database is checked against the same manifest.
    (tmp_path / "archive-20240501T120000Z.db").write_bytes(inner)
    assert all(check.ok for check in verify(tmp_path / "archive-20240501T120000Z.db"))


@pytest.mark.e2e
def test_snapshot_while_a_writer_process_inserts(tmp_path: Path) -> None:
    source = make_archive(tmp_path / "archive.db", transactions=600)
    with Archive.open(source) as archive:
        initial = archive.counts()
    stop = tmp_path / "stop"
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(source), str(stop), str(K)],
        cwd=Path(__file__).resolve().parent.parent,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert writer.stdout is not None
        writer.stdout.readline()  # the writer has committed its first transaction
        results = [
            run_cli("snapshot", "--archive", str(source), "--out", str(tmp_path / f"s{i}"))
            for i in range(3)
        ]
    finally:
        stop.touch()
        _, errors = writer.communicate(timeout=30)
    assert writer.returncode == 0, errors
    with Archive.open(source) as archive:
        final = archive.counts()["articles"]
    for i, result in enumerate(results):
        assert result.returncode == 0, result.stderr
        (made,) = (tmp_path / f"s{i}").glob("archive-*.db")
        counts = json.loads(made.with_suffix(".json").read_text(encoding="utf-8"))["counts"]
        # Whole transactions only: K articles, 2K credits and K new people each.
        written = counts["articles"] - initial["articles"]
        assert written > 0 and counts["articles"] < final
        assert written % K == 0
        assert counts["credits"] - initial["credits"] == 2 * written
        assert counts["people"] - initial["people"] == written
        checked = run_cli("verify", str(made))
        assert checked.returncode == 0, checked.stdout + checked.stderr
        assert "all 7 checks passed" in checked.stdout  # search index included


# Kills and concurrent snapshots

# Two children of one process make a snapshot each of the same archive, at the same `at`,
# the moment a pipe closes; each prints its snapshot's name or its error.
TWINS = """
import os, sys
from datetime import datetime
from pathlib import Path
from archive.snapshot import create_snapshot

source, out, at = sys.argv[1], Path(sys.argv[2]), datetime.fromisoformat(sys.argv[3])
start_r, start_w = os.pipe()
children = []
for compress in (False, True):
    pid = os.fork()
    if pid == 0:
        os.close(start_w)
        os.read(start_r, 1)
        try:
            line = create_snapshot(source, out, at=at, compress=compress).path.name
        except BaseException as exc:
            line = f"{type(exc).__name__}: {exc}"
        os.write(1, (line + "\\n").encode())  # one write: the twins share the pipe
        os._exit(0)
    children.append(pid)
os.close(start_w)
for pid in children:
    os.waitpid(pid, 0)
"""


def padded_archive(path: Path, megabytes: int) -> Path:
    """An archive with `megabytes` of incompressible padding, so copying it takes a while."""
    make_archive(path, transactions=0)
    with sqlite3.connect(path) as conn:
        conn.execute("create table padding (data blob)")
        conn.executemany("insert into padding values (randomblob(1000000))", [()] * megabytes)
    conn.close()
    return path


def kill_while_partial(args: list[str], out: Path, delay: float) -> None:
    """Start `newsarchive ARGS`, SIGKILL it `delay` seconds after its first partial file
    appears in `out`."""
    process = subprocess.Popen([NEWSARCHIVE, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while not (out.is_dir() and any(out.glob(".*.partial"))):
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline
            time.sleep(0.01)
        time.sleep(delay)
    finally:
        process.kill()
        process.communicate()


@pytest.mark.e2e
def test_the_next_snapshot_removes_what_killed_ones_left(tmp_path: Path) -> None:
    source = padded_archive(tmp_path / "archive.db", megabytes=40)
    out = tmp_path / "out"
    args = ["snapshot", "--archive", str(source), "--out", str(out)]
    kill_while_partial(args, out, random.uniform(0, 0.1))
    kill_while_partial([*args, "--compress"], out, random.uniform(0.2, 0.5))
    left = sorted(path.name for path in out.iterdir())
    assert any(name.endswith(".partial") for name in left), left
    (out / ".notes.partial").write_text("not a name of ours")

    result = run_cli(*args)
    assert result.returncode == 0, result.stderr
    made = Path(result.stdout.split()[0])
    assert sorted(path.name for path in out.iterdir()) == sorted(
        [".notes.partial", made.name, made.with_suffix(".json").name]
    )
    for name in left:
        if name.startswith("."):
            assert f"removed {out / name} (left by a snapshot that was killed)" in result.stdout
    assert all(check.ok for check in verify(made))


def test_a_partial_file_being_written_is_left_alone(tmp_path: Path) -> None:
    """A live writer holds its partial file's lock; the next snapshot takes another name."""
    source = make_archive(tmp_path / "archive.db")
    with partial_file(tmp_path / "archive-20240501T120000Z.db") as live:
        made = create_snapshot(source, tmp_path, at=AT)
        assert live.path.exists()
        assert made.path.name == "archive-20240501T120000Z-2.db"
        assert made.cleaned == ()


@pytest.mark.e2e
def test_two_snapshots_at_once_in_the_same_second_both_succeed(tmp_path: Path) -> None:
    source = make_archive(tmp_path / "archive.db")
    for round in range(3):
        out = tmp_path / f"out{round}"
        result = subprocess.run(
            [sys.executable, "-c", TWINS, str(source), str(out), AT.isoformat()],
            capture_output=True,
            text=True,
            timeout=60,
            cwd=Path(__file__).resolve().parent.parent,
            check=False,
        )
        names = sorted(result.stdout.split())
        assert names in (
            ["archive-20240501T120000Z-2.db", "archive-20240501T120000Z.db.gz"],
            ["archive-20240501T120000Z-2.db.gz", "archive-20240501T120000Z.db"],
        ), result.stdout + result.stderr
        for name in names:
            assert all(check.ok for check in verify(out / name))
    # And two `newsarchive snapshot` processes started together.
    out = tmp_path / "cli"
    processes = [
        subprocess.Popen(
            [NEWSARCHIVE, "snapshot", "--archive", str(source), "--out", str(out)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [process.communicate(timeout=60) for process in processes]
    assert [process.returncode for process in processes] == [0, 0], outputs
    made = {Path(stdout.split()[0]) for stdout, _ in outputs}
    assert len(made) == 2
    assert all(check.ok for path in made for check in verify(path))


def test_keep_removes_a_data_file_without_a_manifest_once_a_minute_old(tmp_path: Path) -> None:
    source = make_archive(tmp_path / "archive.db")
    made = create_snapshot(source, tmp_path / "out", at=AT - timedelta(days=1))
    old, young = (tmp_path / "out" / f"archive-2024050{day}T000000Z.db" for day in (2, 3))
    for orphan in (old, young):
        orphan.write_bytes(made.path.read_bytes())
    two_minutes_ago = time.time() - 120
    os.utime(old, (two_minutes_ago, two_minutes_ago))
    assert prune(tmp_path / "out", 1) == [old]
    assert sorted(path.name for path in (tmp_path / "out").iterdir()) == sorted(
        [made.path.name, made.manifest_path.name, young.name]
    )


# verify


@pytest.mark.e2e
def test_verify_prints_what_it_checked(tmp_path: Path) -> None:
    made = create_snapshot(make_archive(tmp_path / "archive.db"), tmp_path, at=AT)
    result = run_cli("verify", str(made.path))
    assert result.returncode == 0, result.stderr
    for check in ("sha256", "integrity_check", "schema", "counts", "articles_per_site"):
        assert f"ok      {check}" in result.stdout


def flip_byte(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


@pytest.mark.e2e
@pytest.mark.parametrize("compress", [False, True], ids=["db", "gzip"])
def test_verify_catches_one_flipped_byte(tmp_path: Path, compress: bool) -> None:
    made = create_snapshot(make_archive(tmp_path / "a.db"), tmp_path, at=AT, compress=compress)
    flip_byte(made.path, made.path.stat().st_size // 2)

    result = run_cli("verify", str(made.path))
    one_line_error(result, "does not match its manifest")
    assert f"FAILED  sha256 {made.path.name}" in result.stdout


@pytest.mark.e2e
@pytest.mark.parametrize("compress", [False, True], ids=["db", "gzip"])
def test_verify_catches_a_truncated_file(tmp_path: Path, compress: bool) -> None:
    made = create_snapshot(make_archive(tmp_path / "a.db"), tmp_path, at=AT, compress=compress)
    data = made.path.read_bytes()
    made.path.write_bytes(data[: len(data) // 2])

    result = run_cli("verify", str(made.path))
    one_line_error(result, "does not match its manifest")
    assert "FAILED" in result.stdout


def test_verify_catches_counts_that_differ_from_the_manifest(tmp_path: Path) -> None:
    made = create_snapshot(make_archive(tmp_path / "archive.db"), tmp_path, at=AT)
    manifest = dict(made.manifest, counts={**made.manifest["counts"], "articles": 1})
    made.manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    failed = [check.name for check in verify(made.path) if not check.ok]
    assert failed == ["counts"]


@pytest.mark.e2e
def test_verify_without_a_manifest_is_a_one_line_error(tmp_path: Path) -> None:
    made = create_snapshot(make_archive(tmp_path / "archive.db"), tmp_path, at=AT)
    made.manifest_path.unlink()
    one_line_error(run_cli("verify", str(made.path)), "no manifest")


def test_verify_refuses_an_incomplete_manifest(tmp_path: Path) -> None:
    made = create_snapshot(make_archive(tmp_path / "archive.db"), tmp_path, at=AT)
    manifest = {key: value for key, value in made.manifest.items() if key != "file"}
    made.manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(ArchiveError, match="lacks a name, size or sha256"):
        verify(made.path)


# --keep


@pytest.mark.e2e
def test_keep_two_after_four_snapshots_leaves_the_newest_two_and_nothing_else(
    tmp_path: Path,
) -> None:
    source = make_archive(tmp_path / "archive.db")
    out = tmp_path / "snapshots"
    made = [create_snapshot(source, out, at=AT - timedelta(days=days)) for days in (3, 2, 1)]
    others = {
        "notes.txt": b"keep me",
        "archive-20200101T000000Z.db": b"named like a snapshot, but no manifest",
        "archive-20190101T000000Z.db": b"its manifest names another file",
        "archive-20190101T000000Z.json": json.dumps(
            {**made[0].manifest, "file": {"name": "other.db"}}
        ).encode(),
        "archive-old.db": b"another name",
    }
    for name, data in others.items():
        (out / name).write_bytes(data)

    result = run_cli("snapshot", "--archive", str(source), "--out", str(out), "--keep", "2")
    assert result.returncode == 0, result.stderr

    newest = Path(result.stdout.split()[0])
    assert newest.parent == out
    expected = {newest.name, newest.with_suffix(".json").name, *others}
    expected |= {made[2].path.name, made[2].manifest_path.name}
    assert {path.name for path in out.iterdir()} == expected
    for name, data in others.items():
        assert (out / name).read_bytes() == data
    assert result.stdout.count("removed ") == 4


def test_prune_counts_compressed_snapshots_too(tmp_path: Path) -> None:
    source = make_archive(tmp_path / "archive.db")
    for hours, compress in ((3, True), (2, False), (1, True)):
        create_snapshot(source, tmp_path / "out", compress=compress, at=AT - timedelta(hours=hours))
    removed = prune(tmp_path / "out", 1)
    assert sorted(path.name for path in removed) == [
        "archive-20240501T090000Z.db.gz",
        "archive-20240501T090000Z.json",
        "archive-20240501T100000Z.db",
        "archive-20240501T100000Z.json",
    ]


# Errors a user can cause


def test_snapshots_of_the_same_second_get_the_next_names(tmp_path: Path) -> None:
    source = make_archive(tmp_path / "archive.db")
    made = create_snapshot(source, tmp_path, at=AT)
    before = sha256(made.path)
    second = create_snapshot(source, tmp_path, at=AT)
    third = create_snapshot(source, tmp_path, at=AT, compress=True)
    assert sha256(made.path) == before
    assert [s.path.name for s in (made, second, third)] == [
        "archive-20240501T120000Z.db",
        "archive-20240501T120000Z-2.db",
        "archive-20240501T120000Z-3.db.gz",
    ]
    assert third.manifest_path.name == "archive-20240501T120000Z-3.json"
    assert all(check.ok for s in (made, second, third) for check in verify(s.path))
    # The newest of one second is the one with the highest number.
    assert prune(tmp_path, 1)[::2] == [second.path, made.path]


@pytest.mark.e2e
def test_an_output_directory_that_cannot_be_created_is_a_one_line_error(tmp_path: Path) -> None:
    source = make_archive(tmp_path / "archive.db")
    (tmp_path / "file").write_text("not a directory")
    result = run_cli("snapshot", "--archive", str(source), "--out", str(tmp_path / "file" / "x"))
    one_line_error(result, "cannot create output directory")


def test_a_missing_output_directory_is_created(tmp_path: Path) -> None:
    made = create_snapshot(make_archive(tmp_path / "archive.db"), tmp_path / "a" / "b", at=AT)
    assert made.path.parent == tmp_path / "a" / "b"


@pytest.mark.e2e
@pytest.mark.parametrize(
    "content",
    [b"", b"just some text, not a database\n" * 100, "sqlite"],
    ids=["empty", "text", "other-sqlite"],
)
def test_a_source_that_is_not_an_archive_is_a_one_line_error_and_untouched(
    tmp_path: Path, content: bytes | str
) -> None:
    source = tmp_path / "notes.db"
    if content == "sqlite":
        with sqlite3.connect(source) as conn:
            conn.execute("create table notes (text)")
        conn.close()
    else:
        source.write_bytes(content)
    before = source.read_bytes()
    result = run_cli("snapshot", "--archive", str(source), "--out", str(tmp_path / "out"))
    one_line_error(result, "not a")
    assert source.read_bytes() == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["notes.db"]


@pytest.mark.e2e
def test_a_missing_source_is_a_one_line_error(tmp_path: Path) -> None:
    result = run_cli("snapshot", "--archive", str(tmp_path / "missing.db"), "--out", str(tmp_path))
    one_line_error(result, "no archive at")


@pytest.mark.parametrize("name", ["../escape.jsonl", "/tmp/escape.jsonl", "a/b.csv", "..", ""])
def test_a_user_given_name_cannot_leave_the_output_directory(tmp_path: Path, name: str) -> None:
    with pytest.raises(ArchiveError, match="not a plain file name"):
        target_in(tmp_path, name)


LONG = "n" * 300


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda src, tmp: export_to_dir(src, tmp, "jsonl", name=f"{LONG}.jsonl"), "too long"),
        # The name fits, its partial file's (.NAME.partial) does not.
        (lambda src, tmp: export_to_dir(src, tmp, "csv", name="c" * 250), "too long"),
        (lambda src, tmp: create_snapshot(src, tmp / LONG), "too long"),
        (lambda src, tmp: create_snapshot(tmp / f"{LONG}.db", tmp), "too long"),
        (lambda src, tmp: verify(tmp / f"{LONG}.db"), "too long"),
        (lambda src, tmp: verify(tmp / f"{LONG}.json"), "too long"),
        (lambda src, tmp: create_snapshot(src, src), "cannot create output directory"),
        (lambda src, tmp: verify(tmp), "no snapshot file"),
    ],
    ids=[
        "export-name",
        "partial-name",
        "out-dir",
        "archive",
        "verify-db",
        "verify-json",
        "out-is-a-file",
        "verify-a-directory",
    ],
)
def test_a_file_system_error_is_one_line(tmp_path: Path, call: Any, error: str) -> None:
    source = make_archive(tmp_path / "archive.db")
    with pytest.raises(ArchiveError, match=error) as raised:
        call(source, tmp_path)
    assert "\n" not in str(raised.value)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["archive.db"] + (
        ["archive.db-shm", "archive.db-wal"] if (tmp_path / "archive.db-wal").exists() else []
    )


@pytest.mark.e2e
def test_an_export_name_too_long_is_one_line(tmp_path: Path) -> None:
    source = make_archive(tmp_path / "archive.db")
    args = ("snapshot", "--archive", str(source), "--format", "jsonl", "--out", str(tmp_path))
    one_line_error(run_cli(*args, "-o", f"{LONG}.jsonl"), "File name too long")
