"""One crawl at a time per archive: an advisory lock on ``<archive>.lock``.

The lock is ``flock``: the kernel releases it when the holding process dies, even by
SIGKILL, so a lock file left by a killed crawl is simply taken over (and said so). The
file holds the holder's pid and start time for the message a second crawl prints. Within
one process the lock is re-entrant: the CLI takes it, and each spider's pipeline takes it
again (so that `scrapy crawl` and Scrapyd jobs are locked too).
"""

from __future__ import annotations

import fcntl
import logging
import os
import time
from pathlib import Path
from typing import IO

from archive.clock import now
from archive.errors import ArchiveError

logger = logging.getLogger(__name__)

POLL_SECONDS = 0.2
_HELD: dict[Path, CrawlLock] = {}


class ArchiveBusy(ArchiveError):
    """Another crawl holds the archive's lock."""


class CrawlLock:
    def __init__(self, archive_path: str | Path) -> None:
        self.path = Path(f"{Path(archive_path).resolve()}.lock")
        self._file: IO[str] | None = None
        self._depth = 0

    @classmethod
    def acquire(cls, archive_path: str | Path, wait: float = 0) -> CrawlLock:
        """Take the lock of ``archive_path``, waiting up to ``wait`` seconds for it.

        Raises :class:`ArchiveBusy` naming the holder when it stays taken.
        """
        lock = _HELD.get(Path(f"{Path(archive_path).resolve()}.lock")) or cls(archive_path)
        lock._take(wait)
        return lock

    def _take(self, wait: float) -> None:
        if self._depth:
            self._depth += 1
            return
        try:
            handle = self.path.open("a+", encoding="utf-8")
        except OSError as exc:
            raise ArchiveError(f"cannot lock {self.path}: {exc.strerror or exc}") from exc
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = self._holder(handle)
                    handle.close()
                    raise ArchiveBusy(
                        f"another crawl is running on {self.path.with_suffix('')}{holder};"
                        " try again later or pass --wait SECONDS"
                    ) from None
                time.sleep(POLL_SECONDS)
        previous = self._holder(handle)
        if previous:
            logger.warning("taking over the lock left by a crawl that ended%s", previous)
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()} {now()}\n")
        handle.flush()
        self._file, self._depth = handle, 1
        _HELD[self.path] = self

    @staticmethod
    def _holder(handle: IO[str]) -> str:
        handle.seek(0)
        fields = handle.read().split()
        return f" (pid {fields[0]}, since {fields[1]})" if len(fields) >= 2 else ""

    @property
    def outermost(self) -> bool:
        """Whether this acquisition took the file lock (and so may clean up after others)."""
        return self._depth == 1

    def release(self) -> None:
        """Give the lock up (the outermost release of this process unlocks the file)."""
        self._depth -= 1
        if self._depth > 0 or self._file is None:
            return
        self._file.seek(0)
        self._file.truncate()
        fcntl.flock(self._file, fcntl.LOCK_UN)
        self._file.close()
        self._file = None
        _HELD.pop(self.path, None)

    def __enter__(self) -> CrawlLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
