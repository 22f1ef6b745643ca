"""Decoding a page's bytes as a browser does, and the problems recorded when a charset lies."""

from __future__ import annotations

import codecs

import pytest

from crawler.charset import codec_name, decode

TEXT = "<p>南岳区新建的图书馆周末开放，市民排队入馆。</p>"


@pytest.mark.parametrize(
    ("label", "codec"),
    [
        ("gb2312", "gb18030"),
        ("GBK", "gb18030"),
        ("utf8", "utf-8"),
        ("ISO-8859-1", "cp1252"),
        ("us-ascii", "cp1252"),
        ("no-such-charset", None),
        (None, None),
    ],
)
def test_labels_mean_what_they_mean_to_a_browser(label: str | None, codec: str | None) -> None:
    assert codec_name(label) == codec


@pytest.mark.parametrize(
    ("body", "content_type", "encoding", "reason"),
    [
        (TEXT.encode("utf-8"), "text/html; charset=utf-8", "utf-8", None),
        (TEXT.encode("gbk"), "text/html; charset=gbk", "gb18030", None),
        (f'<meta charset="gb2312">{TEXT}'.encode("gbk"), None, "gb18030", None),
        (TEXT.encode("utf-8"), None, "utf-8", None),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "text/html; charset=gbk", "utf-8", None),
        (
            TEXT.encode("utf-8"),
            "text/html; charset=gb2312",
            "utf-8",
            "the HTTP header declares gb2312, the bytes are UTF-8",
        ),
        (
            f'<meta http-equiv="Content-Type" content="text/html; charset=gb2312">{TEXT}'.encode(),
            None,
            "utf-8",
            "the meta tag declares gb2312, the bytes are UTF-8",
        ),
        (
            TEXT.encode("gbk"),
            "text/html; charset=utf-8",
            "gb18030",
            "the HTTP header declares utf-8, the bytes are gb18030",
        ),
        (TEXT.encode("gbk"), None, "gb18030", "no charset declared; read as gb18030"),
        (
            "Yueyang’s port".encode(),
            "text/html; charset=iso-8859-1",
            "utf-8",
            "the HTTP header declares iso-8859-1, the bytes are UTF-8",
        ),
    ],
)
def test_decode(body: bytes, content_type: str | None, encoding: str, reason: str | None) -> None:
    page = decode(body, content_type)
    assert page.encoding == encoding
    assert "\ufffd" not in page.text and "南岳区" in page.text or "Yueyang’s" in page.text
    assert [p["reason"] for p in page.problems] == ([reason] if reason else [])


def test_bytes_no_charset_decodes_are_replaced_and_counted() -> None:
    page = decode(b"<p>abc \x80\xff\xfe def</p>", "text/html; charset=utf-8")
    assert page.text.count("\ufffd") == 3
    assert page.problems[0]["reason"].startswith("bytes no charset decodes; 3 replaced")
