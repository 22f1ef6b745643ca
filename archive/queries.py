"""The canned queries Datasette offers on an archive (part of the generated metadata).

Each has a title and a description; parameters (`:name`) become a form. Every query runs
with an empty form too: the search then finds nothing, its filters left empty mean "any".
"""

from __future__ import annotations

import html
from typing import Any
from urllib.parse import urlencode

from archive.db import UNKNOWN_SOURCES_SQL
from archive.health import HEALTH_SQL, Limits
from archive.search import MAX_QUERY_CHARS, MAX_TERMS, RANK_WINDOW, RANKED_SQL

SEARCH_QUERY = "search"
CHART_QUERY = "articles_per_month"
LIMITS = Limits()
# datasette-vega reads its chart from the URL fragment of a table or query page.
CHART_FRAGMENT = urlencode(
    {
        "g.mark": "bar",
        "g.x_column": "month",
        "g.x_type": "ordinal",
        "g.y_column": "articles",
        "g.y_type": "quantitative",
        "g.color_column": "site",
    }
)

QUERIES: dict[str, dict[str, Any]] = {
    SEARCH_QUERY: {
        "title": "Search articles",
        "description": "Full-text search of titles, texts and credited names, best match "
        "first (a match in the title counts most) among the "
        f"{RANK_WINDOW:,} most recently archived matches, with the matching words highlighted. "
        'Words are all required; "quotes" make a phrase. Chinese works with words of any '
        f"length (衡阳, 记者); at most {MAX_TERMS} words in {MAX_QUERY_CHARS} characters. "
        "Narrow by site (hengyang, hunan, yueyang, rednet, huasheng) and "
        "by publication date: from and to take 2023, 2023-05 or 2023-05-26.",
        "sql": RANKED_SQL.format(match="escape_fts(:q)", limit=100),
        "params": ["q", "site", "date_from", "date_to"],
    },
    "person": {
        "title": "Everything credited to a person",
        "description": "Every article a person is credited for, by role (translator, "
        "reporter, photographer...), newest first. The name as written, any case.",
        "sql": """select credits.role, articles.title, articles.site, articles.published_date,
  people.name, articles.url
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
  max(articles.published_date) as latest_article
from credits
join people on people.id = credits.person_id
join articles on articles.id = credits.article_id
where credits.role = 'translator'
group by people.id
order by articles desc, translator""",
    },
    CHART_QUERY: {
        "title": "Articles per month per site",
        "description": "How many articles each site published each month (by publication "
        "date; undated articles are left out). Shown as a chart by datasette-vega.",
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
    """The path of the chart of articles per month per site, HTML-escaped for a link."""
    return html.escape(f"/{database}/{CHART_QUERY}#{CHART_FRAGMENT}")


def queries(database: str) -> dict[str, dict[str, Any]]:
    """The canned queries of `database` (their SQL a click away), the chart query with a
    link to its chart."""
    result = {name: {**query, "hide_sql": True} for name, query in QUERIES.items()}
    chart = result[CHART_QUERY]
    chart["description_html"] = (
        f'<p>{chart.pop("description")} <a href="{chart_path(database)}">Show the chart</a>.</p>'
    )
    return result
