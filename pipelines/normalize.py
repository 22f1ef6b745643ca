"""Turn one page ({url, text, title?, html?}) into a normalized article (DESIGN.md contract).

STUB: replaced by the normalization work. `normalize_stream` is what `newsarchive normalize` runs.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import IO, Any

FIELDS = (
    "url", "site", "lang", "title", "body", "published_date", "published_at", "published_raw",
    "source", "source_raw", "original_source", "original_source_raw", "credits",
)


def normalize(page: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = dict.fromkeys(FIELDS)
    out["url"] = page.get("url")
    out["body"] = page.get("text", "")
    out["credits"] = []
    return out


def normalize_stream(lines: IO[str], out: IO[str]) -> int:
    errors = 0
    for number, line in enumerate(lines, 1):
        try:
            result = normalize(json.loads(line))
        except (ValueError, AttributeError) as exc:
            errors += 1
            result = {"error": str(exc), "line": number}
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
    return errors
