"""Credits: who translated, reported, photographed, edited or wrote an article.

Each credit phrasing is a row in an ordered table (compiled pattern, parser): English rows,
then Chinese rows. A matched fragment is split into names at role words (``记者 X 通讯员 Y``),
separators (``,`` ``and`` ``、`` spaces between Chinese names) and, for run-together Chinese
names, at surnames. Names are people only (``pipelines.names``): a Chinese name begins with a
surname and is no place, office or common word; an outlet, an acronym or a platform
(``Hunan Daily``, ``HNXY``, ``Wechat``) is never a credit. A label counts where labels stand:
at a line's start, after punctuation or a gap, inside brackets, never inside a word.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence

from pipelines.credits_en import EN_NEEDS, EN_RULES
from pipelines.credits_zh import ZH_NEEDS, ZH_RULES, is_credit_line, parse_zh
from pipelines.roles import ROLES, Credit

__all__ = ["ROLES", "RULES", "Credit", "find"]

logger = logging.getLogger(__name__)

RULES = (*EN_RULES, *ZH_RULES)
NEEDS = {**EN_NEEDS, **ZH_NEEDS}
_CJK = re.compile(r"[\u4e00-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]{2}")

# Cheap pre-check: a line with none of these (lowercased) holds no credit.
MAYBE_WORDS = tuple(
    [
        "translat",
        "edit",
        "by",
        "photo",
        "report",
        "correspond",
        "writ",
        "author",
        "/",
        "(",
        "[",
        "【",
        "记者",
        "記者",
        "编",
        "編",
        "审",
        "審",
        "作者",
        "摄",
        "攝",
        "通讯",
        "通訊",
        "翻译",
        "翻譯",
        "评论员",
        "評論員",
        "报道组",
        "報道組",
        "撰",
        "执笔",
        "執筆",
        "记 者",
        "記 者",
        "作 者",
        "通 讯",
        "通 訊",
        "翻 译",
        "翻 譯",
    ]
)


# Keywords a rule needs on its line (plain substring tests, cheaper than any pattern): a rule whose
# keywords are missing is not run (rules are many and lines are long).
KEYWORDS: dict[str, tuple[str, ...]] = {  # name: substrings of the lowercased line
    "translat": ("translat",),
    "edit": ("edit",),
    "by": ("by ",),
    "writer": ("writ", "author"),
    "reported": ("reported",),
    "slash": ("/",),
    "paren": ("(", "[", "【"),
    "colon": (":",),
    "dateline": ("讯", "訊", "电", "電"),
    "baodao": ("报道", "報道"),
    "shot": ("摄", "攝"),
}
_LEAD_HINT = re.compile(r"^.{0,70}?(?:者|员|員|组|組|/|[编編][辑輯]|责编|[摄攝]|撰|[执執]笔|实习)")
_ALWAYS: frozenset[str] = frozenset()


def _keywords(line: str, low: str) -> set[str]:
    present = {name for name, parts in KEYWORDS.items() if any(p in low for p in parts)}
    if _CJK.search(line):
        present.add("cjk")
        if _LEAD_HINT.match(line):
            present.add("lead")
    if _LATIN.search(line):
        present.add("latin")
    return present


def find(lines: Sequence[str]) -> list[Credit]:
    """All credits on the page, in page order, each (role, name) once."""
    found: list[tuple[int, int, Credit]] = []
    for number, line in enumerate(lines):
        low = line.lower()
        if not any(word in low for word in MAYBE_WORDS):
            continue
        present = _keywords(line, low)
        for pattern, parse in RULES:
            if not NEEDS.get(pattern, _ALWAYS) <= present:
                continue
            for match in pattern.finditer(line):
                found.extend((number, match.start(), c) for c in parse(match))
        if is_credit_line(line):
            found.extend((number, 0, c) for c in parse_zh(line, "author"))
    seen: set[Credit] = set()
    credits = []
    for _, _, credit in sorted(found, key=lambda item: (item[0], item[1])):
        if credit not in seen and credit.name:
            seen.add(credit)
            credits.append(credit)
    return credits
