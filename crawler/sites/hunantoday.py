"""New Hunan (www.hunantoday.cn), Hunan Daily's news site, Chinese."""

from __future__ import annotations

from crawler.sites import Layout, Listing, Site, register

HOST = "www.hunantoday.cn"

SITE = register(
    Site(
        name="hunantoday",
        title="New Hunan (Hunan Daily, hunantoday.cn)",
        hosts=(HOST,),
        listings=(
            Listing(
                url=f"https://{HOST}/news/xhn/index.html",
                links="div.list ul.list-ul li a",
                article=r"^https?://(?:www\.)?hunantoday\.cn/news/[a-z]+/\d{6}/\d+\.html$",
                next_page="div.page a.next",
            ),
        ),
        layouts=(
            Layout(
                name="article",
                title="div.article h1.article-title",
                meta="div.article div.article-info",
                body="div.article div.article-content",
                tail="div.article div.article-editor, div.article div.article-source",
            ),
        ),
        lang="zh",
        homepage=f"https://{HOST}/",
        notes=(
            "Also served as hunantoday.cn. Articles /news/<column>/YYYYMM/<id>.html. Title, then "
            "an unlabelled line of outlet and time '湖南日报·新湖南客户端 2023-12-24 09:45:55' "
            "(or reporters first: 'A B 新湖南客户端 2024-11-26 21:22:29'); datelines '湖南日报·"
            "新湖南客户端上海讯(记者 A B 通讯员 C)'; below the body '责编:A', '一审:A', '二审:B', "
            "'三审:C', '来源:湖南日报·新湖南客户端' and '我要问'."
        ),
    )
)
