"""The `newsarchive` command: a thin click layer over the crawler, pipelines and archive.

The application layer: it may import every package below it (crawler, archive, pipelines);
none of them imports it. Commands that live in modules of their own are added at the end.

Errors a user can cause (a bad argument, a missing directory, a port in use) print one
line on stderr and exit non-zero; they never show a traceback.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path

import click

from archive.crawllog import CrawlLog
from archive.db import ArchiveError
from archive.lock import ArchiveBusy
from archive.metadata import PRIVATE_TABLES
from archive.serve import serve as run_datasette
from crawler.crawling import CrawlError, CrawlOptions, run_crawl
from crawler.reader import GENERIC_STAT
from crawler.replay import Replay, ReplayError
from crawler.sites import all_sites
from newsarchive import (
    health_cli,
    ingest_cli,
    normalize_cli,
    reprocess_cli,
    snapshot_cli,
    urls_cli,
)
from newsarchive.cliutils import (
    EXIT_BUSY,
    UserError,
    archive_errors,
    archive_option,
    open_existing,
    wait_option,
    writing,
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="newsarchive")
def cli() -> None:
    """Crawl government news sites into a SQLite archive and search it with Datasette."""


EXIT_FAILED = 1
EXIT_INTERRUPTED = 130


def parse_setting(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> dict:
    settings = {}
    for value in values:
        name, sep, setting = value.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"{value!r} is not NAME=VALUE", ctx, param)
        settings[name.strip()] = setting
    return settings


@cli.command()
@click.argument("site_names", nargs=-1, metavar="[SITE]...")
@archive_option
@click.option(
    "--replay",
    "replay_url",
    metavar="URL",
    help="send every request to this replay server (URLs stay real)",
)
@click.option("--refresh", is_flag=True, help="re-fetch archived articles; changes become versions")
@click.option(
    "--since",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    metavar="YYYY-MM-DD",
    help="with --refresh: only articles published on or after this date",
)
@wait_option("another crawl")
@click.option(
    "-s",
    "--set",
    "settings",
    multiple=True,
    callback=parse_setting,
    metavar="NAME=VALUE",
    help="a Scrapy setting for this run (repeatable)",
)
@click.option(
    "--cluster",
    "cluster_url",
    metavar="URL",
    help="crawl as a node of the cluster in this Redis (redis://host:6379/0); the writer,"
    " `newsarchive ingest`, writes the archive",
)
@click.option("-v", "--verbose", is_flag=True, help="show Scrapy's log")
def crawl(
    site_names: tuple[str, ...],
    archive_path: str,
    replay_url: str | None,
    cluster_url: str | None,
    refresh: bool,
    since: datetime | None,
    wait: float,
    settings: dict[str, str],
    verbose: bool,
) -> None:
    """Crawl all sites, or the named ones, into the archive.

    Incremental: articles already archived are not fetched again. Exit status: 0 when every
    site finished, 1 when one failed, 130 when interrupted, 75 when another crawl is running.
    """
    if since and not refresh:
        raise click.UsageError("--since goes with --refresh")
    options = CrawlOptions(
        replay_url=replay_url,
        refresh=refresh,
        since=since.date().isoformat() if since else None,
        wait=wait,
        verbose=verbose,
        progress=sys.stderr.isatty(),
        settings=settings,
        cluster=cluster_url,
    )
    results = crawl_or_explain(list(site_names), archive_path, options)
    report(results)
    exit_for(results)


def crawl_or_explain(names: list[str], archive_path: str, options: CrawlOptions) -> list[dict]:
    """Run the crawl; a crawl that cannot start is a one-line UserError."""
    try:
        return run_crawl(names, archive_path, options)
    except ArchiveBusy as exc:
        raise UserError(str(exc), exit_code=EXIT_BUSY) from None
    except (CrawlError, ArchiveError) as exc:
        raise UserError(str(exc)) from None


def exit_for(results: list[dict]) -> None:
    """Say why each site that did not finish stopped, and exit with the status that tells."""
    for run in results:
        if run["status"] != "finished":
            click.echo(f"newsarchive: {run['site']} {run['status']}: {run.get('error')}", err=True)
    statuses = {run["status"] for run in results}
    if "failed" in statuses:
        sys.exit(EXIT_FAILED)
    if statuses - {"finished"}:
        sys.exit(EXIT_INTERRUPTED)


def generic_readings(run: dict) -> int:
    """How many articles of a run were read without the site's selectors (a redesign shows)."""
    stats = run.get("stats") or {}
    return int(stats.get(GENERIC_STAT, 0)) if isinstance(stats, dict) else 0


def report(results: list[dict], *, when: bool = False) -> None:
    """One line per site run: how it ended and what it found (``when``: its start, in UTC)."""
    for run in results:
        started = f"{run['started_at'][:16].replace('T', ' ')}  " if when else ""
        line = (
            f"{started}{run['site']:<10} {run['status']:<11} pages {run['pages_fetched']:>4}  "
            f"new {run['articles_new']:>4}  updated {run['articles_updated']:>3}  "
            f"unchanged {run['articles_unchanged']:>4}  rejects {run['rejects']:>3}"
            f"  generic {generic_readings(run):>3}"
        )
        click.echo(line + (f"  ({run['error']})" if when and run.get("error") else ""))


@cli.command()
@click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    help="folder of recorded sites, one subfolder per host (default: bundled samples)",
)
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True)
def replay(root: Path | None, port: int) -> None:
    """Serve recorded sample sites on 127.0.0.1, host by host."""
    try:
        server = Replay(root, port=port)
    except ReplayError as exc:
        raise UserError(str(exc)) from None
    click.echo(f"Replaying {len(server.hosts())} hosts from {server.root} on {server.url}")
    click.echo(f"Crawl it with: newsarchive crawl --replay {server.url}")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()


@cli.command()
@archive_option
@click.option(
    "--snapshot",
    "snapshot_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="serve this snapshot file immutably instead of the live archive",
)
@click.option(
    "--public",
    is_flag=True,
    help="for the internet: no arbitrary SQL, the crawler's tables hidden; the articles, "
    "search and queries stay",
)
@click.option(
    "--show",
    "shown",
    multiple=True,
    type=click.Choice(PRIVATE_TABLES),
    help="with --public: show this table anyway (repeatable)",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="0.0.0.0 listens everywhere")
@click.option("--port", type=click.IntRange(1, 65535), default=8001, show_default=True)
@click.pass_context
def serve(
    ctx: click.Context,
    archive_path: str,
    snapshot_path: Path | None,
    public: bool,
    shown: tuple[str, ...],
    host: str,
    port: int,
) -> None:
    """Browse and search the archive (or a snapshot) with Datasette, read-only; prints the
    address of the search page."""
    if snapshot_path is not None:
        if ctx.get_parameter_source("archive_path") == click.core.ParameterSource.COMMANDLINE:
            raise UserError("give --archive or --snapshot, not both")
        path = snapshot_path
    else:
        path = Path(archive_path)
        if not path.is_file():
            raise UserError(f"no archive at {archive_path} (run `newsarchive crawl` first)")
    if shown and not public:
        raise UserError("--show is for --public: a local server shows every table")
    with archive_errors():
        status = run_datasette(
            path,
            host,
            port,
            public=public,
            snapshot=snapshot_path is not None,
            show=shown,
            sites={site.name: site.title for site in all_sites()},
            announce=lambda url: click.echo(f"Search the archive at {url}"),
        )
    if status:
        sys.exit(status)


@cli.command()
@archive_option
def demo(archive_path: str) -> None:
    """Crawl the bundled sample sites through a local replay into the archive."""
    try:
        with Replay() as server:
            click.echo(f"Replay of the sample sites running on {server.url}")
            options = CrawlOptions(replay_url=server.url, progress=sys.stderr.isatty())
            results = crawl_or_explain([], archive_path, options)
    except ReplayError as exc:
        raise UserError(str(exc)) from None
    report(results)
    exit_for(results)
    with open_existing(archive_path) as archive:
        per_site = archive.articles_per_site()
    click.echo(f"\n{sum(per_site.values())} articles in {archive_path}:")
    for site, count in sorted(per_site.items()):
        click.echo(f"  {site:<10} {count}")
    click.echo(f"\nBrowse and search them: .venv/bin/newsarchive serve --archive {archive_path}")


@cli.command()
@archive_option
@click.option("--unknown", is_flag=True, help="only sources missing from the registry")
def sources(archive_path: str, unknown: bool) -> None:
    """List the sources (outlets) of archived articles."""
    with open_existing(archive_path) as archive:
        rows = archive.unknown_sources() if unknown else archive.source_counts()
    for row in rows:
        click.echo(f"{row['articles']:>6}  {row['name']}")
    if not rows:
        click.echo("no sources awaiting curation" if unknown else "no sources", err=True)


@cli.command()
@archive_option
@click.option("--limit", type=click.IntRange(1), default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="JSON instead of a table")
def runs(archive_path: str, limit: int, as_json: bool) -> None:
    """Show the latest crawl runs, newest first (start times in UTC)."""
    with open_existing(archive_path) as archive:
        rows = CrawlLog(archive).latest_runs(limit)
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    elif rows:
        report(rows, when=True)
    else:
        click.echo("no crawl runs yet", err=True)


@cli.command()
@archive_option
@click.option("--all", "everything", is_flag=True, help="rebuild the whole index")
def reindex(archive_path: str, everything: bool) -> None:
    """Bring the search index up to date with articles another tool wrote into the archive
    (`sqlite-utils insert`, plain SQL); `newsarchive verify` reports them."""
    with writing(archive_path) as archive:
        count = archive.reindex(everything=everything)
    click.echo(f"{archive_path}: {count} articles indexed")


@cli.command()
@archive_option
@wait_option("a crawl")
def migrate(archive_path: str, wait: float) -> None:
    """Bring an archive written by an older newsarchive up to date (the commands that only
    read, such as `runs` and `serve`, never migrate). Crawls, imports and reprocessing
    migrate by themselves."""
    with writing(archive_path, wait=wait) as archive:
        applied = archive.migrated
    if applied:
        click.echo(f"{archive_path}: applied {', '.join(applied)}")
    else:
        click.echo(f"{archive_path}: up to date, nothing to apply")


# Commands that live in modules of their own are added here, one line each.
cli.add_command(normalize_cli.normalize)
cli.add_command(snapshot_cli.snapshot)
cli.add_command(snapshot_cli.verify)
cli.add_command(snapshot_cli.import_)
cli.add_command(reprocess_cli.reprocess)
cli.add_command(urls_cli.urls)
cli.add_command(health_cli.health)
cli.add_command(ingest_cli.ingest)


def main() -> None:
    """Console entry point: one-line errors, distinct exit codes, no tracebacks."""
    try:
        cli.main(prog_name="newsarchive", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.UsageError as exc:
        click.echo(f"newsarchive: {exc.format_message()}", err=True)
        sys.exit(2)
    except click.ClickException as exc:
        click.echo(f"newsarchive: {exc.format_message()}", err=True)
        sys.exit(exc.exit_code)
    except click.Abort:
        click.echo("newsarchive: aborted", err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(141)
