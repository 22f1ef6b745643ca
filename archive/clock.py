"""The archive's clock: every stored time is UTC, ISO 8601 to the second."""

from __future__ import annotations

from datetime import UTC, datetime


def now() -> str:
    """The current time in UTC, ISO 8601 to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds")
