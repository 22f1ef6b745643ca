"""What every `newsarchive` command shares: the archive option, one-line user errors, and
opening the archive for reading or (under its lock) for writing."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from typing import TypeVar

import click

from archive.db import Archive
from archive.errors import ArchiveError
from archive.lock import ArchiveBusy

DEFAULT_ARCHIVE = "archive.db"
ARCHIVE_HELP = "archive file (default: $NEWSARCHIVE_ARCHIVE or ./archive.db)"
EXIT_BUSY = 75  # EX_TEMPFAIL: another crawl holds the archive; try again later
F = TypeVar("F", bound=Callable[..., object])


class UserError(click.ClickException):
    """A problem the user can fix: printed as one line, exit status 1 (or ``exit_code``)."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code  # type: ignore[misc]  # click declares it on the class


def default_archive() -> str:
    return os.environ.get("NEWSARCHIVE_ARCHIVE") or DEFAULT_ARCHIVE


def archive_option(func: F) -> F:
    """The `--archive PATH` option every command that reads or writes an archive takes."""
    return click.option(
        "--archive",
        "archive_path",
        default=default_archive,
        show_default=False,
        help=ARCHIVE_HELP,
    )(func)


def wait_option(what: str) -> Callable[[F], F]:
    """The `--wait SECONDS` option of the commands that take the archive's lock: how long
    to wait for ``what`` holds it (default: exit at once, 75)."""
    return click.option(
        "--wait",
        type=click.FloatRange(0),
        default=0,
        metavar="SECONDS",
        help=f"wait this long for {what} of the archive to end (default: exit)",
    )


@contextlib.contextmanager
def archive_errors() -> Iterator[None]:
    """An ArchiveError raised inside becomes the command's one-line error (a UserError)."""
    try:
        yield
    except ArchiveError as exc:
        raise UserError(str(exc)) from None


def open_existing(path: str) -> Archive:
    """Open an archive that must exist already, read-only (it is never written, not even
    migrated); a UserError says why it cannot be opened."""
    with archive_errors():
        return Archive.open(path, read_only=True)


@contextlib.contextmanager
def writing(path: str, *, create: bool = False, wait: float = 0) -> Iterator[Archive]:
    """The archive opened for writing (and migrated) under its crawl lock; a UserError
    (exit 75 when another crawl holds the lock) says why it cannot be."""
    try:
        with Archive.locked(path, create=create, wait=wait) as archive:
            yield archive
    except ArchiveBusy as exc:
        raise UserError(str(exc), exit_code=EXIT_BUSY) from None
    except ArchiveError as exc:
        raise UserError(str(exc)) from None
