"""Snapshots: consistent, compacted copies of a live archive, with a manifest to verify them by.

`create_snapshot` copies the archive with `VACUUM INTO` over a read-only connection: one read
transaction, so the copy holds every committed transaction up to one instant and none after it,
while a crawl keeps writing (WAL). Beside `archive-YYYYMMDDTHHMMSSZ.db` (or `.db.gz`) it writes
`archive-YYYYMMDDTHHMMSSZ.json`: what the copy holds, read from the copy itself, and its size and
SHA-256 (`archive.manifest`); `archive.verify` checks a snapshot against it. A second snapshot
in the same second is `archive-…Z-2.db`. Files are written under locked partial names
(`archive.files`): a killed snapshot leaves a partial file that the next one removes. `prune`
keeps the newest N snapshots and removes data files a killed snapshot left without a manifest.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import importlib.metadata
import logging
import re
import shutil
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from sqlite_utils import Database

from archive.db import Archive, check_path, connect_readonly, prepare_readonly
from archive.errors import ArchiveError
from archive.files import (
    Partial,
    PartialBusy,
    partial_file,
    prepare_out_dir,
    publish,
    remove_stale_partials,
)
from archive.manifest import MANIFEST_FORMAT, data_name, read_manifest, write_manifest
from archive.migrations import MIGRATION_SET, migrations

logger = logging.getLogger(__name__)

STAMP_FORMAT = "%Y%m%dT%H%M%SZ"
SNAPSHOT_FILE = re.compile(
    r"^(?P<stem>archive-(?P<stamp>\d{8}T\d{6}Z)(?:-(?P<seq>[2-9]|[1-9]\d+))?)\.db(?:\.gz)?$"
)
CHUNK = 1 << 20
SAME_SECOND = 1000  # snapshots one second can name
ORPHAN_SECONDS = 60  # a data file without a manifest this old was left by a killed snapshot


@dataclass(frozen=True)
class Snapshot:
    """A snapshot on disk: its data file (`.db` or `.db.gz`) and its manifest."""

    path: Path
    manifest_path: Path
    manifest: dict[str, Any]
    # Partial files of killed snapshots that making this one removed.
    cleaned: tuple[Path, ...] = ()


def tool_version() -> str:
    return importlib.metadata.version("newsarchive")


def open_source(path: str | Path, *, current: bool = False) -> sqlite3.Connection:
    """A read-only connection to the archive at `path`; ArchiveError if it is not one
    (with `current`, ArchiveNeedsMigration unless it has every migration: what reads its
    columns, like an export, needs them; a snapshot copies any schema).

    Read-only, so a snapshot or export never writes to the archive (no migration either).
    """
    path = Path(path)
    check_path(path, must_exist=True)
    conn = connect_readonly(path)
    try:
        if not applied_migrations(conn):
            raise ArchiveError(f"{path} is not a newsarchive archive")
        if current:
            prepare_readonly(Database(conn), path)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise ArchiveError(f"{path} is not a usable SQLite archive: {exc}") from exc
    except BaseException:
        conn.close()
        raise
    return conn


def applied_migrations(conn: sqlite3.Connection) -> list[str]:
    """The archive's applied migrations, in order (none: not an archive)."""
    return [m.name for m in migrations.applied(Database(conn))]


def describe(conn: sqlite3.Connection) -> dict[str, Any]:
    """What an archive holds: schema, rows per table, articles per site, published dates."""
    db = Database(conn)
    tables = sorted(
        row[1]
        for row in conn.execute("PRAGMA main.table_list")
        if row[2] == "table" and not row[1].startswith("sqlite_")
    )
    earliest, latest = conn.execute(
        "select min(published_date), max(published_date) from articles"
    ).fetchone()
    applied = applied_migrations(conn)
    return {
        "schema": {
            "migration_set": MIGRATION_SET,
            "version": applied[-1] if applied else None,
            "migrations": applied,
        },
        "counts": {table: db[table].count for table in tables},
        "articles_per_site": Archive(db, Path()).articles_per_site(),
        "published_date": {"earliest": earliest, "latest": latest},
    }


def file_digest(path: Path) -> dict[str, Any]:
    """Size and SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return {"name": path.name, "size": size, "sha256": digest.hexdigest()}


def stems(created: datetime) -> Iterator[str]:
    """Snapshot names for a time: `archive-<UTC time>`, then `-2`, `-3`, ..."""
    stamp = f"archive-{created.strftime(STAMP_FORMAT)}"
    yield stamp
    for seq in range(2, SAME_SECOND + 1):
        yield f"{stamp}-{seq}"


def taken(out: Path, stem: str) -> bool:
    return any((out / f"{stem}{suffix}").exists() for suffix in (".db", ".db.gz", ".json"))


def reserve(stack: contextlib.ExitStack, out: Path, created: datetime) -> tuple[str, Partial]:
    """The first free snapshot name for `created` and its claimed `.db` partial file: a
    name is free when no file of it exists and no live snapshot is writing it."""
    for stem in stems(created):
        if taken(out, stem):
            continue
        try:
            partial = stack.enter_context(partial_file(out / f"{stem}.db"))
        except PartialBusy:
            continue
        if not taken(out, stem):  # published by another snapshot since the first look
            return stem, partial
        stack.close()
    raise ArchiveError(f"{out} holds {SAME_SECOND} snapshots of {created} already")


def create_snapshot(
    source: str | Path,
    out_dir: str | Path = "snapshots",
    *,
    compress: bool = False,
    at: datetime | None = None,
) -> Snapshot:
    """Write `out_dir/archive-<UTC time>.db` (`.db.gz` with `compress`) and its manifest."""
    created = (at or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    with contextlib.closing(open_source(source)) as conn:
        out = prepare_out_dir(out_dir)
        try:
            cleaned = remove_stale_partials(out)
            with contextlib.ExitStack() as stack:
                stem, db_partial = reserve(stack, out, created)
                db_target, gz_target = out / f"{stem}.db", out / f"{stem}.db.gz"
                manifest_path = out / f"{stem}.json"
                logger.info("copying %s into %s", source, db_target)
                conn.execute("VACUUM INTO ?", [str(db_partial.path)])
                with contextlib.closing(connect_readonly(db_partial.path, immutable=True)) as copy:
                    contents = describe(copy)
                manifest: dict[str, Any] = {
                    "format": MANIFEST_FORMAT,
                    "created_at": created.isoformat().replace("+00:00", "Z"),
                    "tool": {"name": "newsarchive", "version": tool_version()},
                    "sqlite_version": sqlite3.sqlite_version,
                    **contents,
                    "file": {**file_digest(db_partial.path), "name": db_target.name},
                }
                target, published = db_target, db_partial
                if compress:
                    target, published = gz_target, stack.enter_context(partial_file(gz_target))
                    gzip_file(db_partial.path, published.file, db_target.name)
                    manifest["compressed"] = {
                        **file_digest(published.path),
                        "name": gz_target.name,
                        "format": "gzip",
                    }
                publish(published.path, target)
            write_manifest(manifest_path, manifest)
        except (sqlite3.Error, OSError) as exc:
            raise ArchiveError(f"cannot write a snapshot of {source} in {out}: {exc}") from exc
    logger.info("snapshot %s: %d bytes", target, target.stat().st_size)
    return Snapshot(target, manifest_path, manifest, tuple(cleaned))


def gzip_file(source: Path, out: BinaryIO, inner_name: str) -> None:
    with (
        source.open("rb") as raw,
        gzip.GzipFile(inner_name, "wb", compresslevel=6, fileobj=out, mtime=0) as gz,
    ):
        shutil.copyfileobj(raw, gz, CHUNK)
    out.flush()


def snapshot_files(out: Path) -> Iterator[tuple[Path, re.Match[str]]]:
    """The files in `out` named like a snapshot's data file."""
    try:
        entries = list(out.iterdir())
    except OSError as exc:
        raise ArchiveError(f"cannot read {out}: {exc.strerror or exc}") from exc
    for entry in entries:
        match = SNAPSHOT_FILE.match(entry.name)
        if match and entry.is_file():
            yield entry, match


def age_key(snapshot: Snapshot) -> tuple[str, int]:
    """Snapshots in the order they were made: by time, then by their number in that second."""
    match = SNAPSHOT_FILE.match(snapshot.path.name)
    assert match is not None
    return match["stamp"], int(match["seq"] or 1)


def snapshots_in(out_dir: str | Path) -> list[Snapshot]:
    """The snapshots this tool made in `out_dir`, newest first: a file named like one, with
    a manifest beside it that names it. Anything else in the directory is not ours."""
    out = Path(out_dir)
    found = []
    for entry, match in snapshot_files(out):
        manifest_path = out / f"{match['stem']}.json"
        try:
            manifest = read_manifest(manifest_path)
        except ArchiveError as exc:
            logger.info("leaving %s alone: %s", entry.name, exc)
            continue
        if entry.name == data_name(manifest):
            found.append(Snapshot(entry, manifest_path, manifest))
    return sorted(found, key=age_key, reverse=True)


def orphans_in(out_dir: str | Path, now: float | None = None) -> list[Path]:
    """Data files named like a snapshot with no manifest beside them, last changed over
    `ORPHAN_SECONDS` ago: what a snapshot killed before it wrote its manifest left (a
    younger one may be a snapshot about to write it)."""
    out = Path(out_dir)
    cutoff = (time.time() if now is None else now) - ORPHAN_SECONDS
    return sorted(
        entry
        for entry, match in snapshot_files(out)
        if not (out / f"{match['stem']}.json").exists() and entry.stat().st_mtime < cutoff
    )


def prune(out_dir: str | Path, keep: int) -> list[Path]:
    """Remove all but the newest `keep` snapshots (manifest first, then the file), and the
    data files killed snapshots left without a manifest; returns what went."""
    if keep < 1:
        raise ValueError("keep at least one snapshot")
    removed = []
    try:
        for old in snapshots_in(out_dir)[keep:]:
            old.manifest_path.unlink()
            old.path.unlink()
            logger.info("removed snapshot %s", old.path)
            removed += [old.path, old.manifest_path]
        for orphan in orphans_in(out_dir):
            orphan.unlink()
            logger.info("removed %s, which has no manifest", orphan)
            removed.append(orphan)
    except OSError as exc:
        raise ArchiveError(f"cannot remove old snapshots in {out_dir}: {exc}") from exc
    return removed
