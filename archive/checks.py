"""What `verify` is made of: a step and its outcome (one printed line each), and a reader
that hashes what passes through it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import IO

from archive.snapshot import CHUNK


@dataclass(frozen=True)
class Check:
    """One verification step and its outcome."""

    name: str
    ok: bool
    detail: str


class HashingReader:
    """A binary file that hashes and counts what is read from it."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.digest = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        self.digest.update(data)
        self.size += len(data)
        return data

    def drain(self) -> None:
        while self.read(CHUNK):
            pass
