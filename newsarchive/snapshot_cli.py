"""`newsarchive snapshot`, `verify` and `import`: thin commands over `archive.snapshot` and
`archive.export`."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import click

from archive.export import export_to_dir, import_jsonl, records, write_export
from archive.snapshot import create_snapshot, prune
from archive.verify import verify as verify_snapshot
from archive.warc_export import FORMATS as WARC_FORMATS
from archive.warc_export import export_warc, stream_warc
from newsarchive.cliutils import UserError, archive_errors, archive_option, writing


def megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


@click.command()
@archive_option
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),
    default="snapshots",
    show_default=True,
    help="directory the snapshot or export is written to (created when missing)",
)
@click.option("--keep", type=click.IntRange(1), help="then remove all but the newest N snapshots")
@click.option("--compress", is_flag=True, help="write archive-….db.gz (gzip)")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["sqlite", "jsonl", "csv", "warc", "wacz"]),
    default="sqlite",
    show_default=True,
    help="a SQLite snapshot, an export of the articles, or their captures as WARC (or WACZ)",
)
@click.option(
    "--since",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="export: articles published on DATE (YYYY-MM-DD) or later",
)
@click.option("--site", help="export: only this site's articles")
@click.option(
    "-o",
    "--output",
    "name",
    metavar="NAME",
    help="export: file name inside --out (default archive-<UTC time>.<format>), - for stdout",
)
def snapshot(
    archive_path: str,
    out_dir: Path,
    keep: int | None,
    compress: bool,
    fmt: str,
    since: datetime | None,
    site: str | None,
    name: str | None,
) -> None:
    """Write a consistent, verifiable copy of the archive, or export its articles.

    The copy is DIR/archive-YYYYMMDDTHHMMSSZ.db (UTC), with a manifest (.json) beside it;
    --format warc writes every capture of the articles as archive-….warc.gz (and wacz
    packages it with its index), with a manifest too.
    """
    if fmt != "sqlite":
        if keep is not None or compress:
            raise UserError("--keep and --compress apply to SQLite snapshots, not exports")
        day = since.date().isoformat() if since else None
        if fmt in WARC_FORMATS:
            export_captures(archive_path, out_dir, fmt, name, day, site)
        else:
            export(archive_path, out_dir, fmt, name, day, site)
        return
    if since or site or name:
        raise UserError("--since, --site and -o apply to exports (--format jsonl, csv, warc, wacz)")
    with archive_errors():
        made = create_snapshot(archive_path, out_dir, compress=compress)
        removed = prune(out_dir, keep) if keep else []
    manifest = made.manifest
    stored = manifest.get("compressed") or manifest["file"]
    articles = manifest["counts"].get("articles", 0)
    click.echo(f"{made.path}  {megabytes(stored['size'])}  {articles} articles")
    click.echo(f"sha256 {stored['sha256']}")
    click.echo(f"manifest {made.manifest_path}")
    for path in made.cleaned:
        click.echo(f"removed {path} (left by a snapshot that was killed)")
    for path in removed:
        click.echo(f"removed {path}")


def export(
    archive_path: str,
    out_dir: Path,
    fmt: str,
    name: str | None,
    since: str | None,
    site: str | None,
) -> None:
    with archive_errors():
        if name == "-":
            write_export(records(archive_path, since=since, site=site), sys.stdout, fmt)
            return
        path, count = export_to_dir(archive_path, out_dir, fmt, name=name, since=since, site=site)
    click.echo(f"{path}  {count} articles")


def export_captures(
    archive_path: str,
    out_dir: Path,
    fmt: str,
    name: str | None,
    since: str | None,
    site: str | None,
) -> None:
    with archive_errors():
        if name == "-":
            if fmt != "warc":
                raise UserError("-o - writes a WARC to stdout; a WACZ needs a file")
            stream_warc(archive_path, sys.stdout.buffer, since=since, site=site)
            return
        made = export_warc(archive_path, out_dir, fmt=fmt, name=name, since=since, site=site)
    manifest = made.manifest
    records = ", ".join(f"{n} {kind}" for kind, n in manifest["records"].items())
    click.echo(f"{made.path}  {megabytes(manifest['file']['size'])}  {records}")
    click.echo(f"{manifest['captures']} captures of {manifest['articles']} articles")
    click.echo(f"sha256 {manifest['file']['sha256']}")
    click.echo(f"manifest {made.manifest_path}")


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def verify(file: Path) -> None:
    """Check a snapshot (.db, .db.gz, a WARC or WACZ export, or its .json manifest)
    against its manifest."""
    with archive_errors():
        checks = verify_snapshot(file)
    for check in checks:
        click.echo(f"{'ok' if check.ok else 'FAILED':<6}  {check.name}: {check.detail}")
    failed = [check.name for check in checks if not check.ok]
    if failed:
        raise UserError(f"{file} does not match its manifest: {', '.join(failed)}")
    click.echo(f"{file}: all {len(checks)} checks passed")


@click.command("import")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path))
@archive_option
def import_(file: Path, archive_path: str) -> None:
    """Load JSON Lines articles (an export, or `newsarchive normalize` output) into the
    archive; - reads stdin. All or nothing: a bad line changes nothing."""
    try:
        lines = sys.stdin if str(file) == "-" else file.open(encoding="utf-8")
    except OSError as exc:
        raise UserError(f"cannot read {file}: {exc.strerror}") from None
    try:
        with lines, writing(archive_path, create=True) as archive:
            counts = import_jsonl(archive, lines, name=str(file))
    except UnicodeDecodeError as exc:
        raise UserError(f"{file} is not UTF-8 text: {exc}") from None
    click.echo(
        f"{archive_path}: new {counts['new']}  updated {counts['updated']}  "
        f"unchanged {counts['unchanged']}"
    )
