"""Drift alarms for crawls that run for years: per site, what its latest runs found.

``check(path, registered=..., limits=...)`` opens the archive read-only (it never writes, not
even a migration) and returns a :class:`Report`: per site the figures of ``HEALTH_SQL`` (the
same SQL is the Datasette canned query ``health``) and the alarms its :class:`Limits` raise,
and the articles the search index does not hold yet.

The figures of a site, over its *window*, the last ``runs`` runs that ended (any status):

- the latest run (id, start, end, status, error) and the last finished one (id, end);
- ``failed_in_a_row``: failed runs since the last that did not fail;
- ``new_articles``: the new articles the window's runs found;
- ``generic_share``: the share of articles read without the site's selectors (a redesign).
  From the runs' own count (``newsarchive/generic_reading`` in ``crawl_runs.stats``, over the
  articles they stored) when a run of the window has it: a crawl records it only when it read
  an article generically. Otherwise from the articles first seen since the window's first run
  began: those whose ``extraction`` does not start with ``selectors:`` (an article another
  tool wrote, with no ``extraction``, was not read by the crawler and does not count);
- ``undated_share``: among the articles first seen since the window's first run began, the
  share without a ``published_date``;
- ``reject_rate``: the window's rejects over the pages it fetched (at most 1: a page that
  could not be fetched at all is a reject without a response);
- ``days_since_new_article``: days since the site's latest article was first seen.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from archive import search
from archive.errors import ArchiveError
from archive.migrations import registered_migrations
from archive.snapshot import applied_migrations, open_source

logger = logging.getLogger(__name__)

GENERIC_STAT = "newsarchive/generic_reading"  # the crawler's count of generic readings in a run
DEFAULT_RUNS = 5

# :runs is the window (empty: the default). One row per site that has runs or articles.
HEALTH_SQL = f"""with window_size as (
  select coalesce(cast(nullif(:runs, '') as integer), {DEFAULT_RUNS}) as runs
),
ended as (
  select crawl_runs.*,
    row_number() over (partition by site order by id desc) as recent,
    case when json_valid(stats) then json_extract(stats, '$."{GENERIC_STAT}"') end as generic
  from crawl_runs
  where site is not null and status != 'running'
),
recent_runs as (
  select site, count(*) as runs, min(started_at) as window_start,
    sum(articles_new) as new_articles,
    sum(articles_new + articles_updated + articles_unchanged) as articles_stored,
    sum(coalesce(generic, 0)) as generic_read,
    max(generic is not null) as generic_counted,
    sum(rejects) as rejects, sum(pages_fetched) as pages_fetched
  from ended where recent <= (select runs from window_size)
  group by site
),
fresh as (
  select articles.site, count(*) as articles,
    sum(extraction is not null and extraction not like 'selectors:%') as generic,
    sum(published_date is null) as undated
  from articles join recent_runs on recent_runs.site = articles.site
  where articles.first_seen >= recent_runs.window_start
  group by articles.site
),
sites as (
  select site from crawl_runs where site is not null
  union select site from articles where site is not null
)
select sites.site,
  latest.id as last_run, latest.started_at as last_run_started,
  latest.status as last_run_status, latest.error as last_run_error,
  finished.id as last_finished_run, finished.finished_at as last_finished_at,
  (select count(*) from ended as failed where failed.site = sites.site
    and failed.status = 'failed' and failed.id > coalesce((select max(id) from ended as ok
      where ok.site = sites.site and ok.status != 'failed'), 0)) as failed_in_a_row,
  coalesce(recent_runs.runs, 0) as runs,
  coalesce(recent_runs.new_articles, 0) as new_articles,
  case when recent_runs.generic_counted
    then round(1.0 * recent_runs.generic_read / nullif(recent_runs.articles_stored, 0), 3)
    else round(1.0 * fresh.generic / nullif(fresh.articles, 0), 3)
  end as generic_share,
  case when recent_runs.generic_counted then 'runs' when fresh.articles then 'articles'
  end as generic_from,
  round(1.0 * fresh.undated / nullif(fresh.articles, 0), 3) as undated_share,
  round(1.0 * recent_runs.rejects
    / nullif(max(recent_runs.pages_fetched, recent_runs.rejects), 0), 3) as reject_rate,
  round(julianday('now') - julianday((select max(first_seen) from articles
    where articles.site = sites.site)), 1) as days_since_new_article
from sites
left join ended as latest on latest.site = sites.site and latest.recent = 1
left join crawl_runs as finished on finished.id = (select max(id) from crawl_runs
  where crawl_runs.site = sites.site and status = 'finished')
left join recent_runs on recent_runs.site = sites.site
left join fresh on fresh.site = sites.site
order by sites.site"""


@dataclass(frozen=True)
class Limits:
    """When a site raises an alarm. Shares and rates are fractions (0.2 is 20%)."""

    runs: int = DEFAULT_RUNS  # the window: the last N runs of each site
    max_days: float = 14  # days without a new article
    max_generic: float = 0.2  # share of articles read without the site's selectors
    max_undated: float = 0.2  # share of new articles without a date
    max_reject_rate: float = 0.1  # rejects over pages fetched
    max_failed: int = 0  # failed runs in a row (0: the latest run must not have failed)


@dataclass
class SiteHealth:
    """The figures of one site (the columns of ``HEALTH_SQL``), and its alarms."""

    site: str
    figures: dict[str, Any]
    registered: bool | None = None  # None: the caller did not say which sites are registered
    alarms: list[str] = field(default_factory=list)

    @property
    def crawled(self) -> bool:
        return self.figures.get("last_run") is not None


@dataclass
class Report:
    """What ``check`` found: one entry per site, and the search index's backlog."""

    limits: Limits
    sites: list[SiteHealth]
    unindexed: int

    @property
    def index_alarm(self) -> str | None:
        if not self.unindexed:
            return None
        return (
            f"{self.unindexed} articles are not in the search index yet: run `newsarchive reindex`"
        )

    @property
    def ok(self) -> bool:
        return not self.index_alarm and not any(site.alarms for site in self.sites)

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "limits": asdict(self.limits),
            "sites": [
                {"site": s.site, "registered": s.registered, **s.figures, "alarms": s.alarms}
                for s in self.sites
            ],
            "search_index": {"unindexed": self.unindexed, "alarm": self.index_alarm},
        }


def percent(share: float) -> str:
    return f"{share:.0%}"


def alarms(figures: dict[str, Any], limits: Limits) -> list[str]:
    """The limits one crawled site's figures cross, each said in words."""
    found = []
    failed = figures["failed_in_a_row"]
    if failed > limits.max_failed:
        why = f": {figures['last_run_error']}" if figures.get("last_run_error") else ""
        found.append(
            f"last run failed{why}" if failed == 1 else f"the last {failed} runs failed{why}"
        )
    days = figures["days_since_new_article"]
    if days is None:
        found.append("no article yet")
    elif days > limits.max_days:
        found.append(f"no new article in {days:g} days (limit {limits.max_days:g})")
    checks = (
        ("generic_share", limits.max_generic, "read without the site's selectors"),
        ("undated_share", limits.max_undated, "of new articles undated"),
        ("reject_rate", limits.max_reject_rate, "of pages rejected"),
    )
    for column, limit, what in checks:
        value = figures[column]
        if value is not None and value > limit:
            found.append(f"{percent(value)} {what} (limit {percent(limit)})")
    return found


def site_figures(conn: sqlite3.Connection, runs: int = DEFAULT_RUNS) -> list[dict[str, Any]]:
    """One row of figures per site with runs or articles (``HEALTH_SQL``), by site name."""
    return list(Database(conn).query(HEALTH_SQL, {"runs": runs}))


def judge(
    rows: list[dict[str, Any]], registered: Iterable[str] | None, limits: Limits
) -> list[SiteHealth]:
    """Alarms for each site's figures; a registered site without figures was never crawled,
    a site of the archive that is not registered (any more) raises none."""
    known = None if registered is None else set(registered)
    found = {row["site"]: row for row in rows}
    names = sorted(set(found) | (known or set()))
    result = []
    for name in names:
        figures = found.get(name) or {"last_run": None}
        health = SiteHealth(name, figures, registered=None if known is None else name in known)
        if health.registered is not False:
            health.alarms = alarms(figures, limits) if health.crawled else ["never crawled"]
        result.append(health)
    return result


def check(
    path: str | Path, *, registered: Iterable[str] | None = None, limits: Limits | None = None
) -> Report:
    """The health of every site of the archive at ``path`` (and of every ``registered`` site,
    crawled or not), read without writing. ArchiveError: not an archive, or one an older
    newsarchive made that needs migrating first."""
    limits = limits or Limits()
    conn = open_source(path, current=True)
    try:
        pending = registered_migrations() - set(applied_migrations(conn))
        if pending:
            raise ArchiveError(
                f"{path} needs migrations {sorted(pending)}: a command that writes "
                "(`newsarchive reindex`, `newsarchive crawl`) applies them"
            )
        rows = site_figures(conn, limits.runs)
        unindexed = search.unindexed(Database(conn))
    finally:
        conn.close()
    logger.debug("health of %s: %d sites, %d unindexed", path, len(rows), unindexed)
    return Report(limits, judge(rows, registered, limits), unindexed)
