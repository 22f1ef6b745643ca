"""The page as captured, made safe to show: nothing on it runs, and nothing loads from anywhere.

`safe_page` removes with lxml_html_clean what could act or reach out (scripts, event handlers,
`javascript:` links, frames, objects and embeds, forms, `<link>`, `<meta>`, `<base>`, media),
then every attribute that names a resource (`src`, `srcset`, `href`, `background`, `poster`,
...) except images written into the page (`data:`), and every `url(...)` and `@import` in its
styles. A link keeps its text; where it pointed is kept in its `title`. The page is served
with `CSP`, which forbids every load but inline styles and `data:` images and sandboxes the
page, and shown in an `<iframe sandbox>` (no scripts, no forms, no navigation of the reader's
page): three locks, each enough on its own for what it covers.
"""

from __future__ import annotations

import re

from lxml import etree, html
from lxml.html import defs
from lxml_html_clean import Cleaner

CSP = (
    "default-src 'none'; img-src data:; style-src 'unsafe-inline'; sandbox; frame-ancestors 'self'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
_CLEANER = Cleaner(
    scripts=True,
    javascript=True,
    comments=True,
    style=False,
    inline_style=False,
    links=True,
    meta=True,
    page_structure=False,
    processing_instructions=True,
    embedded=True,
    frames=True,
    forms=True,
    annoying_tags=True,
    safe_attrs_only=True,
    safe_attrs=defs.safe_attrs | {"style"},
    kill_tags={"base", "noscript", "template", "svg", "math", "audio", "video", "picture"},
)
# Attributes whose value a browser may fetch (or follow, for links).
RESOURCE_ATTRIBUTES = (
    "src",
    "srcset",
    "href",
    "action",
    "formaction",
    "background",
    "poster",
    "cite",
    "longdesc",
    "usemap",
    "data",
    "ping",
    "lowsrc",
    "dynsrc",
)
_DATA_IMAGE = re.compile(r"\s*data:image/", re.IGNORECASE)
_CSS_URL = re.compile(r"url\s*\((?!\s*['\"]?\s*data:image/)[^)]*\)", re.IGNORECASE)
_CSS_IMPORT = re.compile(r"@import\b[^;]*;?", re.IGNORECASE)
EMPTY_PAGE = "<!DOCTYPE html><html><body><p>The captured page is empty.</p></body></html>"


def safe_css(css: str) -> str:
    """CSS without `@import` and with `url(...)` (but `data:` images) replaced by `none`."""
    return _CSS_URL.sub("none", _CSS_IMPORT.sub("", css))


def _strip_resources(element: html.HtmlElement) -> None:
    for name in RESOURCE_ATTRIBUTES:
        value = element.get(name)
        if value is None:
            continue
        if name == "src" and element.tag == "img" and _DATA_IMAGE.match(value):
            continue
        del element.attrib[name]
        if name == "href" and element.tag in ("a", "area") and not element.get("title"):
            element.set("title", value.strip())
    style = element.get("style")
    if style is not None:
        element.set("style", safe_css(style))
    if element.tag == "style" and element.text:
        element.text = safe_css(element.text)


def safe_page(page: str) -> str:
    """The captured HTML `page` with everything active or external removed (module doc)."""
    if not page.strip():
        return EMPTY_PAGE
    try:
        document = html.document_fromstring(page)
    except (etree.ParserError, ValueError):
        return EMPTY_PAGE
    cleaned = _CLEANER.clean_html(document)
    for element in cleaned.iter():
        if isinstance(element, html.HtmlElement):
            _strip_resources(element)
    return "<!DOCTYPE html>\n" + html.tostring(cleaned, encoding="unicode")
