"""Serve an archive with Datasette and the project's generated metadata."""

from __future__ import annotations

import json
import logging
import socket
import tempfile
from pathlib import Path

from datasette.cli import cli as datasette_cli

from archive.db import Archive
from archive.errors import ArchiveError
from archive.metadata import build_metadata

logger = logging.getLogger(__name__)

SETTINGS = {
    "sql_time_limit_ms": 1000,
    "max_returned_rows": 2000,
    "facet_time_limit_ms": 500,
}


def datasette_args(
    archive_path: str | Path,
    *,
    host: str = "127.0.0.1",
    port: int = 8001,
    metadata_path: str | Path,
) -> list[str]:
    """Arguments for the `datasette` command that serve `archive_path`."""
    args = ["serve", str(archive_path), "--metadata", str(metadata_path)]
    args += ["--host", host, "--port", str(port)]
    for name, value in SETTINGS.items():
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


def serve(archive_path: str | Path, host: str = "127.0.0.1", port: int = 8001) -> int:
    """Run Datasette on the archive until it stops; returns its exit status.

    The archive must exist (it is migrated first); the metadata is written to a temporary
    file that lives as long as the server.
    """
    path = Path(archive_path)
    Archive.open(path, create=False).close()
    check_port_free(host, port)
    database = path.stem
    with tempfile.TemporaryDirectory(prefix="newsarchive-") as tmp:
        metadata_path = Path(tmp) / "metadata.json"
        metadata_path.write_text(
            json.dumps(build_metadata(database), ensure_ascii=False, indent=2), encoding="utf-8"
        )
        args = datasette_args(path, host=host, port=port, metadata_path=metadata_path)
        logger.info("serving %s on http://%s:%d/%s", path, host, port, database)
        # In this process, so stopping `newsarchive serve` stops Datasette with it.
        try:
            datasette_cli.main(args=args, prog_name="datasette", standalone_mode=False)
        except SystemExit as exc:
            return int(exc.code or 0)
        return 0
