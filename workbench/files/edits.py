"""A claim's new text written as an edit of its old text: only the lines that change.

A review action changes a few things: a status, an entry appended to the
history, a relation or a dismissal appended to their lists.  Rewriting the whole
file from the model (as `workbench fmt` does) would drop a maintainer's comments
and hand formatting, and make a diff touch lines nobody changed.  So the new
text is the old text with the status line replaced and the new `[[history]]`
(or `[[relations]]`, `[[dismissed]]`) block inserted after the last one, each in
canonical form.

Every edit is checked by parsing its result: it must load as exactly the
intended claim.  When the change is not of a kind edited in place (an undo that
removes a relation) or the check fails, the canonical text with the old text's
comments put back (`keep_comments`) is written instead, which is also checked.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ValidationError

from workbench.files.layout import Layout, keep_comments, scan_layout
from workbench.models import Claim
from workbench.storage import field_entries, item_block, model_text, value_text
from workbench.tomlio import TomlSyntaxError, format_key, parse_toml


class _NotInPlace(Exception):
    """The change cannot be made as a line edit of this file."""


def claim_text_after(text: str, before: Claim, after: Claim) -> str:
    """The text to write for `after`, given the file's `text` that loads as `before`.

    A canonical file (the common case: no comments, no hand formatting) gets the
    canonical text of `after`, which differs from it in just the changed lines.
    Otherwise the in-place edit must parse back to `after`.
    """
    canonical_after = model_text(after)
    if text == model_text(before):
        return canonical_after
    try:
        edited: str | None = _edit_in_place(text, before, after)
    except _NotInPlace:
        edited = None
    if edited is not None and (edited == canonical_after or _loads_as(edited, after)):
        return edited
    kept = keep_comments(canonical_after, text)
    if _loads_as(kept, after):
        return kept
    return canonical_after  # pragma: no cover - `keep_comments` only adds comment lines


def _loads_as(text: str, claim: Claim) -> bool:
    try:
        return Claim.model_validate(parse_toml(text)) == claim
    except (TomlSyntaxError, ValidationError):
        return False


def _edit_in_place(text: str, before: Claim, after: Claim) -> str:
    layout = scan_layout(text)
    lines = [line.text for line in layout.lines]
    # (line index, how many lines to replace there, the new lines); applied bottom up
    edits: list[tuple[int, int, list[str]]] = []
    order = [key for key, _, _ in field_entries(before)]
    for key, old_value, new_value, written in _changed_fields(before, after):
        if isinstance(new_value, list) and _is_table_list(new_value, old_value):
            if new_value[: len(old_value)] != old_value:
                raise _NotInPlace
            blocks = [item_block(key, item) for item in new_value[len(old_value) :]]
            edits.append(_append_tables(layout, key, order, blocks))
        elif isinstance(new_value, BaseModel | list) or isinstance(old_value, BaseModel):
            raise _NotInPlace
        else:
            edits.append(_set_key(layout, key, order, new_value if written else None))
    edits.sort(key=lambda edit: edit[0], reverse=True)
    for index, count, new_lines in edits:
        lines[index : index + count] = new_lines
    return "\n".join(lines) + "\n"


def _changed_fields(before: Claim, after: Claim) -> list[tuple[str, Any, Any, bool]]:
    """(TOML key, old value, new value, whether the new value is written) per changed field."""
    changed = []
    for (key, old_value, _), (_, new_value, written) in zip(
        field_entries(before), field_entries(after), strict=True
    ):
        if old_value != new_value:
            changed.append((key, old_value, new_value, written))
    return changed


def _is_table_list(new_value: list[Any], old_value: Any) -> bool:
    return isinstance(old_value, list) and all(
        isinstance(item, BaseModel) for item in [*new_value, *old_value]
    )


def _top_level_keys(layout: Layout) -> list[int]:
    return [
        index
        for index, line in enumerate(layout.lines)
        if line.kind == "key" and line.table == () and len(line.anchor) == 1
    ]


def _first_header(layout: Layout) -> int:
    for index, line in enumerate(layout.lines):
        if line.kind == "header":
            return index
    return len(layout.lines)


def _set_key(
    layout: Layout, key: str, order: Sequence[str], value: Any
) -> tuple[int, int, list[str]]:
    """Replace (or insert, or remove) one top-level `key = value` line."""
    for index in _top_level_keys(layout):
        line = layout.lines[index]
        if line.anchor != (key,):
            continue
        end = layout.statement_end(index)
        if value is None:
            if line.comment or end - index > 1:
                raise _NotInPlace  # keep the comment: let `keep_comments` place it
            return index, 1, []
        prefix = line.text[: line.value_start]
        return index, end - index, [f"{prefix}{value_text(value)}{line.comment}"]
    if value is None:
        return 0, 0, []
    # not written yet: after the last top-level key that comes before it, else first
    rank = order.index(key)
    position = 0
    limit = _first_header(layout)
    for index in _top_level_keys(layout):
        if index > limit:
            break
        other = layout.lines[index].anchor[0]
        if isinstance(other, str) and other in order and order.index(other) < rank:
            position = layout.statement_end(index)
    return position, 0, [f"{format_key(key)} = {value_text(value)}"]


def _append_tables(
    layout: Layout, key: str, order: Sequence[str], blocks: list[str]
) -> tuple[int, int, list[str]]:
    """Insert `[[key]]` blocks after the last one of the file, or where the list belongs."""
    new_lines = [line for block in blocks for line in block.split("\n")]
    lines = layout.lines
    headers = [
        index
        for index, line in enumerate(lines)
        if line.kind == "header" and len(line.anchor) == 2 and line.anchor[0] == key
    ]
    if any(line.kind == "key" and line.anchor == (key,) for line in lines):
        raise _NotInPlace  # written as an inline array: not a place to add a block
    if any(
        line.kind == "header" and line.anchor == (key,) for line in lines
    ):  # pragma: no cover - a table where a list belongs does not load
        raise _NotInPlace
    if headers:
        start = headers[-1] + 1
        following = next(
            (
                index
                for index in range(start, len(lines))
                if lines[index].kind == "header" and lines[index].anchor[:1] != (key,)
            ),
            len(lines),
        )
    else:
        rank = order.index(key)
        following = next(
            (
                index
                for index, line in enumerate(lines)
                if line.kind == "header"
                and len(line.table) >= 1
                and isinstance(line.table[0], str)
                and line.table[0] in order
                and order.index(line.table[0]) > rank
            ),
            len(lines),
        )
    # the blank and comment lines before the next table (or the end) stay with it,
    # but comments right under the last statement, closed by a blank line, stay
    # under that statement (as `keep_comments` places them)
    position = following
    while position > 0 and lines[position - 1].kind in ("blank", "comment"):
        position -= 1
    under = position
    while under < following and lines[under].kind == "comment":
        under += 1
    if under > position and under < len(lines) and lines[under].kind == "blank":
        position = under
    return position, 0, new_lines
