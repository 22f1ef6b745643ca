"""The archive schema as numbered migrations (sqlite-utils `Migrations`).

Never edit an applied migration: add `m00N_...` below it. `archive.metadata` describes every
column created here, and a test fails when a column has no description.
"""

from __future__ import annotations

import hashlib
import zlib

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from archive import search
from archive.captures import MIGRATED, payload_digest
from archive.clock import now

MIGRATION_SET = "newsarchive"

migrations = Migrations(MIGRATION_SET)


def registered_migrations() -> set[str]:
    """Names of every migration this version knows (all are pending on an empty database)."""
    return {migration.name for migration in migrations.pending(Database(memory=True))}


CREDITS_FLAT_SQL = """
select
  credits.article_id,
  articles.url,
  articles.title,
  articles.site,
  articles.published_date,
  credits.role,
  people.name
from credits
join articles on articles.id = credits.article_id
join people on people.id = credits.person_id
order by credits.article_id, credits.position
"""


@migrations()
def m001_initial(db: Database) -> None:
    db.table("sources").create(
        {"id": int, "name": str, "name_zh": str, "in_registry": int},
        pk="id",
        not_null=["name", "in_registry"],
        defaults={"in_registry": 0},
    )
    db.table("sources").create_index(["name"], unique=True)

    db.table("people").create({"id": int, "name": str}, pk="id", not_null=["name"])
    db.table("people").create_index(["name"], unique=True)

    articles = db.table("articles").create(
        {
            "id": int,
            "url": str,
            "site": str,
            "lang": str,
            "title": str,
            "body": str,
            "published_date": str,
            "published_at": str,
            "published_raw": str,
            "source_id": int,
            "source_raw": str,
            "original_source_id": int,
            "original_source_raw": str,
            "extraction": str,
            "version": int,
            "content_hash": str,
            "first_seen": str,
            "last_seen": str,
            "crawled_at": str,
        },
        pk="id",
        not_null=["url", "body", "version", "content_hash", "first_seen", "last_seen"],
        defaults={"version": 1},
        foreign_keys=[("source_id", "sources", "id"), ("original_source_id", "sources", "id")],
    )
    articles.create_index(["url"], unique=True)
    for column in ("site", "published_date", "source_id", "original_source_id", "content_hash"):
        articles.create_index([column])
    articles.enable_fts(["title", "body"], create_triggers=True)

    db.table("credits").create(
        {"article_id": int, "person_id": int, "role": str, "position": int},
        pk=("article_id", "role", "person_id"),
        not_null=["position"],
        foreign_keys=[("article_id", "articles", "id"), ("person_id", "people", "id")],
    )
    db.table("credits").create_index(["person_id"])

    db.table("article_versions").create(
        {
            "article_id": int,
            "version": int,
            "title": str,
            "body": str,
            "content_hash": str,
            "replaced_at": str,
        },
        pk=("article_id", "version"),
        not_null=["replaced_at"],
        foreign_keys=[("article_id", "articles", "id")],
    )

    db.table("article_urls").create(
        {"url": str, "article_id": int, "first_seen": str},
        pk="url",
        not_null=["article_id"],
        foreign_keys=[("article_id", "articles", "id")],
    )
    db.table("article_urls").create_index(["article_id"])

    db.table("pages").create(
        {
            "url": str,
            "fetched_at": str,
            "status": int,
            "encoding": str,
            "html_hash": str,
            "html_gz": bytes,
        },
        pk="url",
    )

    db.table("crawl_runs").create(
        {
            "id": int,
            "site": str,
            "started_at": str,
            "finished_at": str,
            "status": str,
            "pages_fetched": int,
            "articles_new": int,
            "articles_updated": int,
            "articles_unchanged": int,
            "rejects": int,
            "stats": str,
        },
        pk="id",
        not_null=["started_at", "status"],
        defaults={
            "pages_fetched": 0,
            "articles_new": 0,
            "articles_updated": 0,
            "articles_unchanged": 0,
            "rejects": 0,
        },
    )
    db.table("crawl_runs").create_index(["started_at"])

    db.table("rejects").create(
        {
            "id": int,
            "url": str,
            "site": str,
            "stage": str,
            "reason": str,
            "first_seen": str,
            "last_seen": str,
            "attempts": int,
        },
        pk="id",
        not_null=["url", "stage", "first_seen", "last_seen", "attempts"],
        defaults={"attempts": 1},
    )
    db.table("rejects").create_index(["url", "stage"], unique=True)
    db.table("rejects").create_index(["site"])

    db.create_view("credits_flat", CREDITS_FLAT_SQL)


@migrations()
def m002_run_errors_and_retries(db: Database) -> None:
    """Why a run failed, and which rejects are given up after too many attempts."""
    db.table("crawl_runs").add_column("error", str)
    db.table("rejects").add_column("given_up", int, not_null_default=0)


TRANSLATIONS_SQL = """
select
  credits.article_id,
  articles.title,
  articles.site,
  articles.lang,
  articles.published_date,
  articles.published_year,
  articles.published_month,
  people.name as translator
from credits
join articles on articles.id = credits.article_id
join people on people.id = credits.person_id
where credits.role = 'translator'
order by articles.published_date desc, credits.article_id
"""


# m003's index as it was made then (m004 adds what keeps it right whoever writes).
M003_INDEX_SQL = (
    "create virtual table articles_search using fts5(title, body, names, tokenize='unicode61')",
    f"insert into articles_search (articles_search, rank) values ('rank', '{search.RANK}')",
    "create trigger articles_search_ad after delete on articles begin"
    " delete from articles_search where rowid = old.id; end",
)


@migrations()
def m003_search(db: Database) -> None:
    """Ranked search that finds Chinese words (`archive.search`), the year and month of
    publication for facets, and the `translations` view."""
    for sql in M003_INDEX_SQL:
        db.execute(sql)  # filled by m004, which indexes every stored article

    # The year and month of `published_date` (for facets), written by `ingest` from now on.
    articles = db.table("articles")
    articles.add_column("published_year", int)
    articles.add_column("published_month", str)
    db.execute(
        "update articles set published_year = cast(substr(published_date, 1, 4) as integer),"
        " published_month = substr(published_date, 1, 7) where published_date is not null"
    )
    articles.create_index(["published_month"])
    articles.create_index(["published_year"])

    db.create_view("translations", TRANSLATIONS_SQL)


@migrations()
def m004_one_search_index(db: Database) -> None:
    """One full-text index: `articles_fts` (English words only, trigger-kept) goes;
    `articles_search` serves every search and is kept right by plain-SQL triggers that note
    changes in `search_pending`, whoever writes (`archive.search`)."""
    for trigger in ("articles_ai", "articles_ad", "articles_au"):
        db.execute(f"drop trigger if exists {trigger}")
    db.execute("drop table if exists articles_fts")
    search.create_pending(db)
    search.refresh(db, {})  # every stored article is above the empty index's watermark


PUBLISHED_FROM_SQL = """
update articles set published_from = case
  when published_date is null then null
  when published_raw = url or published_raw like 'http://%' or published_raw like 'https://%'
    then 'url'
  when published_raw like 'meta %' then 'meta'
  else 'page'
end
"""


@migrations()
def m005_published_from(db: Database) -> None:
    """Where each article's date came from (`published_from`): ``page`` (its date line),
    ``meta`` (its metadata), ``url`` (its URL) or, from now on, ``listing`` (the date a
    listing showed beside its link); the stored articles' origins read from
    `published_raw`."""
    articles = db.table("articles")
    articles.add_column("published_from", str)
    db.execute(PUBLISHED_FROM_SQL)
    articles.create_index(["published_from"])


# Pages copied into captures per statement; each chunk's rows leave `pages` as they go, so
# the file grows by little more than a chunk while an archive is migrated.
M006_CHUNK = 500


@migrations()
def m006_captures(db: Database) -> None:
    """Every capture kept (`archive.captures`): `payloads` (the bytes, once per digest) and
    `captures` (each fetch: time, status, headers, IP); articles and their earlier versions
    point at the capture they were read from. The pages an archive held become captures
    without headers (``origin = 'migrated'``), and `pages` goes."""
    db.table("payloads").create(
        {"digest": str, "sha256": str, "size": int, "body_z": bytes},
        pk="digest",
        not_null=["sha256", "size", "body_z"],
    )
    captures = db.table("captures").create(
        {
            "id": int,
            "url": str,
            "fetched_at": str,
            "method": str,
            "status": int,
            "protocol": str,
            "ip_address": str,
            "request_headers": str,
            "response_headers": str,
            "origin": str,
            "encoding": str,
            "payload_digest": str,
            "article_id": int,
        },
        pk="id",
        not_null=["url", "fetched_at", "origin", "payload_digest"],
        foreign_keys=[("payload_digest", "payloads", "digest"), ("article_id", "articles", "id")],
    )
    captures.create_index(["url"])
    captures.create_index(["article_id"])
    captures.create_index(["payload_digest"])
    # Deferred: a batch writes its articles first, then the captures they point at. Indexed:
    # SQLite looks up the rows pointing at each capture it stores.
    for table in ("articles", "article_versions"):
        db.execute(
            f"alter table {table} add column capture_id integer"
            " references captures(id) deferrable initially deferred"
        )
        db.table(table).create_index(["capture_id"])
    _pages_to_captures(db)
    db.execute(
        "update captures set article_id = coalesce("
        " (select id from articles where articles.url = captures.url),"
        " (select article_id from article_urls where article_urls.url = captures.url))"
    )
    db.execute(
        "update articles set capture_id ="
        " (select max(id) from captures where captures.article_id = articles.id)"
    )
    db.execute("drop table pages")


def _pages_to_captures(db: Database) -> None:
    """Each `pages` row as a capture without headers, its HTML (UTF-8, zlib) the payload."""
    migrated_at = now()
    while True:
        rows = db.conn.execute(
            "select url, fetched_at, status, encoding, html_gz from pages order by url limit ?",
            [M006_CHUNK],
        ).fetchall()
        if not rows:
            return
        payloads, captures = [], []
        for url, fetched_at, status, encoding, html_gz in rows:
            raw = zlib.decompress(html_gz)
            digest = payload_digest(raw)
            payloads.append((digest, hashlib.sha256(raw).hexdigest(), len(raw), html_gz))
            captures.append((url, fetched_at or migrated_at, status, encoding, MIGRATED, digest))
        db.conn.executemany(
            "insert or ignore into payloads (digest, sha256, size, body_z) values (?, ?, ?, ?)",
            payloads,
        )
        db.conn.executemany(
            "insert into captures (url, fetched_at, status, encoding, origin, payload_digest)"
            " values (?, ?, ?, ?, ?, ?)",
            captures,
        )
        db.conn.executemany("delete from pages where url = ?", [(row[0],) for row in rows])


@migrations()
def m007_run_node(db: Database) -> None:
    """Which node crawled a run (a cluster crawl's host and process), and how much of the
    run the cluster's writer has committed, so that what it ingests again after a crash is
    skipped (`crawler.clusterwriter`)."""
    runs = db.table("crawl_runs")
    runs.add_column("node", str)
    runs.add_column("ingested_seq", int)


@migrations()
def m008_lean_indexes(db: Database) -> None:
    """Fewer index pages for a batch to rewrite. An index on keys in no order (URLs,
    digests, hashes) has a page rewritten for nearly every row a batch adds, so each costs
    the writer about a page per article:

    - ``captures.url`` goes: a URL's captures are found through its article
      (``captures.article_id``, ``articles.capture_id``), as every reader already does;
    - ``articles.content_hash`` is indexed by its first 16 hex digits
      (`archive.ingest.CONTENT_KEY_SQL`) and ``captures.payload_digest`` by its first 10
      base-32 characters (`archive.warc.DIGEST_KEY_SQL`): 64 and 50 bits find a text or a
      payload among any number, the whole value is compared after, and each index is a
      third of its size or less.
    """
    db.execute("drop index if exists idx_captures_url")
    db.execute("drop index if exists idx_captures_payload_digest")
    db.execute(
        "create index if not exists idx_captures_digest_key"
        " on captures (substr(payload_digest, 1, 10))"
    )
    db.execute("drop index if exists idx_articles_content_hash")
    db.execute(
        "create index if not exists idx_articles_content_key"
        " on articles (substr(content_hash, 1, 16))"
    )
