"""Ingest measured against SQLite itself: the project's `upsert_articles` and a bare
sqlite-utils `insert_all` of the same article rows, the same pages (zlib) and the same
full-text index, side by side in one run, in batches of the same size.

The bare writer is what a minimal archiver does: no duplicate detection, no versions, no
credits or sources tables, no rejects; the ratio is what the project's bookkeeping costs.
"""

from __future__ import annotations

import time
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from archive import search
from archive.db import Archive
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
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute(f"create virtual table {search.SEARCH_TABLE} using fts5(title, body, names)")

    def write(chunk: Batch) -> None:
        rows = [article_row(article, {}) for article in chunk]
        with db.conn:
            db["articles"].insert_all(rows, pk="id")
            first = db.execute("select max(id) from articles").fetchone()[0] - len(rows) + 1
            db["pages"].insert_all(
                (
                    {"url": article["url"], "html_gz": zlib.compress(article["html"].encode())}
                    for article in chunk
                ),
                pk="url",
            )
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
