"""Huasheng Online's city channels (voc.com.cn): Yueyang (yy.) and Hengyang (hy.), Chinese."""

from __future__ import annotations

from crawler.sites import Layout, Listing, Site, register

YUEYANG = "yy.voc.com.cn"
HENGYANG = "hy.voc.com.cn"

SITE = register(
    Site(
        name="voc_cities",
        title="Huasheng Online city channels (Yueyang, Hengyang)",
        hosts=(YUEYANG, HENGYANG),
        listings=(
            Listing(
                url=f"http://{YUEYANG}/list.php?cid-412.html",
                links="ul.list_ul li a",
                # the board's path in the query: view.php?tid-<article>-cid-<column>.html
                article=r"^https?://yy\.voc\.com\.cn/view\.php\?tid-\d+-cid-\d+\.html$",
                next_page="div.pages a.next",
            ),
            Listing(
                url=f"https://{HENGYANG}/list.php?cid=166",
                links="ul.newslist li a",
                article=r"^https?://hy\.voc\.com\.cn/view\.php\?tid=\d+&cid=\d+$",
                next_page="div.pages a.next",
            ),
        ),
        layouts=(
            Layout(
                name="yueyang",
                title="div.left div.news_title h1",
                meta="div.left div.news_info",
                body="div.left div.news_content",
                hosts=(YUEYANG,),
            ),
            Layout(
                name="hengyang",
                title="div.left h1.title",
                meta="div.left div.info",
                body="div.left div.content",
                hosts=(HENGYANG,),
            ),
        ),
        lang="zh",
        homepage=f"http://{YUEYANG}/",
        notes=(
            "Article pages are one script: yy.voc.com.cn/view.php?tid-<id>-cid-<column>.html "
            "(special topics: /wx/view.php?topic=…&cid=…&tid=…, found by shape), "
            "hy.voc.com.cn/view.php?tid=<id>&cid=<column>; listings list.php?cid-<column>.html "
            "/ list.php?cid=<column>. "
            "Yueyang: '华声在线岳阳频道 > <column> > 正文', the title, '发布时间:2020-01-06 "
            "08:30:43 来源:华声在线 作者:A B', datelines '华声在线1月6日讯(湖南日报·华声在线记者 "
            "A 通讯员 B)', image file names as alt text, the column links after the body. "
            "Hengyang: '滚动资讯:', the title, '发布时间:2023-03-04 来源:华声在线 作者:A 编辑:B' "
            "(date only), photo captions '△…'."
        ),
    )
)
