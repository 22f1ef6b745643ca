"""`newsarchive urls`: URLs on stdin, what the crawler makes of each on stdout.

One line per URL: the URL, the site that serves its host (``-``: none), the kind (`article`,
`listing`, `other`) and the rule that decided, separated by tabs; ``--json`` prints JSON
Lines instead. A URL of no registered site is read by its shape alone. Blank lines are
skipped; a line that is no URL (or not UTF-8) is `other`, rule `invalid`, and the stream
goes on.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterable
from typing import IO, Any

import click

from crawler import sites
from crawler.urlkinds import OTHER, classify

logger = logging.getLogger(__name__)


def describe(raw: bytes) -> dict[str, Any]:
    """The URL a line holds with its site, kind and rule (a line that is not UTF-8 is
    no URL: `other`, `invalid`, its bytes shown as escapes)."""
    try:
        url = raw.decode("utf-8").strip()
    except UnicodeDecodeError:
        url = raw.decode("utf-8", "backslashreplace").strip()
        return {"url": url, "site": None, "kind": OTHER, "rule": "invalid"}
    site = sites.for_url(url)
    kind, rule = classify(url, site)
    return {"url": url, "site": site.name if site else None, "kind": kind, "rule": rule}


def classify_stream(lines: Iterable[bytes], out: IO[bytes], *, as_json: bool) -> int:
    """Classify the URLs of ``lines`` into ``out``; returns how many were classified."""
    count = 0
    for raw in lines:
        if not raw.strip():
            continue
        row = describe(raw)
        if as_json:
            text = json.dumps(row, ensure_ascii=False)
        else:
            text = "\t".join((row["url"], row["site"] or "-", row["kind"], row["rule"]))
        out.write((text + "\n").encode("utf-8", "backslashreplace"))
        count += 1
    logger.debug("%d URLs classified", count)
    return count


@click.command()
@click.option("--json", "as_json", is_flag=True, help="JSON Lines instead of tab-separated lines")
def urls(as_json: bool) -> None:
    """Say what the crawler makes of URLs (one a line on stdin): the site, the kind
    (article, listing, other) and the rule that decided."""
    classify_stream(sys.stdin.buffer, sys.stdout.buffer, as_json=as_json)
