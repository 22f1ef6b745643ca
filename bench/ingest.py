"""Ingest measured against SQLite itself: the project's `upsert_articles` and a bare
sqlite-utils writer of the same information, side by side in one run, in batches of the
same size.

What the bare writer stores per batch, in one transaction, the way a minimal archiver that
keeps every capture would:

- ``captures``: one row per page fetched (``id`` integer primary key, ``url``,
  ``fetched_at``, ``digest``: the WARC payload digest, SHA-1 in base 32, and ``body_z``:
  the page's bytes, UTF-8, zlib-compressed at the default level), no other index;
- ``articles``: the project's article rows (`archive.ingest.article_row`, content hash
  included), each with the ``capture_id`` of its page, no index but the rowid;
- the same FTS5 full-text index over title, body and credited names, the same segmentation;
- with the project writer's settings: WAL, ``synchronous = NORMAL``, the same page cache
  and checkpoint interval (`archive.db.tune_for_writing`).

It does not do what the project's bookkeeping does: no duplicate detection (by URL or by
text), no versions, no credits, people or sources tables, no rejects, no second digest
(SHA-256), no payloads stored once per digest, no capture headers, no foreign keys or
secondary indexes. The ratio is what that bookkeeping costs.
"""

from __future__ import annotations

import time
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from archive import search
from archive.captures import payload_digest
from archive.clock import now
from archive.db import Archive, tune_for_writing
from archive.ingest import article_row

Batch = Sequence[dict[str, Any]]


def timed(write: Callable[[Batch], object], items: Sequence[dict[str, Any]], batch: int) -> float:
    """Articles per second over every batch but the first (a warm-up into the new file)."""
    write(items[:batch])
    started = time.perf_counter()
    for start in range(batch, len(items), batch):
        write(items[start : start + batch])
    return (len(items) - batch) / (time.perf_counter() - started)


def project_rate(path: Path, items: Sequence[dict[str, Any]], batch: int) -> float:
    with Archive.open(path) as archive:
        return timed(lambda chunk: archive.upsert_articles(list(chunk)), items, batch)


def bare_rate(path: Path, items: Sequence[dict[str, Any]], batch: int) -> float:
    db = Database(path)
    db.enable_wal()
    tune_for_writing(db)
    db.execute(f"create virtual table {search.SEARCH_TABLE} using fts5(title, body, names)")

    def write(chunk: Batch) -> None:
        seen_at = now()
        bodies = [article["html"].encode() for article in chunk]
        with db.conn:
            db["captures"].insert_all(
                (
                    {
                        "url": article["url"],
                        "fetched_at": article.get("crawled_at") or seen_at,
                        "digest": payload_digest(body),
                        "body_z": zlib.compress(body),
                    }
                    for article, body in zip(chunk, bodies, strict=True)
                ),
                pk="id",
            )
            capture = db.execute("select max(id) from captures").fetchone()[0] - len(chunk) + 1
            rows = [
                {**article_row(article, {}), "capture_id": capture + offset}
                for offset, article in enumerate(chunk)
            ]
            db["articles"].insert_all(rows, pk="id")
            first = db.execute("select max(id) from articles").fetchone()[0] - len(rows) + 1
            db.conn.executemany(
                f"insert into {search.SEARCH_TABLE} (rowid, title, body, names)"
                " values (?, ?, ?, ?)",
                [
                    search.Document(
                        article["title"], article["body"], [c["name"] for c in article["credits"]]
                    ).row(first + offset)
                    for offset, article in enumerate(chunk)
                ],
            )

    try:
        return timed(write, items, batch)
    finally:
        db.close()
