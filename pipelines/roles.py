"""Who did what for an article: a credit is a (role, name) pair, in page order.

`credits_en` and `credits_zh` read English and Chinese credit phrasings into credits, each
from an ordered table of rules; `credits.find` runs both tables over a page.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple

ROLES = ("translator", "reporter", "correspondent", "photographer", "editor", "author")


class Credit(NamedTuple):
    role: str
    name: str


# A rule's parser: the credits in one match of its pattern.
Parser = Callable[[re.Match[str]], list[Credit]]
Rules = tuple[tuple[re.Pattern[str], Parser], ...]


def group(role: str | None, parse: Callable[..., list[Credit]], **kw: object) -> Parser:
    """A parser of a match's ``v`` group, the names credited with ``role``."""
    return lambda m: parse(m.group("v"), role, **kw)


def rule(rules: Rules, snippet: str) -> re.Pattern[str]:
    """The rule whose pattern holds ``snippet`` (a missing one fails at import, loudly)."""
    return next(pattern for pattern, _ in rules if snippet in pattern.pattern)
