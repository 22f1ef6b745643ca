"""Rednet English channel (english.rednet.cn), the Hunan provincial news portal."""

from __future__ import annotations

from crawler.sites import Layout, Listing, Site, register

ARTICLE_URL = (
    r"^https?://english\.rednet\.cn/"
    r"(?:content/\d{4}/\d{2}/\d{2}/\d+\.html|c/\d{4}/\d{2}/\d{2}/\d+\.htm)$"
)

SITE = register(
    Site(
        name="rednet",
        title="Rednet English (Hunan)",
        hosts=("english.rednet.cn",),
        listings=(
            Listing(
                url="https://english.rednet.cn/channel/8366.html",
                links="ul.news-list li h3 a",
                article=ARTICLE_URL,
                next_page="div.pages a.next",
            ),
        ),
        layouts=(
            Layout(
                name="content",
                title="div.detail h1.detail-title",
                meta="div.detail div.detail-info",
                body="div.detail div.detail-content",
                since="2019-01",
            ),
            Layout(
                name="legacy",
                title="div.detail_title h2",
                meta="div.detail_info",
                body="#div_content",
            ),
        ),
        lang="en",
        homepage="https://english.rednet.cn/",
        notes=(
            "URLs carry the date: /content/YYYY/MM/DD/<id>.html (since 2019) and "
            "/c/YYYY/MM/DD/<id>.htm (older CMS, table layout). Meta lines 'Editor:', 'Source:', "
            "'Updated:2022-07-20 19:11:44' (sometimes missing, sometimes 00:00:00). Credits "
            "'Reporter X', 'Photo by X' (or an outlet), 'Translator:' inside the body."
        ),
    )
)
