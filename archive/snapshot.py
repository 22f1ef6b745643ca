"""Snapshots: consistent, compacted copies of a live archive, with a manifest to verify them by.

`create_snapshot` copies the archive with `VACUUM INTO` over a read-only connection: one read
transaction, so the copy holds every committed transaction up to one instant and none after it,
while a crawl keeps writing (WAL). Beside `archive-YYYYMMDDTHHMMSSZ.db` (or `.db.gz`) it writes
`archive-YYYYMMDDTHHMMSSZ.json`: what the copy holds, read from the copy itself, and its size and
SHA-256. `verify` checks a snapshot against its manifest; `prune` keeps the newest N snapshots.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import importlib.metadata
import json
import logging
import os
import re
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from archive import search
from archive.db import BUSY_TIMEOUT_MS, Archive
from archive.errors import ArchiveError
from archive.migrations import MIGRATION_SET, migrations

logger = logging.getLogger(__name__)

STAMP_FORMAT = "%Y%m%dT%H%M%SZ"
SNAPSHOT_FILE = re.compile(r"^archive-(?P<stamp>\d{8}T\d{6}Z)\.db(?:\.gz)?$")
MANIFEST_FORMAT = "newsarchive-snapshot/1"
CHUNK = 1 << 20


@dataclass(frozen=True)
class Snapshot:
    """A snapshot on disk: its data file (`.db` or `.db.gz`) and its manifest."""

    path: Path
    manifest_path: Path
    manifest: dict[str, Any]


@dataclass(frozen=True)
class Check:
    """One verification step and its outcome."""

    name: str
    ok: bool
    detail: str


def tool_version() -> str:
    return importlib.metadata.version("newsarchive")


def open_source(path: str | Path) -> sqlite3.Connection:
    """A read-only connection to the archive at `path`; ArchiveError if it is not one.

    Read-only, so a snapshot or export never writes to the archive (no migration either).
    """
    path = Path(path)
    if not path.is_file():
        raise ArchiveError(f"no archive at {path}")
    conn = connect_readonly(path)
    try:
        if not applied_migrations(conn):
            raise ArchiveError(f"{path} is not a newsarchive archive")
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise ArchiveError(f"{path} is not a usable SQLite archive: {exc}") from exc
    except BaseException:
        conn.close()
        raise
    return conn


def connect_readonly(path: Path, *, immutable: bool = False) -> sqlite3.Connection:
    """Open `path` read-only; `immutable` for files nothing writes (snapshots)."""
    uri = path.resolve().as_uri() + "?mode=ro" + ("&immutable=1" if immutable else "")
    conn = sqlite3.connect(uri, uri=True)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
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


def prepare_out_dir(out_dir: str | Path) -> Path:
    """The output directory, created when missing; ArchiveError if it cannot be written."""
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ArchiveError(f"cannot create output directory {out}: {exc.strerror}") from exc
    if not os.access(out, os.W_OK | os.X_OK):
        raise ArchiveError(f"output directory {out} is not writable")
    return out


def plain_name(name: str, out: Path) -> str:
    """`name` if it is a plain file name; ArchiveError for anything that could leave `out`."""
    if not name or name in {".", ".."} or Path(name).name != name or "\\" in name:
        raise ArchiveError(f"{name!r} is not a plain file name (it is written inside {out})")
    return name


def target_in(out: Path, name: str) -> Path:
    """`out/name`, for a plain file name that does not exist yet there."""
    target = out / plain_name(name, out)
    if target.exists() or target.is_symlink():
        raise ArchiveError(f"{target} already exists")
    return target


@contextlib.contextmanager
def partial_file(target: Path) -> Iterator[Path]:
    """A temporary path beside `target`, removed unless the caller renamed it into place."""
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    try:
        yield partial
    finally:
        partial.unlink(missing_ok=True)


def publish(partial: Path, target: Path) -> None:
    """Move a finished file into place, never over an existing one."""
    try:
        os.link(partial, target)
    except FileExistsError as exc:
        raise ArchiveError(f"{target} already exists") from exc
    except OSError as exc:
        logger.debug("no hard link on %s (%s): renaming", target.parent, exc)
        if target.exists():
            raise ArchiveError(f"{target} already exists") from exc
        partial.rename(target)
        return
    partial.unlink()


def create_snapshot(
    source: str | Path,
    out_dir: str | Path = "snapshots",
    *,
    compress: bool = False,
    at: datetime | None = None,
) -> Snapshot:
    """Write `out_dir/archive-<UTC time>.db` (`.db.gz` with `compress`) and its manifest."""
    created = (at or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    stem = f"archive-{created.strftime(STAMP_FORMAT)}"
    with contextlib.closing(open_source(source)) as conn:
        out = prepare_out_dir(out_dir)
        db_target = target_in(out, f"{stem}.db")
        gz_target = target_in(out, f"{stem}.db.gz")
        manifest_path = target_in(out, f"{stem}.json")
        target = gz_target if compress else db_target
        try:
            with partial_file(db_target) as db_partial, partial_file(gz_target) as gz_partial:
                logger.info("copying %s into %s", source, db_target)
                conn.execute("VACUUM INTO ?", [str(db_partial)])
                with contextlib.closing(connect_readonly(db_partial, immutable=True)) as copy:
                    contents = describe(copy)
                manifest: dict[str, Any] = {
                    "format": MANIFEST_FORMAT,
                    "created_at": created.isoformat().replace("+00:00", "Z"),
                    "tool": {"name": "newsarchive", "version": tool_version()},
                    "sqlite_version": sqlite3.sqlite_version,
                    **contents,
                    "file": {**file_digest(db_partial), "name": db_target.name},
                }
                if compress:
                    gzip_file(db_partial, gz_partial, db_target.name)
                    manifest["compressed"] = {
                        **file_digest(gz_partial),
                        "name": gz_target.name,
                        "format": "gzip",
                    }
                publish(gz_partial if compress else db_partial, target)
            write_manifest(manifest_path, manifest)
        except (sqlite3.Error, OSError) as exc:
            raise ArchiveError(f"cannot write a snapshot of {source} in {out}: {exc}") from exc
    logger.info("snapshot %s: %d bytes", target, target.stat().st_size)
    return Snapshot(target, manifest_path, manifest)


def gzip_file(source: Path, target: Path, inner_name: str) -> None:
    with (
        source.open("rb") as raw,
        target.open("xb") as out,
        gzip.GzipFile(inner_name, "wb", compresslevel=6, fileobj=out, mtime=0) as gz,
    ):
        shutil.copyfileobj(raw, gz, CHUNK)


def write_manifest(path: Path, manifest: dict[str, Any]) -> None:
    text = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
    with partial_file(path) as partial:
        partial.write_text(text, encoding="utf-8")
        publish(partial, path)


def read_manifest(path: Path) -> dict[str, Any]:
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ArchiveError(f"no manifest {path.name} beside the snapshot") from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ArchiveError(f"{path} is not a readable snapshot manifest: {exc}") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != MANIFEST_FORMAT:
        raise ArchiveError(f"{path} is not a newsarchive snapshot manifest")
    for key in ("file", "compressed"):
        entry = manifest.get(key)
        if (entry is not None or key == "file") and not (
            isinstance(entry, dict) and {"name", "size", "sha256"} <= entry.keys()
        ):
            raise ArchiveError(f"{path}: the manifest's {key!r} lacks a name, size or sha256")
    return manifest


def locate(path: str | Path) -> tuple[Path, Path]:
    """(data file, manifest) for a snapshot named by its `.db`, `.db.gz` or `.json` file."""
    path = Path(path)
    if path.suffix == ".json":
        manifest = read_manifest(path)
        name = (manifest.get("compressed") or manifest["file"])["name"]
        return path.with_name(Path(name).name), path
    stem = path.name.removesuffix(".gz").removesuffix(".db")
    return path, path.with_name(f"{stem}.json")


def verify(path: str | Path) -> list[Check]:
    """Check a snapshot against its manifest: checksums, `integrity_check`, contents."""
    data_path, manifest_path = locate(path)
    if not data_path.is_file():
        raise ArchiveError(f"no snapshot file {data_path}")
    manifest = read_manifest(manifest_path)
    # A compressed snapshot that someone decompressed is checked as the database it holds.
    compressed = manifest.get("compressed") if data_path.suffix == ".gz" else None
    if not compressed:
        return [check_digest(data_path, manifest["file"]), *check_database(data_path, manifest)]
    checks = [check_digest(data_path, compressed)]
    with tempfile.TemporaryDirectory(prefix="newsarchive-verify-") as tmp:
        db_path = Path(tmp) / data_path.name.removesuffix(".gz")
        try:
            with gzip.open(data_path, "rb") as gz, db_path.open("wb") as out:
                shutil.copyfileobj(gz, out, CHUNK)
        except (OSError, EOFError) as exc:
            return [*checks, Check("decompress", False, f"cannot decompress {data_path}: {exc}")]
        checks.append(Check("decompress", True, f"gzip {data_path.name} decompresses"))
        checks += [check_digest(db_path, manifest["file"]), *check_database(db_path, manifest)]
    return checks


def check_digest(path: Path, expected: dict[str, Any]) -> Check:
    actual = file_digest(path)
    name = f"sha256 {path.name}"
    if actual["sha256"] == expected["sha256"] and actual["size"] == expected["size"]:
        return Check(name, True, f"{actual['size']} bytes, sha256 {actual['sha256']}")
    return Check(
        name,
        False,
        f"{actual['size']} bytes, sha256 {actual['sha256']}; manifest says "
        f"{expected['size']} bytes, sha256 {expected['sha256']}",
    )


def check_database(path: Path, manifest: dict[str, Any]) -> list[Check]:
    """`PRAGMA integrity_check`, then schema and counts against the manifest."""
    try:
        with contextlib.closing(connect_readonly(path, immutable=True)) as conn:
            problems = [row[0] for row in conn.execute("PRAGMA integrity_check")]
            integrity = Check(
                "integrity_check", problems == ["ok"], "ok" if problems == ["ok"] else problems[0]
            )
            contents = describe(conn)
            index = check_index(Database(conn))
    except sqlite3.DatabaseError as exc:
        return [Check("integrity_check", False, f"not a readable SQLite database: {exc}")]
    checks = [integrity, *index]
    for key in ("schema", "counts", "articles_per_site", "published_date"):
        if contents[key] == manifest.get(key):
            checks.append(Check(key, True, summary(key, contents[key])))
        else:
            checks.append(
                Check(key, False, f"{contents[key]} in the file, manifest says {manifest.get(key)}")
            )
    return checks


def check_index(db: Database) -> list[Check]:
    """Every article is in the search index as it is (archives since m004 keep a note of
    what another tool wrote); none: the archive predates the check."""
    if search.PENDING_TABLE not in db.table_names():
        return []
    missing = search.unindexed(db)
    if not missing:
        return [Check("search index", True, "every article is indexed")]
    return [
        Check(
            "search index",
            False,
            f"{missing} articles written by another tool are not in the search index yet; "
            "`newsarchive reindex` indexes them",
        )
    ]


def summary(key: str, value: dict[str, Any]) -> str:
    if key == "schema":
        return f"{value['migration_set']} {value['version']}"
    if key == "published_date":
        return f"{value['earliest']} to {value['latest']}"
    return ", ".join(f"{name or '(none)'} {count}" for name, count in value.items())


def snapshots_in(out_dir: str | Path) -> list[Snapshot]:
    """The snapshots this tool made in `out_dir`, newest first: a file named like one, with
    a manifest beside it that names it. Anything else in the directory is not ours."""
    out = Path(out_dir)
    found = []
    for entry in out.iterdir():
        match = SNAPSHOT_FILE.match(entry.name)
        if not match or not entry.is_file():
            continue
        manifest_path = out / f"archive-{match['stamp']}.json"
        try:
            manifest = read_manifest(manifest_path)
        except ArchiveError as exc:
            logger.info("leaving %s alone: %s", entry.name, exc)
            continue
        if entry.name == (manifest.get("compressed") or manifest.get("file") or {}).get("name"):
            found.append(Snapshot(entry, manifest_path, manifest))
    return sorted(found, key=lambda snapshot: snapshot.path.name, reverse=True)


def prune(out_dir: str | Path, keep: int) -> list[Path]:
    """Remove all but the newest `keep` snapshots (file and manifest); returns what went."""
    if keep < 1:
        raise ValueError("keep at least one snapshot")
    removed = []
    for old in snapshots_in(out_dir)[keep:]:
        old.path.unlink()
        old.manifest_path.unlink()
        logger.info("removed snapshot %s", old.path)
        removed += [old.path, old.manifest_path]
    return removed
