"""The canned queries Datasette offers on an archive (part of the generated metadata).

Each has a title and a description; parameters (`:name`) become a form. Every query runs
with an empty form too: the search then finds nothing, its filters left empty mean "any".
"""

from __future__ import annotations

from typing import Any

from archive.db import UNKNOWN_SOURCES_SQL
from archive.health import HEALTH_SQL, Limits
from archive.search import (
    MAX_QUERY_CHARS,
    MAX_TERMS,
    PAGE_OFFSET_SQL,
    PAGE_SIZE,
    RANK_WINDOW,
    RANKED_SQL,
)
from archive.searchquery import DATE_HELP

SEARCH_QUERY = "search"
CHART_QUERY = "articles_per_month"
PEOPLE_QUERY = "credited"
LIMITS = Limits()
# Searches the search page offers as examples (each finds articles in the demo archive, a
# test checks): what to type, and what it shows.
EXAMPLES: tuple[tuple[str, str], ...] = (
    ('"Xiang River"', "a phrase"),
    ("tea -festival", "tea, but not the festival"),
    ("metro OR ferry", "either word"),
    ("长沙", "a two-character Chinese word"),
    ("湘江", "another"),
)
# Canned queries that read the crawler's own tables: a public server hides them with those.
QUERY_TABLES = {"latest_runs": ("crawl_runs",), "health": ("crawl_runs", "rejects")}

QUERIES: dict[str, dict[str, Any]] = {
    SEARCH_QUERY: {
        "title": "Search articles",
        "description": "Full-text search of titles, texts and credited names, best match "
        "first (a match in the title counts most) among the "
        f"{RANK_WINDOW:,} most recently archived matches, {PAGE_SIZE} a page (`page`), with "
        'the matching words highlighted. Words are all required; "quotes" make a phrase; '
        "-word leaves out articles with the word; OR between two words finds either. Chinese "
        f"works with words of any length (长沙, 湘江); at most {MAX_TERMS} words in "
        f"{MAX_QUERY_CHARS} characters. Narrow by site (its key: hengyang, hunan, yueyang, "
        f"rednet, huasheng) and by publication date: from and to take {DATE_HELP}. "
        f"`matches` counts the articles found (up to {RANK_WINDOW:,}; more: {RANK_WINDOW + 1:,}).",
        "sql": RANKED_SQL.format(match="escape_fts(:q)", limit=PAGE_SIZE, offset=PAGE_OFFSET_SQL),
        "params": ["q", "site", "date_from", "date_to", "page"],
    },
    "person": {
        "title": "Everything credited to a person",
        "description": "Every article a person is credited for, by role (translator, "
        "reporter, photographer...), newest first. The name as written, any case.",
        "sql": """select credits.role, articles.title, articles.site, articles.published_date,
  people.name, articles.url, articles.id as article_id, people.id as person_id
from people
join credits on credits.person_id = people.id
join articles on articles.id = credits.article_id
where people.name = trim(:name) collate nocase
order by credits.role, articles.published_date desc""",
    },
    "translators": {
        "title": "Translators",
        "description": "Everyone credited as a translator, by number of articles, with the "
        "dates of their first and latest translation.",
        "sql": """select people.name as translator,
  count(distinct credits.article_id) as articles,
  min(articles.published_date) as first_article,
  max(articles.published_date) as latest_article,
  people.id as person_id
from credits
join people on people.id = credits.person_id
join articles on articles.id = credits.article_id
where credits.role = 'translator'
group by people.id
order by articles desc, translator""",
    },
    PEOPLE_QUERY: {
        "title": "People",
        "description": "Everyone credited for an article (reporters, translators, "
        "photographers, editors, authors), with their roles and number of articles, most "
        "credited first. A name leads to everything credited to that person.",
        "sql": """select people.name,
  group_concat(distinct credits.role) as roles,
  count(distinct credits.article_id) as articles,
  min(articles.published_date) as first_article,
  max(articles.published_date) as latest_article,
  people.id as person_id
from people
join credits on credits.person_id = people.id
join articles on articles.id = credits.article_id
group by people.id
order by articles desc, people.name""",
    },
    CHART_QUERY: {
        "title": "Articles per month per site",
        "description": "How many articles each site published each month (by publication "
        "date; undated articles are left out), drawn as a chart above the table.",
        "sql": """select published_month as month, coalesce(site, '') as site, count(*) as articles
from articles
where published_month is not null
group by published_month, site
order by published_month, site""",
    },
    "unknown_sources": {
        "title": "Sources awaiting curation",
        "description": "Outlets named by articles but unknown to the curated registry "
        "(pipelines/sources.json), most used first: add them there.",
        "sql": UNKNOWN_SOURCES_SQL,
    },
    "latest_runs": {
        "title": "Latest crawl runs",
        "description": "The 50 most recent crawls, newest first, with what each found.",
        "sql": """select id, site, started_at, finished_at, status, pages_fetched, articles_new,
  articles_updated, articles_unchanged, rejects, error
from crawl_runs order by id desc limit 50""",
    },
    "health": {
        "title": "Health of each site",
        "description": f"What the last {LIMITS.runs} runs of each site that ended found "
        "(`runs` sets another number): the figures `newsarchive health` judges. The latest and "
        "the last finished run, failed runs in a row, new articles, the share read without the "
        "site's selectors (a redesign), the share of new articles without a date, rejects over "
        "pages fetched and the days since the latest new article. By default newsarchive "
        f"health raises an alarm when a site has no new article in {LIMITS.max_days:g} days, "
        f"over {LIMITS.max_generic:.0%} read without its selectors, over "
        f"{LIMITS.max_undated:.0%} undated, over {LIMITS.max_reject_rate:.0%} of pages "
        "rejected, or its latest run failed.",
        "sql": HEALTH_SQL,
    },
}


def chart_path(database: str) -> str:
    """The path of the chart of articles per month per site (its query's page)."""
    return f"/{database}/{CHART_QUERY}"


def queries(*, hidden: tuple[str, ...] = ()) -> dict[str, dict[str, Any]]:
    """The canned queries of the archive (their SQL a click away); those reading a table in
    `hidden` are allowed to nobody (`"allow": false`)."""
    result = {name: {**query, "hide_sql": True} for name, query in QUERIES.items()}
    for name, tables in QUERY_TABLES.items():
        if set(tables) & set(hidden):
            result[name]["allow"] = False
    return result
