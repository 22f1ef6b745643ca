"""Exports for people who do not use SQLite (JSON Lines, CSV), and importing JSON Lines back.

Exports stream: one cursor over the articles, one row written at a time, so memory stays flat
for any archive size. The whole export is one SQL statement, hence one read transaction: it
shows the archive at one instant even while a crawl writes. JSON Lines nests credits and
sources; CSV flattens credits to `translator: A; reporter: B`. `import_jsonl` reads an export
(or the articles `newsarchive normalize` prints) back through `Archive.upsert_articles`.
"""

from __future__ import annotations

import contextlib
import csv
import json
import logging
import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from archive.contract import check_article
from archive.db import Archive
from archive.errors import ArchiveError
from archive.files import (
    partial_file,
    plain_name,
    prepare_out_dir,
    publish,
    remove_stale_partials,
    target_in,
)
from archive.snapshot import STAMP_FORMAT, open_source

logger = logging.getLogger(__name__)

FORMATS = ("jsonl", "csv")
IMPORT_BATCH = 500
# Credits in page order, as a JSON array, for the article `a`.
CREDITS_SQL = """(select json_group_array(json_object('role', role, 'name', name)) from (
    select credits.role, people.name from credits join people on people.id = credits.person_id
    where credits.article_id = a.id order by credits.position))"""
EXPORT_SQL = f"""select a.url, a.site, a.lang, a.title, a.published_date, a.published_at,
  a.published_raw, a.published_from, s.name as source, s.name_zh as source_zh, a.source_raw,
  o.name as original_source, o.name_zh as original_source_zh, a.original_source_raw,
  {CREDITS_SQL} as credits, a.extraction, a.version, a.first_seen, a.last_seen, a.crawled_at,
  a.body
from articles a
left join sources s on s.id = a.source_id
left join sources o on o.id = a.original_source_id
where (:since is null or a.published_date >= :since) and (:site is null or a.site = :site)
order by a.id"""
CSV_COLUMNS = (
    "url",
    "site",
    "lang",
    "title",
    "published_date",
    "published_at",
    "published_raw",
    "published_from",
    "source",
    "source_raw",
    "original_source",
    "original_source_raw",
    "credits",
    "extraction",
    "version",
    "first_seen",
    "last_seen",
    "crawled_at",
    "body",
)


def nested_source(name: str | None, name_zh: str | None, raw: str | None) -> dict | None:
    if name is None and raw is None:
        return None
    return {"name": name, "name_zh": name_zh, "raw": raw}


def records(
    source: str | Path, *, since: str | None = None, site: str | None = None
) -> Iterator[dict[str, Any]]:
    """Articles of the archive at `source` (read-only), oldest id first, credits and sources
    nested; `since` (YYYY-MM-DD) keeps those published that day or later, `site` one site.
    The archive is checked at once; rows are read as the iterator is consumed."""
    conn = open_source(source, current=True)
    try:
        check_site(conn, source, site)
        cursor = conn.execute(EXPORT_SQL, {"since": since, "site": site})
    except BaseException:
        conn.close()
        raise
    return _rows(conn, cursor)


def check_site(conn: sqlite3.Connection, source: str | Path, site: str | None) -> None:
    """ArchiveError naming the archive's sites when `site` has no articles in it."""
    if site is None:
        return
    if not conn.execute("select 1 from articles where site = ? limit 1", [site]).fetchone():
        sites = [row[0] for row in conn.execute("select distinct site from articles")]
        known = ", ".join(sorted(s for s in sites if s)) or "none"
        raise ArchiveError(f"no articles of site {site!r} in {source} (sites: {known})")


def _rows(conn: sqlite3.Connection, cursor: sqlite3.Cursor) -> Iterator[dict[str, Any]]:
    names = [column[0] for column in cursor.description]
    with contextlib.closing(conn):
        for values in cursor:
            row = dict(zip(names, values, strict=True))
            row["credits"] = json.loads(row["credits"])
            for key in ("source", "original_source"):
                row[key] = nested_source(row[key], row.pop(f"{key}_zh"), row.pop(f"{key}_raw"))
            yield row


def flat(record: dict[str, Any]) -> dict[str, Any]:
    """A record as one CSV row: sources by name, credits as `role: name; role: name`."""
    row = dict(record)
    for key in ("source", "original_source"):
        nested = record[key] or {}
        row[key] = nested.get("name")
        row[f"{key}_raw"] = nested.get("raw")
    row["credits"] = "; ".join(f"{c['role']}: {c['name']}" for c in record["credits"])
    return row


def write_export(rows: Iterable[dict[str, Any]], out: IO[str], fmt: str) -> int:
    """Write records to a text stream as JSON Lines or CSV; returns how many."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; known: {', '.join(FORMATS)}")
    if fmt == "csv":
        writer = csv.DictWriter(out, CSV_COLUMNS)
        writer.writeheader()

        def write(record: dict[str, Any]) -> None:
            writer.writerow(flat(record))
    else:

        def write(record: dict[str, Any]) -> None:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")

    count = 0
    for record in rows:
        write(record)
        count += 1
    return count


def export_to_dir(
    source: str | Path,
    out_dir: str | Path,
    fmt: str,
    *,
    name: str | None = None,
    since: str | None = None,
    site: str | None = None,
    at: datetime | None = None,
) -> tuple[Path, int]:
    """Export into `out_dir/name` (default `archive-<UTC time>.<fmt>`); (path, articles)."""
    stamp = (at or datetime.now(UTC)).astimezone(UTC).strftime(STAMP_FORMAT)
    name = plain_name(name or f"archive-{stamp}.{fmt}", Path(out_dir))
    rows = records(source, since=since, site=site)
    out = prepare_out_dir(out_dir)
    target = target_in(out, name)
    try:
        remove_stale_partials(out)
        with partial_file(target) as partial:
            with open(partial.file.fileno(), "w", encoding="utf-8", newline="", closefd=False) as f:
                count = write_export(rows, f, fmt)
            publish(partial.path, target)
    except OSError as exc:
        raise ArchiveError(f"cannot write {target}: {exc}") from exc
    logger.info("exported %d articles to %s", count, target)
    return target, count


def import_jsonl(
    archive: Archive, lines: Iterable[str], *, name: str = "<input>", batch: int = IMPORT_BATCH
) -> dict[str, int]:
    """Load JSON Lines articles into the archive, in batches, all in one transaction: a bad
    line leaves the archive as it was. Returns {"new", "updated", "unchanged"}."""
    totals: Counter[str] = Counter({"new": 0, "updated": 0, "unchanged": 0})
    pending: list[dict[str, Any]] = []
    with archive.transaction():
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ArchiveError(f"{name}:{number}: not valid JSON ({exc.msg})") from exc
            except RecursionError as exc:
                raise ArchiveError(f"{name}:{number}: JSON nested too deeply") from exc
            pending.append(check_article(record, f"{name}:{number}"))
            if len(pending) >= batch:
                totals.update(archive.upsert_articles(pending))
                pending = []
        if pending:
            totals.update(archive.upsert_articles(pending))
    logger.info("imported %s from %s", dict(totals), name)
    return dict(totals)
