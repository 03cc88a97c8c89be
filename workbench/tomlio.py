"""Reading and writing TOML: the only module that touches TOML text.

Reading uses `toml_rs` in its TOML 1.0 mode (about 17x faster than `tomllib`
on claim files, 1.4x faster than `rtoml`; see `bench/bench_load.py`) with
`tomllib` as the reference: on a syntax error the file is parsed again with
`tomllib`, whose messages carry a line and column.  TOML 1.0, not 1.1, because
that is what `tomllib`, taplo and every other editor tool read: `rtoml`
accepted 1.1 syntax (`"\\e"` escapes, newlines in inline tables) that they
reject, so a file that loaded here could fail in a maintainer's editor.

Writing goes through `dumps_canonical` and `write_atomic` only, so that a claim
written by the app, the CLI or a script is byte-identical for the same data and
a crash never leaves half a file behind.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import functools
import math
import os
import re
import tempfile
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import toml_rs
import tomli_w

KeyPath = tuple[str | int, ...]
"""A path into parsed TOML, as pydantic reports it: ("relations", 0, "kind")."""


class TomlSyntaxError(ValueError):
    """A TOML file that does not parse, with the position `tomllib` reports."""

    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


_POSITION_RE = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")
_EOF_RE = re.compile(r"\s*\(at end of document\)$")


MAX_NESTING = 100
"""How deep arrays and inline tables may nest.  A claim needs two or three
levels; `toml_rs` overflows its stack and kills the process somewhere past
3,000, and `tomllib` runs out of recursion near 500."""


def parse_toml(text: str) -> dict[str, Any]:
    """Parse TOML text; raise `TomlSyntaxError` with a line and column on bad syntax."""
    too_deep = _too_deep(text)
    if too_deep is not None:
        line, column = too_deep
        raise TomlSyntaxError(
            f"arrays or inline tables nested more than {MAX_NESTING} deep: "
            "a claim needs two or three levels; is this the right file?",
            line,
            column,
        )
    try:
        data: dict[str, Any] = toml_rs.loads(text, toml_version="1.0.0")
        return data
    except Exception:
        pass
    try:
        return tomllib.loads(text)
    except RecursionError:  # pragma: no cover - `_too_deep` stops such text first
        raise TomlSyntaxError("nested too deep to read", 1, 1) from None
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        match = _POSITION_RE.search(message)
        if match:
            return_line, return_col = int(match.group(1)), int(match.group(2))
            message = message[: match.start()]
        else:
            return_line = text.count("\n") + 1
            return_col = 1
            message = _EOF_RE.sub("", message)
        raise TomlSyntaxError(message, return_line, return_col) from None


_NESTING_MARK_RE = re.compile(r"""[\[\]{}"'#\n\\]""")


def _too_deep(text: str) -> tuple[int, int] | None:
    """Where arrays or inline tables first nest deeper than `MAX_NESTING`, if they do.

    Brackets in strings and comments do not count.  Text with no more brackets
    than the limit cannot nest deeper, so nearly every file is answered by two
    `count` calls.
    """
    if text.count("[") + text.count("{") <= MAX_NESTING:
        return None
    depth = 0
    line, line_start = 1, 0
    quote = ""
    position = 0
    while True:
        match = _NESTING_MARK_RE.search(text, position)
        if match is None:
            return None
        index = match.start()
        char = match.group()
        position = index + 1
        if char == "\n":
            line, line_start = line + 1, index + 1
            if len(quote) == 1:  # a one-line string does not go on; the parser says so
                quote = ""
        elif quote:
            if char == "\\" and quote[0] == '"':
                if text.startswith("\n", index + 1):
                    line, line_start = line + 1, index + 2
                position = index + 2
            elif text.startswith(quote, index):
                position = index + len(quote)
                quote = ""
        elif char in "\"'":
            quote = char * 3 if text.startswith(char * 3, index) else char
            position = index + len(quote)
        elif char == "#":
            end = text.find("\n", index)
            if end < 0:
                return None
            position = end
        elif char in "[{":
            depth += 1
            if depth > MAX_NESTING:
                return line, index - line_start + 1
        elif char in "]}":
            depth = max(depth - 1, 0)


# --------------------------------------------------------------------------- key positions

_BARE_KEY = r"[A-Za-z0-9_-]+"
_QUOTED_KEY = r'"(?:[^"\\]|\\.)*"|\'[^\']*\''
_KEY_PART = rf"(?:{_BARE_KEY}|{_QUOTED_KEY})"
_DOTTED_KEY = rf"{_KEY_PART}(?:\s*\.\s*{_KEY_PART})*"
_KEY_LINE_RE = re.compile(rf"^(\s*)({_DOTTED_KEY})\s*=")
_TABLE_RE = re.compile(rf"^\s*(\[\[?)\s*({_DOTTED_KEY})\s*\]\]?")
_KEY_PART_RE = re.compile(_KEY_PART)


def _split_dotted(key: str) -> list[str]:
    parts = []
    for match in _KEY_PART_RE.finditer(key):
        part = match.group()
        if part[0] in "\"'":
            part = part[1:-1]
        parts.append(part)
    return parts


@dataclass(frozen=True, slots=True)
class Position:
    line: int
    column: int


class KeyIndex:
    """Where each key of a TOML document is written, so errors can name a line.

    A small line scanner rather than a full parser: it follows tables, arrays of
    tables, dotted keys and multi-line strings and arrays, which is all our files
    use.  Anything it cannot place falls back to the nearest enclosing table.
    """

    def __init__(self, text: str) -> None:
        self._positions: dict[KeyPath, Position] = {}
        self._scan(text)

    def _scan(self, text: str) -> None:
        table: list[str | int] = []
        array_counts: dict[tuple[str | int, ...], int] = {}
        in_multiline: str | None = None
        bracket_depth = 0
        # TOML ends lines at LF (or CRLF) only; `splitlines` would also split at
        # U+0085, U+2028 and others that a quoted string may hold
        lines = [line.removesuffix("\r") for line in text.split("\n")]
        for number, line in enumerate(lines, start=1):
            if in_multiline is not None:
                if _closes_multiline(line, in_multiline):
                    in_multiline = None
                continue
            if bracket_depth > 0:
                bracket_depth += _bracket_balance(line)
                continue
            table_match = _TABLE_RE.match(line)
            if table_match:
                path = tuple(_split_dotted(table_match.group(2)))
                column = line.index("[") + 1
                if table_match.group(1) == "[[":
                    index = array_counts.get(path, -1) + 1
                    array_counts[path] = index
                    self._positions.setdefault(path, Position(number, column))
                    table = [*path, index]
                else:
                    table = list(path)
                self._positions[tuple(table)] = Position(number, column)
                continue
            key_match = _KEY_LINE_RE.match(line)
            if not key_match:
                continue
            parts = _split_dotted(key_match.group(2))
            column = len(key_match.group(1)) + 1
            for depth in range(1, len(parts) + 1):
                self._positions.setdefault((*table, *parts[:depth]), Position(number, column))
            value = line[key_match.end() :]
            in_multiline = _opens_multiline(value)
            if in_multiline is None:
                bracket_depth = max(0, _bracket_balance(value))
                if value.lstrip().startswith("{"):
                    self._index_inline_table(value, (*table, *parts), number, key_match.end())
                elif value.lstrip().startswith("["):
                    start = key_match.end() + len(value) - len(value.lstrip())
                    _ArrayItems(lines, self._positions).array(number - 1, start, (*table, *parts))

    def _index_inline_table(self, value: str, base: KeyPath, line: int, offset: int) -> None:
        for match in re.finditer(rf"[{{,]\s*({_DOTTED_KEY})\s*=", value):
            key_path = (*base, *_split_dotted(match.group(1)))
            self._positions.setdefault(key_path, Position(line, offset + match.start(1) + 1))

    def find(self, path: KeyPath) -> Position | None:
        """The position of the key at `path`, or of its nearest written ancestor."""
        for length in range(len(path), 0, -1):
            position = self._positions.get(tuple(path[:length]))
            if position is not None:
                return position
        return None


class _ArrayItems:
    """Where each item of an array value is written (`aliases = ["a", "b"]` puts
    ("aliases", 1) at the `"b"`), across lines and into nested arrays and inline
    tables, so that a problem with one item of a list names that item's line."""

    def __init__(self, lines: list[str], positions: dict[KeyPath, Position]) -> None:
        self._lines = lines
        self._positions = positions
        self._row = 0
        self._column = 0

    def array(self, row: int, column: int, path: KeyPath) -> None:
        """Index the array whose `[` is at `lines[row][column]` (both from 0)."""
        self._row, self._column = row, column
        self._value(path)

    def _char(self) -> str:
        """The character under the cursor; "\n" at the end of a line, "" at the end."""
        if self._row >= len(self._lines):
            return ""
        line = self._lines[self._row]
        return line[self._column] if self._column < len(line) else "\n"

    def _advance(self, count: int = 1) -> None:
        for _ in range(count):
            if self._char() == "\n":
                self._row, self._column = self._row + 1, 0
            elif self._char():
                self._column += 1

    def _skip_blank(self) -> None:
        """Skip spaces, line ends and comments."""
        while True:
            char = self._char()
            if char == "#":
                self._row, self._column = self._row + 1, 0
            elif char and char in " \t\n\r":
                self._advance()
            else:
                return

    def _value(self, path: KeyPath) -> None:
        char = self._char()
        rest = self._lines[self._row][self._column :] if char else ""
        if char == "[":
            self._advance()
            self._items(path)
        elif char == "{":
            self._advance()
            self._inline_table(path)
        elif rest.startswith(('"""', "'''")):
            self._multiline_string(rest[:3])
        elif char in ('"', "'"):
            self._string(char)
        else:  # a number, boolean or date: up to the next separator
            while self._char() and self._char() not in ",]}#\n \t":
                self._advance()

    def _items(self, path: KeyPath) -> None:
        index = 0
        while True:
            self._skip_blank()
            char = self._char()
            if char in ("", "]", "}"):
                self._advance()
                return
            if char == ",":
                self._advance()
                continue
            item = (*path, index)
            self._positions.setdefault(item, Position(self._row + 1, self._column + 1))
            self._value(item)
            index += 1

    def _inline_table(self, path: KeyPath) -> None:
        while True:
            self._skip_blank()
            char = self._char()
            if char in ("", "}", "]"):
                self._advance()
                return
            key = _INLINE_KEY_RE.match(self._lines[self._row], self._column)
            if key is None:  # not TOML; the parser reports it
                self._advance()
                continue
            key_path = (*path, *_split_dotted(key.group(1)))
            self._positions.setdefault(key_path, Position(self._row + 1, self._column + 1))
            self._column = key.end()
            self._skip_blank()
            self._value(key_path)
            self._skip_blank()
            if self._char() == ",":
                self._advance()

    def _string(self, quote: str) -> None:
        self._advance()
        while self._char() not in ("", "\n", quote):
            if quote == '"' and self._char() == "\\":
                self._advance()
            self._advance()
        if self._char() == quote:
            self._advance()

    def _multiline_string(self, quote: str) -> None:
        self._advance(3)
        while self._char():
            line = self._lines[self._row]
            if line.startswith(quote, self._column):
                self._advance(3)
                while self._char() == quote[0]:  # up to two quotes may end the string
                    self._advance()
                return
            if quote == '"""' and self._char() == "\\":
                self._advance()
            self._advance()


_INLINE_KEY_RE = re.compile(rf"\s*({_DOTTED_KEY})\s*=")


def _opens_multiline(value: str) -> str | None:
    stripped = value.strip()
    for quote in ('"""', "'''"):
        if stripped.startswith(quote):
            rest = stripped[3:]
            return None if quote in rest else quote
    return None


def _closes_multiline(line: str, quote: str) -> bool:
    if quote == "'''":
        return "'''" in line
    index = line.find('"""')
    while index != -1:
        backslashes = len(line[:index]) - len(line[:index].rstrip("\\"))
        if backslashes % 2 == 0:
            return True
        index = line.find('"""', index + 1)
    return False


def _bracket_balance(value: str) -> int:
    """Net open `[` in a value, ignoring brackets inside strings and comments."""
    depth = 0
    quote: str | None = None
    escaped = False
    for char in value:
        if quote:
            if escaped:
                escaped = False
            elif char == "\\" and quote == '"':
                escaped = True
            elif char == quote:
                quote = None
        elif char in "\"'":
            quote = char
        elif char == "#":
            break
        elif char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
    return depth


# --------------------------------------------------------------------------- canonical writing


def canonical_value(value: Any) -> Any:
    """Normalise a value for writing: integral floats become ints, times lose microseconds.

    `5600000.0` and `5600000` mean the same quantity; writing both forms would make
    a no-op edit show up in a diff.
    """
    kind = type(value)
    if kind is str or kind is int or kind is bool:  # most values: no ABC checks
        return value
    if kind is dict:
        return {key: canonical_value(item) for key, item in value.items()}
    if kind is list:
        return [canonical_value(item) for item in value]
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer() and abs(value) < 2**53:
            return int(value)
        return value
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC)
        return value.replace(microsecond=0)
    if isinstance(value, Mapping):
        return {key: canonical_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [canonical_value(item) for item in value]
    return value


def dumps_canonical(data: Mapping[str, Any]) -> str:
    """TOML text for `data` in the project's one canonical form.

    Key order is the order of `data`, except that TOML requires plain keys before
    tables.  Tables are always written as `[table]` and lists of tables always as
    `[[table]]` blocks, and non-empty arrays one item a line: tomli-w on its own
    switches a list between inline and block form by its length, so adding a
    short evidence entry would rewrite neighbouring lines in a diff.
    """
    return _dump_table(canonical_value(data), ())


def _is_table_list(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, Mapping) for v in value)


def _dump_table(table: Mapping[str, Any], path: tuple[str, ...]) -> str:
    lines: list[str] = []
    nested: list[str] = []
    for key, value in table.items():
        dump_entry(lines, nested, key, value, path)
    return join_table(lines, nested, path)


def dump_entry(
    lines: list[str], nested: list[str], key: str, value: Any, path: tuple[str, ...]
) -> None:
    """Write one canonical `key = value` into `lines`, or one table (or list of
    tables) into `nested`, which follow all of a table's plain keys."""
    kind = type(value)
    if kind is str:  # the common case first: `isinstance` against ABCs is slow
        lines.append(f"{format_key(key)} = {format_value(value)}\n")
    elif kind is dict or isinstance(value, Mapping):
        inner = (*path, key)
        nested.append(f"\n[{table_header(inner)}]\n" + _dump_table(value, inner))
    elif _is_table_list(value):
        inner = (*path, key)
        header = f"\n[[{table_header(inner)}]]\n"
        for item in value:
            nested.append(header + _dump_table(item, inner))
    else:
        lines.append(f"{format_key(key)} = {format_value(value)}\n")


def join_table(lines: list[str], nested: list[str], path: tuple[str, ...]) -> str:
    """A table's text: its plain keys, then its tables; the document has no leading blank."""
    body = "".join(lines) + "".join(nested)
    return body.lstrip("\n") if not path else body


@functools.lru_cache(maxsize=1024)
def table_header(path: tuple[str, ...]) -> str:
    """The dotted name of a table, as in `[source]` or `[[history]]`."""
    return ".".join(format_key(part) for part in path)


_BARE_KEY_RE = re.compile(r"^[A-Za-z0-9_-]+$")
_PLAIN_STRING_RE = re.compile(r'[^"\\\x00-\x1f\x7f]*')
"""Strings tomli-w would write as-is between quotes: no quote, backslash or control."""


@functools.lru_cache(maxsize=1024)
def format_key(key: str) -> str:
    """A key as TOML writes it: bare when it can be, quoted otherwise."""
    return key if _BARE_KEY_RE.match(key) else format_value(key)


def format_value(value: Any) -> str:
    """One TOML value.  Plain strings, ints, bools and dates take a fast path that
    writes exactly what tomli-w writes; everything else goes through tomli-w."""
    if isinstance(value, str) and _PLAIN_STRING_RE.fullmatch(value):
        return f'"{value}"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        if not value:
            return "[]"
        items = "".join(f"    {format_value(item)},\n" for item in value)
        return f"[\n{items}]"
    if isinstance(value, dt.datetime) and value.utcoffset() == dt.timedelta(0):
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    rendered: str = tomli_w.dumps({"v": value}, multiline_strings=True)
    return rendered[len("v = ") : -1]


class WriteError(OSError):
    """A file could not be written (disk full, read-only, no permission); nothing changed.

    The message is one line naming the file, the reason and what to do, for the
    CLI and the app to show as it is.
    """

    def __init__(self, path: Path, error: OSError) -> None:
        reason = error.strerror or str(error)
        advice = _WRITE_ADVICE.get(error.errno or 0, "fix the cause and run the command again")
        super().__init__(
            f"{path}: cannot write the file ({reason}); it was left as it was: {advice}"
        )
        self.path = path
        self.errno = error.errno


_WRITE_ADVICE = {
    errno.ENOSPC: "free some disk space and run the command again",
    errno.EDQUOT: "your disk quota is used up: free some space and run the command again",
    errno.EFBIG: "the file system refuses a file this large: free space or raise the limit",
    errno.EROFS: "the file system is read-only: work in a writable copy",
    errno.EACCES: "check the permissions of the file and its folder",
    errno.EPERM: "check the permissions of the file and its folder",
    errno.EIO: "the disk reported an input/output error: check it before going on",
}


def write_atomic(path: Path, text: str) -> None:
    """Write `text` to `path` so that readers see the old file or the new, never half.

    The temporary file is created in the same folder (a rename across file systems
    is not atomic), flushed and fsynced before the rename, and the folder is fsynced
    after it so that the rename itself survives a power cut.  A symlink is written
    through to its target (which keeps the link).  When the disk is full
    (or read-only, or failing) the temporary file is removed, the file is left as it
    was, and `WriteError` says so in one line.
    """
    # A symlinked file is written through to its target, never replaced by a copy.
    _write_via_temporary(Path(os.path.realpath(path)), text, exclusive=False)


def write_new(path: Path, text: str) -> None:
    """Write a new file at `path`, atomically and only if no file is there yet.

    The text goes to a temporary file first, which is then hard-linked to `path`:
    the link fails when `path` exists, so of two writers creating the same file
    exactly one succeeds, and a reader never sees half a file.  Where the file
    system has no hard links, `O_CREAT | O_EXCL` makes the same promise about who
    wins.  Raises `FileExistsError` when the file is already there.
    """
    _write_via_temporary(Path(path), text, exclusive=True)


def _write_via_temporary(path: Path, text: str, *, exclusive: bool) -> None:
    folder = path.parent
    data = text.encode("utf-8")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as error:
        raise WriteError(path, error) from None
    try:
        try:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            if exclusive:
                os.chmod(temporary, 0o644)
                _link_new(temporary, path, data)
            else:
                try:
                    mode = path.stat().st_mode & 0o777
                except FileNotFoundError:
                    mode = 0o644
                os.chmod(temporary, mode)
                os.replace(temporary, path)
        except FileExistsError:
            raise
        except OSError as error:
            raise WriteError(path, error) from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
    fsync_folder(folder)


def _link_new(temporary: str, path: Path, data: bytes) -> None:
    try:
        os.link(temporary, path)
    except FileExistsError:
        raise
    except OSError as error:
        if error.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
            raise
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        try:
            os.write(descriptor, data)
            os.fsync(descriptor)
        except OSError:
            os.close(descriptor)
            os.unlink(path)
            raise
        os.close(descriptor)


def fsync_folder(folder: Path) -> None:
    """Make a rename in `folder` durable; a no-op where folders cannot be opened."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - some platforms cannot open folders
        return
    try:
        os.fsync(descriptor)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(descriptor)
