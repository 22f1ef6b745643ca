#!/usr/bin/env python3
"""Print the golden JSON of sample article pages as the code reads them today.

    .venv/bin/python scripts/record_golden.py URL [URL ...]          # print
    .venv/bin/python scripts/record_golden.py --write URL [URL ...]  # write tests/golden/...

Review every field against the page before you write it: a golden file states what the
page says, not what the code happens to print.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crawler.normalizing import normalize_page  # noqa: E402
from crawler.samples_io import sample_item  # noqa: E402
from crawler.sites import for_url  # noqa: E402

FIELDS = (
    "url",
    "site",
    "lang",
    "title",
    "published_date",
    "published_at",
    "source_raw",
    "source",
    "original_source_raw",
    "original_source",
    "credits",
    "body",
)


def golden_path(url: str) -> Path:
    site = for_url(url)
    parts = urlsplit(url)
    relative = (parts.path.lstrip("/") or "index.html") + (f"?{parts.query}" if parts.query else "")
    return ROOT / "tests" / "golden" / site.name / parts.hostname / (relative + ".json")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("urls", nargs="+")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    for url in args.urls:
        result = normalize_page(sample_item(url))
        text = json.dumps({key: result.get(key) for key in FIELDS}, ensure_ascii=False, indent=2)
        if args.write:
            golden_path(url).parent.mkdir(parents=True, exist_ok=True)
            golden_path(url).write_text(text + "\n", encoding="utf-8")
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
