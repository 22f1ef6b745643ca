"""Hengyang municipal government, English edition: old CMS and new CMS, both still serving."""

from __future__ import annotations

from crawler.sites import Layout, Listing, Site, register

OLD_HOST = "eng.hengyang.gov.cn"
NEW_HOST = "www.enghengyang.gov.cn"

OLD_ARTICLE_URL = r"^https?://eng\.hengyang\.gov\.cn/(?:[\w-]+/)+\d{6}/t\d{8}_\d+\.html$"
NEW_ARTICLE_URL = r"^https?://www\.enghengyang\.gov\.cn/(?:[\w-]+/)+\d{8}/i\d+\.html$"

SITE = register(
    Site(
        name="hengyang",
        title="Hengyang Municipal People's Government (English)",
        hosts=(NEW_HOST, OLD_HOST),
        listings=(
            Listing(
                url=f"http://{OLD_HOST}/shishixinwen/hotnews/bendixinwen3/index.html",
                links="ul.list_news li a",
                article=OLD_ARTICLE_URL,
                trs_paging=True,
            ),
            Listing(
                url=f"http://{NEW_HOST}/CurrentNews/HotNews/Local/index.html",
                links="div.news-list ul li a",
                article=NEW_ARTICLE_URL,
                next_page="div.pagination a.next",
            ),
            Listing(
                url=f"http://{NEW_HOST}/AboutHengyang/Snapshot/AdministrativeDivisions/index.html",
                links="div.news-list ul li a",
                article=NEW_ARTICLE_URL,
                next_page="div.pagination a.next",
            ),
        ),
        layouts=(
            Layout(
                name="new-cms",
                title="div.detail h2.detail-title",
                meta="div.detail div.detail-info",
                body="div.detail div.detail-content",
                tail="div.detail div.detail-editor",
                hosts=(NEW_HOST,),
                since="2020-08",
            ),
            Layout(
                name="old-cms",
                title="div.article h1.art_title",
                meta="div.article div.art_info",
                body="div.article div.art_con",
                hosts=(OLD_HOST,),
            ),
        ),
        lang="en",
        homepage=f"http://{NEW_HOST}/",
        notes=(
            "Old TRS CMS on eng.hengyang.gov.cn (section/YYYYMM/tYYYYMMDD_id.html, paging "
            "index.html, index_1.html via createPageHTML) and the new CMS on "
            "www.enghengyang.gov.cn (section/YYYYMMDD/iID.html, 'Next' link paging); old URLs "
            "may redirect to the new host. Meta line 'From:<outlet, often Chinese> | Date Add "
            "in:YYYY-MM-DD HH:MM:SS [A A]'; 'From:' may be empty, and 'About Hengyang' pages "
            "have no date line (date only in the URL folder). 'Translated by X [and Y]' closes "
            "the body (old CMS) or sits just below it (new CMS). Some old pages are GBK."
        ),
    )
)
