"""A plain-text progress bar on stderr, for long exports run at a terminal.

It draws only when the stream is a terminal and the job is long enough to be
worth watching (more than `THRESHOLD` items); in a pipe, a log file or CI it
writes nothing at all, so redirected stderr stays clean.  No Textual, no rich:
one carriage-return line, redrawn when the whole percentage changes.
"""

from __future__ import annotations

import sys
from types import TracebackType
from typing import TextIO

THRESHOLD = 2_000
"""Jobs of up to this many items finish before a bar would be any help."""

_WIDTH = 30


def is_terminal(stream: TextIO) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


class Progress:
    """`advance()` once per item; use as a context manager so the line is finished."""

    def __init__(
        self,
        total: int,
        label: str,
        *,
        stream: TextIO | None = None,
        enabled: bool | None = None,
    ) -> None:
        self.total = total
        self.label = label
        self.stream = stream if stream is not None else sys.stderr
        if enabled is None:
            enabled = total > THRESHOLD and is_terminal(self.stream)
        self.enabled = enabled and total > 0
        self.done = 0
        self._shown = -1

    def advance(self, count: int = 1) -> None:
        self.done += count
        if not self.enabled:
            return
        percent = min(100, self.done * 100 // self.total)
        if percent != self._shown:
            self._shown = percent
            self._draw(percent)

    def _draw(self, percent: int) -> None:
        filled = percent * _WIDTH // 100
        bar = "#" * filled + "." * (_WIDTH - filled)
        shown = min(self.done, self.total)
        self.stream.write(f"\r{self.label} [{bar}] {percent:3d}% {shown:,}/{self.total:,}")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled and self._shown >= 0:
            self.stream.write("\n")
            self.stream.flush()
            self._shown = -1

    def __enter__(self) -> Progress:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
