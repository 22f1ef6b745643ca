"""`verify` against hostile files (`archive/verify.py`, `archive/manifest.py`): a gzip bomb
is refused after writing no more than its manifest states, and a malformed manifest is a
one-line refusal, never a traceback."""

from __future__ import annotations

import hashlib
import json
import os
import resource
import shutil
import struct
import subprocess
import zlib
from pathlib import Path
from typing import Any

import pytest

from archive import ArchiveError
from archive.manifest import MAX_MANIFEST_BYTES
from archive.snapshot import Snapshot, create_snapshot
from archive.verify import verify
from tests.conftest import NEWSARCHIVE
from tests.test_snapshot import AT, make_archive

GIB = 1 << 30
MIB = 1 << 20


def gzip_bomb(path: Path) -> None:
    """A valid gzip file of 1 GiB of zeros in about 1 MB. After a full flush, the deflate
    block for 1 MiB of zeros is the same every time: it is made once and repeated, then an
    empty final block and the trailer (CRC-32 and size of the whole) close the stream."""
    zeros = bytes(MIB)
    deflate = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    first = deflate.compress(zeros) + deflate.flush(zlib.Z_FULL_FLUSH)
    repeated = deflate.compress(zeros) + deflate.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(GIB // MIB):
        crc = zlib.crc32(zeros, crc)
    final_block = b"\x03\x00"  # BFINAL, fixed Huffman codes, end of block
    trailer = struct.pack("<II", crc, GIB & 0xFFFFFFFF)
    path.write_bytes(first + repeated * (GIB // MIB - 1) + final_block + trailer)


def rewrite_manifest(made: Snapshot, **changes: Any) -> None:
    made.manifest_path.write_text(json.dumps({**made.manifest, **changes}), encoding="utf-8")


def entry_of(path: Path) -> dict[str, Any]:
    data = path.read_bytes()
    return {"name": path.name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}


@pytest.fixture
def compressed(tmp_path: Path) -> Snapshot:
    return create_snapshot(
        make_archive(tmp_path / "archive.db"), tmp_path / "out", at=AT, compress=True
    )


def test_a_gzip_bomb_is_refused_before_it_fills_the_disk(
    tmp_path: Path, compressed: Snapshot
) -> None:
    """The bomb replaces a snapshot's .db.gz and its manifest is changed to match, as
    someone handing out a tampered snapshot would. `verify` runs with an 8 MiB limit on the
    size of any file it writes (past it, a write fails with EFBIG): it refuses the bomb
    without reaching it, and says why."""
    gzip_bomb(compressed.path)
    assert compressed.path.stat().st_size < 1_100_000
    rewrite_manifest(compressed, compressed={**entry_of(compressed.path), "format": "gzip"})
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    result = subprocess.run(
        [NEWSARCHIVE, "verify", str(compressed.path)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "TMPDIR": str(scratch)},
        preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (8 * MIB, 8 * MIB)),
        check=False,
    )
    assert result.returncode == 1, result
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    size = compressed.manifest["file"]["size"]
    assert f"expands past the {size} bytes its manifest states" in result.stderr
    assert not list(scratch.iterdir())


def test_a_snapshot_the_temporary_directory_has_no_room_for_is_refused(
    compressed: Snapshot,
) -> None:
    rewrite_manifest(compressed, file={**compressed.manifest["file"], "size": 10**18})
    with pytest.raises(ArchiveError, match="holds 1000000000000000000 bytes; .* free"):
        verify(compressed.path)


def test_a_compressed_snapshot_still_verifies(compressed: Snapshot) -> None:
    checks = verify(compressed.path)
    assert [check.name for check in checks[:3]] == [
        f"sha256 {compressed.path.name}",
        "decompress",
        f"sha256 {compressed.manifest['file']['name']}",
    ]
    assert all(check.ok for check in checks), checks


def test_a_gzip_of_several_members_decompresses(compressed: Snapshot) -> None:
    data = zlib.decompress(compressed.path.read_bytes(), 16 + zlib.MAX_WBITS)
    halves = (data[: len(data) // 2], data[len(data) // 2 :])
    compressed.path.write_bytes(b"".join(map(gzip_member, halves)))
    rewrite_manifest(compressed, compressed={**entry_of(compressed.path), "format": "gzip"})
    assert all(check.ok for check in verify(compressed.path))


def gzip_member(data: bytes) -> bytes:
    deflate = zlib.compressobj(6, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    return deflate.compress(data) + deflate.flush()


# Malformed manifests

FILE = "file"
BAD_MANIFESTS: list[tuple[str, Any, str]] = [
    ("not-json", b"{not json", "not a readable snapshot manifest"),
    ("a-list", b"[1, 2]", "not a newsarchive snapshot manifest"),
    ("a-string", b'"archive"', "not a newsarchive snapshot manifest"),
    ("not-utf8", b"\xff\xfe{}", "not a readable snapshot manifest"),
    ("nested-deep", b"[" * 100_000, "nested too deeply"),
    ("too-big", b" " * (MAX_MANIFEST_BYTES + 1), f"over {MAX_MANIFEST_BYTES} bytes"),
    ("no-format", {"format": None}, "not a newsarchive snapshot manifest"),
    ("other-format", {"format": "other/2"}, "not a newsarchive snapshot manifest"),
    ("no-file", {FILE: None}, "'file' lacks a name, size or sha256"),
    ("file-a-list", {FILE: [1, 2]}, "'file' lacks a name, size or sha256"),
    ("name-a-number", {FILE: {"name": 7}}, "file.name is not a plain file name"),
    ("name-a-path", {FILE: {"name": "../../x.db"}}, "file.name is not a plain file name"),
    ("name-empty", {FILE: {"name": ""}}, "file.name is not a plain file name"),
    ("size-a-string", {FILE: {"size": "12"}}, "file.size is not a size in bytes"),
    ("size-negative", {FILE: {"size": -1}}, "file.size is not a size in bytes"),
    ("size-true", {FILE: {"size": True}}, "file.size is not a size in bytes"),
    ("sha256-short", {FILE: {"sha256": "abc"}}, "file.sha256 is not a SHA-256"),
    ("compressed-a-string", {"compressed": "gzip"}, "'compressed' lacks a name"),
]


@pytest.fixture(scope="module")
def made_once(tmp_path_factory: pytest.TempPathFactory) -> Snapshot:
    tmp = tmp_path_factory.mktemp("snapshot")
    return create_snapshot(make_archive(tmp / "archive.db"), tmp / "out", at=AT)


@pytest.fixture
def snapshot(made_once: Snapshot, tmp_path: Path) -> Snapshot:
    """A copy of one snapshot, to spoil."""
    copies = [shutil.copy(path, tmp_path) for path in (made_once.path, made_once.manifest_path)]
    return Snapshot(Path(copies[0]), Path(copies[1]), made_once.manifest)


def write_bad_manifest(made: Snapshot, content: Any) -> None:
    if isinstance(content, bytes):
        made.manifest_path.write_bytes(content)
        return
    manifest = {**made.manifest}
    for key, value in content.items():
        if value is None:
            manifest.pop(key)
        elif isinstance(value, dict):
            manifest[key] = {**manifest[key], **value}
        else:
            manifest[key] = value
    made.manifest_path.write_text(json.dumps(manifest), encoding="utf-8")


@pytest.mark.parametrize(
    ("content", "error"), [bad[1:] for bad in BAD_MANIFESTS], ids=[bad[0] for bad in BAD_MANIFESTS]
)
@pytest.mark.parametrize("given", ["data", "manifest"])
def test_a_malformed_manifest_is_refused(
    snapshot: Snapshot, content: Any, error: str, given: str
) -> None:
    made = snapshot
    write_bad_manifest(made, content)
    with pytest.raises(ArchiveError, match=error.replace("(", r"\(")) as raised:
        verify(made.path if given == "data" else made.manifest_path)
    assert "\n" not in str(raised.value)


@pytest.mark.e2e
def test_verify_of_a_malformed_manifest_is_one_line(snapshot: Snapshot) -> None:
    made = snapshot
    write_bad_manifest(made, {FILE: {"name": 7}})
    result = subprocess.run(
        [NEWSARCHIVE, "verify", str(made.manifest_path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "Traceback" not in result.stderr
