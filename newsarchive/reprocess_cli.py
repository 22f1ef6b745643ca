"""`newsarchive reprocess`: re-parse and re-normalize the stored pages into the archive."""

from __future__ import annotations

import click

from archive.errors import ArchiveError
from archive.lock import ArchiveBusy
from crawler.reprocess import reprocess as run
from newsarchive.cliutils import UserError, archive_option

EXIT_BUSY = 75  # as `newsarchive crawl`: another crawl holds the archive


@click.command()
@archive_option
@click.option("--site", metavar="SITE", help="only the pages of this site")
@click.option(
    "--workers",
    type=click.IntRange(0),
    default=None,
    help="processes that parse and normalize (default: one per core; 0: none)",
)
def reprocess(archive_path: str, site: str | None, workers: int | None) -> None:
    """Re-parse and re-normalize the raw pages stored in the archive, and store the results.

    Changed articles get a new version, unchanged ones stay as they are; pages that fail
    are recorded in `rejects`.
    """
    try:
        done = run(archive_path, site=site, workers=workers)
    except KeyError as exc:
        raise UserError(exc.args[0]) from None
    except ArchiveBusy as exc:
        raise UserError(str(exc), exit_code=EXIT_BUSY) from None
    except ArchiveError as exc:
        raise UserError(str(exc)) from None
    rate = done.pages / done.seconds if done.seconds else 0
    click.echo(
        f"reprocessed {done.pages} pages in {done.seconds:.1f} s ({rate:,.0f}/s): "
        f"{done.new} new, {done.updated} updated, {done.unchanged} unchanged, "
        f"{done.rejects} rejects"
    )
