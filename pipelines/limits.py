"""What normalization reads of a page: its text fields as strings, within size limits.

Real news pages stay far below them (the largest real pages we have seen hold some 450,000
characters of HTML in under 7,000 lines, and no line of text over 50,000 characters); they
bound the work a broken or hostile page can cause. Text past a limit is cut before
normalization, and the article records the cut in its ``problems``.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

logger = logging.getLogger(__name__)

MAX_TEXT_CHARS = 1_000_000  # characters of page text; the rest is cut
MAX_LINES = 20_000  # lines of page text; later lines are cut
MAX_LINE_CHARS = 100_000  # characters of one line; the rest of the line is cut
DATEPARSER_LINES = 5  # labelled date values per page that dateparser (slow) may read

Problem = dict[str, str]


def _problem(reason: str, value: str) -> Problem:
    return {"field": "text", "reason": reason, "value": value}


def string(page: Mapping[str, Any], field: str) -> tuple[str, list[Problem]]:
    """A text field of ``page``: ``""`` when it is missing; a value of another type than a
    string is read as ``""`` too, and is a problem (named by its type: it may be huge)."""
    value = page.get(field)
    if value is None or isinstance(value, str):
        return value or "", []
    return "", [{"field": field, "reason": "not a string", "value": type(value).__name__}]


def cut(text: str) -> tuple[str, list[Problem]]:
    """``text`` within the limits, and a problem for each limit it went past."""
    if len(text) < min(MAX_LINES, MAX_LINE_CHARS, MAX_TEXT_CHARS):  # too short for any limit
        return text, []
    problems = []
    if len(text) > MAX_TEXT_CHARS:
        problems.append(
            _problem(f"text over {MAX_TEXT_CHARS:,} characters cut", f"{len(text):,} characters")
        )
        text = text[:MAX_TEXT_CHARS]
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if len(lines) > MAX_LINES:
        problems.append(_problem(f"text over {MAX_LINES:,} lines cut", f"{len(lines):,} lines"))
        lines = lines[:MAX_LINES]
    longest = max(map(len, lines))
    if longest > MAX_LINE_CHARS:
        problems.append(
            _problem(
                f"lines over {MAX_LINE_CHARS:,} characters cut",
                f"{sum(len(line) > MAX_LINE_CHARS for line in lines):,} lines,"
                f" the longest {longest:,} characters",
            )
        )
        lines = [line[:MAX_LINE_CHARS] for line in lines]
    if problems:
        logger.debug("page text cut: %s", problems)
        return "\n".join(lines), problems
    return text, []
