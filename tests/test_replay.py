"""The replay server over real HTTP on 127.0.0.1: host-by-host folders, faults, safety."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import httpx
import pytest

from crawler.replay import Replay, ReplayError, resolve


@pytest.fixture
def root(tmp_path: Path) -> Path:
    site = tmp_path / "news.example.gov.cn"
    (site / "list").mkdir(parents=True)
    (site / "index.html").write_text("<h1>home</h1>", encoding="utf-8")
    (site / "list" / "index.html").write_text("<h1>listing</h1>", encoding="utf-8")
    (site / "robots.txt").write_text("User-agent: *\nDisallow: /search/\n", encoding="utf-8")
    (site / "gbk.html").write_bytes('<meta charset="gbk"><p>衡阳新闻</p>'.encode("gbk"))
    (site / "_replay.json").write_text(
        json.dumps(
            {
                "faults": {
                    "/broken.html": {"status": 500},
                    "/old.html": {"redirect": "http://other.example.cn/new.html"},
                    "/slow.html": {"delay": 0.2},
                    "/list/": {"gzip": True},
                }
            }
        ),
        encoding="utf-8",
    )
    (site / "slow.html").write_text("<p>slow</p>", encoding="utf-8")
    (site / "view.php").write_text("<p>any thread</p>", encoding="utf-8")
    (site / "view.php?tid=8&cid=3").write_text("<p>thread 8</p>", encoding="utf-8")
    (site / "view.php?tid-9-cid-3.html").write_text("<p>thread 9</p>", encoding="utf-8")
    (site / "list").joinpath("citynews_2").write_text("<p>page 2</p>", encoding="utf-8")
    (site / "list").joinpath("plan.pdf").write_bytes(b"%PDF-1.4")
    (site / "list").joinpath("data.bin2").write_bytes(b"\x00\x01")
    (site / "stored.html.gz").write_bytes(gzip.compress(b"<p>stored gzipped</p>"))
    (tmp_path / "secret.txt").write_text("outside", encoding="utf-8")
    return tmp_path


@pytest.fixture
def replay(root: Path):
    with Replay(root) as server:
        yield server


def get(replay: Replay, path: str, host: str = "news.example.gov.cn") -> httpx.Response:
    return httpx.get(replay.url + path, headers={"Host": host}, follow_redirects=False)


@pytest.mark.parametrize(
    ("path", "status", "body"),
    [
        ("/", 200, "<h1>home</h1>"),
        ("/index.html", 200, "<h1>home</h1>"),
        ("/list/", 200, "<h1>listing</h1>"),
        ("/list/index.html?page=2", 200, "<h1>listing</h1>"),
        ("/missing.html", 404, "not found\n"),
        ("/broken.html", 500, "Internal Server Error\n"),
        ("/slow.html", 200, "<p>slow</p>"),
        ("/_replay.json", 404, "not found\n"),
        # a query picks the file named by path and query, as wget saves it, else the path's
        ("/view.php?tid=8&cid=3", 200, "<p>thread 8</p>"),
        ("/view.php?tid-9-cid-3.html", 200, "<p>thread 9</p>"),
        ("/view.php?tid=10&cid=3", 200, "<p>any thread</p>"),
    ],
)
def test_serves_host_folder(replay: Replay, path: str, status: int, body: str) -> None:
    response = get(replay, path)
    assert (response.status_code, response.text) == (status, body)


@pytest.mark.parametrize(
    ("path", "body"), [("/stored.html", "<p>stored gzipped</p>"), ("/list/", "<h1>listing</h1>")]
)
def test_serves_gzip_stored_or_by_fault(replay: Replay, path: str, body: str) -> None:
    response = get(replay, path)
    assert response.headers["content-encoding"] == "gzip"
    assert response.headers["content-type"] == "text/html"
    assert int(response.headers["content-length"]) == len(gzip.compress(body.encode()))
    assert response.text == body  # httpx decompresses


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("/view.php?tid=8&cid=3", "text/html"),
        ("/view.php?tid-9-cid-3.html", "text/html"),
        ("/list/citynews_2", "text/html"),
        ("/list/", "text/html"),
        ("/list/plan.pdf", "application/pdf"),
        ("/list/data.bin2", "application/octet-stream"),
    ],
)
def test_pages_without_an_extension_or_by_script_are_html(
    replay: Replay, path: str, kind: str
) -> None:
    assert get(replay, path).headers["content-type"] == kind


def test_robots_txt_is_plain_text(replay: Replay) -> None:
    response = get(replay, "/robots.txt")
    assert response.headers["content-type"] == "text/plain"
    assert "Disallow: /search/" in response.text


def test_redirect_fault_points_at_the_real_url(replay: Replay) -> None:
    response = get(replay, "/old.html")
    assert response.status_code == 301
    assert response.headers["location"] == "http://other.example.cn/new.html"


def test_gbk_page_is_served_byte_for_byte(replay: Replay, root: Path) -> None:
    response = get(replay, "/gbk.html")
    assert response.content == (root / "news.example.gov.cn" / "gbk.html").read_bytes()


def test_unknown_host_is_404(replay: Replay) -> None:
    response = get(replay, "/", host="unknown.example.com")
    assert (response.status_code, response.text) == (404, "unknown host\n")


def test_absolute_request_target_picks_the_host(replay: Replay) -> None:
    with httpx.Client(proxy=replay.url) as client:
        response = client.get("http://news.example.gov.cn/list/")
    assert response.text == "<h1>listing</h1>"


def test_records_requests(replay: Replay) -> None:
    get(replay, "/list/")
    assert ("news.example.gov.cn", "/list/") in replay.server.requests


@pytest.mark.parametrize("path", ["/../secret.txt", "/%2e%2e/secret.txt", "/list/../../secret.txt"])
def test_never_serves_outside_the_host_folder(root: Path, path: str) -> None:
    assert resolve(root, "news.example.gov.cn", path) is None


@pytest.mark.parametrize("query", ["/../../secret.txt", "x/../../../secret.txt"])
def test_a_query_never_leads_outside_the_host_folder(root: Path, query: str) -> None:
    assert resolve(root, "news.example.gov.cn", "/view.php", query).name == "view.php"


def test_port_in_use_is_a_replay_error(replay: Replay) -> None:
    port = int(replay.url.rsplit(":", 1)[1])
    with pytest.raises(ReplayError, match="cannot listen"):
        Replay(replay.root, port=port)


def test_missing_root_is_a_replay_error(tmp_path: Path) -> None:
    with pytest.raises(ReplayError, match="not a directory"):
        Replay(tmp_path / "nowhere")
