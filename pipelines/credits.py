"""Credits: who translated, reported, photographed, edited or wrote an article.

Each credit phrasing is a row in an ordered table (compiled pattern, role, parser). A
matched fragment is split into names at role words (``记者 X 通讯员 Y``), separators
(``,`` ``and`` ``、`` spaces between Chinese names) and, for run-together Chinese names,
at common surnames. Names are people only: an outlet (``Hunan Daily``) is never a credit.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from typing import NamedTuple

logger = logging.getLogger(__name__)

ROLES = ("translator", "reporter", "correspondent", "photographer", "editor", "author")


class Credit(NamedTuple):
    role: str
    name: str


# Words that mark an organisation, not a person.
ORG_WORDS = frozenset(
    [
        "daily",
        "news",
        "agency",
        "xinhua",
        "net",
        "network",
        "online",
        "center",
        "centre",
        "office",
        "government",
        "department",
        "bureau",
        "tv",
        "media",
        "group",
        "committee",
        "association",
        "university",
        "press",
        "times",
        "post",
        "china",
        "hunan",
        "international",
        "communication",
        "channel",
        "website",
        "portal",
        "station",
        "newspaper",
        "cctv",
        "cgtn",
        "photo",
        "source",
        "vcg",
        "cfp",
        "ic",
        "for",
    ]
)
# Values that name nobody.
NOT_NAMES = frozenset(
    {"佚名", "本报", "本網", "本网", "记者", "記者", "通讯员", "编辑", "未知", "无", "無"}
)
# Characters that do not occur in Chinese personal names (function words, place suffixes).
_NOT_NAME_CHARS = re.compile(
    r"[的了在是和与與对對为為将將把被到说說等也都这這那从從讯訊电電报報网網县縣市区區省镇鎮村月日时時年题題据據]"
)
SURNAMES = frozenset(
    "王李张張刘劉陈陳杨楊黄黃赵趙吴吳周徐孙孫马馬朱胡郭何高林罗羅郑鄭梁谢謝宋唐许許韩韓冯馮邓鄧"
    "曹彭曾肖萧蕭田董袁潘于蒋蔣蔡余杜叶葉程苏蘇魏吕呂丁任沈姚卢盧姜崔钟鍾谭譚陆陸汪范金石廖贾賈"
    "夏韦韋付方白邹鄒孟熊秦邱江尹薛闫阎段雷侯龙龍史陶黎贺賀顾顧毛郝龚龔邵万萬钱錢严嚴覃武戴莫孔向汤湯"
    "易常文欧歐聂聶左颜顏柳舒喻"
)
_CJK_NAME = re.compile(r"^[\u4e00-\u9fff·]{2,4}$")
_EN_NAME = re.compile(r"^[A-Z][A-Za-z'’-]*(?: [A-Z][A-Za-z'’-]*){0,3}$")

# --- Chinese ---------------------------------------------------------------------------------
_ZH_ROLE = re.compile(
    r"(?P<editor>责任编辑|責任編輯|责\s?编|責\s?編|编\s?辑|編\s?輯|编审|編審|[一二三终終]\s?[审審])"
    r"|(?P<photographer>摄影记者|攝影記者|摄\s?影|攝\s?影|[图圖]\s?/)"
    r"|(?P<skip>摄像记者|攝像記者|摄\s?像|攝\s?像|校\s?对|校\s?對)"
    r"|(?P<reporter>(?:见习|見習|文字|特约|特約|全媒体|全媒體|首席|新闻|新聞|分站|驻站|駐站|融媒体|本报|本報)?"
    r"(?:记\s?者|記\s?者))"
    r"|(?P<correspondent>通\s?讯\s?员|通\s?訊\s?員)"
    r"|(?P<author>作\s?者|文\s?/)"
    r"|(?P<translator>翻\s?译|翻\s?譯)"
    r"|(?P<keep>实习生|實習生)"
)
_ZH_SPLIT = re.compile(r"[\s、,，;；/]+")
_ZH_SHOT = re.compile(
    r"(?:(?<=记者)|(?<=記者)|(?<![\u4e00-\u9fff]))([\u4e00-\u9fff]{2,3})\s?[摄攝](?=$|[\s)）\]。,;])"
)
_ZH_LABEL = re.compile(
    r"(?:责任编辑|責任編輯|责\s?编|責\s?編|编\s?辑|編\s?輯|编审|[一二三]\s?[审審]|作\s?者|翻\s?译|"
    r"记\s?者|記\s?者|通\s?讯\s?员|摄\s?影)\s*:\s*[^|()\[\]【】]*?"
    r"(?=\s{2,}|\||[()\[\]【】]|\s\d|来源|來源|发布时间|發布時間|时间|点击|$"
    r"|\s[\u4e00-\u9fff]{2,6}\s*:)"  # the next label, whatever it is (浏览次数:)
)
_ZH_PAREN = re.compile(r"[(\[【]([^()\[\]【】]{2,60}?)(?:[)\]】]|(?<![A-Za-z0-9])(?=\s?\d))")
_ZH_DATELINE_PAREN = re.compile(r"^.{2,40}?(?:讯|訊|电|電)\s*\(([^()\d]{2,30})\)")
# An article's last sentence closed by its author's name in brackets: ...举行。（张巨峰）
_ZH_CLOSING_NAME = re.compile(
    r"[。!?！？”]\s*[(（]\s*(["
    + "".join(sorted(SURNAMES))
    + r"][\u4e00-\u9fff]{1,3})(?<![摄攝])\s*[)）]$"
)
_ZH_REPORTED = re.compile(r"(?:记者|記者)\s*([\u4e00-\u9fff]{2,3}?)\s*报道")
_ZH_CREDIT_LINE = re.compile(
    r"^[^,。;!?:]{0,40}(?:记者|記者|作者|通讯员|责任编辑|責任編輯|编辑|編輯)[^,。;!?:]{0,30}$"
)


def split_run(run: str) -> list[str]:
    """Split run-together Chinese names at common surnames: 李盼吴丽李诗华 -> 李盼, 吴丽, 李诗华."""
    names, i = [], 0
    while len(run) - i >= 2:
        rest = len(run) - i
        if rest <= 3 or (rest == 4 and run[i + 2] not in SURNAMES):
            names.append(run[i:])
            break
        cut = 2 if run[i + 2] in SURNAMES and rest - 2 >= 2 else 3
        names.append(run[i : i + cut])
        i += cut
    return names


_STAFF_CODE = re.compile(r"(?<=[\u4e00-\u9fff])_[A-Za-z]{1,4}\d+$")  # 杨倩_NF4425: a CMS's staff id


def _zh_names(chunk: str, *, labelled: bool = False) -> list[str]:
    names = []
    tokens = [t for t in _ZH_SPLIT.split(chunk.strip(" :")) if t]
    for index, token in enumerate(tokens):
        if token.endswith("报道") or token.endswith("報道"):
            if index > 0:
                continue
            token = token[:-2]
        token = _STAFF_CODE.sub("", token.strip("·."))
        if labelled and len(tokens) == 1 and _CJK_NAME.match(token) and len(token) <= 3:
            if token not in NOT_NAMES:  # after a label, a lone name is a name (李在山)
                names.append(token)
            continue
        if re.fullmatch(r"[A-Za-z][A-Za-z0-9_.-]{1,19}", token):
            names.append(token)
            continue
        parts = split_run(token) if len(token) >= 4 else [token]
        names.extend(p for p in parts if _valid_zh(p))
    return names


def _valid_zh(name: str) -> bool:
    return (
        bool(_CJK_NAME.match(name)) and name not in NOT_NAMES and not _NOT_NAME_CHARS.search(name)
    )


def parse_zh(
    segment: str, default: str | None = "author", *, labelled: bool = False
) -> list[Credit]:
    """Credits in a Chinese credit fragment: ``记者 张三 李四 通讯员 王五`` and the like
    (``labelled``: the fragment is a label's value, ``作者:李在山``)."""
    credits: list[Credit] = []
    role, pos = default, 0
    roles = list(_ZH_ROLE.finditer(segment))
    chunks: list[tuple[str | None, str]] = []
    for match in roles:
        before = segment[pos : match.start()]
        if pos == 0 and before and not before[-1].isspace() and not before.endswith(("(", ":")):
            before = ""  # an outlet glued to the role word: 湖南日报·华声在线记者
        glued = before.split()[-1] if before.strip() and not before[-1].isspace() else ""
        if glued and _NOT_NAME_CHARS.search(glued):
            before = before[: len(before) - len(glued)]  # a title: 观察者网专栏作者
        chunks.append((role, before))
        kind = match.lastgroup
        if kind != "keep":
            role = None if kind == "skip" else kind
        pos = match.end()
    chunks.append((role, segment[pos:]))
    for chunk_role, chunk in chunks:
        shot = re.search(r"[摄攝]\s*$", chunk.strip())
        names = _zh_names(re.sub(r"\s?[摄攝]\s*$", "", chunk.strip()), labelled=labelled)
        for index, name in enumerate(names):
            final = "photographer" if shot and index == len(names) - 1 else chunk_role
            if final:
                credits.append(Credit(final, name))
    return credits


# --- English ---------------------------------------------------------------------------------
_EN_ROLE = re.compile(
    r"\b(?:(?P<photographer>photos?\s*(?:taken\s+)?by|photos?\s*/|photos?\s*:|photographers?|photo)"
    r"|(?P<skip>photo source|interns?|trainees?)"
    r"|(?P<reporter>reporters?)|(?P<correspondent>correspondents?)"
    r"|(?P<translator>translators?|translated"
    r" by)|(?P<editor>editors?)|(?P<author>writers?|by))\b\s*:?",
    re.I,
)
_EN_SPLIT = re.compile(r"\s*(?:,|;|、|&|\band\b)\s*")


def _en_names(chunk: str, *, loose: bool = False) -> list[str]:
    names = []
    for part in _EN_SPLIT.split(chunk.strip(" .:;,")):
        part = " ".join(part.split()).strip(" .")
        if not part:
            continue
        if _CJK_NAME.match(part) or (loose and re.fullmatch(r"[a-z][a-z0-9_]{2,19}", part)):
            names.append(part)
            continue
        if not _EN_NAME.match(part) or any(w.lower() in ORG_WORDS for w in part.split()):
            continue
        words = part.split()
        if len(words) in (4, 6) and all(len(w) > 1 for w in words):
            names.extend(" ".join(words[i : i + 2]) for i in range(0, len(words), 2))
        else:
            names.append(part)
    return names


def parse_en(segment: str, default: str | None = None, *, loose: bool = False) -> list[Credit]:
    """Credits in an English fragment: ``Reporter X, Y, photo Z``, ``Photo/X, Hunan Daily``."""
    credits: list[Credit] = []
    role, pos = default, 0
    chunks: list[tuple[str | None, str]] = []
    for match in _EN_ROLE.finditer(segment):
        chunk = segment[pos : match.start()]
        chunks.append((role, chunk))
        kind = match.lastgroup
        # "Photo by Correspondent X": a title after "Photo by" does not change the role.
        if not (role == "photographer" and pos and not chunk.strip() and kind != "skip"):
            role = None if kind == "skip" else kind
        pos = match.end()
    chunks.append((role, segment[pos:]))
    for chunk_role, chunk in chunks:
        if chunk_role:
            credits.extend(Credit(chunk_role, n) for n in _en_names(chunk, loose=loose))
    return credits


def _slash_pair(match: re.Match[str]) -> list[Credit]:
    left, right = match.group(1).strip(), match.group(2).strip()
    if re.fullmatch(r"photos?", right, re.I):
        return [Credit("photographer", n) for n in _en_names(left)]
    if right.lower().startswith("for ") or _is_org(right):
        return [Credit("photographer", n) for n in _en_names(left)]
    if _is_org(left):
        return [Credit("photographer", n) for n in _en_names(right)]
    return []


def _is_org(text: str) -> bool:
    text = text.strip()
    return "." in text or any(w.lower() in ORG_WORDS for w in re.findall(r"[A-Za-z]+", text))


# --- The table ---------------------------------------------------------------------------------
Parser = Callable[[re.Match[str]], list[Credit]]


def _group(role: str | None, parse: Callable[..., list[Credit]], **kw: object) -> Parser:
    return lambda m: parse(m.group("v"), role, **kw)


RULES: tuple[tuple[re.Pattern[str], Parser], ...] = (
    (
        re.compile(r"translators?\s*:\s*(?P<v>.+?)(?=source\s*:|chinese source|\s{2,}|$)", re.I),
        _group("translator", parse_en),
    ),
    (
        re.compile(r"\btranslated by\s+(?P<v>.+?)(?=\s+from\b|[.;(]|$)", re.I),
        _group("translator", parse_en),
    ),
    (
        re.compile(r"\beditors?\s*:\s*(?P<v>.+?)(?=source\s*:|updated|\s{2,}|\||$)", re.I),
        _group("editor", parse_en, loose=True),
    ),
    (
        re.compile(
            r"^(?i:by)\s+(?P<v>[A-Z][A-Za-z'’-]*(?:(?:\s+|,\s*|\s+and\s+)[A-Z][A-Za-z'’-]*)*)"
            r"(?=\s*(?:\||\(|\[|\d|$))"
        ),
        _group("author", parse_en),
    ),
    (
        re.compile(
            r"^(?:write|writer|author)\s*:\s*(?P<v>[^\[\]|()]+?)(?=\s*[\[|(]|\s{2,}|$)", re.I
        ),
        _group("author", parse_en),
    ),
    (
        re.compile(r"^(?:\(\s*)?(?P<v>photos?\s+(?:taken\s+)?by\s+[^()]+?)(?:\)|$)", re.I),
        _group(None, parse_en),
    ),
    (
        re.compile(
            r"[(\[]\s*(?P<v>(?:reporters?|correspondents?|photos?|photographers?|writers?)\b[^()"
            r"\[\]]*)[)\]]",
            re.I,
        ),
        _group(None, parse_en),
    ),
    (re.compile(r"[(\[]\s*([^()\[\]/]{2,40}?)\s*/\s*([^()\[\]/]{2,40}?)\s*[)\]]"), _slash_pair),
    (
        re.compile(r"^(?P<v>(?i:reporters?|correspondents?)\s+[A-Z][^()]{2,60}?)(?:[.;]|$)"),
        _group(None, parse_en),
    ),
    (
        re.compile(r"\b(?P<v>reporter\s+[A-Z]\w+(?:\s+[A-Z]\w+){1,2})\s+reported\b"),
        _group(None, parse_en),
    ),
    (
        re.compile(r"^[\w .,'-]{2,40}?\d{1,2}\.\s*\((?P<v>[A-Z][a-z]+(?: [A-Z][a-z]+){1,2})\)"),
        _group("author", parse_en),
    ),
    (_ZH_DATELINE_PAREN, lambda m: parse_zh(m.group(1), "author")),
    (_ZH_PAREN, lambda m: parse_zh(m.group(1), "author") if _ZH_ROLE.search(m.group(1)) else []),
    (_ZH_LABEL, lambda m: parse_zh(m.group(0), None, labelled=True)),
    (_ZH_CLOSING_NAME, lambda m: [Credit("author", n) for n in _zh_names(m.group(1))]),
    (re.compile(r"^[文图圖]\s?/[^()]{2,30}$"), lambda m: parse_zh(m.group(0), None)),
    (_ZH_REPORTED, lambda m: [Credit("reporter", n) for n in _zh_names(m.group(1))]),
    (_ZH_SHOT, lambda m: [Credit("photographer", m.group(1))] if _valid_zh(m.group(1)) else []),
)


def _is_credit_line(line: str) -> bool:
    """A short line of only role words and names: ``王明 见习记者 李华``."""
    if len(line) > 40 or not _ZH_CREDIT_LINE.match(line) or _ZH_PAREN.search(line):
        return False
    role = _ZH_ROLE.search(line)
    rest = [t for t in _ZH_SPLIT.split(line[role.end() :]) if t] if role else []
    return all(
        len(t) <= 3 or (t.endswith(("报道", "報道")) and len(t) <= 6) or _ZH_ROLE.search(t)
        for t in rest
    )


# Cheap pre-check: a line with none of these holds no credit.
_MAYBE = re.compile(
    r"translat|editor|\bby\b|photo|report|correspond|write|author|/|[(\[【]|记\s?者|記\s?者|编|編|审|審|"
    r"作\s?者|摄|攝|通\s?[讯訊]|翻\s?[译譯]",
    re.I,
)


def find(lines: Sequence[str]) -> list[Credit]:
    """All credits on the page, in page order, each (role, name) once."""
    found: list[tuple[int, int, Credit]] = []
    for number, line in enumerate(lines):
        if not line or not _MAYBE.search(line):
            continue
        for pattern, parse in RULES:
            for match in pattern.finditer(line):
                found.extend((number, match.start(), c) for c in parse(match))
        if _is_credit_line(line):
            found.extend((number, 0, c) for c in parse_zh(line, "author"))
    seen: set[Credit] = set()
    credits = []
    for _, _, credit in sorted(found, key=lambda item: (item[0], item[1])):
        if credit not in seen and credit.name:
            seen.add(credit)
            credits.append(credit)
    return credits
