"""newsarchive urls: URLs on stdin, their site, kind and rule on stdout; no line stops it."""

from __future__ import annotations

import json
import subprocess

from tests.conftest import NEWSARCHIVE

URLS = (
    b"https://english.rednet.cn/content/646712/58/11223344.html\n"
    b"\n"
    b"http://hunan.voc.com.cn/class/123.html\n"
    b"http://[::1/broken\n"
    b"\xff\xfe not utf-8\n"
    b"http://news.example.org/2024/03/05/4455.html\n"
    b"  http://en.yueyang.gov.cn/21730/content_1234567.html  \n"
)


def urls(*args: str, stdin: bytes = URLS) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [NEWSARCHIVE, "urls", *args], input=stdin, capture_output=True, timeout=60, check=False
    )


def test_one_line_per_url_with_site_kind_and_rule() -> None:
    done = urls()
    assert done.returncode == 0, done.stderr
    assert done.stderr == b""
    lines = [line.split("\t") for line in done.stdout.decode("utf-8").splitlines()]
    assert lines == [
        [
            "https://english.rednet.cn/content/646712/58/11223344.html",
            "rednet",
            "article",
            "content-channel",
        ],
        ["http://hunan.voc.com.cn/class/123.html", "huasheng", "listing", "section"],
        ["http://[::1/broken", "-", "other", "invalid"],
        ["\\xff\\xfe not utf-8", "-", "other", "invalid"],
        ["http://news.example.org/2024/03/05/4455.html", "-", "article", "dated-path"],
        ["http://en.yueyang.gov.cn/21730/content_1234567.html", "yueyang", "article", "site"],
    ]


def test_json_lines() -> None:
    done = urls("--json", stdin=b"http://eng.hengyang.gov.cn/c11223/20240101/i1234567.html\n")
    assert done.returncode == 0, done.stderr
    assert [json.loads(line) for line in done.stdout.splitlines()] == [
        {
            "url": "http://eng.hengyang.gov.cn/c11223/20240101/i1234567.html",
            "site": "hengyang",
            "kind": "article",
            "rule": "dated-folder",
        }
    ]


def test_no_input_no_output() -> None:
    done = urls(stdin=b"")
    assert (done.returncode, done.stdout, done.stderr) == (0, b"", b"")
