"""`verify`: a snapshot checked against its manifest (`archive.manifest`): the checksums,
`PRAGMA integrity_check`, the schema, counts and dates it states, and the search index; a
WARC or WACZ export, its checksum and its records (`archive.warc_check`).

A `.db.gz` is decompressed once, into a temporary file, with the checksums of the compressed
and the decompressed bytes taken on the way; what it writes is capped at the size the
manifest states, so a gzip bomb is refused after writing no more than that.
"""

from __future__ import annotations

import contextlib
import hashlib
import shutil
import sqlite3
import tempfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from archive import search
from archive.checks import Check, HashingReader
from archive.db import connect_readonly
from archive.errors import ArchiveError
from archive.manifest import data_name, read_manifest
from archive.snapshot import CHUNK, describe, file_digest
from archive.warc_check import check_export

GZIP_WBITS = 16 + zlib.MAX_WBITS  # zlib reads the gzip format and checks its CRC


def locate(path: str | Path) -> tuple[Path, Path]:
    """(data file, manifest) for a snapshot named by its `.db`, `.db.gz` or `.json` file."""
    path = Path(path)
    if path.suffix == ".json":
        return path.with_name(data_name(read_manifest(path))), path
    stem = path.name.removesuffix(".gz").removesuffix(".db")
    return path, path.with_name(f"{stem}.json")


def verify(path: str | Path) -> list[Check]:
    """Check a snapshot against its manifest: checksums, `integrity_check`, contents.

    A `.db.gz` is decompressed once, into a temporary file, with both checksums taken on
    the way; ArchiveError refuses one that expands past the size its manifest states (a
    gzip bomb) or that the temporary directory has no room for."""
    data_path, manifest_path = locate(path)
    try:
        if not data_path.is_file():
            raise ArchiveError(f"no snapshot file {data_path}")
    except OSError as exc:
        raise ArchiveError(f"cannot read {data_path}: {exc.strerror or exc}") from exc
    manifest = read_manifest(manifest_path)
    if manifest.get("export"):  # a WARC or WACZ export: its checksum, then its records
        return [check_digest(data_path, manifest["file"]), *check_export(data_path, manifest)]
    # A compressed snapshot that someone decompressed is checked as the database it holds.
    compressed = manifest.get("compressed") if data_path.suffix == ".gz" else None
    if not compressed:
        return [check_digest(data_path, manifest["file"]), *check_database(data_path, manifest)]
    with tempfile.TemporaryDirectory(prefix="newsarchive-verify-") as tmp:
        db_path = Path(tmp) / manifest["file"]["name"]
        checks = decompress(data_path, compressed, manifest["file"], db_path)
        if all(check.ok for check in checks):
            checks += check_database(db_path, manifest)
    return checks


def inflate(raw: HashingReader) -> Iterator[bytes]:
    """What a gzip file (of one member or several) decompresses to, at most CHUNK bytes at
    a time, so that a bomb costs no memory; zlib.error or EOFError for a damaged or cut one."""
    inflater = zlib.decompressobj(GZIP_WBITS)
    pending = b""
    while True:
        if not pending:
            pending = raw.read(CHUNK)
            if not pending:
                if not inflater.eof:
                    raise EOFError("the gzip stream ends before its end marker")
                return
        if inflater.eof:  # another gzip member follows
            inflater = zlib.decompressobj(GZIP_WBITS)
        chunk = inflater.decompress(pending, CHUNK)
        pending = inflater.unused_data if inflater.eof else inflater.unconsumed_tail
        if chunk:
            yield chunk


def decompress(
    path: Path, compressed: dict[str, Any], inner: dict[str, Any], out_path: Path
) -> list[Check]:
    """Decompress `path` into `out_path` in one pass, checking the compressed file's digest
    and the decompressed one's on the way; never writes more than the manifest's size."""
    limit = inner["size"]
    free = shutil.disk_usage(out_path.parent).free
    if limit > free:
        raise ArchiveError(
            f"{path.name} holds {limit} bytes; the temporary directory {out_path.parent}"
            f" has {free} free (set TMPDIR to a roomier one)"
        )
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as raw, out_path.open("xb") as out:
        reader = HashingReader(raw)
        try:
            for chunk in inflate(reader):
                if size + len(chunk) > limit:
                    raise ArchiveError(
                        f"refused {path.name}: it expands past the {limit} bytes its"
                        " manifest states (a gzip bomb, or the wrong manifest)"
                    )
                out.write(chunk)
                digest.update(chunk)
                size += len(chunk)
            failure = None
        except (OSError, EOFError, zlib.error) as exc:
            failure = Check("decompress", False, f"cannot decompress {path}: {exc}")
        reader.drain()
    checks = [digest_check(path.name, reader.size, reader.digest.hexdigest(), compressed)]
    if failure:
        return [*checks, failure]
    checks.append(Check("decompress", True, f"gzip {path.name} decompresses"))
    return [*checks, digest_check(out_path.name, size, digest.hexdigest(), inner)]


def check_digest(path: Path, expected: dict[str, Any]) -> Check:
    actual = file_digest(path)
    return digest_check(path.name, actual["size"], actual["sha256"], expected)


def digest_check(name: str, size: int, sha256: str, expected: dict[str, Any]) -> Check:
    label = f"sha256 {name}"
    if sha256 == expected["sha256"] and size == expected["size"]:
        return Check(label, True, f"{size} bytes, sha256 {sha256}")
    return Check(
        label,
        False,
        f"{size} bytes, sha256 {sha256}; manifest says "
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
