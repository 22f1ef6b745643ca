"""Rednet's Chinese channels: Hunan (hn.rednet.cn) and Hengyang (hy.rednet.cn)."""

from __future__ import annotations

from crawler.sites import Layout, Listing, Site, register

HUNAN = "hn.rednet.cn"
HENGYANG = "hy.rednet.cn"
# /c/YYYY/MM/DD/<id>.htm (until 2018), /content/YYYY/MM/DD/<id>.html, and today's
# /content/<channel>/<nn>/<id>.html; /m/ before them is the mobile page of the same article.
ARTICLE_PATH = (
    r"/(?:m/)?(?:c/\d{4}/\d{2}/\d{2}/\d+\.htm|content/\d{4}/\d{2}/\d{2}/\d+\.html"
    r"|content/\d{6}/\d+/\d+\.html)$"
)

SITE = register(
    Site(
        name="rednet_zh",
        title="Rednet Chinese channels (Hunan, Hengyang)",
        hosts=(HUNAN, HENGYANG),
        listings=(
            Listing(
                url=f"https://{HUNAN}/channel/646047.html",
                links="ul.list_news li h3 a",
                article=r"^https?://hn\.rednet\.cn" + ARTICLE_PATH,
                next_page="div.pages a.next",
            ),
            Listing(
                url=f"https://{HENGYANG}/channel/646045.html",
                links="ul.list_news li h3 a",
                article=r"^https?://hy\.rednet\.cn" + ARTICLE_PATH,
                next_page="div.pages a.next",
            ),
        ),
        layouts=(
            Layout(
                name="detail",
                title="div.m_detail h1.m_title",
                meta="div.m_detail div.m_info",
                body="div.m_detail div.m_content",
                tail="div.m_detail div.m_editor",
            ),
        ),
        lang="zh",
        homepage=f"https://{HUNAN}/",
        notes=(
            "'当前位置:' and the title; older pages then '来源:红网 作者:A B 编辑:C "
            "2017-07-23 10:10:56', '时刻新闻', '—分享—'. Datelines '红网时刻岳阳5月25日讯"
            "(记者 A 通讯员 B)' or a byline line '红网时刻新闻记者 A 衡阳报道'. Below the body "
            "'来源:红网', '作者:A B' (or '作者:A 摄影 B'), '编辑:C', the channel's notice "
            "'本文为…原创…转载请…' (a reprint notice), '本文链接:…', '阅读下一篇', '返回红网首页 "
            "返回湖南'. Today's /content/<channel>/<nn>/<id>.html pages show no date line and "
            "their URL no date; /content/YYYY/MM/DD/ pages often none either (the URL's date "
            "is the day)."
        ),
    )
)
