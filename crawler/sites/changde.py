"""Changde municipal government, English edition (eng.changde.gov.cn)."""

from __future__ import annotations

from crawler.sites import Layout, Listing, Site, register

HOST = "eng.changde.gov.cn"
# Article pages have no extension: /aboutchangde/changdenews/content_806710, and the same
# section also under /changdenews/content_<id>.
ARTICLE_URL = r"^https?://eng\.changde\.gov\.cn/(?:[a-z]+/)+content_\d+$"

SITE = register(
    Site(
        name="changde",
        title="Changde Municipal People's Government (English)",
        hosts=(HOST,),
        listings=(
            Listing(
                url=f"https://{HOST}/aboutchangde/changdenews/",
                links="ul.newsList li a",
                article=ARTICLE_URL,
                next_page="div.pageList a.next",
            ),
        ),
        layouts=(
            Layout(
                name="content",
                title="div.conBox h1.conTitle",
                meta="div.conBox div.conInfo",
                body="div.conBox div.conTxt",
            ),
        ),
        lang="en",
        homepage=f"https://{HOST}/",
        notes=(
            "Extensionless URLs: sections /aboutchangde/changdenews (paged /changdenews_2), "
            "articles /aboutchangde/changdenews/content_<id> and /changdenews/content_<id>. "
            "Title, then the meta line 'Source:常德政府网 Date:2021-03-11 10:50:20 【Fonts:Small "
            "Big' (the source is sometimes 'Changde Official Web Portal'); the body closes with "
            "'Please refer to http://www.changde.gov.cn/eng when using this article' (the URL "
            "often missing: 'Please refer to when using the article.'), 'Translator: X' and "
            "'Chinese source: www.changde.gov.cn' (often empty). The head carries ArticleTitle, "
            "PubDate and ContentSource."
        ),
    )
)
