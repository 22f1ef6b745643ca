"""What every `newsarchive` command shares: the archive option and one-line user errors."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TypeVar

import click

from archive.db import Archive
from archive.errors import ArchiveError

DEFAULT_ARCHIVE = "archive.db"
ARCHIVE_HELP = "archive file (default: $NEWSARCHIVE_ARCHIVE or ./archive.db)"
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


def open_existing(path: str) -> Archive:
    """Open an archive that must exist already; a UserError says why it cannot be opened."""
    try:
        return Archive.open(path, create=False)
    except ArchiveError as exc:
        raise UserError(str(exc)) from None
