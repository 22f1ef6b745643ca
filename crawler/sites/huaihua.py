"""Huaihua municipal government, English edition (eng.huaihua.gov.cn)."""

from __future__ import annotations

from crawler.sites import Layout, Listing, Site, register

HOST = "eng.huaihua.gov.cn"
# /enghuaihua/c<column>/YYYYMM/<32 hex digits>.shtml (Hunan's shared government-site platform)
ARTICLE_URL = r"^https?://eng\.huaihua\.gov\.cn/enghuaihua/c\d+/\d{6}/[0-9a-f]{32}\.shtml$"

SITE = register(
    Site(
        name="huaihua",
        title="Huaihua Municipal People's Government (English)",
        hosts=(HOST,),
        listings=(
            Listing(
                url=f"https://{HOST}/enghuaihua/c133468/list.shtml",
                links="div.list ul.list-ul li a",
                article=ARTICLE_URL,
                next_page="div.pagination a.next",
            ),
        ),
        layouts=(
            Layout(
                name="platform",
                title="div.detail h2.detail-title",
                meta="",  # the pages show no date or source line
                body="div.detail div.detail-content",
            ),
        ),
        lang="en",
        homepage=f"https://{HOST}/enghuaihua/index.shtml",
        notes=(
            "Columns /enghuaihua/c<id>/list.shtml (c133468 news, c133467 events), paged "
            "list_2.shtml; articles /enghuaihua/c<id>/YYYYMM/<32 hex>.shtml. The page texts show "
            "the body only: no date line, no source line, no translator; the month is in the "
            "URL and the head's PubDate gives the day. Photos carry captions ending '(Photo by "
            "X/Huaihua Daily)' or '(Photo by X)'; section headings inside the body."
        ),
    )
)
