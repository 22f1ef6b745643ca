"""Huasheng Online (voc.com.cn): the English channel and the Chinese Hunan channel."""

from __future__ import annotations

from crawler.sites import Layout, Listing, Site, register

ENGLISH = "english.voc.com.cn"
HUNAN = "hunan.voc.com.cn"

SITE = register(
    Site(
        name="huasheng",
        title="Huasheng Online (voc.com.cn)",
        hosts=(ENGLISH, HUNAN),
        listings=(
            Listing(
                url="http://english.voc.com.cn/news/index.html",
                links="ul.list li a",
                article=r"^https?://english\.voc\.com\.cn/article/\d{6}/\d+\.html$",
                next_page="div.pagelist a.next",
            ),
            Listing(
                url="http://hunan.voc.com.cn/news/index.html",
                links="ul.news_list li a",
                article=r"^https?://hunan\.voc\.com\.cn/article/\d{6}/\d+\.html$",
                next_page="div.pagelist a.next",
            ),
        ),
        layouts=(
            Layout(
                name="english",
                title="div.article h1.article-title",
                meta="div.article div.article-info",
                body="div.article div.article-content",
                tail="div.article div.article-editor",
                hosts=(ENGLISH,),
            ),
            Layout(
                name="hunan-2019",
                title="div.main_l h1.main_title",
                meta="div.main_l div.main_info",
                body="div.main_l div.main_content",
                tail="div.main_l div.main_editor",
                hosts=(HUNAN,),
                since="2019-01",
            ),
            Layout(
                name="hunan-2013",
                title="div.left div.title h1",
                meta="div.left div.laiyuan",
                body="div.left div#content",
                tail="div.left div.bianji, div.left div.lai",
                hosts=(HUNAN,),
            ),
        ),
        lang="en",
        langs={HUNAN: "zh"},
        homepage="http://www.voc.com.cn/",
        notes=(
            "English pages: 'date 2023-05-26', then a dateline line 'Huasheng Online News on "
            "May 26 (Reporter X, Correspondent Y)'. Chinese pages: '来源：… 作者：… 发布时间："
            "2023-05-26 10:20' (older: '2017-08-14 08:24 [来源:华声在线] [责编:X]', some in GBK), "
            "datelines '华声在线5月26日讯（记者 X 通讯员 Y）', closing '责任编辑：X' and "
            "'(一审:A 二审:B 三审:C)'. Article URLs /article/YYYYMM/<YYYYMMDDhhmm…>.html."
        ),
    )
)
