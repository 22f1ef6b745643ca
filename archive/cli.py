"""The `newsarchive` command: a thin click layer over the crawler, pipelines and archive.

Errors a user can cause (a bad argument, a missing directory, a port in use) print one
line on stderr and exit non-zero; they never show a traceback.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from archive.cliutils import UserError, archive_option, open_existing


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="newsarchive")
def cli() -> None:
    """Crawl government news sites into a SQLite archive and search it with Datasette."""


@cli.command()
def normalize() -> None:
    """Normalize pages: JSON Lines {url, text, title?, html?} on stdin, articles on stdout."""
    from pipelines.normalize import normalize_stream

    normalize_stream(sys.stdin, sys.stdout)


@cli.command()
@click.argument("site_names", nargs=-1, metavar="[SITE]...")
@archive_option
@click.option(
    "--replay",
    "replay_url",
    metavar="URL",
    help="send every request to this replay server (URLs stay real)",
)
@click.option("-v", "--verbose", is_flag=True, help="show Scrapy's log")
def crawl(
    site_names: tuple[str, ...], archive_path: str, replay_url: str | None, verbose: bool
) -> None:
    """Crawl all sites, or the named ones, into the archive."""
    from archive.crawling import CrawlError, run_crawl

    try:
        results = run_crawl(list(site_names), archive_path, replay_url=replay_url, verbose=verbose)
    except CrawlError as exc:
        raise UserError(str(exc)) from None
    report(results)
    if any(run["status"] != "finished" for run in results):
        sys.exit(1)


def report(results: list[dict]) -> None:
    for run in results:
        click.echo(
            f"{run['site']:<10} {run['status']:<11} pages {run['pages_fetched']:>4}  "
            f"new {run['articles_new']:>4}  updated {run['articles_updated']:>3}  "
            f"unchanged {run['articles_unchanged']:>4}  rejects {run['rejects']:>3}"
        )


@cli.command()
@click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    help="folder of recorded sites, one subfolder per host (default: bundled samples)",
)
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True)
def replay(root: Path | None, port: int) -> None:
    """Serve recorded sample sites on 127.0.0.1, host by host."""
    from crawler.replay import Replay, ReplayError

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
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=click.IntRange(1, 65535), default=8001, show_default=True)
def serve(archive_path: str, host: str, port: int) -> None:
    """Browse and search the archive with Datasette."""
    from archive.db import ArchiveError
    from archive.serve import serve as run_datasette

    if not Path(archive_path).is_file():
        raise UserError(f"no archive at {archive_path} (run `newsarchive crawl` first)")
    try:
        run_datasette(archive_path, host=host, port=port)
    except ArchiveError as exc:
        raise UserError(str(exc)) from None


@cli.command()
@archive_option
def demo(archive_path: str) -> None:
    """Crawl the bundled sample sites through a local replay into the archive."""
    from archive.crawling import CrawlError, run_crawl
    from archive.db import Archive
    from crawler.replay import Replay, ReplayError

    try:
        with Replay() as server:
            click.echo(f"Replay of the sample sites running on {server.url}")
            results = run_crawl([], archive_path, replay_url=server.url)
    except (CrawlError, ReplayError) as exc:
        raise UserError(str(exc)) from None
    report(results)
    with Archive.open(archive_path) as archive:
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


@cli.command()
@archive_option
@click.option("--limit", type=click.IntRange(1), default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="JSON instead of a table")
def runs(archive_path: str, limit: int, as_json: bool) -> None:
    """Show the latest crawl runs."""
    with open_existing(archive_path) as archive:
        rows = archive.latest_runs(limit)
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        report(rows)


# Commands that live in modules of their own are added here, one line each.


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
