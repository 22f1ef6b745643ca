"""`newsarchive health` as cron runs it: a table, OK or alarms per site, exit 1 on an alarm;
and the issue's test: a replay site whose layout changed between two crawls raises one."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from pathlib import Path

import pytest

from archive import Archive
from archive.crawllog import CrawlLog
from crawler.replay import Replay
from crawler.sites import SAMPLES_DIR

from .conftest import run_cli

YUEYANG = "en.yueyang.gov.cn"
SECTION = "21730"
FAST = ("-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0")
# The yueyang layout's selectors, and what a redesign renames them to.
REDESIGN = {
    'class="article"': 'class="story"',
    'class="article-title"': 'class="story-head"',
    'class="article-tools"': 'class="story-meta"',
    'class="article-content"': 'class="story-text"',
}


def make_archive(path: Path, site: str = "hunan", *, days_old: float = 0) -> Path:
    """An archive with one finished run of ``site`` that stored three dated articles."""
    articles = [
        {
            "url": f"http://www.enghunan.gov.cn/hneng/News/202401/t20240105_{n}.html",
            "site": site,
            "lang": "en",
            "title": f"Orchard {n} opens to visitors",
            "body": f"Orchard {n} on the hillside opened its gates to visitors this week.",
            "published_date": "2024-01-05",
            "extraction": "selectors:trs",
            "credits": [],
        }
        for n in range(3)
    ]
    with Archive.open(path) as archive:
        log = CrawlLog(archive)
        run_id = log.start_run(site)
        counts = archive.upsert_articles(articles) | {"pages_fetched": 5}
        log.finish_run(run_id, "finished", counts, {})
    if days_old:
        with sqlite3.connect(path) as db:
            db.execute("update articles set first_seen = datetime('now', ?)", [f"-{days_old} days"])
    return path


def health(archive: Path, *args: str) -> tuple[int, str, str]:
    result = run_cli("health", "--archive", str(archive), *args)
    return result.returncode, result.stdout, result.stderr


def test_a_healthy_site_exits_0(tmp_path: Path) -> None:
    code, out, err = health(make_archive(tmp_path / "a.db"), "hunan")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].split()[:2] == ["site", "last"]
    assert re.match(r"hunan +#1 \d{4}-\d\d-\d\d \d\d:\d\d +3 +0% +0% +0% +0 +OK$", lines[1])
    assert lines[2] == "search index: 0 articles unindexed  OK"


def test_a_stale_site_exits_1_until_the_limit_allows_it(tmp_path: Path) -> None:
    archive = make_archive(tmp_path / "a.db", days_old=20)
    code, out, _ = health(archive, "hunan")
    assert code == 1
    assert "hunan" in out and "ALARM no new article in 20 days (limit 14)" in out
    assert health(archive, "hunan", "--max-days", "30")[0] == 0


def test_json(tmp_path: Path) -> None:
    code, out, _ = health(make_archive(tmp_path / "a.db", days_old=20), "hunan", "--json")
    assert code == 1
    report = json.loads(out)
    assert report["ok"] is False
    assert report["limits"]["max_days"] == 14
    (site,) = report["sites"]
    assert site["site"] == "hunan" and site["registered"] is True
    assert site["new_articles"] == 3
    assert site["generic_share"] is None  # no article was first seen in the window's runs
    assert site["alarms"] == ["no new article in 20 days (limit 14)"]
    assert report["search_index"] == {"unindexed": 0, "alarm": None}


def test_registered_sites_never_crawled_raise_an_alarm(tmp_path: Path) -> None:
    code, out, _ = health(make_archive(tmp_path / "a.db"))
    assert code == 1
    assert re.search(r"^yueyang +never crawled +ALARM never crawled$", out, re.M)
    assert re.search(r"^hunan .* OK$", out, re.M)


def test_percent_limits(tmp_path: Path) -> None:
    archive = make_archive(tmp_path / "a.db")
    with sqlite3.connect(archive) as db:
        db.execute("update articles set published_date = null where url like '%_0.html'")
    code, out, _ = health(archive, "hunan")
    assert code == 1 and "ALARM 33% of new articles undated (limit 20%)" in out
    assert health(archive, "hunan", "--max-undated", "40")[0] == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--archive", "missing.db"), "newsarchive: no archive at missing.db\n"),
        (("--archive", "a.db", "nosuch"), "newsarchive: unknown site 'nosuch' (known: "),
        (("--archive", "a.db", "--max-generic", "120"), "newsarchive: Invalid value"),
    ],
)
def test_user_errors_are_one_line(tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    make_archive(tmp_path / "a.db")
    result = run_cli("health", *args, cwd=tmp_path)
    assert result.returncode != 0
    assert result.stderr.startswith(message) and result.stderr.count("\n") == 1


# The "done when": a replay site redesigned between two crawls.


def publish(section: Path, number: int, title: str, text: str) -> None:
    """A new article at the top of the listing, in the page layout of its neighbours."""
    template = (section / "content_712408.html").read_text(encoding="utf-8")
    old_title = re.search(r"<h1[^>]*>([^<]+)</h1>", template)
    old_text = re.search(r"<p>([^<]+)</p>", template)
    assert old_title and old_text
    page = template.replace(old_title[1], title).replace(old_text[1], text)
    (section / f"content_{number}.html").write_text(page, encoding="utf-8")
    listing = section / "index.html"
    html = listing.read_text(encoding="utf-8")
    first = html.index('<li><a href="./content_')
    link = f'<li><a href="./content_{number}.html" title="{title}">{title}</a></li>\n'
    listing.write_text(html[:first] + link + html[first:], encoding="utf-8")


def redesign(section: Path) -> None:
    """The site renames the classes its article layout is selected by."""
    for page in section.glob("content_*.html"):
        html = page.read_text(encoding="utf-8")
        for old, new in REDESIGN.items():
            html = html.replace(old, new)
        page.write_text(html, encoding="utf-8")


@pytest.mark.e2e
def test_a_redesigned_replay_site_raises_the_alarm(tmp_path: Path) -> None:
    root = tmp_path / "samples"
    shutil.copytree(SAMPLES_DIR / YUEYANG, root / YUEYANG)
    archive = tmp_path / "archive.db"
    section = root / YUEYANG / SECTION
    with Replay(root) as replay:
        crawl = ("crawl", "yueyang", "--replay", replay.url, "--archive", str(archive), *FAST)
        first = run_cli(*crawl)
        assert first.returncode == 0, first.stderr
        code, out, _ = health(archive, "yueyang")
        assert code == 0, out
        # 12 articles, one of them the sample site's own redesigned page (read generically).
        assert re.search(r"^yueyang .* 12 +8% .* OK$", out, re.M)

        redesign(section)
        for n in range(4):
            publish(
                section,
                9_100_001 + n,
                f"Lakeside Library Branch {n} Opens",
                f"A branch library number {n} opened by the lake with reading rooms for "
                "children and a hall for evening lectures.",
            )
        second = run_cli(*crawl)
        assert second.returncode == 0, second.stderr

    code, out, _ = health(archive, "yueyang")
    assert code == 1, out
    assert "31% read without the site's selectors (limit 20%)" in out
    (site,) = json.loads(health(archive, "yueyang", "--json")[1])["sites"]
    assert site["new_articles"] == 16 and site["runs"] == 2
    assert site["generic_share"] == pytest.approx(5 / 16, abs=0.001)
    assert health(archive, "yueyang", "--runs", "1", "--json")[0] == 1
    assert json.loads(health(archive, "yueyang", "--runs", "1", "--json")[1])["sites"][0][
        "generic_share"
    ] == pytest.approx(1.0)
