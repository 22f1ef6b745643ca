"""How tests tell linear work from quadratic: growth of CPU time with the size of the input.

CPU time of this thread, so that other processes on a busy machine do not count; the best
of a few runs, so that one slow run does not either.
"""

from __future__ import annotations

import time
from collections.abc import Callable


def cpu_seconds(work: Callable[[], object], repeats: int = 1) -> float:
    """The least CPU time ``work`` took in ``repeats`` runs."""
    best = float("inf")
    for _ in range(repeats):
        started = time.thread_time()
        work()
        best = min(best, time.thread_time() - started)
    return best


def growth(
    small: Callable[[], object], large: Callable[[], object], *, limit: float, floor: float
) -> float:
    """How many times longer ``large`` takes than ``small`` (which takes at least ``floor``:
    shorter runs say nothing about growth). A figure over ``limit`` is measured twice more,
    the best of 3 runs each, and the lowest counts."""
    ratio = cpu_seconds(large) / max(cpu_seconds(small), floor)
    for _ in range(2):
        if ratio <= limit:
            break
        ratio = min(ratio, cpu_seconds(large, 3) / max(cpu_seconds(small, 3), floor))
    return ratio
