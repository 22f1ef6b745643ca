"""One spider per registered site, all of them the generic NewsSpider (see news.py)."""
