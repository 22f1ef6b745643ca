"""The page as captured (`archive/reading.py`): one accessor for whoever shows it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from archive import Archive
from archive.reading import captured_html

from .captured import article, fetched

URL = "http://en.lakeside.gov.cn/news/content_1.html"
MOVED = "http://new.lakeside.gov.cn/news/content_1.html"
STORY = article(URL, "lakeside", "Lantern Fair", "Lanterns line the river.", "2024-02-10")
GBK_PAGE = "<html><body><h1>灯会</h1><p>河边挂满灯笼。</p></body></html>"


def test_the_html_is_that_of_the_capture_the_article_was_read_from(tmp_path: Path) -> None:
    with Archive.open(tmp_path / "archive.db") as archive:
        served = [["Content-Type", "text/html; charset=gbk"]]
        body = GBK_PAGE.encode("gb18030")
        archive.upsert_articles(
            [fetched(STORY, body, "2024-02-10T01:00:00+00:00", headers=served, encoding="gb18030")]
        )
        archive.add_aliases([(MOVED, URL)])
        assert captured_html(archive.db, URL) == GBK_PAGE
        assert captured_html(archive.db, MOVED) == GBK_PAGE  # another URL of the article
        assert captured_html(archive.db, URL + "?other") is None
        newer = "<html><body><h1>灯会</h1><p>灯会延期。</p></body></html>"
        changed = {**STORY, "body": "The fair is put off."}
        archive.upsert_articles(
            [
                fetched(
                    changed,
                    newer.encode("gb18030"),
                    "2024-02-11T01:00:00+00:00",
                    headers=served,
                    encoding="gb18030",
                )
            ]
        )
        assert captured_html(archive.db, URL) == newer
    with sqlite3.connect(tmp_path / "archive.db") as conn:  # what Datasette hands a plugin
        assert captured_html(conn, URL) == newer
