"""The `newsarchive` application: the command line over the crawler, the archive and the
normalization pipelines. Nothing below imports it.

A Ctrl-C while the command is still importing (Scrapy, Datasette: about a second) ends it
with one line and exit status 130, like a Ctrl-C later on, not with a traceback.
"""

from __future__ import annotations

import os
import sys
from types import TracebackType

EXIT_INTERRUPTED = 130


def _interrupted_quietly(
    kind: type[BaseException], value: BaseException, traceback: TracebackType | None
) -> None:
    if issubclass(kind, KeyboardInterrupt):
        sys.stderr.write("\nnewsarchive: interrupted\n")
        sys.stderr.flush()
        os._exit(EXIT_INTERRUPTED)
    sys.__excepthook__(kind, value, traceback)


sys.excepthook = _interrupted_quietly
