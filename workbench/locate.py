"""Finding the line of a key in a file on disk, for problems found after loading.

Loading keeps no file text (100,000 claims would hold it all in memory); the few
files that have a problem are read again here, and their key index is cached by
path and mtime for the length of a check.
"""

from __future__ import annotations

import functools
from pathlib import Path

from workbench.tomlio import KeyIndex, KeyPath


@functools.lru_cache(maxsize=256)
def _key_index(path: Path, mtime_ns: int) -> tuple[KeyIndex, str]:
    text = path.read_text(encoding="utf-8")
    return KeyIndex(text), text


def indexed_text(path: Path) -> tuple[KeyIndex, str] | None:
    """The key index and text of `path`, or None when it cannot be read."""
    try:
        return _key_index(path, path.stat().st_mtime_ns)
    except (OSError, UnicodeDecodeError):
        return None


def line_of(path: Path, key_path: KeyPath) -> int:
    """The line where `key_path` is written in `path` (1 when it cannot be found)."""
    found = indexed_text(path)
    if found is None:
        return 1
    position = found[0].find(key_path)
    return position.line if position else 1
