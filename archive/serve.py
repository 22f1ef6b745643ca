"""Serve an archive with Datasette and the project's generated metadata.

Two ways to serve, both read-only (an archive that needs migrating is refused, not migrated):
- a live archive (the file the crawler writes): opened by Datasette in its normal read-only
  mode (`mode=ro`), so it sees new articles as they arrive;
- a snapshot (`archive-20261122T050000Z.db`, a file nobody writes any more): opened
  immutable (`-i`) with an inspect file made by `datasette inspect`, so table counts are
  instant and nothing is ever locked.

`public` is for a server on the internet: no arbitrary SQL (canned queries stay), no facet
suggestions, no database download, the crawler's own tables hidden (`archive.metadata`);
`datasette-block-robots` (installed with the project) asks crawlers to stay away in every
mode.

Whatever the file is called, the archive is `/archive` in URLs (the plugin renames it).
"""

from __future__ import annotations

import json
import logging
import socket
import sqlite3
import tempfile
from collections.abc import Callable, Mapping
from contextlib import closing
from pathlib import Path
from typing import Any

from datasette.cli import cli as datasette_cli
from sqlite_utils import Database

from archive.db import Archive, connect_readonly, schema_state
from archive.errors import ArchiveError
from archive.metadata import DATABASE, build_metadata
from archive.queries import SEARCH_QUERY

logger = logging.getLogger(__name__)

SETTINGS: dict[str, Any] = {
    "suggest_facets": "off",  # a list of every column above the rows: noise for a reader
    "sql_time_limit_ms": 1000,
    "max_returned_rows": 2000,
    "facet_time_limit_ms": 500,
    "max_csv_mb": 50,
}
PUBLIC_SETTINGS: dict[str, Any] = {
    "allow_download": "off",
}


def datasette_args(
    archive_path: str | Path,
    *,
    host: str = "127.0.0.1",
    port: int = 8001,
    metadata_path: str | Path,
    public: bool = False,
    inspect_path: str | Path | None = None,
) -> list[str]:
    """Arguments for the `datasette` command that serve `archive_path`: immutable (`-i`,
    with its inspect file) when `inspect_path` is given, read-only otherwise."""
    if inspect_path is None:
        args = ["serve", str(archive_path)]
    else:
        args = ["serve", "-i", str(archive_path), "--inspect-file", str(inspect_path)]
    args += ["--metadata", str(metadata_path), "--host", host, "--port", str(port)]
    settings = {**SETTINGS, **(PUBLIC_SETTINGS if public else {})}
    for name, value in settings.items():
        args += ["--setting", name, str(value)]
    return args


def check_port_free(host: str, port: int) -> None:
    """Raise `ArchiveError` if nothing can listen on host:port (another server holds it)."""
    for family, kind, proto, _, address in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM):
        with socket.socket(family, kind, proto) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                sock.bind(address)
            except OSError as exc:
                raise ArchiveError(f"port {port} is in use ({host}: {exc.strerror})") from exc
        return


def check_up_to_date(path: Path, *, immutable: bool = False) -> None:
    """Raise `ArchiveError` unless the archive at `path` has every migration applied, naming
    the command that migrates it (`immutable`: a snapshot, read without locks: migrate a
    copy); nothing is written."""
    if path.is_file():
        check_not_compressed(path)
    if not immutable:
        Archive.open(path, read_only=True).close()
        return
    if not path.is_file():
        raise ArchiveError(f"no snapshot at {path}")
    try:
        with closing(connect_readonly(path, immutable=True)) as conn:
            missing = schema_state(Database(conn), path)
    except sqlite3.DatabaseError as exc:
        raise ArchiveError(f"{path} is not a newsarchive snapshot: {exc}") from exc
    if missing:
        raise ArchiveError(
            f"{path} was made by an older newsarchive (missing {', '.join(missing)}):"
            f" migrate a copy of it with `newsarchive migrate --archive COPY` first"
        )


GZIP_MAGIC = b"\x1f\x8b"


def check_not_compressed(path: Path) -> None:
    """Raise `ArchiveError` for a gzip-compressed snapshot (SQLite cannot read it), naming
    the command that decompresses it."""
    with path.open("rb") as file:
        compressed = file.read(2) == GZIP_MAGIC
    if compressed:
        plain = (
            path.with_suffix("")
            if path.suffix == ".gz"
            else path.with_name(f"{path.stem}-plain.db")
        )
        raise ArchiveError(
            f"{path} is compressed: decompress it first (gunzip -c {path} > {plain}) "
            f"and serve {plain}"
        )


def inspect(path: Path, inspect_path: Path) -> None:
    """`datasette inspect`: the table counts of an immutable database, into `inspect_path`,
    under the name Datasette gives the file and under `archive` (the plugin renames it)."""
    run_datasette(["inspect", str(path), "--inspect-file", str(inspect_path)])
    counts = json.loads(inspect_path.read_text("utf-8"))
    counts.setdefault(DATABASE, counts.get(path.stem))
    inspect_path.write_text(json.dumps(counts), "utf-8")


def search_url(host: str, port: int) -> str:
    """The address of the search page of a server on host:port (on every address: this
    machine's)."""
    shown = {"0.0.0.0": "127.0.0.1", "::": "[::1]", "": "127.0.0.1"}.get(host, host)
    if ":" in shown and not shown.startswith("["):
        shown = f"[{shown}]"
    return f"http://{shown}:{port}/{DATABASE}/{SEARCH_QUERY}"


def run_datasette(args: list[str]) -> int:
    """Run the `datasette` command in this process (stopping `newsarchive serve` stops it)."""
    try:
        datasette_cli.main(args=args, prog_name="datasette", standalone_mode=False)
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def serve(
    archive_path: str | Path,
    host: str = "127.0.0.1",
    port: int = 8001,
    *,
    public: bool = False,
    snapshot: bool = False,
    show: tuple[str, ...] = (),
    sites: Mapping[str, str] | None = None,
    announce: Callable[[str], None] | None = None,
) -> int:
    """Run Datasette on the archive (or with `snapshot`, a snapshot) until it stops;
    returns its exit status.

    The archive (or snapshot) must exist and be up to date: it is checked, never written
    (an older one is refused with the command that migrates it). `show`: tables a public
    server shows though it hides them by default; `sites`: each site's title by its key.
    `announce` is told the search page's URL once the checks pass, before the server starts.
    The metadata (and a snapshot's inspect file) live in a temporary folder as long as the
    server.
    """
    path = Path(archive_path)
    check_up_to_date(path, immutable=snapshot)
    check_port_free(host, port)
    with tempfile.TemporaryDirectory(prefix="newsarchive-") as tmp:
        metadata_path = Path(tmp) / "metadata.json"
        metadata = build_metadata(public=public, show=show, sites=sites, file_database=path.stem)
        metadata_path.write_text(json.dumps(metadata, ensure_ascii=False, indent=2), "utf-8")
        inspect_path = None
        if snapshot:
            inspect_path = Path(tmp) / "inspect.json"
            inspect(path, inspect_path)
        args = datasette_args(
            path,
            host=host,
            port=port,
            metadata_path=metadata_path,
            public=public,
            inspect_path=inspect_path,
        )
        logger.info("serving %s on %s", path, search_url(host, port))
        if announce is not None:
            announce(search_url(host, port))
        return run_datasette(args)
