"""English credit phrasings: ``Translator: X``, ``By X and Y``, ``(Photo/X, Outlet)``,
``Reporter X``, ``Edit:X``; organisations (``Hunan Daily``, acronyms) are never credited.
"""

from __future__ import annotations

import re

from pipelines import names
from pipelines.roles import Credit, Rules, group, rule

_EN_ROLE = re.compile(
    r"\b(?:(?P<skip>photo source|interns?|trainees?|provided(?:\s+(?:by|to))?|courtesy(?:\s+of)?"
    r"|file photo|handout|screenshot|video)"
    r"|(?P<photographer>photos?\s*(?:taken\s+)?by|photography\s*(?:by)?|photographers?|photos?)"
    r"|(?P<reporter>reporters?)|(?P<correspondent>correspondents?)"
    r"|(?P<translator>translators?|translated by)|(?P<editor>editors?|edited by|edit)"
    r"|(?P<author>(?:text|words|story|article)\s+by|writers?|by))\b\s*[:/]?",
    re.I,
)
_EN_LIST = re.compile(r"[,;、]")
_EN_AND = re.compile(r"&|\band\b")
_EN_PLACE = re.compile(r"(?<!\s)\s+in\s+[A-Z][\w’'-]*")  # By X in Xi'an and Y


def _en_names(chunk: str, *, loose: bool = False) -> list[str]:
    """People in an English list; a part that names an organisation is left out whole."""
    found = []
    for item in _EN_LIST.split(chunk.strip(" .:;,)]")):
        item = _EN_PLACE.sub("", item.split("/")[0])  # Zhao Lei/Xinhua: the outlet goes
        parts = [" ".join(p.split()).strip(" .)]([") for p in _EN_AND.split(item)]
        if any(names.is_org(p, acronyms=not loose) for p in parts if p):
            continue
        for part in filter(None, parts):
            found.extend(_one_en(part, loose=loose))
    return found


def _one_en(part: str, *, loose: bool) -> list[str]:
    if all(names.is_zh_name(w) for w in part.split()):
        return part.split()  # Chinese names in an English page: Photo/王五 赵六
    if not names.is_en_name(part, loose=loose):
        return []
    words = part.split()
    if len(words) in (4, 6) and all(len(w) > 1 for w in words):
        return [" ".join(words[i : i + 2]) for i in range(0, len(words), 2)]
    return [part]


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
    if right.lower().startswith("for ") or names.is_org(right):
        return [Credit("photographer", n) for n in _en_names(left)]
    if names.is_org(left):
        return [Credit("photographer", n) for n in _en_names(right)]
    return []


def _outlet_by(match: re.Match[str]) -> list[Credit]:
    """``(some.gov.cn by Zhao Lei)``: an outlet, then its writer."""
    if _EN_ROLE.fullmatch(match.group("org")) or not names.is_org(match.group("org")):
        return []
    return [Credit("author", n) for n in _en_names(match.group("v"))]


_EN_NAME = r"[A-Z][A-Za-z'’-]*(?:\s[A-Z][A-Za-z'’-]*){0,3}"
# Up to sixteen words of names (a bound keeps a failed byline from backtracking far).
_EN_NAMES = r"[A-Z][A-Za-z'’-]*(?:(?:\s+|,\s*|\s+and\s+|\s+in\s+)[A-Z][A-Za-z'’-]*){0,15}"


# Where a byline's "By" stands: at the line's start, after a date, a bar or a wide gap.
_AFTER_SENTENCE = re.compile(r"[.!?]\s+$")
_BYLINE_AFTER = re.compile(r"(?:^|\d\s|[|·]\s|\s\s)$")


def _en_label_stands(match: re.Match[str]) -> bool:
    """An English label after a non-letter, or glued to a value before it (Guo YanAuthor:)."""
    start = match.start()
    before = match.string[start - 1 : start]
    return not before.isalpha() or (before.islower() and match[0][0].isupper())


EN_RULES: Rules = (
    (
        re.compile(r"translators?\s*:\s*(?P<v>.+?)(?=source\s*:|chinese source|\s{2,}|$)", re.I),
        group("translator", parse_en),
    ),
    (
        re.compile(r"\btranslated by\s+(?P<v>.+?)(?=(?<!\s)\s+from\b|[.;(]|$)", re.I),
        group("translator", parse_en),
    ),
    (
        re.compile(
            r"\b(?:editors?|edit)\s*:\s*(?P<v>.+?)(?=source\s*:|updated|\s{2,}|\||[)\]]|$)", re.I
        ),
        group("editor", parse_en, loose=True),
    ),
    (
        re.compile(r"\bedited by\s+(?P<v>" + _EN_NAMES + r")", re.I),
        group("editor", parse_en),
    ),
    (
        re.compile(r"\b(?i:by)\s+(?P<v>" + _EN_NAMES + r")(?=\s*(?:\||\(|\[|\d|·|$)|\s\s)"),
        lambda m: parse_en(m["v"], "author") if _BYLINE_AFTER.search(m.string[: m.start()]) else [],
    ),
    (
        re.compile(r"(?i:write|writer|author)\s*:\s*(?P<v>[^\[\]|()]+?)(?=\s*[\[|(]|\s{2,}|$)"),
        lambda m: parse_en(m["v"], "author") if _en_label_stands(m) else [],
    ),
    (
        re.compile(
            r"^(?:\(\s*)?(?P<v>(?:photos?\s+(?:taken\s+)?by|photography(?:\s+by|\s*:)|photos?\s*:)"
            r"\s*[^()]+?)(?:\)|$)",
            re.I,
        ),
        group(None, parse_en),
    ),
    (  # a caption's closing credit: "A view of the lake. Photo by Zhao Lei"
        re.compile(
            r"(?i:photos?\s+(?:taken\s+)?by|photography\s+by)\s+(?P<v>" + _EN_NAMES + r")\.?$"
        ),
        lambda m: (
            parse_en(m["v"], "photographer")
            if _AFTER_SENTENCE.search(m.string[: m.start()])
            else []
        ),
    ),
    (
        re.compile(
            r"[(\[]\s*(?P<v>(?:reporters?|correspondents?|photos?|photographers?|writers?)\b[^()"
            r"\[\]]*)[)\]]",
            re.I,
        ),
        group(None, parse_en),
    ),
    (
        re.compile(r"[(\[]\s*+([^()\[\]/]{2,200}?)\s*+/\s*+([^()\[\]/]{0,200}?)\s*+[)\]]"),
        _slash_pair,
    ),
    (
        re.compile(r"^(?i:photos?)\s*+/\s*+(?P<v>[^()\[\]]{2,200})$"),
        group("photographer", parse_en),
    ),
    (
        re.compile(
            r"(?:^|(?<=[.!?]\s))(?P<v>" + _EN_NAME + r")\s*/\s*(?i:for)\s+[A-Z][^()\[\]/]{2,40}$"
        ),
        group("photographer", parse_en),
    ),
    (
        re.compile(
            r"^(?i:(?:(?:this|the|a|an|aerial)\s+)?(?:photos?|pictures?)\s+(?:shows?|taken)\b)"
            r".*\(\s*(?P<v>[A-Z][a-z]+(?:\s[A-Z][a-z]+){1,2})\s*\)$"
        ),
        group("photographer", parse_en),
    ),
    (
        re.compile(r"[(\[]\s*(?P<org>[^()\[\]\s]{2,40})\s+by\s+(?P<v>" + _EN_NAMES + r")\s*[)\]]"),
        _outlet_by,
    ),
    (
        re.compile(r"^(?P<v>(?i:reporters?|correspondents?)\s*+:?\s*+[A-Z][^()]{2,60}?)(?:[.;]|$)"),
        group(None, parse_en),
    ),
    (
        re.compile(r"\b(?P<v>reporter\s+[A-Z]\w+(?:\s+[A-Z]\w+){1,2})\s+reported\b"),
        group(None, parse_en),
    ),
    (
        re.compile(r"^[\w .,'-]{2,40}?\d{1,2}\.\s*\((?P<v>[A-Z][a-z]+(?: [A-Z][a-z]+){1,2})\)"),
        group("author", parse_en),
    ),
)


# Keywords each rule needs on its line, besides Latin letters (see `credits.KEYWORDS`).
EN_NEEDS: dict[re.Pattern[str], frozenset[str]] = {
    **{pattern: frozenset({"latin"}) for pattern, _ in EN_RULES},
    rule(EN_RULES, r"translators?\s*:"): frozenset({"latin", "translat"}),
    rule(EN_RULES, r"\btranslated by"): frozenset({"latin", "translat"}),
    rule(EN_RULES, r"(?:editors?|edit)\s*:"): frozenset({"latin", "edit", "colon"}),
    rule(EN_RULES, r"\bedited by"): frozenset({"latin", "edit"}),
    rule(EN_RULES, r"\b(?i:by)\s+"): frozenset({"latin", "by"}),
    rule(EN_RULES, r"(?i:write|writer|author)"): frozenset({"latin", "writer", "colon"}),
    rule(EN_RULES, r"(?i:for)\s+[A-Z]"): frozenset({"latin", "slash"}),
    rule(EN_RULES, r"\s+by\s+(?P<v>"): frozenset({"latin", "paren", "by"}),
    rule(EN_RULES, r"photography\s+by)\s+(?P<v>"): frozenset({"latin", "by"}),
    rule(EN_RULES, r"\s+reported\b"): frozenset({"latin", "reported"}),
    rule(EN_RULES, r"/\s*+([^()\[\]/]{0,200}?)"): frozenset({"latin", "paren", "slash"}),
    rule(EN_RULES, r"(?P<v>(?:reporters?|correspondents?|photos?|photographers?|writers?)"): (
        frozenset({"latin", "paren"})
    ),
}
