"""The `newsarchive` command: a thin click layer over the crawler, pipelines and archive."""

from __future__ import annotations

import sys

import click


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="newsarchive")
def cli() -> None:
    """Crawl government news sites into a SQLite archive and search it with Datasette."""


@cli.command()
def normalize() -> None:
    """Normalize pages: JSON Lines {url, text, title?, html?} on stdin, articles on stdout."""
    from pipelines.normalize import normalize_stream

    normalize_stream(sys.stdin, sys.stdout)
