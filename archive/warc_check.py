"""`verify` of a WARC or WACZ export: every record readable, its digests right, and as many
records of each type as the manifest states (warcio reads and checks them, streaming)."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import IO, Any

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from archive.checks import Check, HashingReader
from archive.snapshot import CHUNK


def check_records(stream: IO[bytes] | HashingReader, expected: dict[str, int], name: str) -> Check:
    """Read every record of a WARC stream, checking its digests; compare the counts."""
    counts: dict[str, int] = {}
    bad: list[str] = []
    try:
        iterator = ArchiveIterator(stream, check_digests=True)
        for record in iterator:
            content = record.content_stream()
            while content.read(CHUNK):
                pass
            counts[record.rec_type] = counts.get(record.rec_type, 0) + 1
            if record.digest_checker.passed is False:
                bad.append(record.rec_headers.get_header("WARC-Record-ID"))
    except (ArchiveLoadFailed, OSError, EOFError, ValueError) as exc:
        return Check(f"records {name}", False, f"unreadable after {sum(counts.values())}: {exc}")
    described = ", ".join(f"{kind} {n}" for kind, n in sorted(counts.items()))
    if bad:
        return Check(f"records {name}", False, f"{len(bad)} with wrong digests, first {bad[0]}")
    if counts != expected:
        return Check(f"records {name}", False, f"{described}; manifest says {expected}")
    return Check(f"records {name}", True, f"{described}; digests pass")


def check_export(path: Path, manifest: dict[str, Any]) -> list[Check]:
    """The records of a WARC file, or of the WARC inside a WACZ package (and its checksum)."""
    expected = manifest.get("records") or {}
    if manifest.get("export") != "wacz":
        with path.open("rb") as f:
            return [check_records(f, expected, path.name)]
    inner = manifest.get("warc") or {}
    member = f"archive/{inner.get('name')}"
    try:
        with zipfile.ZipFile(path) as package, package.open(member) as raw:
            stream = HashingReader(raw)
            records = check_records(stream, expected, member)
            stream.drain()
    except (zipfile.BadZipFile, KeyError) as exc:
        return [Check(f"records {member}", False, f"not in a readable WACZ: {exc}")]
    same = (stream.size, stream.digest.hexdigest()) == (inner.get("size"), inner.get("sha256"))
    digest = Check(
        f"sha256 {member}", same, f"{stream.size} bytes, sha256 {stream.digest.hexdigest()}"
    )
    return [digest, records]
