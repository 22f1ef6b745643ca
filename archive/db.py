"""`Archive`: the SQLite archive file, opened with sqlite-utils and kept migrated."""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import TracebackType
from typing import Any

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from archive import captures, ingest, search
from archive.clock import now
from archive.errors import ArchiveError
from archive.lock import CrawlLock
from archive.migrations import migrations, registered_migrations
from pipelines.sources import load_registry

logger = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 10_000
WAL_RETRY_SECONDS = 0.02
# The writer's page cache (KiB; SQLite's default is 2 MiB). A batch dirties pages all over
# the indexes on digests and hashes (keys in no order); with too small a cache they are
# spilled and read back within the batch, and a batch costs several times its size in I/O.
WRITE_CACHE_KIB = 32_768
# Pages the write-ahead log may hold before a commit copies them into the file (SQLite's
# default is 1,000). A batch rewrites most of the same index pages as the batch before;
# a checkpoint copies each page once, however often the log holds it, so a longer log
# means less copying (a batch of 1,000 articles with their pages is some 5,000 pages).
WAL_AUTOCHECKPOINT_PAGES = 20_000
# What the log is cut back to once checkpointed (bytes), so it does not stay at its peak.
WAL_SIZE_LIMIT = 64 * 1024 * 1024
TABLES = (
    "articles",
    "sources",
    "people",
    "credits",
    "article_versions",
    "article_urls",
    "captures",
    "payloads",
    "crawl_runs",
    "rejects",
)
SOURCE_COUNTS_SQL = """select sources.name,
  (select count(*) from articles
    where sources.id in (articles.source_id, articles.original_source_id)) as articles
from sources{where}
order by articles desc, sources.name"""
# Also the Datasette canned query of the same name.
UNKNOWN_SOURCES_SQL = SOURCE_COUNTS_SQL.format(where="\nwhere not sources.in_registry")


class ArchiveNeedsMigration(ArchiveError):
    """An archive opened for reading was written by an older newsarchive."""


class Archive:
    """One archive file. Use `Archive.open(path)`, as a context manager or with `close()`.

    ``migrated`` names the migrations this open applied (none when it was up to date)."""

    def __init__(self, db: Database, path: Path, migrated: tuple[str, ...] = ()) -> None:
        self.db = db
        self.path = path
        self.migrated = migrated

    @classmethod
    def open(cls, path: str | Path, *, create: bool = True, read_only: bool = False) -> Archive:
        """Open the archive at `path` (with `create`, make it) and apply pending migrations.

        With `read_only` nothing is written, ever: the file must exist and be up to date
        (`ArchiveNeedsMigration` otherwise, naming `newsarchive migrate`). A writer holds the
        archive's `CrawlLock` before opening (see `Archive.locked`); migrating is one
        transaction, so an open killed at any point leaves the file as it was or migrated.
        """
        path = Path(path)
        check_path(path, must_exist=read_only or not create)
        try:
            if read_only and idle_wal(path):
                # Reading a WAL archive makes SQLite create its -wal and -shm files; an
                # archive nobody has open is checked first without them, so that one
                # that cannot be read leaves no trace.
                with contextlib.closing(connect_readonly(path, immutable=True)) as conn:
                    prepare_readonly(Database(conn), path)
            db = Database(connect_readonly(path)) if read_only else Database(path)
        except sqlite3.DatabaseError as exc:
            raise ArchiveError(f"{path} is not a usable SQLite archive: {exc}") from exc
        try:
            migrated = prepare_readonly(db, path) if read_only else prepare(db, path)
        except sqlite3.DatabaseError as exc:
            db.close()
            raise ArchiveError(f"{path} is not a usable SQLite archive: {exc}") from exc
        except BaseException:
            db.close()
            raise
        return cls(db, path, migrated)

    @classmethod
    @contextlib.contextmanager
    def locked(
        cls, path: str | Path, *, create: bool = False, wait: float = 0
    ) -> Iterator[Archive]:
        """The archive opened for writing while holding its crawl lock (`ArchiveBusy` when
        another writer holds it past ``wait`` seconds). Without `create` the archive must
        exist, and a missing one leaves no lock file behind."""
        check_path(Path(path), must_exist=not create)
        with CrawlLock.acquire(path, wait=wait), cls.open(path, create=create) as archive:
            yield archive

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Archive:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def transaction(self) -> contextlib.AbstractContextManager[Database]:
        """A write transaction taken at once (`BEGIN IMMEDIATE`), so a busy archive waits
        at the start rather than failing half-way; nested calls become savepoints."""
        return write_transaction(self.db)

    # Writing

    def upsert_articles(self, articles: Iterable[dict[str, Any]]) -> dict[str, int]:
        """Store normalized articles in one transaction; returns {"new", "updated", "unchanged"}.

        Identical content changes nothing but `last_seen`. Changed text keeps the old text in
        `article_versions` and bumps `version`; credits are replaced when they differ. An
        article whose text is already stored for the same site under another URL is recorded
        in `article_urls` and counted as unchanged. Stored articles clear their rejects. An
        article that carries its page (``capture`` from a crawl, or ``html``) stores it as a
        capture (`archive.captures`) and points at it.
        """
        batch = list({article["url"]: dict(article) for article in articles}.values())
        if not batch:
            return {"new": 0, "updated": 0, "unchanged": 0}
        seen_at = now()
        with self.transaction() as db, ThreadPoolExecutor(max_workers=1) as pool:
            source_names = {
                article.get(key) for article in batch for key in ("source", "original_source")
            }
            source_ids = ingest.ensure_names(
                db, "sources", (name for name in source_names if name), {"in_registry": 0}
            )
            made = captures.assign(db, batch, seen_at)
            # Hashed and compressed in a thread while the batch's SQL runs.
            payloads = pool.submit(captures.payload_rows, captures.new_payloads(db, made))
            plan = ingest.plan_batch(db, batch, source_ids, seen_at)
            article_ids = ingest.write_batch(db, plan, seen_at)
            captures.write(db, made, article_ids, payloads.result())
            urls = [article["url"] for article in batch]
            for chunk in ingest.chunks(urls):
                db.execute(
                    f"delete from rejects where url in ({ingest.placeholders(chunk)})", chunk
                )
            counts = plan.counts()
        logger.debug("stored %d articles: %s", len(batch), counts)
        return counts

    def add_aliases(self, aliases: Iterable[tuple[str, str]]) -> int:
        """Record other URLs of stored articles: ``(other_url, article_url)`` pairs.

        Pairs whose article is not stored, or whose URL is an article's own, are ignored.
        """
        seen_at = now()
        rows = [(alias, seen_at, url, alias) for alias, url in aliases if alias != url]
        with self.transaction() as db:
            before = db.conn.total_changes
            db.conn.executemany(
                "insert or ignore into article_urls (url, article_id, first_seen)"
                " select ?, id, ? from articles where url = ?"
                " and not exists (select 1 from articles where url = ?)",
                rows,
            )
            return db.conn.total_changes - before

    # Reading

    def known_urls(self, site: str | None = None) -> set[str]:
        """Every URL an article is stored under (all sites, or one)."""
        where, params = ("where articles.site = ?", [site]) if site is not None else ("", [])
        sql = (
            f"select url from articles {where} union all"
            " select article_urls.url from article_urls"
            f" join articles on articles.id = article_urls.article_id {where}"
        )
        return {row[0] for row in self.db.execute(sql, params * 2)}

    def article_urls_since(self, site: str, since: str | None = None) -> list[str]:
        """URLs of the stored articles of ``site`` (published on or after ``since``)."""
        sql = "select url from articles where site = ?"
        params: list[Any] = [site]
        if since:
            sql += " and published_date >= ?"
            params.append(since)
        return [row[0] for row in self.db.execute(sql + " order by id", params)]

    def counts(self) -> dict[str, int]:
        """Rows per table."""
        return {table: self.db[table].count for table in TABLES}

    def articles_per_site(self) -> dict[str, int]:
        """Articles per site key, most first; articles without a site count under ""."""
        sql = (
            "select coalesce(site, '') as site, count(*) from articles"
            " group by 1 order by count(*) desc, site"
        )
        return dict(self.db.execute(sql).fetchall())

    def unknown_sources(self) -> list[dict[str, Any]]:
        """Sources not in the curated registry, with how many articles name them."""
        return list(self.db.query(UNKNOWN_SOURCES_SQL))

    def source_counts(self) -> list[dict[str, Any]]:
        """Every source, registry or not, with how many articles name it (as source or
        original source), most used first."""
        return list(self.db.query(SOURCE_COUNTS_SQL.format(where="")))

    def reindex(self, *, everything: bool = False) -> int:
        """Index the articles another tool wrote (``everything``: rebuild the whole search
        index); how many were indexed."""
        return search.reindex(self.db, everything=everything)

    def unindexed(self) -> int:
        """Articles the search index does not hold as they are (see `archive.search`)."""
        return search.unindexed(self.db)

    def search(
        self, query: str, limit: int = 20, *, site: str = "", date_from: str = "", date_to: str = ""
    ) -> list[dict[str, Any]]:
        """Ranked full-text search over titles, bodies and credited names, Chinese included;
        ``site``, ``date_from`` and ``date_to`` filter. Any text within the caps is a valid
        query."""
        return search.ranked_search(
            self.db, query, limit=limit, site=site, date_from=date_from, date_to=date_to
        )


@contextlib.contextmanager
def write_transaction(db: Database) -> Iterator[Database]:
    """`Archive.transaction` for a bare database: `BEGIN IMMEDIATE`, or a savepoint."""
    conn = db.conn
    if conn.in_transaction:
        with db.atomic():
            yield db
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        conn.rollback()
        raise
    conn.execute("COMMIT")


def registry_changes(
    db: Database, registry: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], list[str]]:
    """What `sources` lacks of the registry (rows to upsert) and the names it marks as in the
    registry that are no longer there."""
    wanted = {
        entry["name"]: {
            "name": entry["name"],
            "name_zh": (entry.get("zh") or [None])[0],
            "in_registry": 1,
        }
        for entry in registry
    }
    if "sources" not in db.table_names():
        return list(wanted.values()), []
    stored = {
        row["name"]: row for row in db.query("select name, name_zh, in_registry from sources")
    }
    changed = [row for name, row in wanted.items() if stored.get(name) != row]
    dropped = [name for name, row in stored.items() if row["in_registry"] and name not in wanted]
    return changed, dropped


def sync_registry(db: Database, registry: list[dict[str, Any]]) -> None:
    """Make `sources` hold every registry outlet (in_registry=1) and mark the others 0;
    the caller holds the write transaction."""
    changed, dropped = registry_changes(db, registry)
    if not changed and not dropped:
        return
    if changed:
        db.table("sources").upsert_all(changed, pk="name")
    for name in dropped:
        db.execute("update sources set in_registry = 0 where name = ?", [name])
    logger.info("source registry: %d added or changed, %d dropped", len(changed), len(dropped))


def check_path(path: Path, *, must_exist: bool) -> None:
    """ArchiveError when no archive file can be at `path` (or, with `must_exist`, none is)."""
    try:
        if not path.parent.is_dir():
            raise ArchiveError(f"directory {path.parent} does not exist")
        if path.is_dir():
            raise ArchiveError(f"{path} is a directory, not an archive file")
        if must_exist and not path.exists():
            raise ArchiveError(f"no archive at {path}")
    except OSError as exc:  # a name too long, a directory that cannot be searched
        raise ArchiveError(f"cannot open {path}: {exc.strerror or exc}") from exc


def idle_wal(path: Path) -> bool:
    """Whether `path` is a WAL database with no -wal file (so no connection has it open)."""
    try:
        with path.open("rb") as f:
            header = f.read(20)
    except OSError as exc:
        raise ArchiveError(f"cannot read {path}: {exc.strerror or exc}") from exc
    wal = len(header) == 20 and header.startswith(b"SQLite format 3\0") and header[18] == 2
    return wal and not Path(f"{path}-wal").exists()


def connect_readonly(path: Path, *, immutable: bool = False) -> sqlite3.Connection:
    """Open `path` read-only (`mode=ro`): SQLite refuses every write on this connection.
    `immutable` for files nothing writes (snapshots)."""
    uri = path.resolve().as_uri() + "?mode=ro" + ("&immutable=1" if immutable else "")
    conn = sqlite3.connect(uri, uri=True)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return conn


def schema_state(db: Database, path: Path) -> list[str]:
    """The migrations `path` still needs; ArchiveError when it is no archive of ours or
    comes from a newer newsarchive. A file holding nothing (new, or left by a creation
    that was killed before its first commit) needs them all."""
    tables = set(db.table_names()) - {Migrations.migrations_table}
    applied = {m.name for m in migrations.applied(db)}
    if tables and not applied:
        raise ArchiveError(f"{path} is a SQLite database but not a newsarchive archive")
    unknown = applied - registered_migrations()
    if unknown:
        raise ArchiveError(
            f"{path} was written by a newer newsarchive (migrations {sorted(unknown)})"
        )
    return [m.name for m in migrations.pending(db)]


def prepare_readonly(db: Database, path: Path) -> tuple[str, ...]:
    """Check an archive opened read-only: it must hold an archive, fully migrated."""
    pending = schema_state(db, path)
    if len(pending) == len(registered_migrations()):
        raise ArchiveError(f"{path} holds no newsarchive archive yet (an empty SQLite file)")
    if pending:
        raise ArchiveNeedsMigration(
            f"{path} was written by an older newsarchive and needs migrating"
            f" ({', '.join(pending)}): run `newsarchive migrate --archive {path}`"
        )
    return ()


def enable_wal(db: Database) -> None:
    """Switch to WAL. SQLite does not wait for a busy database here (as it does for a
    write), so a second opener of a new archive retries for as long as it would wait."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            db.enable_wal()
            return
        except sqlite3.OperationalError as exc:
            if exc.sqlite_errorcode != sqlite3.SQLITE_BUSY or time.monotonic() > deadline:
                raise
            time.sleep(WAL_RETRY_SECONDS)


def tune_for_writing(db: Database) -> None:
    """The writer's connection settings (WAL already on): commits without an fsync of their
    own, the page cache and the checkpoint interval above."""
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute(f"PRAGMA cache_size = -{WRITE_CACHE_KIB}")
    db.execute(f"PRAGMA wal_autocheckpoint = {WAL_AUTOCHECKPOINT_PAGES}")
    db.execute(f"PRAGMA journal_size_limit = {WAL_SIZE_LIMIT}")


def prepare(db: Database, path: Path) -> tuple[str, ...]:
    """Make the archive ready for writing: WAL, and the pending migrations in one
    transaction (so that two openers, or a kill, never leave half a schema)."""
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    pending = schema_state(db, path)
    enable_wal(db)
    tune_for_writing(db)
    db.execute("PRAGMA foreign_keys = ON")
    registry = load_registry()
    if not pending and not any(registry_changes(db, registry)):
        return ()  # the usual case: opening writes nothing
    with write_transaction(db):
        pending = schema_state(db, path)  # another opener may have migrated meanwhile
        if pending:
            logger.info("applying migrations to %s: %s", path, ", ".join(pending))
            migrations.apply(db)
        sync_registry(db, registry)
    return tuple(pending)
