"""newsarchive normalize: JSON Lines in, articles out; no line stops the stream."""

from __future__ import annotations

import io
import json
from datetime import date

from newsarchive.normalize_cli import normalize_stream

TODAY = date(2025, 6, 30)


def test_stream_keeps_order_and_reports_bad_lines() -> None:
    lines = io.BytesIO(
        b'{"url": "http://x.cn/1", "text": "A."}\nnot json\n[1, 2]\n{"url": "http://x.cn/2"}\n'
    )
    out = io.BytesIO()
    assert normalize_stream(lines, out, today=TODAY) == 2
    rows = [json.loads(line) for line in out.getvalue().decode().splitlines()]
    assert [r.get("url") for r in rows] == ["http://x.cn/1", None, None, "http://x.cn/2"]
    assert rows[1]["line"] == 2 and rows[2]["line"] == 3 and "error" in rows[2]
