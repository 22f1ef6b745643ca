"""The SQLite archive (sqlite-utils), its Datasette metadata and the `newsarchive` CLI."""

from archive.db import Archive
from archive.errors import ArchiveError

__all__ = ["Archive", "ArchiveError"]
