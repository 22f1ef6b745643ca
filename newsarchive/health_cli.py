"""`newsarchive health`: one line per site, OK or its alarms; exit 1 when any alarm is raised.

Made for cron, after the crawl: cron mails what a job prints, so
``newsarchive health > health.txt || cat health.txt`` mails the table only when a site needs
the owner. The figures and limits are those of :mod:`archive.health`; the registered sites
come from the crawler's registry, so a site never crawled shows too.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from archive.health import Limits, Report, SiteHealth, check
from crawler import sites
from newsarchive.cliutils import UserError, archive_errors, archive_option

DEFAULTS = Limits()
EXIT_ALARM = 1


def percent_option(name: str, default: float, what: str) -> Any:
    return click.option(
        name,
        type=click.FloatRange(0, 100),
        default=round(default * 100, 6),
        show_default=True,
        metavar="PERCENT",
        help=f"alarm when over this percentage {what}",
    )


def share(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def site_line(health: SiteHealth) -> str:
    """One line of the table: the site, its last finished run, its figures, OK or alarms."""
    figures = health.figures
    if not health.crawled:
        columns = f"{'never crawled':<24}"
    else:
        finished = figures["last_finished_at"]
        run = (
            f"#{figures['last_finished_run']} {finished[:16].replace('T', ' ')}"
            if finished
            else "none finished"
        )
        days = figures["days_since_new_article"]
        columns = (
            f"{run:<24}{figures['new_articles']:>5}  {share(figures['generic_share']):>7}  "
            f"{share(figures['undated_share']):>7}  {share(figures['reject_rate']):>7}  "
            f"{'-' if days is None else f'{days:g}':>6}"
        )
    if health.registered is False:
        verdict = "(not registered)"
    else:
        verdict = "ALARM " + "; ".join(health.alarms) if health.alarms else "OK"
    return f"{health.site:<10} {columns}  {verdict}"


def print_table(report: Report) -> None:
    click.echo(
        f"{'site':<10} {'last finished (UTC)':<24}{'new':>5}  {'generic':>7}  {'undated':>7}  "
        f"{'rejects':>7}  {'days':>6}  (last {report.limits.runs} runs)"
    )
    for health in report.sites:
        click.echo(site_line(health))
    index = f"ALARM {report.index_alarm}" if report.index_alarm else "OK"
    click.echo(f"search index: {report.unindexed} articles unindexed  {index}")


@click.command()
@click.argument("site_names", nargs=-1, metavar="[SITE]...")
@archive_option
@click.option("--json", "as_json", is_flag=True, help="the figures and alarms as JSON")
@click.option(
    "--runs",
    type=click.IntRange(1),
    default=DEFAULTS.runs,
    show_default=True,
    help="judge each site by its last N runs",
)
@click.option(
    "--max-days",
    type=click.FloatRange(0),
    default=DEFAULTS.max_days,
    show_default=True,
    help="alarm when a site has had no new article for longer (days)",
)
@percent_option("--max-generic", DEFAULTS.max_generic, "of articles read without selectors")
@percent_option("--max-undated", DEFAULTS.max_undated, "of new articles without a date")
@percent_option("--max-rejects", DEFAULTS.max_reject_rate, "of pages rejected")
@click.option(
    "--max-failed",
    type=click.IntRange(0),
    default=DEFAULTS.max_failed,
    show_default=True,
    help="alarm when more of a site's latest runs failed in a row",
)
def health(
    site_names: tuple[str, ...],
    archive_path: str,
    as_json: bool,
    runs: int,
    max_days: float,
    max_generic: float,
    max_undated: float,
    max_rejects: float,
    max_failed: int,
) -> None:
    """Drift alarms: per site (all, or the named ones), the last finished run, new articles,
    the share read without the site's selectors, the share undated, the reject rate and the
    days since the last new article. Exit status 1 when a site crosses a limit."""
    registered = [site.name for site in sites.all_sites()]
    unknown = sorted(set(site_names) - set(registered))
    if unknown:
        raise UserError(f"unknown site {unknown[0]!r} (known: {', '.join(registered)})")
    limits = Limits(
        runs=runs,
        max_days=max_days,
        max_generic=max_generic / 100,
        max_undated=max_undated / 100,
        max_reject_rate=max_rejects / 100,
        max_failed=max_failed,
    )
    with archive_errors():
        report = check(archive_path, registered=registered, limits=limits)
    if site_names:
        report.sites = [health for health in report.sites if health.site in site_names]
    if as_json:
        click.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        print_table(report)
    if not report.ok:
        sys.exit(EXIT_ALARM)
