"""The SQLite archive (sqlite-utils) and what reads it: search, snapshots, exports, Datasette."""

from archive.db import Archive
from archive.errors import ArchiveError

__all__ = ["Archive", "ArchiveError"]
