"""Yueyang municipal government, English edition (en.yueyang.gov.cn)."""

from __future__ import annotations

from crawler.sites import Layout, Listing, Site, register

ARTICLE_URL = r"^https?://en\.yueyang\.gov\.cn/\d+/content_\d+\.html$"

SITE = register(
    Site(
        name="yueyang",
        title="Yueyang Municipal People's Government (English)",
        hosts=("en.yueyang.gov.cn",),
        listings=(
            Listing(
                url="http://en.yueyang.gov.cn/21730/index.html",
                links="ul.news-list li a",
                article=ARTICLE_URL,
                next_page="div.page a.next",
            ),
        ),
        layouts=(
            Layout(
                name="content",
                title="div.article h1.article-title",
                meta="div.article ul.article-tools",
                body="div.article div.article-content",
            ),
        ),
        lang="en",
        homepage="http://en.yueyang.gov.cn/",
        notes=(
            "Section folders (21730 News, 21732 Counties) hold content_<id>.html; listings page as "
            "index.html, index_2.html, with each article's date beside its link. Date line "
            "'2019-02-01 print T | T', which most pages lack (the listing's date is stored for "
            "them); 'Translator:' and 'Chinese source:' close the body. Some pages carry GBK "
            "punctuation read as Latin-1 (Yueyang¡¯s)."
        ),
    )
)
