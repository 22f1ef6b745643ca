"""Hunan provincial government, English edition (www.enghunan.gov.cn)."""

from __future__ import annotations

from crawler.sites import Layout, Listing, Site, register

ARTICLE_URL = r"^https?://(?:www\.)?enghunan\.gov\.cn/(?:[\w-]+/)+\d{6}/t\d{8}_\d+\.html?$"

SITE = register(
    Site(
        name="hunan",
        title="The People's Government of Hunan Province (English)",
        hosts=("www.enghunan.gov.cn", "enghunan.gov.cn"),
        listings=(
            Listing(
                url="http://www.enghunan.gov.cn/hneng/News/Localnews/index.html",
                links="div.list ul li a",
                article=ARTICLE_URL,
                trs_paging=True,
            ),
        ),
        layouts=(
            Layout(
                name="trs",
                title="div.detail div.detail_tit h1",
                meta="div.detail div.detail_info",
                body="div.detail div.detail_con",
                tail="div.detail div.detail_source",
            ),
        ),
        lang="en",
        homepage="http://www.enghunan.gov.cn/hneng/",
        notes=(
            "TRS CMS: section/YYYYMM/tYYYYMMDD_id.html, listings paged index.html, index_1.html "
            "via createPageHTML. Every page shows the banner date '15 July 2015' under the header "
            "(outside the article). Date line '2018-01-26 Download Print [Comment]'; photo credits "
            "'(Photo/Zhao Chi, Hunan Daily)' end caption paragraphs; below the body: 'This article "
            "is from [the] Hunan Provincial Government www.enghunan.gov.cn.' or 'Please refer to "
            "when using the article.', 'Translator: A[, B]', 'Chinese source: X' (often empty)."
        ),
    )
)
