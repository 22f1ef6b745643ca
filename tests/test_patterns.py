"""Every regex of pipelines/ (and of crawler/urlkinds.py) runs in time linear in its line: no
catastrophic backtracking.

For each module-level compiled pattern (and each table's ``text.union``), lines are built
from the pattern's own parts: for every repetition in it, the text that leads up to that
repetition, then its body repeated to the line's length, then a character that makes the
rest fail; plus lines of tokens such pages are full of (``| ``, ``A ``, ``记者 ``, ...).
Each line is run with ``match`` and a full ``finditer`` (which covers ``search``, ``split``
and ``sub``) at 2,500 and 10,000 characters: linear work grows about 4 times, quadratic work
16 times. The test asserts the growth (in CPU time, so that a busy machine does not count),
not a time budget; a timer only turns a hang into a failure.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import signal
from collections.abc import Iterator
from pathlib import Path
from re import _constants as sre
from re import _parser as sre_parse
from types import ModuleType

import pytest

import crawler
import pipelines
from pipelines import text
from pipelines.normalize import normalize
from tests.scaling import growth


def _compiling_modules() -> tuple[ModuleType, ...]:
    """Every module of pipelines and crawler that compiles a pattern at import: found, not
    listed, so that a rule moved to a new module is still timed."""
    found = []
    for package in (pipelines, crawler):
        for info in pkgutil.iter_modules(package.__path__):
            source = Path(package.__path__[0]) / f"{info.name}.py"
            if not info.ispkg and "re.compile(" in source.read_text("utf-8"):
                found.append(importlib.import_module(f"{package.__name__}.{info.name}"))
    return tuple(found)


MODULES = _compiling_modules()
SHORT, LONG = 2_500, 10_000
MAX_GROWTH = 10  # linear work grows 4 times (a little more for memory), quadratic 16
NOISE = 20e-6  # a run shorter than this at SHORT says nothing about growth
HANG = 0.5  # CPU seconds (100 times a linear run): backtracking, however it grows

# What government pages are full of, repeated: bars, spaces, names, roles, CJK, digits.
TOKENS = ("| ", " ", "A ", "A", "a", "记者 ", ",and ", "1", "1 ", ">", "中", "中 ", ". ", ":", "/")
ENDINGS = ("", "\x00", "!")
# A character for a class, tried in this order: the first one the class admits (or rejects).
CANDIDATES = ("a", "A", " ", "1", "中", ".", "|", ":", "-", "/", "(", "!", "\x00")


def _patterns(module: ModuleType) -> Iterator[tuple[str, re.Pattern[str]]]:
    source = Path(module.__file__ or "").read_text("utf-8")
    for name, value in vars(module).items():
        if not re.search(rf"^{re.escape(name)}\b[^=\n]*=", source, re.M):
            continue  # imported: measured in the module that defines it
        if isinstance(value, re.Pattern):
            yield f"{module.__name__}.{name}", value
        elif isinstance(value, tuple) and value:
            found = [
                item
                for row in value
                for item in (row if isinstance(row, tuple) else (row,))
                if isinstance(item, re.Pattern)
            ]
            for index, pattern in enumerate(found):
                yield f"{module.__name__}.{name}[{index}]", pattern
            if found and len(found) == len(value) and len({p.flags for p in found}) == 1:
                try:  # a table of named groups has no union, so no caller scans it as one
                    yield f"text.union({module.__name__}.{name})", text.union(found)
                except re.error:
                    continue


PATTERNS = dict(item for module in MODULES for item in _patterns(module))


def test_the_patterns_of_every_rule_module_are_measured() -> None:
    names = {module.__name__ for module in MODULES}
    assert {"pipelines.text", "pipelines.body", "crawler.charset", "crawler.urlkinds"} <= names
    assert len(PATTERNS) > 250


def _char(items: list[tuple[object, object]], choice: int) -> str:
    """A character the class ``items`` admits (``NEGATE``: rejects), the ``choice``-th one."""
    negate = bool(items) and items[0][0] is sre.NEGATE
    members = items[1:] if negate else items

    def admits(ch: str) -> bool:
        for op, arg in members:
            if op is sre.LITERAL and ord(ch) == arg:
                return True
            if op is sre.RANGE and arg[0] <= ord(ch) <= arg[1]:
                return True
            if op is sre.CATEGORY and re.fullmatch(_CATEGORIES[arg], ch):
                return True
        return False

    fits = [ch for ch in CANDIDATES if admits(ch) != negate]
    if not negate:
        fits += [chr(arg) for op, arg in members if op is sre.LITERAL]
        fits += [chr(arg[0]) for op, arg in members if op is sre.RANGE]
    return fits[choice % len(fits)] if fits else ""


_CATEGORIES = {
    sre.CATEGORY_DIGIT: r"\d",
    sre.CATEGORY_NOT_DIGIT: r"\D",
    sre.CATEGORY_SPACE: r"\s",
    sre.CATEGORY_NOT_SPACE: r"\S",
    sre.CATEGORY_WORD: r"\w",
    sre.CATEGORY_NOT_WORD: r"\W",
}


def _sample(items: object, choice: int) -> str:
    """A short text that ``items`` (a parsed pattern or part of one) matches."""
    out = []
    for op, arg in items:
        if op is sre.LITERAL:
            out.append(chr(arg))
        elif op is sre.NOT_LITERAL:
            out.append(_char([(sre.NEGATE, None), (sre.LITERAL, arg)], choice))
        elif op is sre.IN:
            out.append(_char(list(arg), choice))
        elif op is sre.ANY:
            out.append(CANDIDATES[choice % len(CANDIDATES)])
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            low, _, body = arg
            out.append(_sample(body, choice) * max(low, 1 if choice % 2 else 0))
        elif op is sre.SUBPATTERN:
            out.append(_sample(arg[-1], choice))
        elif op is sre.ATOMIC_GROUP:
            out.append(_sample(arg, choice))
        elif op is sre.BRANCH:
            branches = arg[1]
            out.append(_sample(branches[choice % len(branches)], choice))
        elif op is sre.GROUPREF_EXISTS:
            out.append(_sample(arg[1], choice))
    return "".join(out)


def _repeats(items: object, before: str) -> Iterator[tuple[str, object]]:
    """Each repetition inside ``items`` with the text that leads the matcher up to it."""
    done = before
    for op, arg in items:
        if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            yield done, arg[2]
            yield from _repeats(arg[2], done)
        elif op is sre.SUBPATTERN:
            yield from _repeats(arg[-1], done)
        elif op is sre.ATOMIC_GROUP:
            yield from _repeats(arg, done)
        elif op is sre.BRANCH:
            for branch in arg[1]:
                yield from _repeats(branch, done)
        elif op in (sre.ASSERT, sre.ASSERT_NOT):
            yield from _repeats(arg[1], done)
        done += _sample([(op, arg)], 0)


def _unit(token: str) -> str:
    """The shortest string whose repetition is ``token`` (``"  "`` is ``" "`` twice)."""
    size = len(token)
    return next(token[:n] for n in range(1, size + 1) if token[:n] * (size // n) == token)


def attacks(pattern: re.Pattern[str]) -> list[tuple[str, str, str]]:
    """``(lead, token, ending)`` triples: a line is ``lead + token * k + ending``."""
    parsed = sre_parse.parse(pattern.pattern, pattern.flags)
    found = {("", token, end) for token in TOKENS for end in ENDINGS}
    for lead, repeated in _repeats(parsed, ""):
        for choice in range(4):
            token = _sample(repeated, choice) or _sample(repeated, 1)
            if token:
                found.update((lead, _unit(token), end) for end in ENDINGS)
                found.update((lead, _unit(token + " "), end) for end in ENDINGS[:2])
    return sorted(found)


class Hang(Exception):
    pass


def _alarm(signum: int, frame: object) -> None:
    raise Hang


@pytest.fixture
def hang_guard() -> Iterator[None]:
    """SIGVTALRM raises :class:`Hang` (the regex engine checks for signals as it runs)."""
    previous = signal.signal(signal.SIGVTALRM, _alarm)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_VIRTUAL, 0)
        signal.signal(signal.SIGVTALRM, previous)


def _line(lead: str, token: str, ending: str, size: int) -> str:
    return lead + token * ((size - len(lead) - len(ending)) // len(token) + 1) + ending


def _scan(pattern: re.Pattern[str], line: str) -> None:
    pattern.match(line)
    for _match in pattern.finditer(line):
        pass


def _growth(pattern: re.Pattern[str], lead: str, token: str, ending: str) -> float:
    """How many times longer the LONG line takes than the SHORT one."""
    short, long = (_line(lead, token, ending, size) for size in (SHORT, LONG))
    if isinstance(pattern.pattern, bytes):  # a pattern over raw bytes (crawler.charset)
        short, long = (line.encode("utf-8", "surrogatepass") for line in (short, long))  # type: ignore[assignment]
    return growth(
        lambda: _scan(pattern, short), lambda: _scan(pattern, long), limit=MAX_GROWTH, floor=NOISE
    )


def backtracking(pattern: re.Pattern[str], *, enough: int = 3) -> list[str]:
    """The attacks on ``pattern`` whose work grows faster than linearly (the first few)."""
    slow = []
    for lead, token, ending in attacks(pattern):
        signal.setitimer(signal.ITIMER_VIRTUAL, HANG)
        try:
            ratio = _growth(pattern, lead, token, ending)
        except Hang:
            ratio = float("inf")
        finally:
            signal.setitimer(signal.ITIMER_VIRTUAL, 0)
        if ratio > MAX_GROWTH:
            slow.append(f"{lead!r} + {token!r} * k + {ending!r}: x{ratio:.0f}")
            if len(slow) == enough:
                break
    return slow


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_pattern_is_linear(name: str, hang_guard: None) -> None:
    slow = backtracking(PATTERNS[name])
    assert not slow, f"{name} backtracks:\n" + "\n".join(slow)


@pytest.mark.parametrize(
    "pattern",
    [
        r"\s*(?:,|and)\s*",  # quadratic: each start in a run of spaces scans the whole run
        r"^(?:click|views?)\s*:\s*[\d.]*(?:\s*[|\s]*)*$",  # exponential: nested repetitions
    ],
)
def test_backtracking_is_caught(pattern: str, hang_guard: None) -> None:
    """The test above fails on the patterns that once hung normalization."""
    assert backtracking(re.compile(pattern, re.I), enough=1)


def test_a_bar_line_normalizes(hang_guard: None) -> None:
    """Issue 10: ``Views: | | ... x`` took minutes; each ``|`` multiplied the time by 6."""
    signal.setitimer(signal.ITIMER_VIRTUAL, HANG)
    article = normalize({"url": "http://x/", "text": "Views: " + "| " * 40 + "x"})
    signal.setitimer(signal.ITIMER_VIRTUAL, 0)
    assert article["title"] == "Views: " + "| " * 40 + "x"  # not a widget: it ends in a word
