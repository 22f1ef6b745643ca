"""Hunan provincial government portal (www.hunan.gov.cn) and two of its departments, Chinese."""

from __future__ import annotations

from crawler.sites import Layout, Listing, Site, register

PORTAL = "www.hunan.gov.cn"
HEALTH = "wjw.hunan.gov.cn"  # Health Commission
COMMERCE = "swt.hunan.gov.cn"  # Department of Commerce

# TRS article URLs: section/YYYYMM/tYYYYMMDD_id.html (the portal also without www.)
TRS_PATH = r"/(?:[\w-]+/)+\d{6}/t\d{8}_\d+\.html$"
PORTAL_ARTICLE = r"^https?://(?:www\.)?hunan\.gov\.cn" + TRS_PATH
HEALTH_ARTICLE = r"^https?://wjw\.hunan\.gov\.cn" + TRS_PATH
COMMERCE_ARTICLE = r"^https?://swt\.hunan\.gov\.cn" + TRS_PATH


SITE = register(
    Site(
        name="hunan_gov",
        title="The People's Government of Hunan Province and its departments (Chinese)",
        hosts=(PORTAL, HEALTH, COMMERCE),
        listings=(
            Listing(
                url=f"http://{PORTAL}/hnszf/hnyw/sy/hnyw1/index.html",
                links="div.yl-listbox ul li a",
                article=PORTAL_ARTICLE,
                trs_paging=True,
            ),
            Listing(
                url=f"http://{HEALTH}/xxgk/gzdt/zyxw_1/index.html",
                links="div.list_box ul li a",
                article=HEALTH_ARTICLE,
                trs_paging=True,
            ),
            Listing(
                url=f"http://{COMMERCE}/swt/hnswt/szdt/index.html",
                links="div.news_list ul li a",
                article=COMMERCE_ARTICLE,
                trs_paging=True,
            ),
        ),
        layouts=(
            Layout(
                name="portal",
                title="div.main_con h1.sp_title",
                meta="div.main_con div.sp_time",
                body="div.main_con div#zoom",
                tail="div.main_con div.main_con_ly",
                hosts=(PORTAL,),
            ),
            Layout(
                name="health",
                title="div.detail h2.detail_title",
                meta="div.detail div.detail_info",
                body="div.detail div.detail_con",
                hosts=(HEALTH,),
            ),
            Layout(
                name="commerce",
                title="div.article h2.art_tit",
                meta="div.article div.art_info",
                body="div.article div.art_con",
                hosts=(COMMERCE,),
            ),
        ),
        lang="zh",
        homepage=f"http://{PORTAL}/",
        notes=(
            "All TRS CMS: section/YYYYMM/tYYYYMMDD_id.html, listings index.html, index_1.html "
            "via createPageHTML; heads carry ArticleTitle, PubDate, ContentSource. Portal (also "
            "served as hunan.gov.cn): title, '湖南省人民政府门户网站 www.hunan.gov.cn 发布时间: "
            "2024-11-20 19:41 【字体:', body ending '(文/X 图/Y)', then '信息来源: 湖南日报·"
            "新湖南客户端 责任编辑: X', '打印 收藏', '相关阅读'. Health Commission (wjw): a "
            "header of links ('中国政府网 | … | 无障碍浏览'), the title, '时间:2020-12-05', the "
            "body; the title again and the document id below. Commerce (swt): the body, then "
            "'敬请关注“湖南商务” 微信公众号'. The URL's date may be later than the events told."
        ),
    )
)
