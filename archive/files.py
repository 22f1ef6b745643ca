"""Writing snapshot and export files into a directory, safely.

A file is written under a temporary name beside its target (`.NAME.partial`) and published
with a hard link, never over an existing file. The writer holds an ``flock`` on its partial
file for as long as it writes: the kernel drops the lock when the writer dies (even by
SIGKILL), so a partial file nobody holds a lock on was left by a killed writer, and the
next snapshot removes those of its own names (`remove_stale_partials`). Creating a partial
file is exclusive (``O_EXCL``): two writers never write the same one.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from archive.errors import ArchiveError

logger = logging.getLogger(__name__)

PARTIAL = ".partial"
# SQLite writes a rollback journal beside the database it makes (`VACUUM INTO`).
JOURNAL = "-journal"
# The partial files of snapshots and exports named by this tool (archive-<time>...).
OWN_PARTIAL = re.compile(
    r"^\.archive-[0-9TZ-]+\.(?:db|db\.gz|json|jsonl|csv|warc\.gz|warc\.json|wacz|wacz\.json)"
    r"\.partial$"
)
CLAIM_ATTEMPTS = 5


class PartialBusy(ArchiveError):
    """Another live process is writing this partial file."""


@dataclass(frozen=True)
class Partial:
    """A partial file being written: its path and the open, locked file."""

    path: Path
    file: BinaryIO


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
    try:
        taken = target.exists() or target.is_symlink()
    except OSError as exc:  # a name too long for the file system, mostly
        raise ArchiveError(f"cannot write {target}: {exc.strerror or exc}") from exc
    if taken:
        raise ArchiveError(f"{target} already exists")
    return target


def same_file(handle: BinaryIO, path: Path) -> bool:
    """Whether `path` still names the file `handle` has open."""
    try:
        named = path.stat()
    except FileNotFoundError:
        return False
    held = os.fstat(handle.fileno())
    return (named.st_dev, named.st_ino) == (held.st_dev, held.st_ino)


def claim(path: Path) -> BinaryIO:
    """Create `path` exclusively and lock it; a stale file of that name is removed first.
    PartialBusy when a live writer holds it."""
    for _ in range(CLAIM_ATTEMPTS):
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            if remove_if_stale(path):
                continue
            raise PartialBusy(f"{path} is being written by another process") from None
        handle = os.fdopen(fd, "r+b")
        fcntl.flock(handle, fcntl.LOCK_EX)  # waits only for a cleaner looking at it
        if same_file(handle, path):
            return handle
        handle.close()  # a cleaner took it for a stale one before we locked it: again
    raise PartialBusy(f"{path} keeps being replaced by another process")


def remove_if_stale(path: Path) -> bool:
    """Remove `path` if no live process holds its lock; whether it is gone. A file is only
    removed by a process holding its lock, and only while `path` still names it."""
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        return True
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        if same_file(handle, path):
            path.unlink()
    return True


@contextlib.contextmanager
def partial_file(target: Path) -> Iterator[Partial]:
    """A new, locked temporary file beside `target`, removed unless the caller published it."""
    path = target.with_name(f".{target.name}{PARTIAL}")
    try:
        handle = claim(path)
    except OSError as exc:
        raise ArchiveError(f"cannot write {path}: {exc.strerror or exc}") from exc
    try:
        yield Partial(path, handle)
    finally:
        if same_file(handle, path):
            path.unlink()
        handle.close()


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


def remove_stale_partials(out: Path) -> list[Path]:
    """Remove the partial files of this tool's names in `out` that no live writer holds
    (and SQLite's journals beside them); what was removed."""
    removed = []
    try:
        entries = sorted(out.iterdir())
    except OSError as exc:
        raise ArchiveError(f"cannot read output directory {out}: {exc.strerror}") from exc
    for entry in entries:
        try:
            if OWN_PARTIAL.match(entry.name) and remove_if_stale(entry) and not entry.exists():
                logger.info("removed %s, left by a snapshot or export that was killed", entry)
                removed.append(entry)
        except OSError as exc:
            logger.warning("cannot remove %s, left by a killed snapshot: %s", entry, exc)
    for entry in entries:
        owner = entry.with_name(entry.name.removesuffix(JOURNAL))
        if OWN_PARTIAL.match(owner.name) and entry != owner and not owner.exists():
            try:
                entry.unlink(missing_ok=True)
                removed.append(entry)
            except OSError as exc:
                logger.warning("cannot remove %s, left by a killed snapshot: %s", entry, exc)
    return removed
