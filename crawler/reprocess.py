"""Re-run the parser and the normalizer over the captures an archive holds (`captures`).

When a site's selectors or the normalization improve, `reprocess` brings every stored article
up to date without fetching anything: the bytes of the capture each article was read from
(`payloads`) are decoded as a crawl decodes them (`crawler.charset`, with the capture's own
Content-Type header), read by the site's parser (`crawler.samples_io.parsed_item`, as in a
crawl) and normalized, and the articles are written back through `Archive.upsert_articles`
in batches, so an article whose text changed gets a new version and an unchanged one changes
nothing (it keeps its capture; no capture is added). A page that no longer
parses, or whose article fails validation, becomes a reject (stage `parse`, `normalize` or
`validate`); the normalizer's problems are recorded as in a crawl.

Parsing and normalizing take most of the time, so they run in worker processes (one per core
by default) while this process reads captures and writes articles; the bytes go to them
compressed. The captures are read by key, a batch at a time, so memory stays flat for any
archive size. It holds the archive's crawl
lock: a crawl and a reprocess never write at once.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import time
import zlib
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any

from itemadapter import ItemAdapter

from archive import captures
from archive.crawllog import CrawlLog
from archive.db import Archive
from archive.lock import CrawlLock
from crawler import charset, sites
from crawler.archiving import problem_reasons, validation_problem
from crawler.normalizing import normalize_page
from crawler.parse import ParseError
from crawler.samples_io import parsed_item

logger = logging.getLogger(__name__)

BATCH = 500  # articles per transaction
CHUNK = 100  # pages per task of a worker process
# The capture each article was read from, a chunk at a time in article order.
PAGES_SQL = """select a.id, c.id, c.url, p.body_z, c.response_headers, c.status, c.fetched_at
from articles a
join captures c on c.id = a.capture_id
join payloads p on p.digest = c.payload_digest
where a.id > :after and (:site is null or a.site = :site)
order by a.id limit :limit"""
# capture id, url, zlib bytes, Content-Type, status, fetched_at
PageRow = tuple[int, str, bytes, str | None, int | None, str | None]


@dataclass
class Reprocessed:
    """What a reprocess did."""

    pages: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    rejects: int = 0
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def reprocess_page(row: PageRow, today: date | None = None) -> dict[str, Any]:
    """One stored capture decoded, parsed and normalized: ``{"article": ...}`` (without its
    page, which is stored already) or ``{"reject": ...}``."""
    capture_id, url, body_z, content_type, status, fetched_at = row
    site = sites.for_url(url)
    site_name = site.name if site else None
    page = charset.decode(zlib.decompress(body_z), content_type)
    try:
        item = parsed_item(url, page.text, encoding=page.encoding, problems=page.problems)
    except (KeyError, ParseError, ValueError) as exc:
        reason = exc.args[0] if isinstance(exc, KeyError) else str(exc)
        return {"reject": {"url": url, "site": site_name, "stage": "parse", "reason": reason}}
    try:
        normalized = normalize_page(item, today)
    except Exception as exc:  # recorded as a reject, like an item error in a crawl
        reason = f"{type(exc).__name__}: {exc}"
        return {"reject": {"url": url, "site": site_name, "stage": "normalize", "reason": reason}}
    article = {key: value for key, value in item.items() if key not in ("text", "html")}
    article.update(normalized, status=status, crawled_at=fetched_at, capture_id=capture_id)
    return {"article": article}


def reprocess_chunk(rows: list[PageRow], today: date | None = None) -> list[dict[str, Any]]:
    """`reprocess_page` over several pages: one task of a worker process."""
    return [reprocess_page(row, today) for row in rows]


def stored_pages(archive: Archive, site: str | None, chunk: int = CHUNK) -> Iterator[list[PageRow]]:
    """The captures the stored articles (of one site) were read from, `chunk` at a time, in
    article order; the Content-Type each is read with (`archive.captures.content_type`)."""
    after = 0
    while True:
        rows = archive.db.execute(PAGES_SQL, {"after": after, "site": site, "limit": chunk})
        found = rows.fetchall()
        if not found:
            return
        after = found[-1][0]
        yield [
            (capture_id, url, body_z, captures.content_type(headers), status, fetched_at)
            for _, capture_id, url, body_z, headers, status, fetched_at in found
        ]


def outcomes(
    chunks: Iterator[list[PageRow]], workers: int, today: date | None
) -> Iterator[dict[str, Any]]:
    """Reprocessed pages, in order; with `workers`, a few chunks ahead in worker processes."""
    if not workers:
        for rows in chunks:
            yield from reprocess_chunk(rows, today)
        return
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        ahead: deque[Future[list[dict[str, Any]]]] = deque()
        for rows in chunks:
            ahead.append(pool.submit(reprocess_chunk, rows, today))
            if len(ahead) > workers * 2:
                yield from ahead.popleft().result()
        while ahead:
            yield from ahead.popleft().result()


def reprocess(
    path: str | Path,
    *,
    site: str | None = None,
    workers: int | None = None,
    batch: int = BATCH,
    today: date | None = None,
    progress: Callable[[Reprocessed], None] | None = None,
) -> Reprocessed:
    """Reprocess the stored pages of the archive at `path` (of one site); what it did.

    `workers` worker processes parse and normalize (default: one per core; 0: none).
    Raises KeyError for an unknown site, ArchiveError (ArchiveBusy) when it cannot write.
    """
    if site is not None:
        sites.get(site)
    workers = (os.cpu_count() or 1) if workers is None else workers
    started = time.perf_counter()
    done = Reprocessed()
    with CrawlLock.acquire(path), Archive.open(path, create=False) as archive:
        log = CrawlLog(archive)
        articles: list[dict[str, Any]] = []
        rejects: list[dict[str, Any]] = []

        def flush() -> None:
            counts = archive.upsert_articles(articles)
            for key in ("new", "updated", "unchanged"):
                setattr(done, key, getattr(done, key) + counts[key])
            log.add_rejects(rejects)  # after the articles, which clear their rejects
            done.rejects += len(rejects)
            articles.clear()
            rejects.clear()
            if progress:
                progress(done)

        for outcome in outcomes(stored_pages(archive, site), workers, today):
            done.pages += 1
            if "reject" in outcome:
                rejects.append(outcome["reject"])
            else:
                article = outcome["article"]
                adapter = ItemAdapter(article)
                for reason in problem_reasons(adapter):
                    rejects.append(_reject(article, "normalize", reason))
                problem = validation_problem(adapter)
                if problem:
                    rejects.append(_reject(article, "validate", problem))
                else:
                    articles.append(article)
            if len(articles) >= batch:
                flush()
        flush()
    done.seconds = time.perf_counter() - started
    logger.info("reprocessed %s", done)
    return done


def _reject(article: dict[str, Any], stage: str, reason: str) -> dict[str, Any]:
    return {"url": article["url"], "site": article.get("site"), "stage": stage, "reason": reason}
