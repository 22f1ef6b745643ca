"""Sources: the outlet a page says it comes from, and its canonical name from the registry.

Order of evidence: the first non-empty explicit label (``From:``, ``Source:``, ``来源:``),
then a dateline (``华声在线2月18日讯``, ``Huasheng Online News on May 26``), then an outlet
written on the date line, then ``This article is from X``. ``Chinese source: X`` is the
original of a translation. Names are kept as written; ``canonical`` maps them to the
registry in ``sources.json`` (Chinese name, English name, hosts, aliases).
"""

from __future__ import annotations

import json
import logging
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from itertools import chain
from typing import Any

from pipelines.names import is_zh_name
from pipelines.text import first_prose, is_prose, strip_meta_prefix

logger = logging.getLogger(__name__)

# Read as a package resource, so it is found inside a zipped egg too (Scrapyd).
REGISTRY_PATH = files("pipelines") / "sources.json"

# Values that name no outlet.
NULL_NAMES = frozenset(
    {
        "未知来源",
        "未知",
        "佚名",
        "本报",
        "本网",
        "本站",
        "unknown",
        "news",
        "by",
        "date",
        "time",
        "updated",
    }
)

# Where an outlet's name ends: the next label, a date, a page widget, a bar or a bracket.
_STOP = (
    r"(?=\s*(?:\||\]|】|\)|$|\s{2,}|\s+\d|\s+[【\[]|\s[\u4e00-\u9fff]{2,6}\s*:"
    r"|(?:date add in|date|updated|published|posted|time|editor|author|translator|作者|编辑|編輯|"
    r"责编|責編|责任编辑|責任編輯|发布时间|發布時間|时间|時間|日期|点击|點擊|阅读|閱讀|浏览|瀏覽|字号)"
    r"\s*[:]"
    r"|(?<=[\u4e00-\u9fff])[.,;。]"
    r"|(?<=[\u4e00-\u9fffA-Za-z])(?:19|20)\d{2}[-/.年]\d{1,2}"  # a date glued to the name
    r"|,\s*(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d"  # X Daily, Feb 3
    r"|\s*(?:发表评论|參與互動|参与互动|我要评论|【?字体|【?字體|打印本页|分享到|收藏本页)"
    r"|\s+(?:large\s+medium\s+small|print\b|share\b|font\b|text size\b|comments?\b)))"
)
SOURCE_LABEL = re.compile(
    r"(?:(?:信息|文章|新闻|稿件)?(?:来源|來源)\s*[:\s]|(?<!photo )(?<!chinese )(?:source|from)\s*:)"
    r"\s*(?P<value>.*?)" + _STOP,
    re.I,
)
# A periodical with its issue: "Source: Some Review VOL. 031 May 2021" keeps the issue.
ISSUE_LABEL = re.compile(
    r"(?:source|from)\s*:\s*(?P<value>[^|:\d]{1,60}?\b(?:vol|no|issue)\.?\s*\d{1,4}"
    r"(?:,?\s+(?:[a-z]{3,9}\.?\s+)?(?:\d{1,2},?\s+)?(?:19|20)\d{2})?)",
    re.I,
)
FROM_LINE = re.compile(r"^From\s+(?P<value>[A-Z][\w .&'-]{1,50})$")
ORIGINAL_LABEL = re.compile(r"chinese sources?\s*:\s*(?P<value>.*?)\s*$", re.I)
ARTICLE_FROM = re.compile(
    r"^this article is from\s++(?:the\s++)?(?P<value>.+?)(?<!\s)\.?"
    r"(?:\s+(?:https?://)?(?:www\.)?[\w-]+(?:\.[\w-]+)+/?)?\s*+\.?\s*+$",
    re.I,
)

PLACES = (
    "Changsha|Zhuzhou|Xiangtan|Hengyang|Shaoyang|Yueyang|Changde|Zhangjiajie|Yiyang|Chenzhou|"
    "Yongzhou|Huaihua|Loudi|Xiangxi|Beijing|Shanghai|Guangzhou|Shenzhen|Wuhan|Hunan"
)
_EN_MONTH = (
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}"
    r"(?:st|nd|rd|th)?"
)
_EN_OUTLET = (
    r"(?P<value>(?!(?:On|In|At|By|The|This|During|Since|From|As)\b)[A-Z][\w.&'-]*"
    r"(?:\s+(?:[A-Z][\w.&'-]*|moment|online|news|daily))*?)"
)
# Datelines at the start of the first paragraphs, most specific first.
# The end of a Chinese outlet's name: 网, 日报, 客户端, 融媒体中心, 全媒体 (岳阳日报全媒体).
_ZH_OUTLET_END = (
    r"(?:网|網|报|報|社|台|时刻|時刻|客户端|客戶端|在线|在線|电讯|電訊|频道|頻道|融媒|融媒体|融媒體|"
    r"全媒体|全媒體|中心|周刊|週刊|杂志|雜誌|头条|頭條)"
)
_ZH_OUTLET = r"[\u4e00-\u9fff·A-Za-z]{1,20}" + _ZH_OUTLET_END
_PERSON = re.compile(r"记者|記者|通讯员|通訊員")  # a byline, not an outlet
DATELINES: tuple[re.Pattern[str], ...] = (
    re.compile(r"^" + _EN_OUTLET + r"\s+News\s+on\s+" + _EN_MONTH + r"\b"),
    # CHANGSHA, Aug. 6 (Xinhua) --
    re.compile(
        r"^[A-Z][A-Z .'-]{1,30},\s+"
        + _EN_MONTH
        + r"\s*\((?P<value>[A-Z][\w .&'-]{1,40}?)\)\s*(?:--|–|—)"
    ),
    # Rednet(Changsha/May 14)
    re.compile(
        r"(?:^|(?<=\) ))(?P<value>[A-Z][\w.&'-]*(?:\s[A-Z][\w.&'-]*){0,3})\s*\([A-Z][a-z]+\s*/\s*"
        + _EN_MONTH
        + r"\)"
    ),
    re.compile(
        r"(?:^|(?<=\) ))"
        + _EN_OUTLET
        + r"(?:,?\s+(?:"
        + PLACES
        + r"))?,?\s+"
        + _EN_MONTH
        + r"\.?\s*(?:\(|--|[-–—])"
    ),
    re.compile(
        r"^[A-Z]+,\s+China,\s+" + _EN_MONTH + r",\s+\d{4}\s+\((?P<value>[A-Z][A-Z ]+)\)\s*--"
    ),
    # 某日报全媒体讯, 某网/某客户端讯, 某某时刻衡阳9月26日讯, 某社长沙3月4日电, 某网5月3日综合
    re.compile(
        r"^[【\[]?(?![据據])(?P<value>(?:"
        + _ZH_OUTLET
        + r"/)?"
        + _ZH_OUTLET
        + r")"  # 据X消息 cites X
        r"(?:[\u4e00-\u9fff]{2,4})?(?:\d{1,2}月\d{1,2}日)?(?:[\u4e00-\u9fff]{2,4})?"
        r"(?:讯|訊|电|電|消息|综合|綜合)"
    ),
    # 某某荆州报道: an outlet without an outlet word, before 报道 and a colon.
    re.compile(r"^(?P<value>(?!据|據)[\u4e00-\u9fff]{2,8}?)(?:报道|報道):"),
)
_OUTLET_CHARS = r"[\w·.\-\u4e00-\u9fff](?:[\w·. \-\u4e00-\u9fff]{0,28}[\w\u4e00-\u9fff])?"
_DATE = r"(?:\d{4}[-/年]\d{1,2}[-/月]\d{1,2}日?|\d{1,2} \d{1,2}, \d{4})"
# An outlet written on the date line: "中国日报 2021-03-03 ..." or "2021-03-03 17:28 中国日报".
DATE_LINE_OUTLET: tuple[re.Pattern[str], ...] = (
    re.compile(r"^(?P<value>" + _OUTLET_CHARS + r")\s*(?:\|\s*)?" + _DATE),
    re.compile(r"^" + _DATE + r"\s+\d{1,2}:\d{2}(?::\d{2})?\s+(?P<value>" + _OUTLET_CHARS + r")$"),
)


@dataclass(frozen=True)
class SourceInfo:
    source_raw: str | None = None
    original_source_raw: str | None = None


def load_registry() -> list[dict[str, Any]]:
    """The curated registry: ``[{name, zh: [...], hosts: [...], aliases: [...]}, ...]``."""
    return list(json.loads(REGISTRY_PATH.read_text(encoding="utf-8"))["sources"])


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = " ".join(value.split()).strip(" |:：-—[]【】()")
    if not value or value.casefold() in NULL_NAMES:
        return None
    return value


def _from_labels(lines: Sequence[str], zone: int) -> str | None:
    for index, line in enumerate(lines):
        if not line or "ource" not in line and "rom" not in line and "源" not in line:
            continue
        prose = index >= zone and is_prose(line)
        if index < zone:
            match = FROM_LINE.match(line)
            if match:
                return _clean(match.group("value"))
        for match in chain(ISSUE_LABEL.finditer(line), SOURCE_LABEL.finditer(line)):
            if prose and match.start() > 30:
                break
            value = _clean(match.group("value"))
            if value:
                return value
    return None


def _is_person(value: str) -> bool:
    """A two- or three-character personal name (王五报道:), which is no outlet."""
    return len(value) <= 3 and is_zh_name(value)


def _from_datelines(lines: Sequence[str], start: int) -> str | None:
    seen = 0
    for line in lines[start:]:
        if not line or not is_prose(line):
            continue
        text = strip_meta_prefix(line).lstrip("▲ ")
        for pattern in DATELINES:
            match = pattern.search(text)
            if match:
                value = _clean(match.group("value"))
                if value and not _PERSON.search(value) and not _is_person(value):
                    return value
        seen += 1
        if seen >= 4:
            break
    return None


def _from_date_line(line: str | None) -> str | None:
    if not line:
        return None
    for pattern in DATE_LINE_OUTLET:
        match = pattern.match(line.strip())
        if match:
            value = _clean(match.group("value"))
            if value and not value[:1].isdigit():
                return value
    return None


def find(lines: Sequence[str], *, date_line: int | None = None) -> SourceInfo:
    """The outlet (``source_raw``) and translation original a page names, as written."""
    start = first_prose(lines)
    raw = _from_labels(lines, start)
    if raw is None:
        raw = _from_datelines(lines, start)
    if raw is None and date_line is not None:
        raw = _from_date_line(lines[date_line])
    original = None
    for line in lines:
        if raw is None:
            match = ARTICLE_FROM.match(line)
            if match:
                raw = _clean(match.group("value"))
        if original is None and line[:15].casefold().startswith("chinese source"):
            match = ORIGINAL_LABEL.match(line)
            original = _clean(match.group("value")) if match else None
    return SourceInfo(source_raw=raw, original_source_raw=original)


def _key(name: str) -> str:
    text = unicodedata.normalize("NFKC", name).casefold()
    return "".join(ch for ch in text if ch.isalnum())


@lru_cache(maxsize=1)
def _registry() -> tuple[dict[str, str], dict[str, str]]:
    entries = load_registry()
    names: dict[str, str] = {}
    hosts: dict[str, str] = {}
    for entry in entries:
        for spelling in (entry["name"], *entry.get("zh", ()), *entry.get("aliases", ())):
            names.setdefault(_key(spelling), entry["name"])
        for host in entry.get("hosts", ()):
            hosts.setdefault(host.lower().removeprefix("www."), entry["name"])
    return names, hosts


def _host_match(value: str, hosts: dict[str, str]) -> str | None:
    host = value.strip().lower().removeprefix("https://").removeprefix("http://").split("/")[0]
    host = host.removeprefix("www.")
    if " " in host or "." not in host:
        return None
    parts = host.split(".")
    for i in range(len(parts) - 1):
        name = hosts.get(".".join(parts[i:]))
        if name:
            return name
    return None


def canonical(raw: str | None) -> tuple[str | None, bool]:
    """``(canonical English name, known)``; an unknown outlet keeps its raw name."""
    if raw is None or not raw.strip():
        return None, False
    names, hosts = _registry()
    name = names.get(_key(raw)) or _host_match(raw, hosts)
    if name:
        return name, True
    return " ".join(raw.split()), False


def unknown(raw_names: Iterable[str | None]) -> list[str]:
    """The distinct raw names the registry does not know, sorted, for curation."""
    return sorted({" ".join(n.split()) for n in raw_names if n and not canonical(n)[1]})
