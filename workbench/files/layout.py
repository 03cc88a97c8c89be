"""The layout of a TOML file line by line: which statement each line belongs to, and
where its comments are.

Two writers need it.  A review action edits only the lines it must (`edits.py`),
so it has to find the `status` line or the end of the last `[[history]]` block
in a file a maintainer formatted by hand.  `workbench fmt` and `check`'s
canonical-form rule put comments back into the canonical text (`keep_comments`),
so it has to know which key or table each comment stands beside.

A scanner rather than a round-trip parser: it only has to tell strings (which
may hold `#` and brackets), multi-line strings and arrays apart from comments;
every edit made with it is checked afterwards by parsing the result.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

Anchor = tuple[str | int, ...]
"""Where a statement sits: ("status",), ("source",), ("history", 2), ("history", 2, "note")."""

LineKind = Literal["blank", "comment", "header", "key", "more"]
"""`more` is a further line of a multi-line value (array or string) begun above."""

_BARE_KEY = r"[A-Za-z0-9_-]+"
_QUOTED_KEY = r'"(?:[^"\\]|\\.)*"|\'[^\']*\''
_KEY_PART = rf"(?:{_BARE_KEY}|{_QUOTED_KEY})"
_DOTTED_KEY = rf"{_KEY_PART}(?:[ \t]*\.[ \t]*{_KEY_PART})*"
_KEY_RE = re.compile(rf"[ \t]*({_DOTTED_KEY})[ \t]*=[ \t]*")
_HEADER_RE = re.compile(rf"[ \t]*(\[\[?)[ \t]*({_DOTTED_KEY})[ \t]*(\]\]?)")
_KEY_PART_RE = re.compile(_KEY_PART)
_PLAIN_LINE_RE = re.compile(r'([A-Za-z0-9_-]+) = (?:"[^"\\#]*"|[0-9][0-9TZ:.+-]*|true|false)')
"""Most lines of a claim: a bare key and a plain value, no comment (no scan needed)."""
_ESCAPE_RE = re.compile(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)")
_SIMPLE_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\"}


def split_dotted(key: str) -> tuple[str, ...]:
    """The parts of a dotted key, unquoted: `a."b.c"` is ("a", "b.c")."""
    parts: list[str] = []
    for match in _KEY_PART_RE.finditer(key):
        part = match.group()
        if part.startswith('"'):
            part = _ESCAPE_RE.sub(_unescape, part[1:-1])
        elif part.startswith("'"):
            part = part[1:-1]
        parts.append(part)
    return tuple(parts)


def _unescape(match: re.Match[str]) -> str:
    code = match.group(1)
    if code[0] in "uU" and len(code) > 1:
        return chr(int(code[1:], 16))
    return _SIMPLE_ESCAPES.get(code, code)


@dataclass(slots=True)
class Line:
    """One line of the file and what it is."""

    text: str
    kind: LineKind
    anchor: Anchor = ()
    """The statement the line belongs to (empty for blank and comment lines)."""
    table: Anchor = ()
    """The table the line is in: () at the top, ("history", 2) in the third history entry."""
    comment: str = ""
    """The line's trailing comment with the spaces before it, as written."""
    value_start: int = -1
    """For a `key` line, where its value begins."""


@dataclass(slots=True)
class Layout:
    lines: list[Line] = field(default_factory=list)

    def statements(self) -> list[int]:
        """Indexes of the lines that begin a statement (a key or a table header)."""
        return [i for i, line in enumerate(self.lines) if line.kind in ("header", "key")]

    def statement_end(self, index: int) -> int:
        """The index just past the last line of the statement beginning at `index`."""
        end = index + 1
        while end < len(self.lines) and self.lines[end].kind == "more":
            end += 1
        return end


class _ValueState:
    """Where a scan of a value stands at the end of a line."""

    __slots__ = ("depth", "quote")

    def __init__(self) -> None:
        self.depth = 0
        self.quote = ""

    @property
    def open(self) -> bool:
        return self.depth > 0 or bool(self.quote)


def _scan(text: str, start: int, state: _ValueState) -> int:
    """Scan `text[start:]` (one line), updating `state`; return where a comment starts, or -1."""
    index = start
    length = len(text)
    while index < length:
        char = text[index]
        quote = state.quote
        if quote:
            if char == "\\" and quote[0] == '"':
                index += 2
                continue
            if text.startswith(quote, index):
                index += len(quote)
                # a multi-line string may end in up to two more quotes of its own
                if len(quote) == 3:
                    while index < length and text[index] == quote[0]:
                        index += 1
                state.quote = ""
                continue
            index += 1
            continue
        if char in "\"'":
            state.quote = char * 3 if text.startswith(char * 3, index) else char
            index += len(state.quote)
            continue
        if char == "#":
            return index
        if char in "[{":
            state.depth += 1
        elif char in "]}":
            state.depth = max(state.depth - 1, 0)
        index += 1
    if len(state.quote) == 1:  # a one-line string cannot go on; the parser says so
        state.quote = ""
    return -1


def _comment_from(text: str, hash_index: int) -> str:
    """The comment starting at `hash_index`, with the blanks before it."""
    if hash_index < 0:
        return ""
    start = len(text[:hash_index].rstrip(" \t"))
    return text[start:]


def scan_layout(text: str) -> Layout:
    """Each line of `text` with its kind, the statement it belongs to and its comment."""
    layout = Layout()
    table: Anchor = ()
    counts: dict[Anchor, int] = {}
    state = _ValueState()
    owner: Anchor = ()
    for raw in text.splitlines():
        if state.open:
            hash_index = _scan(raw, 0, state)
            layout.lines.append(Line(raw, "more", owner, table, _comment_from(raw, hash_index)))
            continue
        plain = _PLAIN_LINE_RE.fullmatch(raw)
        if plain is not None:
            owner = (*table, plain.group(1))
            layout.lines.append(Line(raw, "key", owner, table, "", len(plain.group(1)) + 3))
            continue
        stripped = raw.strip()
        if not stripped:
            layout.lines.append(Line(raw, "blank", table=table))
            continue
        if stripped.startswith("#"):
            layout.lines.append(Line(raw, "comment", table=table))
            continue
        header = _HEADER_RE.match(raw)
        if header is not None and raw.lstrip().startswith("["):
            path: Anchor = split_dotted(header.group(2))
            if header.group(1) == "[[":
                number = counts.get(path, -1) + 1
                counts[path] = number
                # a nested table list restarts when its parent entry does
                for nested in [
                    nested
                    for nested in counts
                    if len(nested) > len(path) and nested[: len(path)] == path
                ]:
                    del counts[nested]
                table = (*path, number)
            else:
                table = path
            hash_index = _scan(raw, header.end(), _ValueState())
            layout.lines.append(Line(raw, "header", table, table, _comment_from(raw, hash_index)))
            continue
        key = _KEY_RE.match(raw)
        if key is None:  # not TOML we understand: keep it as it is, bound to nothing
            layout.lines.append(Line(raw, "more", (), table))
            continue
        owner = (*table, *split_dotted(key.group(1)))
        hash_index = _scan(raw, key.end(), state)
        layout.lines.append(
            Line(raw, "key", owner, table, _comment_from(raw, hash_index), key.end())
        )
    return layout


def _last_line(layout: Layout, index_of: dict[Anchor, int], anchor: Anchor | None) -> int | None:
    """The last line of the statement at `anchor` in `layout`, if it is there."""
    if anchor is None or anchor not in index_of:
        return None
    return layout.statement_end(index_of[anchor]) - 1


def keep_comments(canonical: str, original: str) -> str:
    """`canonical` with the comments of `original` put back beside what they annotate.

    A block of comment lines goes before the key or table it stands above,
    unless it sits right under a statement with a blank line after it (a note at
    the end of a table): then it stays under that statement.  A trailing comment
    stays at the end of its line, the comments that open the file stay at its
    top and those after the last statement stay at the end.
    When the key a comment stood above is gone, the comment goes with the next
    statement that is still there, so no comment line is ever dropped.  Blank
    lines before a block belong to the canonical layout; blank lines inside and
    after it are kept.  Canonical text with comments put back this way is its
    own fixed point: `check` accepts it as canonical.
    """
    source = scan_layout(original)
    target = scan_layout(canonical)
    if not any(line.kind == "comment" or line.comment for line in source.lines):
        return canonical
    target_index: dict[Anchor, int] = {}
    for index, line in enumerate(target.lines):
        if line.kind in ("header", "key"):
            target_index.setdefault(line.anchor, index)
    before: dict[int, list[str]] = {}
    trailing: dict[int, str] = {}
    at_end: list[str] = []
    statement_anchors = [
        (index, line.anchor)
        for index, line in enumerate(source.lines)
        if line.kind in ("header", "key")
    ]

    def home(after_line: int) -> int | None:
        """The canonical line of the first statement from `after_line` on that still exists."""
        for index, anchor in statement_anchors:
            if index >= after_line and anchor in target_index:
                return target_index[anchor]
        return None

    first_statement = statement_anchors[0][0] if statement_anchors else -1
    after: dict[int, list[str]] = {}
    pending: list[str] = []
    tail: list[str] = []  # comments right under the previous statement, before any blank
    previous: Anchor | None = None
    blank_since_statement = False
    for index, line in enumerate(source.lines):
        if line.kind == "blank":
            blank_since_statement = True
            if pending:
                pending.append(line.text)
            continue
        if line.kind == "comment":
            if previous is not None and not blank_since_statement:
                tail.append(line.text)
            else:
                pending.append(line.text)
            continue
        if line.kind == "more":
            if line.comment:
                pending.append(line.comment.lstrip(" \t"))
            continue
        if tail:
            # a comment right under a statement and then a blank line closes that
            # statement's part (the end of a table); without the blank it leads the next
            end_of_previous = _last_line(target, target_index, previous)
            if blank_since_statement and end_of_previous is not None:
                after.setdefault(end_of_previous, []).extend(tail)
            else:
                pending = tail + pending
            tail = []
        destination = home(index)
        if pending and index == first_statement:
            destination = 0  # the file's opening comments stay at its top
        if pending:
            if destination is None:
                at_end.extend(pending)
            else:
                before.setdefault(destination, []).extend(pending)
            pending = []
        if line.comment:
            own = target_index.get(line.anchor)
            if own is not None and own not in trailing:
                trailing[own] = line.comment
            elif destination is not None and destination != own:
                before.setdefault(destination, []).append(line.comment.lstrip(" \t"))
            else:
                at_end.append(line.comment.lstrip(" \t"))
        previous = line.anchor
        blank_since_statement = False
    at_end.extend(tail)
    if tail and blank_since_statement:
        at_end.append("")
    at_end.extend(pending)
    out: list[str] = []
    for index, line in enumerate(target.lines):
        out.extend(before.get(index, ()))
        out.append(line.text + trailing.get(index, ""))
        out.extend(after.get(index, ()))
    out.extend(at_end)
    return "\n".join(out) + "\n"
