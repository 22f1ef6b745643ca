"""What the archive remembers about crawling: runs, rejects and their retries.

``CrawlLog(archive)`` works on the `crawl_runs` and `rejects` tables of an open
:class:`archive.db.Archive`, inside its transactions. The article store knows nothing of
runs: a crawl adds the counts `upsert_articles` returns to its run itself
(``with archive.transaction(): log.add_to_run(run, archive.upsert_articles(batch))``).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

from sqlite_utils import Database
from sqlite_utils.db import NotFoundError

from archive.clock import now
from archive.errors import ArchiveError

if TYPE_CHECKING:
    from archive.db import Archive

logger = logging.getLogger(__name__)

REJECT_STAGES = frozenset({"fetch", "parse", "normalize", "validate"})
RETRIED_STAGES = ("fetch", "parse")
# A page whose normalizing ran past its deadline (`crawler.workers`: "took over 5 s") may
# have met a busy machine: it is retried like a fetch. Other normalize rejects are the
# normalizer's answer to the page, the same next time.
RETRIED_TIMEOUT = ("normalize", "took over %")
RUN_STATUSES = frozenset({"running", "finished", "failed", "interrupted"})
# `finish_run` counts: the keys `upsert_articles` returns, plus pages and rejects.
RUN_COUNTERS = {
    "pages_fetched": "pages_fetched",
    "new": "articles_new",
    "updated": "articles_updated",
    "unchanged": "articles_unchanged",
    "rejects": "rejects",
}
STALE_RUN_ERROR = "the crawl process ended without closing this run (killed or crashed)"


class CrawlLog:
    """The crawl bookkeeping of one open archive."""

    def __init__(self, archive: Archive) -> None:
        self.archive = archive

    @property
    def db(self) -> Database:
        return self.archive.db

    def transaction(self) -> AbstractContextManager[Database]:
        return self.archive.transaction()

    # Rejects

    def add_rejects(
        self,
        rejects: Iterable[dict[str, Any]],
        *,
        run_id: int | None = None,
        max_attempts: int | None = None,
    ) -> int:
        """Record what could not be fetched, parsed, normalized or validated.

        Each reject is {url, site, stage, reason} and optionally ``lost`` (False: a problem of
        an article stored all the same, not counted among run ``run_id``'s rejects); the same
        (url, stage) again counts one more attempt and keeps the latest reason. With
        ``max_attempts``, a reject that has failed that often is marked ``given_up``: the
        crawler stops retrying it. Returns the number recorded.
        """
        seen_at = now()
        rows, lost = [], 0
        for reject in rejects:
            lost += bool(reject.get("lost", True))
            if reject["stage"] not in REJECT_STAGES:
                raise ValueError(f"unknown reject stage {reject['stage']!r}")
            rows.append(
                (
                    reject["url"],
                    reject.get("site"),
                    reject["stage"],
                    reject.get("reason"),
                    seen_at,
                    seen_at,
                )
            )
        with self.transaction() as db:
            db.conn.executemany(
                "insert into rejects (url, site, stage, reason, first_seen, last_seen, attempts)"
                " values (?, ?, ?, ?, ?, ?, 1)"
                " on conflict (url, stage) do update set attempts = attempts + 1,"
                " last_seen = excluded.last_seen, reason = excluded.reason,"
                " site = coalesce(excluded.site, site)",
                rows,
            )
            if max_attempts is not None:
                db.execute(
                    "update rejects set given_up = 1 where attempts >= ? and last_seen = ?",
                    [max_attempts, seen_at],
                )
            if run_id is not None:
                self.add_to_run(run_id, {"rejects": lost})
        return len(rows)

    def retry_urls(self, site: str) -> list[str]:
        """Pages of ``site`` that failed to fetch or parse, or whose normalizing ran past its
        deadline, and are not given up, oldest first."""
        sql = (
            "select url from rejects where site = ? and not given_up"
            f" and (stage in ({', '.join('?' * len(RETRIED_STAGES))})"
            " or (stage = ? and reason like ?))"
            " group by url order by min(first_seen), url"
        )
        params = [site, *RETRIED_STAGES, *RETRIED_TIMEOUT]
        return [row[0] for row in self.db.execute(sql, params)]

    def given_up_urls(self, site: str) -> set[str]:
        """Pages of ``site`` the crawler stopped retrying."""
        sql = "select url from rejects where site = ? and given_up"
        return {row[0] for row in self.db.execute(sql, [site])}

    # Runs

    def start_run(
        self, site: str | None, *, node: str | None = None, started_at: str | None = None
    ) -> int:
        """Record the start of a crawl of `site` (None: several sites); returns the run id.
        A cluster crawl names the ``node`` that crawls and when it started."""
        row = {"site": site, "started_at": started_at or now(), "status": "running", "node": node}
        with self.transaction() as db:
            table = db.table("crawl_runs").insert(row)
        assert table.last_pk is not None
        return int(table.last_pk)

    def node_run(self, site: str, node: str, started_at: str) -> tuple[int, int] | None:
        """The run a cluster node started on ``site`` at ``started_at``: its id and the last
        of its messages ingested (-1: none), or None when it is not recorded yet."""
        row = self.db.execute(
            "select id, coalesce(ingested_seq, -1) from crawl_runs"
            " where site = ? and node = ? and started_at = ?",
            [site, node, started_at],
        ).fetchone()
        return (int(row[0]), int(row[1])) if row else None

    def mark_ingested(self, run_id: int, seq: int) -> None:
        """Note that the run's messages up to ``seq`` are committed (inside that transaction)."""
        self.db.execute("update crawl_runs set ingested_seq = ? where id = ?", [seq, run_id])

    def close_taken_over(self, site: str, run_id: int, node: str) -> int:
        """Close the runs of ``site`` left running by nodes that lost it to ``node`` (whose
        run is ``run_id``): a site has one holder at a time, so they are dead."""
        with self.transaction() as db:
            cursor = db.execute(
                "update crawl_runs set status = 'interrupted', finished_at = ?, error = ?"
                " where site = ? and status = 'running' and id != ?",
                [
                    now(),
                    f"the node stopped renewing its lease; {node} took the site over",
                    site,
                    run_id,
                ],
            )
        return int(cursor.rowcount)

    def finish_run(
        self,
        run_id: int,
        status: str,
        counts: dict[str, int] | None = None,
        stats: dict[str, Any] | None = None,
        error: str | None = None,
        finished_at: str | None = None,
    ) -> None:
        """Close a run (now, or at ``finished_at``). `counts` (keys of `RUN_COUNTERS`)
        replace the totals that `add_to_run` and `add_rejects(run_id=...)` added up."""
        if status not in RUN_STATUSES:
            raise ValueError(f"unknown run status {status!r}")
        unknown = set(counts or {}) - RUN_COUNTERS.keys()
        if unknown:
            raise ValueError(f"unknown run counts {sorted(unknown)}; known: {list(RUN_COUNTERS)}")
        values: dict[str, Any] = {
            "status": status,
            "finished_at": finished_at or now(),
            "error": error,
        }
        values.update({RUN_COUNTERS[key]: n for key, n in (counts or {}).items()})
        if stats is not None:
            values["stats"] = json.dumps(stats, ensure_ascii=False, sort_keys=True, default=str)
        with self.transaction() as db:
            try:
                db.table("crawl_runs").update(run_id, values)
            except NotFoundError as exc:
                raise ArchiveError(f"no crawl run {run_id}") from exc

    def add_to_run(self, run_id: int, counts: dict[str, int]) -> None:
        """Add to a running run's totals: keys of `RUN_COUNTERS` (the counts
        `upsert_articles` returns, ``rejects``, ``pages_fetched``)."""
        unknown = set(counts) - RUN_COUNTERS.keys()
        if unknown:
            raise ValueError(f"unknown run counts {sorted(unknown)}; known: {list(RUN_COUNTERS)}")
        increments = {RUN_COUNTERS[key]: n for key, n in counts.items()}
        assignments = ", ".join(f"{column} = {column} + :{column}" for column in increments)
        cursor = self.db.execute(
            f"update crawl_runs set {assignments} where id = :id", {**increments, "id": run_id}
        )
        if cursor.rowcount != 1:
            raise ArchiveError(f"no crawl run {run_id}")

    def close_stale_runs(self) -> int:
        """Mark runs left `running` by a dead process `interrupted`; call it holding the lock."""
        with self.transaction() as db:
            cursor = db.execute(
                "update crawl_runs set status = 'interrupted', error = ? where status = 'running'",
                [STALE_RUN_ERROR],
            )
        if cursor.rowcount:
            logger.warning("%d crawl runs were left running by a dead process", cursor.rowcount)
        return int(cursor.rowcount)

    def last_status(self, site: str) -> str | None:
        """How the latest ended run of ``site`` ended (None: never crawled)."""
        row = self.db.execute(
            "select status from crawl_runs where site = ? and status != 'running'"
            " order by id desc limit 1",
            [site],
        ).fetchone()
        return row[0] if row else None

    def last_seconds(self, site: str) -> float | None:
        """How long the latest finished run of ``site`` took (None: none finished)."""
        row = self.db.execute(
            "select (julianday(finished_at) - julianday(started_at)) * 86400 from crawl_runs"
            " where site = ? and status = 'finished' and finished_at is not null"
            " order by id desc limit 1",
            [site],
        ).fetchone()
        return None if row is None or row[0] is None else float(row[0])

    def latest_runs(self, limit: int = 10) -> list[dict[str, Any]]:
        """The latest runs, newest first, with their stats as a dict."""
        return list(self._runs("order by id desc limit ?", [limit]))

    def runs_after(self, run_id: int) -> list[dict[str, Any]]:
        """The runs started after ``run_id``, in order."""
        return list(self._runs("where id > ? order by id", [run_id]))

    def _runs(self, clause: str, params: list[Any]) -> Iterator[dict[str, Any]]:
        for row in self.db.query(f"select * from crawl_runs {clause}", params):
            row["stats"] = json.loads(row["stats"]) if row["stats"] else {}
            yield row
