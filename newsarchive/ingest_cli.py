"""`newsarchive ingest --cluster URL`: the cluster's one writer (`crawler.clusterwriter`)."""

from __future__ import annotations

import click

from crawler.cluster import DEFAULT_LEASE, Cluster, ClusterError
from crawler.clusterwriter import StopFlag, Writer
from newsarchive.cliutils import UserError, archive_option, wait_option, writing


@click.command()
@archive_option
@click.option(
    "--cluster",
    "cluster_url",
    required=True,
    metavar="URL",
    envvar="NEWSARCHIVE_CLUSTER",
    help="the cluster's Redis, e.g. redis://127.0.0.1:6379/0 ($NEWSARCHIVE_CLUSTER)",
)
@click.option(
    "--once", is_flag=True, help="exit once no crawler is left and everything is ingested"
)
@click.option(
    "--batch",
    type=click.IntRange(1),
    default=50,
    show_default=True,
    help="messages written per transaction",
)
@click.option(
    "--lease",
    type=click.FloatRange(0.1),
    default=DEFAULT_LEASE,
    show_default=True,
    metavar="SECONDS",
    help="the writer's lease; a new writer waits this long for a dead one's to expire",
)
@wait_option("a local crawl")
def ingest(
    archive_path: str, cluster_url: str, once: bool, batch: int, lease: float, wait: float
) -> None:
    """Write what the cluster's crawlers hand over into the archive, until SIGTERM (or,
    with --once, until no crawler is left and nothing is queued)."""
    try:
        cluster = Cluster(cluster_url, lease)
        cluster.check()
    except ClusterError as exc:
        raise UserError(str(exc)) from None
    with writing(archive_path, create=True, wait=wait) as archive, StopFlag() as stop:
        writer = Writer(cluster, archive, batch_size=batch)
        try:
            with writer.leased(wait=lease + 1):
                totals = writer.run(once=once, stopped=lambda: stop.set)
        except ClusterError as exc:
            raise UserError(str(exc)) from None
    click.echo(f"{archive_path}: {totals.line()}")
