"""Datasette metadata for the archive, generated from one structure (`TABLES`).

Every table and view of the schema and every one of their columns is described here; a test
compares this with a freshly migrated archive, so a new column without a description fails.
"""

from __future__ import annotations

import copy
from typing import Any

from archive.queries import SEARCH_QUERY, chart_path, queries
from archive.search import PENDING_TABLE, SEARCH_TABLE

DATABASE = "archive"

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
        },
        "sort_desc": "published_date",
        "facets": ["site", "source_id", "lang", "published_year", "published_month"],
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
        "facets": ["translator", "site", "published_year"],
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
    "pages": {
        "description": "Raw HTML as captured, zlib-compressed, for reprocessing.",
        "columns": {
            "url": "Page URL",
            "fetched_at": "When the page was fetched (UTC, ISO 8601)",
            "status": "HTTP status",
            "encoding": "Character encoding the page was served in",
            "html_hash": "SHA-256 of the HTML",
            "html_gz": "The HTML, UTF-8, zlib-compressed",
        },
        "sort_desc": "fetched_at",
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


def build_metadata(database: str = DATABASE, *, public: bool = False) -> dict[str, Any]:
    """Datasette 0.65 metadata (the `metadata.json` structure) for an archive served as
    `database` (Datasette names a database after its file: `archive.db` is `archive`).

    `public`: for a server on the internet, arbitrary SQL is refused (`allow_sql: false`)
    and the project's plugin hides what the public should not see (`archive.guard`); the
    tables, search, facets and canned queries stay.
    """
    metadata: dict[str, Any] = {
        "title": "newsarchive",
        "description": "Articles from Chinese municipal and provincial government news sites "
        "(English and Chinese editions), with their sources, credits and earlier versions.",
        "license": "Articles: copyright of their publishers; archived for research",
        "source": "newsarchive crawler",
        "about": "newsarchive",
        "databases": {
            database: {
                "description_html": "<p>The newsarchive archive: one SQLite file written by "
                f'the crawler. <a href="/{database}/{SEARCH_QUERY}">Search the articles</a>, '
                f'<a href="/{database}/articles">browse them by facet</a> or see the '
                f'<a href="{chart_path(database)}">articles per month per site</a>.</p>',
                "tables": copy.deepcopy(TABLES),
                "queries": queries(database),
            }
        },
    }
    if public:
        metadata["allow_sql"] = False
        metadata["plugins"] = {"newsarchive": {"public": True}}
    return metadata
