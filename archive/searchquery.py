"""What a search box says, read the way a researcher expects (the query side of the search).

- Words are all required: `tea festival`.
- `"quoted words"` are a phrase: `"night market"`.
- `-word` or `-"a phrase"` leaves out the articles that contain it: `tea -festival`.
- `OR` (in capitals) between two words or phrases finds either: `tea OR coffee festival`.
- Chinese is found with words of any length (`长沙`, `湘江新区`): each character is a token in
  the index (`archive.search.segment`), a word is a phrase of its characters.

`parse` reads the text into a `Query`; `fts_query` writes it as a safe FTS5 expression (no
character of the user's is an FTS5 operator: every word is a quoted string); `check_query`
enforces the caps; `matches` finds the matched words in a text, for snippets. The dates of
the search form (`2023`, `2023-05`, `2023-05-26`) are read by `date_prefix`.
"""

from __future__ import annotations

import datetime
import functools
import itertools
import re
from dataclasses import dataclass

from archive.errors import ArchiveError
from archive.segment import CJK, segment

# What one search may ask. FTS5 scores and highlights inside single SQLite steps, out of
# reach of the time limit, with work growing with the number of terms times their
# occurrences: these caps bound that work.
MAX_QUERY_CHARS = 200
MAX_TERMS = 10
OR = "OR"
MOST_MATCHES = 100  # of each term, looked for in a text to highlight
# A word or a "quoted phrase", with a leading `-` to leave it out (quotes balanced first).
_TERM = re.compile(r'(-?)(?:"([^"]*)"|([^\s"]+))')
# Token characters as FTS5's unicode61 reads them: letters and digits.
_TOKEN = re.compile(r"[^\W_]+")
_NOT_CJK_WORD = f"[^\\W_{CJK}]"  # a letter or digit that is not Chinese
_PIECE = re.compile(f"[{CJK}]|{_NOT_CJK_WORD}+")  # a Chinese character, or a Latin word
_LATIN = re.compile(_NOT_CJK_WORD)


class SearchQueryError(ArchiveError):
    """A search that cannot run as asked (too long, too many terms, nothing to find), told
    in one line the user can act on."""


@dataclass(frozen=True)
class Query:
    """A search box text, read: `groups` are all required, each satisfied by any one of its
    alternatives (words joined by OR); `excluded` are left out. Terms are as written."""

    groups: tuple[tuple[str, ...], ...] = ()
    excluded: tuple[str, ...] = ()

    @property
    def terms(self) -> list[str]:
        """Every distinct term, required or excluded."""
        return [*(term for group in self.groups for term in group), *self.excluded]

    @property
    def wanted(self) -> list[str]:
        """The terms a matching article may contain (to highlight)."""
        return [term for group in self.groups for term in group]


def _has_token(text: str) -> bool:
    return _TOKEN.search(text) is not None


def parse(text: str | None) -> Query:
    """Read a search box text. A term without a letter or digit (`*`, a lone `-`, `""`) is
    no term; a repeated one (in any case) counts once; an `OR` without a wanted term on each
    side is dropped. An unbalanced quote is closed at the end, as Datasette does."""
    text = (text or "").replace("\0", " ")
    if text.count('"') % 2:
        text += '"'
    groups: list[list[str]] = []
    excluded: list[str] = []
    seen: set[tuple[bool, str]] = set()
    after_wanted = joining = False  # joining: `OR` came right after a wanted term
    for match in _TERM.finditer(text):
        minus, phrase, word = match.groups()
        term = " ".join((phrase if phrase is not None else word).split())
        if phrase is None and not minus and term == OR:
            joining, after_wanted = after_wanted, False
            continue
        key = (bool(minus), term.lower())
        if _has_token(term) and key not in seen:
            seen.add(key)
            if minus:
                excluded.append(term)
            elif joining:
                groups[-1].append(term)
            else:
                groups.append([term])
        after_wanted = _has_token(term) and not minus
        joining = False
    return Query(tuple(tuple(group) for group in groups), tuple(excluded))


def search_terms(query: str | None) -> list[str]:
    """The distinct terms of a search box text, each as one quoted FTS5 string."""
    return [_quoted(term) for term in parse(query).terms]


def _quoted(term: str) -> str:
    return '"' + term.replace('"', "") + '"'


def check_query(query: str | None) -> None:
    """Raise `SearchQueryError` if `query` is past the caps (`MAX_QUERY_CHARS`, `MAX_TERMS`)
    or only says what to leave out."""
    text = query or ""
    if len(text) > MAX_QUERY_CHARS:
        raise SearchQueryError(
            f"This search is too long ({len(text):,} characters): "
            f"use at most {MAX_QUERY_CHARS} characters."
        )
    parsed = parse(text)
    if len(parsed.terms) > MAX_TERMS:
        raise SearchQueryError(
            f"This search has too many words ({len(parsed.terms)}): "
            f'use at most {MAX_TERMS} words or "quoted phrases".'
        )
    if parsed.excluded and not parsed.groups:
        raise SearchQueryError(
            f"This search only leaves words out (-{parsed.excluded[0]}): "
            "add a word to find, as in: festival -tea."
        )


def fts_query(query: str | None) -> str:
    """A user's search box text as a safe FTS5 expression, segmented like the index.

    `tea OR coffee festival -night` becomes `("tea" OR "coffee") AND "festival" NOT "night"`
    (parenthesized). Text with nothing to find becomes the empty phrase, which matches
    nothing instead of failing. The caps are `check_query`'s to enforce.
    """
    parsed = parse(query)
    if not parsed.groups:
        return '""'
    wanted = " AND ".join(_alternatives(group) for group in parsed.groups)
    if not parsed.excluded:
        return wanted
    return f"({wanted}) NOT {_alternatives(parsed.excluded)}"


def _alternatives(terms: tuple[str, ...]) -> str:
    strings = [segment(_quoted(term)) for term in terms]
    return strings[0] if len(strings) == 1 else "(" + " OR ".join(strings) + ")"


def _term_pattern(term: str) -> re.Pattern[str] | None:
    """`term` as FTS5 matches it, case-insensitively: its tokens in order, anything but
    letters and digits between them (that a Latin word is whole, `matches` checks: a class
    of every Chinese character costs milliseconds to compile, each new query would pay)."""
    pieces = [piece for token in _TOKEN.findall(term) for piece in _PIECE.findall(token)]
    if not pieces:
        return None
    return re.compile(r"[\W_]*".join(map(re.escape, pieces)), re.IGNORECASE)


@functools.lru_cache(maxsize=256)
def term_patterns(query: str | None) -> tuple[re.Pattern[str], ...]:
    """A pattern for each term `query` wants in a text, the longest term first."""
    terms = sorted(parse(query).wanted, key=len, reverse=True)
    return tuple(pattern for pattern in map(_term_pattern, terms) if pattern is not None)


def _splits_a_word(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] begins or ends inside a Latin word (Chinese characters are
    each a word of their own)."""
    return any(
        0 < at < len(text) and _LATIN.match(text[at - 1]) and _LATIN.match(text[at])
        for at in (start, end)
    )


def matches(text: str, query: str | None, most: int = MOST_MATCHES) -> list[tuple[int, int]]:
    """Where `query`'s wanted terms are in `text`, as FTS5 would match them: (start, end)
    spans in text order, none overlapping (a longer term wins); of each term the first
    `most` only (enough for a snippet; a word like "the" occurs hundreds of times)."""
    taken: list[tuple[int, int]] = []
    occupied = bytearray(len(text))  # 1 where a match was taken
    for pattern in term_patterns(query):
        for found in itertools.islice(pattern.finditer(text), most):
            start, end = found.span()
            if not _splits_a_word(text, start, end) and not any(occupied[start:end]):
                taken.append((start, end))
                occupied[start:end] = b"\1" * (end - start)
    return sorted(taken)


# The dates of the search form: a year, a month or a day, as a prefix of `published_date`.
class SearchDateError(ValueError):
    """A date of the search form that cannot be read, with the message to show."""


_DATE_FORMS = (
    re.compile(r"(?P<y>\d{4})"),
    re.compile(r"(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*月?"),
    re.compile(r"(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?"),
    re.compile(r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})"),
)
DATE_HELP = "2023, 2023-05 or 2023-05-26"


def date_prefix(value: str | None) -> str:
    """A search form date as the prefix of `published_date` it stands for: `2023`, `2019-08`
    (from `2019-8` or `2019年8月`), `2023-05-26`; "" when blank. Raises `SearchDateError`
    for a value that is no such date."""
    text = (value or "").strip()
    if not text:
        return ""
    for form in _DATE_FORMS:
        found = form.fullmatch(text)
        if found is None:
            continue
        parts = {key: int(part) for key, part in found.groupdict().items() if part}
        try:
            datetime.date(parts["y"], parts.get("m", 1), parts.get("d", 1))
        except ValueError:
            break
        return "-".join(
            f"{parts[key]:0{width}d}"
            for key, width in (("y", 4), ("m", 2), ("d", 2))
            if key in parts
        )
    raise SearchDateError(f"{text!r} is not a date: write {DATE_HELP}.")


def sql_date_prefix(value: str | None) -> str | None:
    """`date_prefix` as an SQL function: None (matching no article) for an unreadable date."""
    try:
        return date_prefix(value)
    except SearchDateError:
        return None
