"""Finding the conflict markers a line merge leaves in a file.

A claim file that git could not merge holds `<<<<<<<`, `=======` and
`>>>>>>>` lines (and `|||||||` in diff3 style), which TOML cannot parse.  The
parser's own message ("Invalid statement") says nothing a reviewer can act on,
so a file that does not parse is searched for markers, and the problem names
them, with the line of the first one and what to do.
"""

from __future__ import annotations

import re

MARKER_RE = re.compile(r"^(<{7}|={7}|>{7}|\|{7})(?:[ \t].*)?\r?$", re.MULTILINE)
"""A marker line: seven marker characters alone or followed by a space and a label."""

RESOLVE_HINT = "resolve the conflict (keep one side, or run `workbench git-setup` and merge again)"


def conflict_marker_message(text: str) -> tuple[int, str] | None:
    """(line of the first marker, message) if `text` holds conflict markers, else None."""
    lines = [text.count("\n", 0, match.start()) + 1 for match in MARKER_RE.finditer(text)]
    if not lines:
        return None
    first, *others = lines
    more = ""
    if others:
        shown = ", ".join(str(line) for line in others[:6]) + (", ..." if len(others) > 6 else "")
        more = f" (more markers at line{'s' if len(others) > 1 else ''} {shown})"
    return first, f"unresolved git conflict marker{more}: {RESOLVE_HINT}"


__all__ = ["MARKER_RE", "RESOLVE_HINT", "conflict_marker_message"]
