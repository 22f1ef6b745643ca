"""Datasette metadata for the archive, generated from one structure (`TABLES`).

Every table and view of the schema and every one of their columns is described here; a test
compares this with a freshly migrated archive, so a new column without a description fails.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from archive.queries import queries
from archive.search import PENDING_TABLE, SEARCH_TABLE

DATABASE = "archive"  # the archive's name in every URL, whatever its file is called
PLUGIN = "newsarchive"
# What a public server hides unless its owner shows it (`newsarchive serve --show TABLE`):
# the crawler's bookkeeping, the captures as fetched (their article pages still show them,
# made safe) and the schema's own tables.
PRIVATE_TABLES = (
    "crawl_runs",
    "rejects",
    "captures",
    "payloads",
    "_sqlite_migrations",
    PENDING_TABLE,
)
# Facets of years and months, listed newest first (the project's facet type, see
# `archive.datasette_plugin`).
CHRONOLOGICAL = "chronological"

_SEEN = {
    "first_seen": "When the archive first stored this (UTC, ISO 8601)",
    "last_seen": "When the archive last saw this (UTC, ISO 8601)",
}

# table or view -> description, column descriptions and other Datasette table options.
TABLES: dict[str, dict[str, Any]] = {
    "articles": {
        "description": "One row per article, in its latest version; full-text searchable.",
        "columns": {
            "id": "Article id",
            "url": "Canonical URL (fragment and tracking parameters removed)",
            "site": "Site key from the crawler's registry (hengyang, enghunan, ...)",
            "lang": "Language of the text: en or zh",
            "title": "Headline",
            "body": "Article text, paragraphs separated by a blank line",
            "published_date": "Local date the site gives for the article (YYYY-MM-DD)",
            "published_at": "Publication time with offset, only when the page states a time",
            "published_raw": "The text the date was read from",
            "published_from": "Where the date came from: page (the page's date line), meta (the "
            "page's metadata), url (the URL), listing (the date a listing page showed beside "
            "the article's link, for a page that states none)",
            "source_id": "Outlet the article says it comes from (canonical name)",
            "source_raw": "That outlet exactly as written on the page",
            "original_source_id": "For translations: outlet of the original",
            "original_source_raw": "The original's outlet exactly as written",
            "extraction": "How the text was extracted: site selectors or the generic fallback",
            "version": "1 for the first text seen; +1 each time the title or body changed",
            "content_hash": "SHA-256 of title and body",
            **_SEEN,
            "crawled_at": "When the stored version was crawled (UTC, ISO 8601)",
            "published_year": "Year of published_date",
            "published_month": "Month of published_date (YYYY-MM)",
            "capture_id": "The capture the current text was last read from (captures); "
            "empty when the text came without its page (an import)",
        },
        "sort_desc": "published_date",
        "facets": [
            "site",
            "source_id",
            "lang",
            {CHRONOLOGICAL: "published_year"},
            {CHRONOLOGICAL: "published_month"},
            "published_from",
        ],
        # Searched through `escape_fts`, which the project's plugin makes segment Chinese.
        "fts_table": SEARCH_TABLE,
        "fts_pk": "id",
        "label_column": "title",
    },
    SEARCH_TABLE: {
        "description": "The one search index: title, text and credited names, with Chinese "
        "characters separated by zero-width spaces so that words of any length are found.",
        "columns": {
            "title": "Headline, segmented",
            "body": "Article text, segmented",
            "names": "Everyone credited, in page order, segmented",
        },
        "hidden": True,
    },
    PENDING_TABLE: {
        "description": "Articles whose text or credits another tool changed, noted by "
        "triggers until they are indexed (by the next crawl, or `newsarchive reindex`).",
        "columns": {"article_id": "The article to index"},
        "hidden": True,
    },
    "sources": {
        "description": "Outlets articles come from: the curated registry plus unknown outlets "
        "seen in articles, waiting for curation.",
        "columns": {
            "id": "Source id",
            "name": "Canonical English name (an unknown outlet: as written)",
            "name_zh": "Chinese name from the registry",
            "in_registry": "1 if the outlet is in the curated registry (pipelines/sources.json)",
        },
        "sort": "name",
        "facets": ["in_registry"],
        "label_column": "name",
    },
    "people": {
        "description": "Reporters, translators, photographers, editors and authors, by name "
        "as written.",
        "columns": {"id": "Person id", "name": "Name as written, whitespace normalized"},
        "sort": "name",
        "label_column": "name",
    },
    "credits": {
        "description": "Who did what for an article, in page order.",
        "columns": {
            "article_id": "The article",
            "person_id": "The person",
            "role": "translator, reporter, correspondent, photographer, editor or author",
            "position": "Order of the credit on the page, from 0",
        },
        "facets": ["role"],
    },
    "credits_flat": {
        "description": "Credits with the article and the person's name, for faceting.",
        "columns": {
            "article_id": "The article",
            "url": "Article URL",
            "title": "Article headline",
            "site": "Site key",
            "published_date": "Article date",
            "role": "Credited role",
            "name": "Person's name",
        },
        "facets": ["role", "site", "name"],
    },
    "translations": {
        "description": "One row per translated article and translator: pick a translator "
        "in the facet to list everything they translated.",
        "columns": {
            "article_id": "The article",
            "title": "Article headline",
            "site": "Site key",
            "lang": "Language of the article",
            "published_date": "Article date",
            "published_year": "Year of publication",
            "published_month": "Month of publication (YYYY-MM)",
            "translator": "Translator's name as written",
        },
        "facets": ["translator", "site", {CHRONOLOGICAL: "published_year"}],
    },
    "article_versions": {
        "description": "Earlier texts of articles that changed: version N was replaced by N+1.",
        "columns": {
            "article_id": "The article",
            "version": "Version number of this earlier text",
            "title": "Headline of that version",
            "body": "Text of that version",
            "content_hash": "SHA-256 of that title and body",
            "replaced_at": "When a changed text replaced it (UTC, ISO 8601)",
            "capture_id": "The capture that version was read from (captures)",
        },
        "sort_desc": "replaced_at",
    },
    "article_urls": {
        "description": "Other URLs under which an article was found (moved hosts, duplicates).",
        "columns": {
            "url": "The other URL",
            "article_id": "The article stored under its first URL",
            "first_seen": _SEEN["first_seen"],
        },
    },
    "captures": {
        "description": "Every fetch of an article page, as the server sent it: time, status, "
        "headers and IP; the bytes are in payloads, stored once per digest.",
        "columns": {
            "id": "Capture id, in the order the captures were stored",
            "url": "URL fetched",
            "fetched_at": "When the response arrived (UTC, ISO 8601); the WARC-Date of exports",
            "method": "HTTP method of the request (GET)",
            "status": "HTTP status",
            "protocol": "HTTP version of the response (HTTP/1.1)",
            "ip_address": "IP address the page came from, when the crawler knows it",
            "request_headers": "Headers of the request as sent: JSON list of [name, value]",
            "response_headers": "Headers of the response as received (Content-Encoding "
            "included; the payload is stored decoded): JSON list of [name, value]; empty for a "
            "capture without headers",
            "origin": "fetched (bytes and headers as received), migrated (a page stored "
            "before captures were kept: decoded HTML as UTF-8, no headers) or given (HTML "
            "handed over as text: UTF-8, no headers)",
            "encoding": "Charset the crawler read the page in (crawler/charset.py)",
            "payload_digest": "Digest of the payload (payloads.digest), as WARC writes it",
            "article_id": "The article read from this page",
        },
        "sort_desc": "id",
        "facets": ["origin", "status"],
    },
    "payloads": {
        "description": "Response bodies, zlib-compressed, once per digest: an unchanged page "
        "fetched again points at the payload already stored.",
        "columns": {
            "digest": "sha1: and the SHA-1 of the bytes in base 32 (WARC-Payload-Digest)",
            "sha256": "SHA-256 of the bytes (hex)",
            "size": "Length of the bytes",
            "body_z": "The bytes as Scrapy received them (transfer and content codings "
            "undone), zlib-compressed",
        },
        "hidden": True,
    },
    "crawl_runs": {
        "description": "One row per crawl: when, how it ended and what it found.",
        "columns": {
            "id": "Run id",
            "site": "Site crawled (empty: several)",
            "started_at": "Start (UTC, ISO 8601)",
            "finished_at": "End (UTC, ISO 8601); empty while running or after a crash",
            "status": "running, finished, failed or interrupted",
            "pages_fetched": "Pages downloaded",
            "articles_new": "Articles stored for the first time",
            "articles_updated": "Stored articles whose text or details changed",
            "articles_unchanged": "Articles seen again unchanged",
            "rejects": "Pages that could not be fetched, parsed, normalized or validated",
            "stats": "The crawler's statistics (JSON)",
            "error": "Why the run failed, when it did",
            "node": "Who crawled it in a cluster crawl: host and process (host:pid); empty for "
            "a local crawl",
            "ingested_seq": "Cluster crawls: the last of the run's messages the writer has "
            "committed (those ingested again after a crash are skipped)",
        },
        "sort_desc": "id",
        "facets": ["site", "status"],
    },
    "rejects": {
        "description": "What could not be fetched, parsed, normalized or validated, and why. "
        "Cleared when the URL is later stored as an article.",
        "columns": {
            "id": "Reject id",
            "url": "URL",
            "site": "Site key",
            "stage": "fetch, parse, normalize or validate",
            "reason": "Why (latest attempt)",
            **_SEEN,
            "attempts": "How many times it failed",
            "given_up": "1 once the crawler stopped retrying it (after too many attempts)",
        },
        "sort_desc": "last_seen",
        "facets": ["site", "stage"],
    },
    "_sqlite_migrations": {
        "description": "Schema migrations applied to this archive (sqlite-utils).",
        "columns": {
            "id": "Row id",
            "migration_set": "Migration set (newsarchive)",
            "name": "Migration name",
            "applied_at": "When it was applied (UTC)",
        },
        "hidden": True,
    },
}


def build_metadata(
    *,
    public: bool = False,
    show: tuple[str, ...] = (),
    sites: Mapping[str, str] | None = None,
    file_database: str = DATABASE,
) -> dict[str, Any]:
    """Datasette 0.65 metadata (the `metadata.json` structure) for an archive, served as
    `archive` (the project's plugin renames the database Datasette named `file_database`
    after its file).

    `sites`: each site's title by its key (the crawler's registry, passed down by the
    application), for the search page's menu and the chart's legend.
    `public`: for a server on the internet, arbitrary SQL is refused (`allow_sql: false`),
    the project's plugin hides what the public should not see (`archive.guard`), and the
    tables in PRIVATE_TABLES (and the canned queries that read them) are allowed to nobody
    except those in `show`; the articles, search, facets and other queries stay.
    """
    tables = copy.deepcopy(TABLES)
    hidden = tuple(name for name in PRIVATE_TABLES if name not in show) if public else ()
    for name in hidden:
        tables[name]["allow"] = False
    metadata: dict[str, Any] = {
        "title": "newsarchive",
        "description": "Articles from Chinese municipal and provincial government news sites "
        "(English and Chinese editions), with their sources, credits and earlier versions.",
        "license": "Articles: copyright of their publishers; archived for research",
        "source": "newsarchive crawler",
        "about": "newsarchive",
        "databases": {
            DATABASE: {
                "description": "The newsarchive archive: one SQLite file written by the crawler.",
                "tables": tables,
                "queries": queries(hidden=hidden),
            }
        },
        "plugins": {
            PLUGIN: {"public": public, "sites": dict(sites or {}), "database": file_database}
        },
    }
    if public:
        metadata["allow_sql"] = False
    return metadata
