"""A snapshot's manifest (`archive-<time>.json`): written beside the data file, read back
and checked field by field before `verify` trusts anything in it.

A manifest is small (KB); one over `MAX_MANIFEST_BYTES`, one that is not JSON, not an
object, of another format, or whose file entries lack a plain name, a size in bytes or a
SHA-256 is refused in one line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from archive.errors import ArchiveError
from archive.files import partial_file, publish

MANIFEST_FORMAT = "newsarchive-snapshot/1"
MAX_MANIFEST_BYTES = 4 << 20
SHA256 = re.compile(r"[0-9a-f]{64}")


def is_plain_name(value: Any) -> bool:
    return (
        isinstance(value, str)
        and value not in ("", ".", "..")
        and "/" not in value
        and "\\" not in value
        and "\0" not in value
    )


def is_size(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def is_sha256(value: Any) -> bool:
    return isinstance(value, str) and SHA256.fullmatch(value) is not None


# What each file entry (`file`, `compressed`) holds: (key, check, what it must be).
ENTRY_FIELDS: tuple[tuple[str, Callable[[Any], bool], str], ...] = (
    ("name", is_plain_name, "a plain file name"),
    ("size", is_size, "a size in bytes"),
    ("sha256", is_sha256, "a SHA-256 digest in hex"),
)


def write_manifest(path: Path, manifest: dict[str, Any]) -> None:
    text = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
    with partial_file(path) as partial:
        partial.file.write(text.encode("utf-8"))
        partial.file.flush()
        publish(partial.path, path)


def read_manifest(path: Path) -> dict[str, Any]:
    """The manifest at `path`, checked; ArchiveError saying what is wrong with it."""
    try:
        with path.open("rb") as f:
            raw = f.read(MAX_MANIFEST_BYTES + 1)
    except FileNotFoundError as exc:
        raise ArchiveError(f"no manifest {path.name} beside the snapshot") from exc
    except OSError as exc:
        raise ArchiveError(f"cannot read the manifest {path}: {exc.strerror or exc}") from exc
    if len(raw) > MAX_MANIFEST_BYTES:
        raise ArchiveError(f"{path} is not a snapshot manifest: over {MAX_MANIFEST_BYTES} bytes")
    try:
        manifest = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        reason = "nested too deeply" if isinstance(exc, RecursionError) else exc
        raise ArchiveError(f"{path} is not a readable snapshot manifest: {reason}") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != MANIFEST_FORMAT:
        raise ArchiveError(f"{path} is not a newsarchive snapshot manifest")
    check_entry(path, "file", manifest.get("file"), required=True)
    check_entry(path, "compressed", manifest.get("compressed"), required=False)
    return manifest


def check_entry(path: Path, key: str, entry: Any, *, required: bool) -> None:
    if entry is None and not required:
        return
    if not isinstance(entry, dict) or not {name for name, _, _ in ENTRY_FIELDS} <= entry.keys():
        raise ArchiveError(f"{path}: the manifest's {key!r} lacks a name, size or sha256")
    for name, valid, what in ENTRY_FIELDS:
        if not valid(entry[name]):
            raise ArchiveError(f"{path}: the manifest's {key}.{name} is not {what}")


def data_name(manifest: dict[str, Any]) -> str:
    """The name of the file a (checked) manifest describes: compressed, or plain."""
    return str((manifest.get("compressed") or manifest["file"])["name"])
