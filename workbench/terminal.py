"""Text from data, made safe to print in a terminal.

A claim file, a topic name or a file name is data someone else wrote.  Printed
raw, an escape sequence in it can retitle the window (OSC), move the cursor
and overwrite earlier lines (CSI, a carriage return), or reorder what the
reader sees (bidi overrides, the "Trojan Source" trick).  Every CLI print site
passes such text through `visible`, which shows each of those characters as
an escape a reader can see (`\\x1b`, `\\u202e`) instead of letting the terminal
act on it.  Tabs stay (they are harmless and common in notes); newlines stay
only where the output is meant to span lines.

JSON output is already escaped by `json.dumps` for C0 controls, but not for
C1 controls or bidi overrides; `json_visible` escapes those too, as `\\uXXXX`,
which keeps the JSON equivalent (the characters can only occur inside strings).
"""

from __future__ import annotations

import re
import shutil
import sys
import time
from typing import TextIO

BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
"""Embeddings, overrides and isolates: they reorder the text around them on screen."""

_UNSAFE = re.compile(f"[\x00-\x08\x0a-\x1f\x7f-\x9f{BIDI_CONTROLS}]")
"""C0 controls but tab, DEL, C1 controls and the bidi controls."""

_UNSAFE_KEEP_NEWLINES = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{BIDI_CONTROLS}]")

_JSON_UNSAFE = re.compile(f"[\x7f-\x9f{BIDI_CONTROLS}]")
"""What `json.dumps(..., ensure_ascii=False)` leaves raw but a terminal may act on."""


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str, *, keep_newlines: bool = False) -> str:
    """`text` with every control character and bidi control shown as an escape.

    C0 and C1 controls become `\\xNN` (ESC is `\\x1b`, a carriage return `\\x0d`),
    bidi controls `\\u202e` and the like.  A tab is kept.  A newline becomes
    `\\x0a` unless `keep_newlines`: a `path:line:col: CODE message` record must
    stay on one line, a multi-line report may keep its line breaks.
    """
    pattern = _UNSAFE_KEEP_NEWLINES if keep_newlines else _UNSAFE
    if pattern.search(text) is None:
        return text
    return pattern.sub(_escape, text)


def visible_lines(lines: list[str]) -> str:
    """`lines`, each made `visible`, joined by newlines: one scan of the joined text
    for the common case that no line holds anything to escape (the candidates of
    `workbench conflicts`, 600,000 lines at 100,000 claims, took 0.5 s one by one)."""
    joined = "\n".join(lines)
    if _UNSAFE_KEEP_NEWLINES.search(joined) is None and joined.count("\n") == len(lines) - 1:
        return joined
    return "\n".join(map(visible, lines))


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def json_visible(json_text: str) -> str:
    """JSON text with C1 controls, DEL and bidi controls written as `\\uXXXX` escapes.

    Only valid for text `json.dumps` produced: such characters can then only be
    inside string literals, where the escape means the same character.
    """
    if json_text.isascii() and "\x7f" not in json_text:
        return json_text  # DEL is the only unsafe ASCII character (a quick check in C)
    if _JSON_UNSAFE.search(json_text) is None:
        return json_text
    return _JSON_UNSAFE.sub(_json_escape, json_text)


PROGRESS_DELAY = 0.5
"""Seconds a command runs before `Progress` shows anything: a small project's run is
over before then, and shows nothing."""

PROGRESS_EVERY = 0.1
"""Seconds between two writes of the progress line at most (ten a second)."""


class Progress:
    """What a long command is doing, on one line of a terminal, written over in place:
    `phase` names a step ("comparing 388,214 pairs"), and calling the object with how
    much of it is done adds a share ("41%"): a first `workbench conflicts` at 100,000
    claims reads files for a minute, and the user sees how far it is.

    It writes only to a terminal, and only once the command has run `PROGRESS_DELAY`
    seconds: output piped to a file or a program never gets a carriage return.  `clear`
    leaves the line empty for what the command prints next (before any other output
    goes to the same terminal), and `stop` does so for good, for when another process
    writes its own progress (the semantic search's encoding)."""

    def __init__(
        self,
        stream: TextIO | None = None,
        *,
        delay: float | None = None,
        every: float | None = None,
    ) -> None:
        self.stream = sys.stderr if stream is None else stream
        try:
            self.active = self.stream.isatty()
        except (AttributeError, ValueError):  # no such method, or a closed stream
            self.active = False
        self.delay = PROGRESS_DELAY if delay is None else delay
        self.every = PROGRESS_EVERY if every is None else every
        self._started = time.perf_counter()
        self._written_at = -1.0
        self._label = ""
        self._width = 0
        """How many characters the line has now (0: none shown, or cleared)..."""
        self._shown = ""
        """...and what they say."""

    def phase(self, label: str) -> None:
        """A new step: shown at once (once the delay is over), without a share."""
        self._label = label
        self._written_at = -1.0
        self._write(label)

    def __call__(self, done: int, total: int) -> None:
        """`done` of the step's `total` items are done (shown at most every `every` s);
        a `total` of 0 (not known yet) shows the step alone."""
        if self.active:
            self._write(f"{self._label}: {100 * done // total}%" if total > 0 else self._label)

    def clear(self) -> None:
        """Empty the line (the next step writes it again)."""
        if self._width:
            self.stream.write("\r" + " " * self._width + "\r")
            self.stream.flush()
            self._width = 0
            self._shown = ""

    def stop(self) -> None:
        """Empty the line and write no more."""
        self.clear()
        self.active = False

    def _write(self, text: str) -> None:
        if not self.active:
            return
        now = time.perf_counter()
        if now - self._started < self.delay or now - self._written_at < self.every:
            return
        self._written_at = now
        columns = shutil.get_terminal_size().columns - 1
        text = visible(text)[: max(columns, 10)]
        if text == self._shown:
            return
        self.stream.write("\r" + text.ljust(self._width))
        self.stream.flush()
        self._width = len(text)
        self._shown = text


__all__ = ["BIDI_CONTROLS", "Progress", "json_visible", "visible"]
