"""Run `newsarchive` with a test-only site registered beside the real ones.

``python -m tests.sitecrawl tests.lakeside_site crawl lakeside --replay URL ...``: the module
names its site as ``SITE``; it is registered in this process only (the test process keeps
the real registry), and gets its spider like every registered site.
"""

from __future__ import annotations

import importlib
import sys

from crawler import sites
from crawler.spiders.news import SPIDERS, spider_for
from newsarchive.cli import main


def run(module_name: str, args: list[str]) -> None:
    site = sites.register(importlib.import_module(module_name).SITE)
    SPIDERS[site.name] = spider_for(site)
    sys.argv = ["newsarchive", *args]
    main()


if __name__ == "__main__":
    run(sys.argv[1], sys.argv[2:])
