"""pipelines.limits: how much of a page's text normalization reads."""

from __future__ import annotations

import pytest

from pipelines import limits
from pipelines.limits import MAX_LINE_CHARS, MAX_LINES, MAX_TEXT_CHARS, cut


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Title\r\nThe ferry crossed the lake.\rIt came back at noon.",
        "\n" * (MAX_LINES - 1),
        "a" * MAX_LINE_CHARS,
        ("b" * 999 + "\n") * 1000,
    ],
)
def test_text_within_the_limits_is_kept_as_it_is(text: str) -> None:
    assert cut(text) == (text, [])


@pytest.mark.parametrize(
    ("text", "kept", "reason", "value"),
    [
        (
            ("x" * 99 + "\n") * 10_001,
            MAX_TEXT_CHARS,
            "text over 1,000,000 characters cut",
            "1,000,100 characters",
        ),
        ("\n" * MAX_LINES, MAX_LINES - 1, "text over 20,000 lines cut", "20,001 lines"),
        (
            "Title\n" + "y" * (MAX_LINE_CHARS + 1),
            6 + MAX_LINE_CHARS,
            "lines over 100,000 characters cut",
            "1 lines, the longest 100,001 characters",
        ),
    ],
)
def test_text_past_a_limit_is_cut_with_a_problem(
    text: str, kept: int, reason: str, value: str
) -> None:
    short, problems = cut(text)
    assert len(short) == kept
    assert problems == [{"field": "text", "reason": reason, "value": value}]


def test_each_limit_passed_is_one_problem(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_LINES", 3)
    monkeypatch.setattr(limits, "MAX_LINE_CHARS", 4)
    short, problems = cut("one\ntwo\nthree\nfour\nfive")
    assert short == "one\ntwo\nthre"
    assert [p["reason"] for p in problems] == [
        "text over 3 lines cut",
        "lines over 4 characters cut",
    ]
