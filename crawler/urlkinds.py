"""What a link of a site is: an article, a listing or something else, and the rule that said so.

``classify(url, site)`` walks ordered tables of compiled patterns and returns the kind and the
name of the first rule that matched; ``newsarchive urls`` prints both, so a user can see why a
page was or was not crawled. The spider will use ``is_article`` for the links of listing pages
(today it still uses each listing's own ``Listing.article`` regex).

The order is the logic:

1. a URL that cannot be split or has no host: ``other``, rule ``invalid``; a link that is not
   http(s) (``javascript:``, ``mailto:``): ``other``, rule ``not-http``;
2. a host that is not the site's (``www.`` or not alike): ``other``, rule ``offsite``;
3. refusals, on any path: files (pdf, office documents, archives, images, video, audio) are
   ``other``; listings and navigation (the homepage, ``index_2.html``, ``/class/12.html``,
   ``/col/``, ``list_*``, ``more.html``, ``node_3.htm``, bare section folders) are ``listing``;
4. the site's own article patterns (``Listing.article``), rule ``site``: they can only add
   articles, never refuse one and never overrule a refusal;
5. the article shapes Chinese CMSs build: a dated path segment (``/201812/``, ``/20181206/``,
   ``/2018/12/06/``, ``/2018-12/06/``, ``/2018/1206/``, TRS's ``t20181206_123.html``), or an id
   in the last segment (``content_123``, ``i123.html``, ``/p/123.html``, a 32-hex-digit id, a
   163.com-style letters-and-digits id, a long slug), or an id parameter (``?id=123``);
6. a later page of a section whose URLs have no extension (``/news/citynews_2``): ``listing``,
   rule ``section-page`` (after the article shapes, so ``content_12`` stays an article);
7. anything else: ``other``, rule ``no-match``.

Without a site (``site=None``) every host is welcome and only the shapes decide: that is how
``newsarchive urls`` reads a URL no registered site serves.
"""

from __future__ import annotations

import logging
import re
from typing import NamedTuple
from urllib.parse import urlsplit

from crawler.sites import Site

logger = logging.getLogger(__name__)

ARTICLE, LISTING, OTHER = "article", "listing", "other"
KINDS = (ARTICLE, LISTING, OTHER)


class Rule(NamedTuple):
    """One row of a table: the rule's name, the kind it gives and what it matches in a URL's
    path and query (``/a/b.html?id=1``; search, case-insensitive)."""

    name: str
    kind: str
    pattern: re.Pattern[str]


class UrlKind(NamedTuple):
    """What ``classify`` says of a URL: its kind and the name of the rule that decided."""

    kind: str
    rule: str


def _rule(name: str, kind: str, pattern: str) -> Rule:
    return Rule(name, kind, re.compile(pattern, re.IGNORECASE))


# Parts the patterns are built from. A segment is the text between two slashes.
END = r"(?:\?|$)"  # the end of the path: the query, if any, follows
PAGE = r"\.(?:s?html?|jsp|php|aspx?)"  # the extension of a page a script or CMS serves
YEAR = r"(?:19|20)\d\d"
MONTH = r"(?:0[1-9]|1[0-2])"
# A folder named by a month or a day without separators: /201812/, /20181206/.
DATE_FOLDER = rf"{YEAR}{MONTH}(?:[0-3]\d)?"
# A day spread over segments or written with separators: /2018/12/06/, /2018/6/6/,
# /2018-12/06/, /2018-12-06/, /2018/1206/, /2018/12-06/, /2018-1206/.
DATE_PATH = rf"{YEAR}[-/][01]?\d[-/]?[0-3]?\d"
HEX_ID = r"(?:[0-9a-f]{32}|[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12})"  # hex id or UUID
SLUG = r"[^/?-]+(?:-[^/?-]+){4,}"  # five words or more joined by hyphens
# A segment with a run of five digits that is not a month or a day folder: an id.
ID_SEGMENT = rf"(?!{DATE_FOLDER}/)[^/?\d]*\d{{5}}[^/?]*"
ID_PARAM = r"[?&](?:id|aid|tid|pk|artid|(?:article|news|doc|content|info|item|post)_?id)[=-]\w"
# A folder that is itself one article's page (CGTN): .../<slug or hex id>/index.html.
ARTICLE_FOLDER = rf"/(?:{HEX_ID}|{SLUG})/index{PAGE}{END}"

# Files, then listings and navigation, on any path.
REFUSALS: tuple[Rule, ...] = (
    _rule(
        "file",
        OTHER,
        r"\.(?:pdf|docx?|xlsx?|pptx?|wps|txt|csv|zip|rar|7z|gz|tar|jpe?g|png|gif|bmp|webp|svg"
        r"|tiff?|ico|mp4|m4v|avi|mov|flv|wmv|mkv|mp3|wav|wma|m4a|aac|swf|apk|exe|css|js|json|xml)"
        rf"{END}",
    ),
    _rule("homepage", LISTING, rf"^/{END}"),
    # index.html, index_2.html, index.shtml, default.aspx; not phpcms' index.php?a=show&id=N,
    # not an article's own folder.
    _rule(
        "index",
        LISTING,
        rf"^(?!.*{ARTICLE_FOLDER}).*/(?:index|default)(?:_\d+)?{PAGE}(?:$|(?!.*{ID_PARAM})\?)",
    ),
    _rule("list", LISTING, rf"/[a-z_-]*list(?:[_.-][^/?]*)?{END}|[?&]a=lists?(?:&|$)"),
    _rule("more", LISTING, rf"/more(?:_\d+)?(?:{PAGE})?{END}"),
    _rule("node", LISTING, rf"/node_\d+{PAGE}{END}"),
    # A section's own page: /class/12.html (Huasheng), /channel/8366.html (Rednet), /col/.
    _rule(
        "section",
        LISTING,
        rf"/(?:class|channel|col|column|category|tags?)/(?:[^/?]+/)?[^/?]*{END}",
    ),
    # A bare folder (/news/, /2018/12/, /news/201812/), unless its name is an id or a slug.
    _rule("folder", LISTING, rf"/(?!(?:{SLUG}|{HEX_ID}|{ID_SEGMENT})/)[^/?]*/{END}"),
)

# The article shapes of Chinese CMSs, on the site's hosts (after its own patterns).
SHAPES: tuple[Rule, ...] = (
    _rule("trs", ARTICLE, rf"/t{YEAR}{MONTH}[0-3]\d_\d+{PAGE}{END}"),
    _rule("article-folder", ARTICLE, ARTICLE_FOLDER),
    # /201812/t..., /20181206/i123.html, /c123/20181206/i456.html, /news/201812/123.html
    _rule("dated-folder", ARTICLE, rf"/{DATE_FOLDER}/(?:[^/?]+/)*[^/?]+/?{END}"),
    # /content/2018/12/06/1.html, /c/2018/12/06/1.htm, /art/2018/12/6/art_1_2.html,
    # /2018-12/06/content_1.htm, /html/2018-12/06/content_1_2.htm, /n3/2018/1206/c1-2.html
    _rule("dated-path", ARTICLE, rf"/{DATE_PATH}/(?:[^/?]+/)*[^/?]+/?{END}"),
    # Rednet's current form: /content/<channel>/<n>/<id>.html
    _rule("content-channel", ARTICLE, rf"/content/\d+/\d+/\d+{PAGE}{END}"),
    # content_123.html, content_123_2.htm (page 2 of an article), content_123 (no extension)
    _rule(
        "content-id",
        ARTICLE,
        rf"/content_(?:\d+(?:_\d+)*|ws[0-9a-f]{{24}})(?:{PAGE})?/?{END}",
    ),
    _rule("hex-id", ARTICLE, rf"/(?:[a-z]+[_-]?)?{HEX_ID}(?:{PAGE})?{END}"),
    # 163.com's II5UL6E90524CPSF.html, China Daily's WS5f8a1d07a31099a23435108f.html
    _rule(
        "alnum-id",
        ARTICLE,
        rf"/(?:[a-z]+[_-])?(?=[a-z]*\d)(?=\d*[a-z])[a-z0-9]{{12,40}}{PAGE}{END}",
    ),
    _rule("detail", ARTICLE, r"/details?/[^/?]+"),
    # /p/12.html, /article/12345 (a post folder and a number)
    _rule(
        "post-id",
        ARTICLE,
        rf"/(?:p|post|article|news)/(?:\d+{PAGE}|(?!{DATE_FOLDER}{END})\d+){END}",
    ),
    _rule("slug", ARTICLE, rf"/{SLUG}/?{END}"),
    # 123.html, i123.html, c12-345.html, news_123.html, show-1-234.html, 2941s79655.htm
    _rule(
        "numeric-id",
        ARTICLE,
        rf"/(?=[^/?]*\d{{3}})[a-z_-]*\d+(?:[a-z_.-]+\d+)*{PAGE}{END}"
        rf"|/(?!{DATE_FOLDER}/?{END})[a-z_-]*\d{{5,}}/?{END}",
    ),
    # ?id=123 on a show/view/detail/article script (or phpcms' index.php?a=show&id=123)
    _rule("query-id", ARTICLE, ID_PARAM),
    # Page N of a section of a CMS without extensions: /news/citynews_2 (page 1: /news/citynews)
    _rule("section-page", LISTING, r"/[a-z]+(?:_[a-z]+)*_\d{1,4}/?$"),
)


def on_host(host: str, site: Site) -> bool:
    """Whether ``host`` is one of the site's hosts (``www.`` or not alike)."""
    return any(
        candidate in site.hosts for candidate in (host, host.removeprefix("www."), "www." + host)
    )


def classify(url: str, site: Site | None) -> UrlKind:
    """The kind of ``url`` for ``site`` (None: any host, shapes only) and the rule that
    decided. Never raises on a bad URL: it is ``other``, rule ``invalid``."""
    url = url.strip()
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError:
        return UrlKind(OTHER, "invalid")
    if parts.scheme.lower() not in ("http", "https"):
        return UrlKind(OTHER, "not-http" if parts.scheme else "invalid")
    if not host:
        return UrlKind(OTHER, "invalid")
    if site is not None and not on_host(host, site):
        return UrlKind(OTHER, "offsite")
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    for rule in REFUSALS:
        if rule.pattern.search(target):
            return UrlKind(rule.kind, rule.name)
    page = url.partition("#")[0]
    if site is not None and any(
        re.search(listing.article, page) for listing in site.listings if listing.article
    ):
        return UrlKind(ARTICLE, "site")
    for rule in SHAPES:
        if rule.pattern.search(target):
            return UrlKind(rule.kind, rule.name)
    return UrlKind(OTHER, "no-match")


def is_article(url: str, site: Site | None) -> bool:
    """Whether ``url`` is an article page of ``site``: what the spider will ask of every link
    on a listing page."""
    return classify(url, site).kind == ARTICLE
