"""The SQLite archive (sqlite-utils), its Datasette metadata and the `newsarchive` CLI."""
