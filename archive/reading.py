"""The page as captured, for whoever shows it (the reading room): one way in, `captured_html`.

The HTML of an article is that of the capture its current text was read from
(``articles.capture_id``), found by the article's URL or any other URL it was found under;
for a URL that is no article's, the URL's latest capture. It is decoded as the crawler
decoded it (`archive.captures.decoded`: the charset it chose, stored with the capture).
"""

from __future__ import annotations

import sqlite3
import zlib

from sqlite_utils import Database

from archive.captures import decoded

ARTICLE_CAPTURE_SQL = """select capture_id from articles where url = :url
union all
select articles.capture_id from article_urls join articles on articles.id = article_urls.article_id
where article_urls.url = :url
union all
select max(id) from captures where url = :url
"""
CAPTURE_SQL = """select captures.response_headers is null, captures.encoding, payloads.body_z
from captures join payloads on payloads.digest = captures.payload_digest
where captures.id = ?"""


def capture_of(conn: sqlite3.Connection, url: str) -> int | None:
    """The id of the capture the article at ``url`` was read from, or of the URL's latest."""
    for (capture_id,) in conn.execute(ARTICLE_CAPTURE_SQL, {"url": url}):
        if capture_id is not None:
            return int(capture_id)
    return None


def captured_html(db: Database | sqlite3.Connection, url: str) -> str | None:
    """The HTML of the page an article (or any URL) was captured as; None if never captured."""
    conn = db.conn if isinstance(db, Database) else db
    capture_id = capture_of(conn, url)
    row = conn.execute(CAPTURE_SQL, [capture_id]).fetchone() if capture_id else None
    if row is None:
        return None
    headerless, encoding, body_z = row
    return decoded(zlib.decompress(body_z), encoding, headerless=bool(headerless))
