"""Decode a page's bytes as a browser would, and say so when its declared charset lied.

Order: a byte-order mark, then the HTTP header's charset, then the page's own
``<meta charset>`` / ``http-equiv`` declaration (in its first bytes), as browsers do. Labels
are read as browsers read them: ``gb2312`` and ``gbk`` mean GB18030 (their superset),
``iso-8859-1`` and ``ascii`` mean windows-1252. The declared charset must decode the bytes
cleanly; UTF-8 wins over any other declaration when the bytes are valid UTF-8 with
multi-byte sequences (many pages declare ``gb2312`` and are UTF-8). Otherwise the content
decides (UTF-8, then GB18030). What was wrong lands in ``problems``: a declaration that
lied, no declaration, bytes no charset decodes (replaced by U+FFFD, and counted), so
neither mojibake nor replacement characters are archived silently.
"""

from __future__ import annotations

import codecs
import logging
import re
from dataclasses import dataclass, field

logger = logging.getLogger(__name__)

SNIFF_BYTES = 4096
# Spaces taken whole (possessive): spaces on both sides of an optional quote are one run.
_META_CHARSET = re.compile(rb"""<meta[^>]+?charset\s*+=\s*+["']?\s*+([A-Za-z0-9_.:-]+)""", re.I)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.I)
BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Labels read as browsers read them (the WHATWG Encoding standard), by Python codec name.
BROWSER_NAMES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "gb18030": "gb18030",
    "iso8859-1": "cp1252",
    "latin-1": "cp1252",
    "ascii": "cp1252",
    "cp1252": "cp1252",
}
DETECTION_ORDER = ("utf-8", "gb18030")
_MULTIBYTE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]")


@dataclass
class Decoded:
    text: str
    encoding: str
    problems: list[dict[str, str]] = field(default_factory=list)


def codec_name(label: str | None) -> str | None:
    """The Python codec a charset label means to a browser; None for an unknown label."""
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
    except LookupError:
        return None
    return BROWSER_NAMES.get(name, name)


def declared(body: bytes, content_type: str | None) -> tuple[str | None, str | None]:
    """The charset label the page declares and where: (label, "HTTP header" / "meta")."""
    if content_type and (header := _HEADER_CHARSET.search(content_type)):
        return header.group(1), "HTTP header"
    if meta := _META_CHARSET.search(body[:SNIFF_BYTES]):
        return meta.group(1).decode("ascii"), "meta tag"
    return None, None


def _strict(body: bytes, encoding: str) -> str | None:
    try:
        return body.decode(encoding)
    except UnicodeDecodeError:
        return None


def _problem(reason: str, value: str) -> dict[str, str]:
    return {"field": "encoding", "reason": reason, "value": value}


def decode(body: bytes, content_type: str | None = None) -> Decoded:
    """The page's text, the codec that decoded it, and what was wrong with its charset."""
    for bom, bom_encoding in BOMS:
        if body.startswith(bom):
            return Decoded(body[len(bom) :].decode(bom_encoding, "replace"), bom_encoding)
    label, where = declared(body, content_type)
    encoding = codec_name(label)
    problems: list[dict[str, str]] = []
    if label and encoding is None:
        problems.append(_problem(f"unknown charset declared in the {where}", label))
    if encoding is not None:
        declared_text = _strict(body, encoding)
        if encoding != "utf-8" and _MULTIBYTE.search(body) and (utf8 := _strict(body, "utf-8")):
            problems.append(
                _problem(f"the {where} declares {label}, the bytes are UTF-8", label or "")
            )
            return Decoded(utf8, "utf-8", problems)
        if declared_text is not None:
            return Decoded(declared_text, encoding, problems)
    for candidate in DETECTION_ORDER:
        detected = _strict(body, candidate)
        if detected is not None:
            if label:
                problems.append(
                    _problem(f"the {where} declares {label}, the bytes are {candidate}", label)
                )
            elif candidate != "utf-8":
                problems.append(_problem(f"no charset declared; read as {candidate}", ""))
            return Decoded(detected, candidate, problems)
    fallback = encoding or "utf-8"
    text = body.decode(fallback, "replace")
    problems.append(
        _problem(
            f"bytes no charset decodes; {text.count(chr(0xFFFD))} replaced (read as {fallback})",
            label or "",
        )
    )
    return Decoded(text, fallback, problems)
