"""Text cleanup: mojibake repair and line classification (`pipelines.body` reads the
article's body and headline with them).

Pure functions over the page text as a reader sees it (navigation, title, meta line,
article, credits, footer). Boilerplate is described by ordered tables of compiled
patterns, not by if-chains.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from functools import lru_cache

logger = logging.getLogger(__name__)

# GBK punctuation read as Latin-1 (or Latin-3 for the ideographic space), as these sites serve it.
MOJIBAKE: tuple[tuple[str, str], ...] = (
    ("¡¯", "’"),
    ("¡®", "‘"),
    ("¡°", "“"),
    ("¡±", "”"),
    ("¡ª", "—"),
    ("¡¾", "【"),
    ("¡¿", "】"),
    ("¡¢", "、"),
    ("¡£", "。"),
    ("¡¤", "·"),
    ("¡­", "…"),
    ("¡¡", " "),
    ("ĦĦ", " "),
)
_MOJIBAKE_RE = re.compile("|".join(re.escape(bad) for bad, _ in MOJIBAKE))
_MOJIBAKE_MAP = dict(MOJIBAKE)
_FULLWIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_SPACES = re.compile(r"[\u00a0\u2000-\u200b\u3000\ufeff\t]")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_WORD = re.compile(r"[A-Za-z]+")

# Whole lines that are site widgets, navigation or page furniture, never article text.
WIDGET_LINES: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p, re.I)
    for p in (
        r"^[\[【(]?\s*+A\s*+\|?\s*+A\s*+[\]】)]?(?:\s*+\|)?$",  # [A  A]
        r"^A\s*\|\s*A\s*\|\s*A$",
        r"^T\s*\|\s*T$",
        r"^(?:download\s+)?print(?:\s*comment)?$",
        r"^(?:download|comment|share|pdf view|print\s*close.*|set for home page.*)$",
        r"^[-—|•·_=*>\s]*$",  # separators
        r"^(?:当前位置|您所在的位置|您当前的位置|当前页面|所在位置)\s*:?.*$",
        r"^(?:home|首页|首頁)\S{0,20}\s*[>»<→].*$",
        r"^[^.。!?]{0,60}(?:>>?|»|→)\s*[^.。!?]{0,60}$",  # breadcrumbs
        r"^•\s*[^,。!?]{0,30}$",  # bulleted menus (a bulleted sentence is text)
        r"^.{0,40}\.(?:png|jpe?g|gif|bmp)$",
        r"^!\[.*\]\(.*\)\s*\|?$",
        r"^[\w./-]{0,80}\.(?:s?html?|php|jsp|aspx?)$",  # a page's own file path
        # Notices, follow-us and share prompts, wherever they stand.
        r"^[(\[【]?\s*(?:版权声明|版權聲明|特别声明|特別聲明|免责声明|免責聲明|版权所有|版權所有|"
        r"special statement|disclaimer|copyright notice)\s*[:,]?.*$",
        r"^(?:for the latest\b.{0,60}\bfollow\b|please follow us|follow us on|"
        r"(?:facebook|twitter|instagram|youtube) (?:page|account)\s*:).*$",
        r"^(?:敬请关注|敬請關注|欢迎关注|歡迎關注|请关注|關注我們|关注我们|扫码关注|長按識別|长按识别|"
        r"微信公众号|微信公眾號).{0,40}$",
        r"^(?:转发|轉發|分享)(?:此文|本文)?(?:至|到).{0,20}$",
        r"^powered by\b.*$",
        r"^(?:contact us|联系我们|聯繫我們)$",
        r"^(?:add|address|地址|通讯地址|邮编|郵編|传真|傳真|fax)\s*:.*$",
        r"^\d{5,}$",
        r"^\[\s*\"\w+\"\s*\]$",
        r"^【(?:查看原图|字体|導語|导语|正文)[^】]*】?.*$",
        r"^(?:字号|字體|字体|大字号|分享到|分享|—分享—|打印|打印文章|打印\s*收藏|收藏|关闭|"
        r"立即下载|打开|返回|阅读下一篇|我要问|滚动资讯|滚动新闻|时刻新闻|今日导读|今日導讀|"
        r"社交網站|设为首页|設為主頁收藏本頁|您好!今天是|无障碍浏览)\s*[:]?.*$",
        r"^(?:原标题|原標題)\s*:.*$",
        r"^(?:link|also read|related)\s*:.*$",
        r"^go to forum.*$",
        r"^\(?(?:上接|下转)第.{1,3}版\)?$",
        r"^please refer to .*when using.*$",
        r"^(?:click|view|views|阅读|閱讀|浏览量|瀏覽量|点击|點擊)\s*+:\s*+[\d.万]*+[|\s]*+$",
        r"^第\s*\d+\s*版\s*:.*$",
        r"^.*(?:/enpproperty-->|content_\d+\.html).*$",
        r"^(?:the official website of the people’s government of .*)$",
        r"^knowing all about hunan$",
        r"^welcome to english channel.*$",
        r"^tel\s*:.*$",
        r"^e-mail .*$",
        r"^\(the video address:?$",
    )
)

# A line that ends the article: everything from it on is page footer.
FOOTER_LINES: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p, re.I)
    for p in (
        r"^sponsored by",
        r"\bICP\b",
        r"ICP备",
        r"copyright",
        r"all rights reserved",
        r"版权所有",
        r"版權所有",
        r"^相关(?:链接|阅读|新闻|文章)",
        r"^相關(?:鏈接|閱讀|新聞)",
        r"^频道精选",
        r"^栏目推荐",
        r"^图片图表",
        r"^网站首页",
        r"^关于我们",
        r"^主办单位",
        r"^本(?:文|站)(?:为|系)?.{0,12}原创",
        r"^版权作品",
        r"^新闻热线",
        r"^投稿邮箱",
        r"^扫一扫",
        r"^your kindly feedback",
        r"^中国政府网\s*\|",
        r"^photo source\s*:",
        r"^转载请",
        r"^(?:相关链接|更多)\s*$",
    )
)

# Credit, source and translation lines (removed from the body; `credits`/`sources` read them).
LABEL_LINES: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p, re.I)
    for p in (
        r"^translator\s*:",
        r"^translated by\b",
        r"^chinese source\s*:",
        r"^this article is from\b",
        r"^(?:source|from|editor|editors|writer|write|author|photo|photos)\s*:",
        r"^photos? (?:taken )?by\b",
        r"^[(\[]?\s*(?:web |responsible |executive )?(?:editors?|edit|edited by|photography|"
        r"photographers?|reporters?|correspondents?)\s*(?:by\b|[:/])",
        r"^by [A-Z]",
        r"^\(?photo(?:/| by)",
        r"^[(\[【]?\s*(?:信息|文章|新闻)?(?:来\s*源|來\s*源)\s*[:\s]",
        r"^[(\[【]?\s*(?:作\s*者|编\s*辑|編\s*輯|责\s*编|責\s*編|责任编辑|責任編輯|编审|"
        r"[一二三]\s*审|[一二三]\s*審|记\s*者|記\s*者|通\s*讯\s*员|翻\s*译|摄\s*影|攝\s*影|"
        r"摄像记者|特约记者)\s*[:\s]",
        r"^[(（\[【]\s*(?:文|图|圖)\s*/",
        r"^(?:发布时间|發布時間|时间|時間|日期|发布日期)\s*:",
    )
)

# Lines that hold only credits or an outlet's dateline, with no article text after them.
# Atomic and possessive parts read such a line in one pass: a name takes all its words, and a
# name after a comma or "and" never starts with a role word (that is the next credit).
_CAPITALIZED_NAME = r"(?>[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,3})"
_EN_ROLE_WORD = r"(?:[Rr]eporters?|[Cc]orrespondents?|[Pp]hotographers?|[Ee]ditors?|[Ii]nterns?)"
_EN_CREDIT = (
    _EN_ROLE_WORD
    + r"\s+"
    + _CAPITALIZED_NAME
    + r"(?:\s*(?:,|and)\s*(?!"
    + _EN_ROLE_WORD
    + r"\s+[A-Z])"
    + _CAPITALIZED_NAME
    + r")*+"
)
CREDIT_ONLY_LINES: tuple[re.Pattern[str], ...] = (
    re.compile(rf"^\(?\s*{_EN_CREDIT}(?:\s*(?:,|and)\s*{_EN_CREDIT})*+\s*\)?$"),
    re.compile(r"^[A-Z][\w ]{1,40} News on [A-Z][a-z]+\.? \d{1,2}\s*(?:\([^()]{0,160}\))?$"),
    re.compile(
        r"^[■●▲◆★□◇○•]?\s?[\u4e00-\u9fff·/ ]{0,16}"
        r"(?:记者|記者|通讯员|通訊員|评论员|評論員|报道组|報道組|编辑|編輯|责编|責編|摄影|攝影|实习生)"
        r"[\u4e00-\u9fff、 /]{2,40}$"
    ),
)

# Lines that close the article; later lines are credits, related links and footer.
CLOSING_LINES: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p, re.I)
    for p in (
        r"^translator\s*:",
        r"^translated by\b",
        r"^chinese source\s*:",
        r"^this article is from\b",
        r"^please refer to\b",
        r"^editor\s*:",
        r"^[(\[【]?\s*(?:责\s*编|責\s*編|责任编辑|責任編輯|编\s*辑|編\s*輯|编审|[一二三]\s*[审審])\s*:",
    )
)

# A meta block (labels with a date) glued in front of the first paragraph.
META_PREFIX = re.compile(
    r"^\s*+(?:(?:信息来源|文章来源|来源|來源|Source|From)\s*+:\s*+[^\s|]*+\s*+\|?\s*+)?"
    r"(?:发布时间|發布時間|时间|日期|Date|Updated|Time)\s*+:\s*+"
    r"\d{4}[-/年]\d{1,2}[-/月]\d{1,2}日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?\s*",
    re.I,
)
_DATE_PREFIX = re.compile(r"^\s*date\s+\d{4}-\d{1,2}-\d{1,2}\s*", re.I)
TERMINAL = re.compile(r"[.!?。!?;”\"’')）]\s*$")


def repair_mojibake(text: str) -> str:
    """Replace GBK punctuation that was decoded as Latin-1 (``¡¯`` for ``’``)."""
    if "¡" not in text and "Ħ" not in text:
        return text
    return _MOJIBAKE_RE.sub(lambda m: _MOJIBAKE_MAP[m.group(0)], text)


def as_written(text: str) -> list[str]:
    """Split page text into lines as written: mojibake repaired, odd spaces made plain."""
    text = _SPACES.sub(" ", repair_mojibake(text or "").replace("\r\n", "\n").replace("\r", "\n"))
    return [line.strip() for line in text.split("\n")]


def prepare(text: str) -> list[str]:
    """The lines of :func:`as_written` with full-width forms folded (``：（，`` to ``:(,``).

    The fold maps one character to one, so a span of a prepared line is the same span of
    the line as written: patterns match prepared lines, output keeps the text as written.
    """
    return [line.translate(_FULLWIDTH) for line in as_written(text)]


def restore(span: str, prepared: str, written: str) -> str:
    """``span`` (taken from the ``prepared`` line) as it is written in ``written``."""
    start = prepared.find(span)
    if start < 0 or len(prepared) != len(written):
        return span
    return written[start : start + len(span)]


def detect_lang(text: str) -> str:
    """``zh`` when CJK characters outnumber Latin words in the text, else ``en``."""
    cjk = len(_CJK.findall(text))
    words = len(_WORD.findall(text))
    return "zh" if cjk > words else "en"


@lru_cache(maxsize=4096)  # the same lines are asked about from several places
def is_prose(line: str) -> bool:
    """A line that reads as article sentences rather than a title, menu or label."""
    cjk = len(_CJK.findall(line))
    words = len(_WORD.findall(line))
    if cjk >= words:
        return cjk >= 25 and any(mark in line for mark in ",。;!?")
    return words >= 25 or (words >= 8 and bool(TERMINAL.search(line)))


def union(table: Sequence[re.Pattern[str]]) -> re.Pattern[str]:
    """One compiled alternation of a table's patterns (same flags), for a single scan."""
    return re.compile("|".join(f"(?:{p.pattern})" for p in table), table[0].flags)


_UNIONS: dict[int, re.Pattern[str]] = {}


def matches(line: str, table: Sequence[re.Pattern[str]]) -> bool:
    """Whether any pattern of ``table`` occurs in ``line``."""
    combined = _UNIONS.get(id(table))
    if combined is None:
        combined = _UNIONS[id(table)] = union(table)
    return combined.search(line) is not None


# Words of page widgets (font size, print, share, e-paper navigation): a short line made of
# these alone, with separators, is a widget (``Font size: default Large``, ``上一篇 放大 缩小``).
WIDGET_WORDS = re.compile(
    r"font\s*size|text\s*size|fonts\b|font|default|larger|smaller|large|medium|small|super|big|"
    r"print|share|wechat|weixin|weibo|qzone|facebook|twitter|linkedin|more|e-?mail|comments?|"
    r"close|read in chinese|a\+|a-|"
    r"放大|缩小|縮小|默认|默認|字体|字體|字号|字號|打印|关闭|關閉|分享到|分享|收藏|上一篇|下一篇|"
    r"返回目录|返回目錄|返回|全文复制|复制|评论|發表評論|发表评论|参与互动|转发|微信|微博|朋友圈|"
    r"qq空间|大|中|小",
    re.I,
)
_WIDGET_REST = re.compile(r"[\w\u3400-\u9fff]")
_LONE_LETTER = re.compile(r"\b[A-Za-z]\b")


def _widget_words_only(line: str) -> bool:
    if len(line) > 80 or not WIDGET_WORDS.match(line.lstrip("【[(|-—• ")):
        return False
    rest, count = WIDGET_WORDS.subn("", line)
    return count > 0 and not _WIDGET_REST.search(_LONE_LETTER.sub("", rest))


@lru_cache(maxsize=4096)  # asked about the same lines from several places, like is_prose
def is_widget(line: str) -> bool:
    return matches(line, WIDGET_LINES) or _widget_words_only(line)


def is_label(line: str) -> bool:
    return matches(line, LABEL_LINES)


def strip_meta_prefix(line: str) -> str:
    """The line without a leading ``date 2023-05-26`` or ``来源:X 发布时间:...`` block."""
    stripped = _DATE_PREFIX.sub("", line, count=1)
    return META_PREFIX.sub("", stripped, count=1)


def first_prose(lines: Sequence[str]) -> int:
    """Index of the first line that reads as article prose (``len(lines)`` if none)."""
    for index, line in enumerate(lines):
        if line and is_prose(strip_meta_prefix(line)) and not is_widget(line):
            return index
    return len(lines)


def header_end(lines: Sequence[str], prose_lines: int = 3) -> int:
    """End of the zone where a page keeps its title and meta lines: before the 3rd prose line."""
    seen = 0
    for index, line in enumerate(lines):
        if line and is_prose(line):
            seen += 1
            if seen == prose_lines:
                return index
    return len(lines)
