"""Chinese credit phrasings: ``记者 X 通讯员 Y``, ``责任编辑:X``, ``(文/图 X)``, ``X 摄``.

A fragment is split into names at role words, separators (``、`` ``,`` spaces between names)
and, for run-together names, at surnames (``pipelines.names``). A label counts where labels
stand: at a line's start, after punctuation, inside brackets, never inside a word.
"""

from __future__ import annotations

import re

from pipelines import names
from pipelines.roles import Credit, Rules, rule

_ZH_ROLE = re.compile(
    r"(?P<editor>责任编辑|責任編輯|责\s?编|責\s?編|编\s?辑|編\s?輯|编审|編審|[一二三终終]\s?[审審])"
    r"|(?P<combo>文\s?/\s?[图圖]|[图圖]\s?/\s?文|文[图圖](?=\s|:|$))"
    r"|(?P<photographer>摄影记者|攝影記者|摄影报道|攝影報道|摄\s?影|攝\s?影|[图圖]\s?/|[摄攝]\s?/)"
    r"|(?P<skip>摄像记者|攝像記者|摄\s?像|攝\s?像|视频|視頻|制图|製圖|设计|設計|校对|校對)"
    r"|(?P<reporter>(?:见习|見習|文字|特约|特約|全媒体|全媒體|融媒体|融媒體|首席|新闻|新聞|分站|驻站|駐站|"
    r"本报|本報|本台|本网|本網)?(?:记\s?者|記\s?者))"
    r"|(?P<correspondent>通\s?讯\s?员|通\s?訊\s?員)"
    r"|(?P<author>作\s?者|文\s?/|评论员|評論員|报道组|報道組|撰\s?文|执\s?笔|執\s?筆)"
    r"|(?P<translator>翻\s?译|翻\s?譯)"
    r"|(?P<keep>实习生|實習生)"
)
_ZH_SPLIT = re.compile(r"[\s、,，;；/]+")
# Words that end a list of names: what follows them is a place or the article.
_ZH_LIST_END = re.compile(r"发自|發自|报道|報道")
_REPORTED_END = re.compile(r"(?:报道|報道)$")
# A name written with its role after it: 王五/图 (photographer), 王五/文 (the role it has).
_ZH_ROLE_AFTER = re.compile(r"([\u4e00-\u9fff]{2,4})\s?/\s?([文图圖摄攝])(?![\u4e00-\u9fff/])")
_ZH_SHOT = re.compile(
    r"(?:(?<=记者)|(?<=記者)|(?<![\u4e00-\u9fff]))"
    r"([\u4e00-\u9fff](?: ?[\u4e00-\u9fff]){1,2})\s?[摄攝](?=$|[\s()）\]。,;])"
)
_ZH_LABEL = re.compile(
    r"(?:责任编辑|責任編輯|责\s?编|責\s?編|"
    r"(?:网络|網絡|值班|本版|文字|图片|圖片|视频|視頻|新媒体)?(?:编\s?辑|編\s?輯)|编审|作\s?者|翻\s?译|"
    r"(?:见习|特约|全媒体|融媒体|首席)?(?:记\s?者|記\s?者)|通\s?讯\s?员|摄\s?影|[一二三终終]\s?[审審])"
    r"\s*:\s*[^|()\[\]【】]*?"
    r"(?=\s{2,}|\||[()\[\]【】]|\s\d|来源|來源|发布时间|發布時間|时间|点击|$"
    r"|\s[\u4e00-\u9fff]{2,6}\s*:)"  # the next label, whatever it is (浏览次数:)
)
_ZH_PAREN = re.compile(r"[(\[【]([^()\[\]【】]{2,160}?)(?:[)\]】]|(?=\s?\d))")
_ZH_DATELINE_PAREN = re.compile(r"^.{2,40}?(?:讯|訊|电|電)\s*\(([^()\d]{2,160})\)")
# An article's last sentence closed by its author's name in brackets: ...举行。（张巨峰）
_ZH_CLOSING_NAME = re.compile(
    r"[。!?！？”]\s*+[(（]\s*+([\u4e00-\u9fff]{2,4})(?<![摄攝])\s*+[)）]$"
)
_ZH_REPORTED = re.compile(r"(?:记者|記者)\s*([\u4e00-\u9fff]{2,3}?)\s*报道")
_ZH_CREDIT_LINE = re.compile(r"^[^,。;!?:]{0,40}(?:记者|記者|作者|通讯员)[^,。;!?:]{0,90}$")
# A line that opens with its byline, after a bullet or a dateline (本报讯, 某网长沙5月3日电).
_ZH_LEAD = re.compile(
    r"^[■●▲◆★□◇○•·\s]*(?:[^,。;!?()\s]{2,40}?(?:讯|訊|电|電)\s*(?:题:\S{1,60}\s+)?)?"
)
_ZH_OUTLET_PREFIX = re.compile(r"^[\u4e00-\u9fff·/]{0,14}$")
# Where a byline ends: punctuation of a sentence, a bracket, a title mark, a number.
_ZH_LEAD_END = re.compile(r"[,。;!?:“”《(\[【]|\d")
# A caption's closing credit: ``…车间 摄影 王五`` or ``…丰收。 王五 赵六 摄影报道``.
_ZH_CAPTION_END = (
    re.compile(
        r"(?:^|[\s。!?,;)])(?:摄影|攝影|[图圖]|[摄攝])[\s:/]{1,3}"
        r"(?P<v>[\u4e00-\u9fff ]{2,40})$"
    ),
    re.compile(
        r"(?:^|[\s。!?,;])(?P<v>[\u4e00-\u9fff][\u4e00-\u9fff ]{0,38}[\u4e00-\u9fff]) ?"
        r"(?:摄影报道|攝影報道)$"
    ),
)


def _zh_tokens(chunk: str) -> list[str]:
    """The name tokens of a chunk; a name spaced out to two columns (``孙 超``) is one."""
    tokens = [t for t in _ZH_SPLIT.split(chunk.strip(" :")) if t]
    joined: list[str] = []
    for token in tokens:
        if (
            joined
            and len(token) == 1
            and len(joined[-1]) == 1
            and joined[-1] in names.SURNAMES
            and "\u4e00" <= token <= "\u9fff"
        ):
            joined[-1] = f"{joined[-1]} {token}"
        else:
            joined.append(token)
    return joined


_STAFF_CODE = re.compile(r"(?<=[\u4e00-\u9fff])_[A-Za-z]{1,4}\d+$")  # 杨倩_NF4425: a CMS's staff id
# A label's lone value that reads as a name even with a character names rarely have.
_LONE_NAME = re.compile(r"^[\u4e00-\u9fff]{2,3}$")


def _lone_name(token: str) -> bool:
    """A label's only value names its person even when it is no full name (小婷, 李在山)."""
    return token not in names.NOT_NAMES


def _zh_names(chunk: str, *, loose: bool = False) -> list[str]:
    found: list[str] = []
    end = _ZH_LIST_END.search(chunk)
    if end:
        head = chunk[: end.start()]
        glued = head[-1:] and not head[-1].isspace()
        tokens = _zh_tokens(head)
        if glued and len(tokens) > 1 and not names.is_zh_name(tokens[-1]):
            tokens = tokens[:-1]  # 株洲报道: the place it was reported from
    else:
        tokens = _zh_tokens(chunk)
    for token in tokens:
        token = _STAFF_CODE.sub("", token.strip("·."))
        if loose and len(tokens) == 1 and _LONE_NAME.match(token) and _lone_name(token):
            found.append(token)  # after a label, a lone name is a name (作者:李在山)
            continue
        if loose and re.fullmatch(r"[A-Za-z][A-Za-z0-9_.-]{1,19}", token):
            found.append(token)
            continue
        if " " in token:
            found.append(token)
            continue
        parts = names.split_run(token) if len(token) >= 4 else [token]
        found.extend(p for p in parts if names.is_zh_name(p))
    return found


def parse_zh(segment: str, default: str | None = "author", *, loose: bool = False) -> list[Credit]:
    """Credits in a Chinese credit fragment: ``记者 张三 李四 通讯员 王五`` and the like.

    ``文/图`` gives each of its people two roles (author and photographer; reporter and
    photographer after ``记者``); said after the names (``王五 文/图``), it adds them.
    """
    segment = _ZH_ROLE_AFTER.sub(
        lambda m: f"图/{m.group(1)}" if m.group(2) in "图圖摄攝" else m.group(1), segment
    )
    credits: list[Credit] = []
    roles: tuple[str, ...] = (default,) if default else ()
    pos = 0
    chunks: list[tuple[tuple[str, ...], str, str | None]] = []
    for match in _ZH_ROLE.finditer(segment):
        before = segment[pos : match.start()]
        if pos == 0 and before and not before[-1].isspace() and not before.endswith(("(", ":")):
            before = ""  # an outlet glued to the role word: 湖南日报·华声在线记者
        kind = str(match.lastgroup)
        chunks.append((roles, before, kind))
        if kind == "combo":
            roles = ("author", "photographer")
        elif kind == "skip":
            roles = ()
        elif kind != "keep":
            # 文/图 记者 X: the byline's role replaces "author", the photos stay.
            fresh = "photographer" in roles and len(roles) == 2 and not _zh_names(before)
            roles = (kind, "photographer") if fresh and kind != "photographer" else (kind,)
        pos = match.end()
    chunks.append((roles, segment[pos:], None))
    previous: list[str] = []
    previous_roles: tuple[str, ...] = ()
    for index, (chunk_roles, chunk, next_kind) in enumerate(chunks):
        text = chunk.strip()
        shot = re.search(r"[摄攝]\s*$", text)
        found = _zh_names(re.sub(r"\s?[摄攝]\s*$", "", text), loose=loose)
        final = ("photographer",) if shot else chunk_roles
        if index == 0 and default == "author" and _REPORTED_END.search(text):
            final = ("reporter",)  # (王五 赵六 报道): they reported it
        credits.extend(Credit(role, name) for name in found for role in final)
        if not found and previous and next_kind in (None, "combo", "photographer"):
            # 王五 文/图, 王五 赵六 摄影报道: a role said after the names.
            extra = [r for r in chunk_roles if r not in previous_roles]
            credits.extend(Credit(role, name) for name in previous for role in extra)
        if found:
            previous, previous_roles = found, final
    return credits


def parse_lead(line: str) -> list[Credit]:
    """A byline that opens a line: ``■通讯员 王五``, ``本报讯 记者 王五 赵六 今天,…``."""
    lead = _ZH_LEAD.match(line)
    rest = line[lead.end() :] if lead else line
    role = _ZH_ROLE.search(rest[:24])
    if role is None or not _ZH_OUTLET_PREFIX.match(rest[: role.start()]):
        return []
    end = _ZH_LEAD_END.search(rest, role.end())
    return parse_zh(rest[: end.start()] if end else rest, None)


def _caption_end(match: re.Match[str]) -> list[Credit]:
    found = _zh_names(match.group("v"))
    return [Credit("photographer", name) for name in found]


_CJK_OR_QUOTE = re.compile(r"[\u4e00-\u9fff“‘《\"]")
_REVIEW_LABEL = re.compile(r"[一二三终終]\s?[审審]")
_META_LABEL = re.compile(r"(?:来源|來源|发布时间|發布時間|时间|時間|日期)\s?:")


def _label_stands(match: re.Match[str]) -> bool:
    """A Chinese label counts where labels stand: not inside a word (总编辑, 省委常委) or a
    quoted title; review labels (一审 二审 三审) also run together (一审:王五二审:赵六), and
    so do the labels of a meta line (来源:某某网作者:王五)."""
    start = match.start()
    if start == 0 or _REVIEW_LABEL.match(match[0]):
        return True
    if _META_LABEL.search(match.string, 0, start):
        return True
    return not _CJK_OR_QUOTE.match(match.string[start - 1])


ZH_RULES: Rules = (
    (_ZH_DATELINE_PAREN, lambda m: parse_zh(m.group(1), "author")),
    (re.compile(r"^(?=.)"), lambda m: parse_lead(m.string)),
    (_ZH_PAREN, lambda m: parse_zh(m.group(1), "author") if _ZH_ROLE.search(m.group(1)) else []),
    (_ZH_LABEL, lambda m: parse_zh(m[0], None, loose=True) if _label_stands(m) else []),
    (_ZH_CLOSING_NAME, lambda m: [Credit("author", n) for n in _zh_names(m.group(1))]),
    (re.compile(r"^[文图圖]\s?/[^()]{2,30}$"), lambda m: parse_zh(m.group(0), None)),
    (_ZH_REPORTED, lambda m: [Credit("reporter", n) for n in _zh_names(m[1])]),
    (
        _ZH_SHOT,
        lambda m: [Credit("photographer", m.group(1))] if names.is_zh_name(m.group(1)) else [],
    ),
    *((pattern, _caption_end) for pattern in _ZH_CAPTION_END),
)


def is_credit_line(line: str) -> bool:
    """A short line of only role words and names: ``王明 见习记者 李华``."""
    if len(line) > 40 or not _ZH_CREDIT_LINE.match(line) or _ZH_PAREN.search(line):
        return False
    role = _ZH_ROLE.search(line)
    rest = [t for t in _ZH_SPLIT.split(line[role.end() :]) if t] if role else []
    return all(
        len(t) <= 3 or (t.endswith(("报道", "報道")) and len(t) <= 6) or _ZH_ROLE.search(t)
        for t in rest
    )


# Keywords each rule needs on its line, besides Chinese characters (see `credits.KEYWORDS`).
ZH_NEEDS: dict[re.Pattern[str], frozenset[str]] = {
    **{pattern: frozenset({"cjk"}) for pattern, _ in ZH_RULES},
    _ZH_DATELINE_PAREN: frozenset({"cjk", "dateline", "paren"}),
    _ZH_PAREN: frozenset({"cjk", "paren"}),
    _ZH_LABEL: frozenset({"cjk", "colon"}),
    _ZH_REPORTED: frozenset({"cjk", "baodao"}),
    rule(ZH_RULES, r"^(?=.)"): frozenset({"cjk", "lead"}),
    _ZH_SHOT: frozenset({"cjk", "shot"}),
    _ZH_CAPTION_END[0]: frozenset({"cjk"}),
    _ZH_CAPTION_END[1]: frozenset({"cjk", "shot"}),
}
