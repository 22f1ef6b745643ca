"""`newsarchive snapshot --format warc` / `wacz`: the captures as a gzipped WARC file (or
a WACZ package of it), with a manifest that records its checksum.

The WARC starts with a ``warcinfo`` record describing the crawl and the selection (the
software, the articles and captures it holds, when they were fetched and published), then
every selected capture's records (`archive.warc`), streamed from one read transaction, so
the file shows the archive at one instant while a crawl writes, and memory stays flat. The
file is written under a locked partial name and published whole (`archive.files`); the
manifest beside it (``archive-<time>.warc.json``) records its size, SHA-256 and record
counts, and `newsarchive verify` checks it. A WACZ (``--format wacz``) is the WARC packaged
with its CDX index, a page list (one page per article) and a datapackage by py-wacz
(``wacz create``); its manifest records the package's checksum and the WARC's inside it.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import json
import logging
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from warcio.warcwriter import WARCWriter

from archive.errors import ArchiveError
from archive.export import check_site
from archive.files import partial_file, plain_name, prepare_out_dir, publish, remove_stale_partials
from archive.files import target_in as free_target
from archive.manifest import MANIFEST_FORMAT, write_manifest
from archive.snapshot import (
    STAMP_FORMAT,
    applied_migrations,
    file_digest,
    open_source,
    tool_version,
)
from archive.warc import RecordMaker, captures, summary, warc_date

logger = logging.getLogger(__name__)

FORMATS = {"warc": "warc.gz", "wacz": "wacz"}
DESCRIPTION = (
    "Captures of the article pages of Chinese government news sites, archived by newsarchive."
    " Payloads are stored as received after transfer and content decoding: a response's"
    " Content-Encoding is written as X-Orig-Content-Encoding. Resource records are captures"
    " without headers (pages stored before captures were kept, or HTML given as text)."
)
PAGES_SQL = """select c.url, c.fetched_at, a.title from articles a
join captures c on c.id = a.capture_id
where (:since is null or a.published_date >= :since) and (:site is null or a.site = :site)
order by a.id"""


@dataclass(frozen=True)
class WarcExport:
    """A written WARC (or WACZ) file and its manifest."""

    path: Path
    manifest_path: Path
    manifest: dict[str, Any]


@contextlib.contextmanager
def reading(source: str | Path, site: str | None) -> Iterator[sqlite3.Connection]:
    """A read-only connection to the archive at `source` inside one read transaction;
    ArchiveError when it keeps no captures yet or holds no article of `site`."""
    with contextlib.closing(open_source(source)) as conn:
        if "m006_captures" not in applied_migrations(conn):
            raise ArchiveError(
                f"{source} was written by an older newsarchive and keeps no captures:"
                f" run `newsarchive migrate --archive {source}`"
            )
        check_site(conn, source, site)
        conn.execute("begin")
        try:
            yield conn
        finally:
            conn.rollback()


def warcinfo(
    source: str | Path, contents: dict[str, Any], since: str | None, site: str | None
) -> dict[str, str]:
    fetched, published = contents["fetched"], contents["published_date"]
    parts = (f"site {site}" if site else "", f"published {since} or later" if since else "")
    selection = "; ".join(part for part in parts if part)
    return {
        "software": f"newsarchive/{tool_version()} (warcio/{importlib.metadata.version('warcio')})",
        "format": "WARC File Format 1.0",
        "conformsTo": "http://bibnum.bnf.fr/WARC/WARC_ISO_28500_version1_latestdraft.pdf",
        "description": DESCRIPTION,
        "isPartOf": Path(source).name,
        "robots": "obey",
        "selection": selection or "every archived article",
        "articles": str(contents["articles"]),
        "captures": str(contents["captures"]),
        "fetched": f"{fetched['earliest']} to {fetched['latest']}",
        "published": f"{published['earliest']} to {published['latest']}",
    }


def write_warc(
    conn: sqlite3.Connection,
    out: BinaryIO,
    *,
    source: str | Path,
    filename: str,
    since: str | None = None,
    site: str | None = None,
) -> dict[str, Any]:
    """Write the warcinfo record and the records of every selected capture to `out`
    (gzip members, one per record); what the file holds."""
    contents = summary(conn, since, site)
    writer = WARCWriter(out, gzip=True)
    info = writer.create_warcinfo_record(filename, warcinfo(source, contents, since, site))
    writer.write_record(info)
    maker = RecordMaker(writer, info.rec_headers.get_header("WARC-Record-ID"))
    for capture in captures(conn, since, site):
        maker.write(capture)
    out.flush()
    return {**contents, "records": {"warcinfo": 1, **maker.counts}}


def stream_warc(
    source: str | Path, out: BinaryIO, *, since: str | None = None, site: str | None = None
) -> dict[str, Any]:
    """The WARC of the archive at `source` written to a stream (stdout)."""
    with reading(source, site) as conn:
        return write_warc(conn, out, source=source, filename="-", since=since, site=site)


def export_warc(
    source: str | Path,
    out_dir: str | Path,
    *,
    fmt: str = "warc",
    name: str | None = None,
    since: str | None = None,
    site: str | None = None,
    at: datetime | None = None,
) -> WarcExport:
    """Write `out_dir/archive-<UTC time>.warc.gz` (or `.wacz`) and its manifest."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; known: {', '.join(FORMATS)}")
    created = (at or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    out = Path(out_dir)
    name = plain_name(name or f"archive-{created.strftime(STAMP_FORMAT)}.{FORMATS[fmt]}", out)
    with reading(source, site) as conn:
        out = prepare_out_dir(out_dir)
        target = free_target(out, name)
        manifest_path = free_target(out, manifest_name(name))
        try:
            remove_stale_partials(out)
            with partial_file(target) as partial:
                if fmt == "warc":
                    held = write_warc(
                        conn, partial.file, source=source, filename=name, since=since, site=site
                    )
                    inner = None
                else:
                    held, inner = write_wacz(conn, partial.path, source, name, since, site)
                file = {**file_digest(partial.path), "name": name}
                publish(partial.path, target)
        except OSError as exc:
            raise ArchiveError(f"cannot write {target}: {exc}") from exc
    manifest: dict[str, Any] = {
        "format": MANIFEST_FORMAT,
        "export": fmt,
        "created_at": created.isoformat().replace("+00:00", "Z"),
        "tool": {"name": "newsarchive", "version": tool_version()},
        "selection": {"since": since, "site": site},
        **held,
        "file": file,
    }
    if inner is not None:
        manifest["warc"] = inner
    write_manifest(manifest_path, manifest)
    logger.info("wrote %s: %s", target, held["records"])
    return WarcExport(target, manifest_path, manifest)


def manifest_name(name: str) -> str:
    """The manifest of a WARC or WACZ file: `x.warc.gz` -> `x.warc.json`, `x.wacz` ->
    `x.wacz.json` (what `archive.verify.locate` finds beside it)."""
    return f"{name.removesuffix('.gz').removesuffix('.db')}.json"


def write_wacz(
    conn: sqlite3.Connection,
    path: Path,
    source: str | Path,
    name: str,
    since: str | None,
    site: str | None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Write a WACZ package to `path`: the WARC, its index and a page per article, by
    py-wacz; what it holds, and the WARC's entry (name, size, sha256)."""
    warc_name = name.removesuffix(".wacz") + ".warc.gz"
    with tempfile.TemporaryDirectory(prefix=".newsarchive-wacz-", dir=path.parent) as tmp:
        warc = Path(tmp) / warc_name
        with warc.open("wb") as f:
            held = write_warc(conn, f, source=source, filename=warc_name, since=since, site=site)
        pages = Path(tmp) / "pages.jsonl"
        write_pages(conn, pages, since, site)
        command = [sys.executable, "-m", "wacz", "create", "--hash-type", "sha256"]
        command += ["-o", str(path), "-p", str(pages), "--title", Path(source).name, str(warc)]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            last = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
            raise ArchiveError(f"wacz create failed ({done.returncode}): {last[0]}")
        return held, file_digest(warc)


def write_pages(conn: sqlite3.Connection, path: Path, since: str | None, site: str | None) -> None:
    """The WACZ page list: each selected article, at the capture it was read from."""
    with path.open("w", encoding="utf-8") as f:
        header = {"format": "json-pages-1.0", "id": "pages", "title": "Articles"}
        f.write(json.dumps(header) + "\n")
        for url, fetched_at, title in conn.execute(PAGES_SQL, {"since": since, "site": site}):
            page = {"url": url, "ts": warc_date(fetched_at), "title": title or url}
            f.write(json.dumps(page, ensure_ascii=False) + "\n")
