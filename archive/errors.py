"""The one exception the archive raises for problems a user can fix."""

from __future__ import annotations


class ArchiveError(Exception):
    """A problem with the archive file or its use, told in one line (missing path, not SQLite)."""
