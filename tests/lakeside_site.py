"""A test-only site given as hosts and a homepage, and its replay: Lakeside County.

`SITE` names no listing: the crawl finds its sections. `build(root)` writes the site into a
replay root. From the homepage, the News channel leads to one section per paging form
(`SECTIONS`), three listing pages of two articles each; a section the depth limit keeps
out (`TOO_DEEP`), one robots.txt forbids (`/private/`), and one only the sitemap names
(`/notices/`, with an article no listing links). Some sections show a date beside each
link and have articles without a date line of their own (`EXPECTED` says which date each
article must be stored with, and from where). Register `SITE` only in a crawl process of
its own (`tests/sitecrawl.py`): the test process keeps the real registry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from crawler.sites import Site

HOST = "www.lakeside.example.cn"
BASE = f"http://{HOST}"
SITE = Site(
    name="lakeside",
    title="Lakeside County (a test site)",
    hosts=(HOST,),
    homepage=f"{BASE}/",
)
DEPTH = 2  # the crawl's SECTIONS_DEPTH: the homepage, the News channel, its sections
TOPICS = (
    "ferry timetable",
    "reed harvest",
    "library hours",
    "bridge repairs",
    "orchard fair",
    "school buses",
    "wetland survey",
    "night market",
    "water tower",
    "tea cooperative",
)


@dataclass(frozen=True)
class Section:
    """One section of the site: its folder, its three pages' names, its paging markup, the
    date its listing shows beside a link (None: none), whether its articles state theirs."""

    folder: str
    pages: tuple[str, str, str]
    paging: Callable[[int, tuple[str, str, str]], str]  # (page index, page names) -> markup
    shown: Callable[[str], str] | None  # ISO date -> what the listing prints
    own_dates: bool
    urls: str = "content"  # article URLs: content_N.html, in a month folder, or TRS's
    head: Callable[[int, tuple[str, str, str]], str] = lambda index, pages: ""


def create_page(index: int, pages: tuple[str, str, str]) -> str:
    return f'<div class="pager"><script>createPageHTML(3, {index}, "index", "html");</script></div>'


def page_variables(index: int, pages: tuple[str, str, str]) -> str:
    return (
        '<div class="pager"><script type="text/javascript">\n'
        f"var currentPage = {index} // from zero\nvar countPage = 3\n"
        "for (var n = 0; n < countPage; n++) {\n"
        '  var name = n == 0 ? "index.html" : "index_" + n + ".html";\n'
        '  document.write(n == currentPage ? " " + (n + 1) + " " : '
        '" <a href=\'" + name + "\'>" + (n + 1) + "</a> ");\n'
        "}\n</script></div>"
    )


def rel_link(index: int, pages: tuple[str, str, str]) -> str:
    return f'<link rel="next" href="{pages[index + 1]}">' if index < 2 else ""


def next_words(index: int, pages: tuple[str, str, str]) -> str:
    if index == 2:
        return '<p class="turn"><a href="index.html">首页</a> <span>下一页</span></p>'
    return (
        f'<p class="turn"><a href="index.html">首页</a> <a href="{pages[index + 1]}">下一页</a></p>'
    )


def numbered(index: int, pages: tuple[str, str, str]) -> str:
    cells = [
        f'<b class="cur">{n + 1}</b>' if n == index else f'<a href="{name}">{n + 1}</a>'
        for n, name in enumerate(pages)
    ]
    return f'<div class="pages">Pages: {" ".join(cells)}</div>'


def no_paging(index: int, pages: tuple[str, str, str]) -> str:
    return '<p class="hint">Older items are kept in the county archive.</p>'


SECTIONS: tuple[Section, ...] = (
    Section("trs", ("", "index_1.html", "index_2.html"), create_page, lambda d: d, True, "trs"),
    Section("vars", ("", "index_1.html", "index_2.html"), page_variables, None, True, "trs"),
    Section(
        "rel",
        ("list.html", "list_2.html", "list_3.html"),
        no_paging,
        lambda d: d.replace("-", "/"),
        False,
        head=rel_link,
    ),
    Section(
        "words",
        ("", "page_2.html", "page_3.html"),
        next_words,
        lambda d: f"{int(d[:4])}年{int(d[5:7])}月{int(d[8:])}日",
        False,
    ),
    Section(
        "numbers",
        ("list.html", "p2.html", "p3.html"),
        numbered,
        lambda d: f"[{d[5:]}]",
        False,
        "month",
    ),
    Section("plain", ("", "index_1.html", "index_2.html"), no_paging, lambda d: d, False),
)
TOO_DEEP = f"{BASE}/news/trs/archive/"


@dataclass(frozen=True)
class Article:
    url: str
    title: str
    day: str  # what it must be stored with (YYYY-MM-DD)
    published_from: str
    shown: str | None  # the listing's date beside it, as printed
    own_date: bool


def articles_of(section: Section, number: int) -> list[list[Article]]:
    """The section's articles, page by page, newest first."""
    pages = []
    for page in range(3):
        found = []
        for slot in range(2):
            n = number * 10 + page * 2 + slot
            day = f"2024-{12 - page * 3 - slot:02d}-{(n % 27) + 1:02d}"
            folder = f"{BASE}/news/{section.folder}/"
            month = f"{day[:4]}{day[5:7]}"
            url = {
                "content": f"{folder}content_{n}.html",
                "month": f"{folder}{month}/content_{n}.html",  # a year, but no day
                "trs": f"{folder}{month}/t{day.replace('-', '')}_{n}.html",
            }[section.urls]
            title = f"{section.folder.title()} item {n}: the {TOPICS[n % len(TOPICS)]}"
            shown = section.shown(day) if section.shown else None
            origin = "page" if section.own_dates else "listing"
            found.append(Article(url, title, day, origin, shown, section.own_dates))
        pages.append(found)
    return pages


def article_html(article: Article, *, meta_date: str | None = None) -> str:
    topic = article.title.split(": the ", 1)[1]
    line = f'<p class="info">Published: {article.day} &nbsp; Source: Lakeside Daily</p>'
    meta = f'<meta name="PubDate" content="{meta_date} 09:30">' if meta_date else ""
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'>{meta}"
        f"<title>{article.title} - Lakeside County</title></head><body>"
        '<div class="nav"><a href="/">Home</a> <a href="/news/">News</a></div>'
        f'<div class="article"><h1>{article.title}</h1>{line if article.own_date else ""}'
        f'<div class="text"><p>The county office said on Tuesday that the {topic} will change '
        f"this season, after residents asked for it at the meeting in the town hall.</p>"
        f"<p>Officials expect the work on the {topic} to take a few weeks, and notices about "
        f"it (number {article.url.rsplit('_', 1)[-1]}) will be posted at the village offices."
        "</p></div></div>"
        '<div class="footer">Lakeside County People\'s Government. All rights reserved.</div>'
        "</body></html>"
    )


def listing_html(title: str, items: list[Article], extra: str = "", head: str = "") -> str:
    rows = "".join(
        f'<li><a href="{a.url}">{a.title}</a>'
        + (f' <span class="date">{a.shown}</span>' if a.shown else "")
        + "</li>"
        for a in items
    )
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title>{head}</head>"
        '<body><div class="nav"><a href="/">Home</a> <a href="/news/">News</a></div>'
        f'<h2>{title}</h2><ul class="list">{rows}</ul>{extra}'
        '<div class="footer">Lakeside County</div></body></html>'
    )


def write(root: Path, url: str, html: str) -> None:
    path = root / HOST / url.removeprefix(BASE + "/")
    if url.endswith("/"):
        path = path / "index.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")


EXPECTED: dict[str, Article] = {}  # every article the crawl must archive, filled by build


def build(root: Path) -> Path:
    """Write the site into ``root`` (a replay root); its folder."""
    EXPECTED.clear()
    channel_links = []
    for number, section in enumerate(SECTIONS, 1):
        folder = f"{BASE}/news/{section.folder}/"
        channel_links.append(f'<a href="{folder}{section.pages[0]}">{section.folder}</a>')
        for index, items in enumerate(articles_of(section, number)):
            extra = section.paging(index, section.pages)
            if section.folder == "trs" and index == 0:
                extra += f'<a href="{TOO_DEEP}">Older news</a>'
            head = section.head(index, section.pages)
            write(
                root,
                folder + section.pages[index],
                listing_html(section.folder, items, extra, head),
            )
            for article in items:
                write(root, article.url, article_html(article))
                EXPECTED[article.url] = article
    # An article whose page states its date in its metadata only: the metadata wins.
    plain = next(a for a in EXPECTED.values() if "/plain/" in a.url)
    EXPECTED[plain.url] = Article(plain.url, plain.title, "2024-12-20", "meta", plain.shown, False)
    write(root, plain.url, article_html(plain, meta_date="2024-12-20"))
    # An article whose own date line differs from its listing's date: the page wins.
    worded = next(a for a in EXPECTED.values() if "/words/" in a.url)
    own = Article(worded.url, worded.title, "2024-11-30", "page", worded.shown, True)
    EXPECTED[worded.url] = own
    write(root, worded.url, article_html(own))
    deep = Article(
        f"{TOO_DEEP}content_990.html", "Too deep: the old pier", "2020-01-01", "page", None, True
    )
    write(root, TOO_DEEP, listing_html("archive", [deep]))
    write(root, deep.url, article_html(deep))
    private = Article(
        f"{BASE}/private/content_991.html",
        "Private: the staff rota",
        "2024-01-02",
        "page",
        None,
        True,
    )
    write(root, f"{BASE}/private/", listing_html("private", [private]))
    write(root, private.url, article_html(private))
    notices = [
        Article(
            f"{BASE}/notices/content_{n}.html",
            f"Notice {n}: the {TOPICS[n % 10]}",
            f"2024-10-0{n - 900}",
            "listing",
            f"2024-10-0{n - 900}",
            False,
        )
        for n in (901, 902)
    ]
    write(root, f"{BASE}/notices/", listing_html("notices", notices))
    only_in_sitemap = Article(
        f"{BASE}/notices/content_903.html",
        "Notice 903: the night market",
        "2024-10-05",
        "page",
        None,
        True,
    )
    for article in [*notices, only_in_sitemap]:
        write(root, article.url, article_html(article))
        EXPECTED[article.url] = article
    featured = [a for a in EXPECTED.values() if "/trs/" in a.url][:2]
    home = (
        '<div class="menu"><a href="/news/">News</a> <a href="/private/">Staff</a>'
        ' <a href="/about/contact.html">Contact</a></div>'
        + "".join(f'<p class="featured"><a href="{a.url}">{a.title}</a></p>' for a in featured)
    )
    write(root, f"{BASE}/", listing_html("Lakeside County", [], home))
    write(
        root, f"{BASE}/news/", listing_html("News", [], "<p>" + " | ".join(channel_links) + "</p>")
    )
    (root / HOST / "robots.txt").write_text(
        f"User-agent: *\nDisallow: /private/\nSitemap: {BASE}/sitemap.xml\n", encoding="utf-8"
    )
    locs = [f"{BASE}/notices/", only_in_sitemap.url]
    (root / HOST / "sitemap.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        + "".join(f"<url><loc>{loc}</loc></url>" for loc in locs)
        + "</urlset>\n",
        encoding="utf-8",
    )
    return root / HOST
