"""`ClaimTable`: the claims list as a line-API widget that renders only what is visible.

A `DataTable` builds a row object per claim (about 10 s for 100,000 rows); this
widget holds a `ClaimIndex` (columns) and the list of positions to show, and
draws each visible line on demand in `render_line`, the way Toolong's `LogLines`
does, so a screenful costs the same at 100 claims or 100,000.  Swapping in a new
filtered list is instant, and lines already drawn are reused.

Columns are measured in terminal cells (Korean and emoji take two) and cut
with an ellipsis by cells.  Every text is drawn as plain segments: nothing from
the data is ever read as markup, and control characters show as visible
symbols instead of reaching the terminal.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import ClassVar, overload

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import BindingType
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from workbench.app.filtering import ClaimIndex, ClaimRow
from workbench.app.keymap import TABLE_BINDINGS

_CONTROL_PICTURES = {code: 0x2400 + code for code in range(0x20)} | {0x7F: 0x2421}
_CONTROL_PICTURES.update({0x09: 0x20, 0x0A: 0x20, 0x0D: 0x20})  # whitespace reads as a space
_CONTROL_PICTURES.update({code: 0xFFFD for code in range(0x80, 0xA0)})


def printable(text: str) -> str:
    """Text safe to draw: tabs and newlines become spaces, other controls visible symbols."""
    return text.translate(_CONTROL_PICTURES)


def fit(text: str, width: int) -> str:
    """`text` cut or padded to exactly `width` cells, with `…` where it was cut."""
    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return set_cell_size(text, width)
    return set_cell_size(text, width - 1) + "…"


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    title: str
    width: int


FIXED_COLUMNS: tuple[tuple[str, str, int, int], ...] = (
    # key, title, preferred width, drop order (higher is dropped first when narrow)
    ("status", "Status", 12, 0),
    ("id", "Id", 28, 0),
    ("outlet", "Source", 14, 3),
    ("published", "Date", 10, 2),
    ("stance", "Stance", 11, 4),
    ("topic", "Topic", 11, 5),
)
STATEMENT_MIN = 24
GUTTER = 2


def layout_columns(
    width: int, status_width: int = 12, id_width: int = 28, outlet_width: int = 14
) -> list[Column]:
    """The columns that fit in `width` cells; the statement takes what is left."""
    preferred = {"status": status_width, "id": id_width, "outlet": outlet_width}
    fixed = [
        (key, title, preferred.get(key, size), drop) for key, title, size, drop in FIXED_COLUMNS
    ]
    while True:
        used = GUTTER + sum(size + 1 for _key, _title, size, _drop in fixed)
        if width - used >= STATEMENT_MIN or not any(drop for *_rest, drop in fixed):
            break
        worst = max(fixed, key=lambda column: column[3])
        fixed.remove(worst)
    statement = max(8, width - used)
    columns = [Column(key, title, size) for key, title, size, _drop in fixed]
    position = next(index for index, column in enumerate(columns) if column.key == "id") + 1
    columns.insert(position, Column("statement", "Statement", statement))
    return columns


class IdView(Sequence[str]):
    """The ids at some positions of an index, without building a list of them."""

    def __init__(self, index: ClaimIndex, positions: Sequence[int]) -> None:
        self._ids = index.ids
        self._positions = positions

    def __len__(self) -> int:
        return len(self._positions)

    @overload
    def __getitem__(self, item: int) -> str: ...

    @overload
    def __getitem__(self, item: slice) -> list[str]: ...

    def __getitem__(self, item: int | slice) -> str | list[str]:
        if isinstance(item, slice):
            return [self._ids[position] for position in self._positions[item]]
        return self._ids[self._positions[item]]

    def __iter__(self) -> Iterator[str]:
        ids = self._ids
        return (ids[position] for position in self._positions)


class ClaimTable(ScrollView, can_focus=True, inherit_bindings=False):
    """A cursor over a list of claim ids, drawn a visible line at a time."""

    BINDINGS: ClassVar[list[BindingType]] = list(TABLE_BINDINGS)

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "claim-table--header",
        "claim-table--cursor",
        "claim-table--cursor-blurred",
        "claim-table--marked",
        "claim-table--dim",
        "claim-table--status-unreviewed",
        "claim-table--status-verified",
        "claim-table--status-false",
        "claim-table--status-other",
        "claim-table--empty",
    }

    class CursorMoved(Message):
        """The cursor is on another claim (None: the list is empty)."""

        def __init__(self, claim_id: str | None) -> None:
            super().__init__()
            self.claim_id = claim_id

    def __init__(
        self,
        *,
        status_style: Callable[[str], str] | None = None,
        empty_text: str = "No claims match.",
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._index = ClaimIndex([])
        self._positions: Sequence[int] = ()
        self._cursor = 0
        self.marked: dict[str, None] = {}
        """Claims marked for comparison, in the order they were marked."""
        self._status_style = status_style or (lambda status: "other")
        self.empty_text = empty_text
        self._strips: LRUCache[tuple[object, ...], Strip] = LRUCache(1024)
        self._generation = 0
        self.measure_from: tuple[Sequence[str], Sequence[str], Sequence[str]] | None = None
        """Ids, statuses and outlets to measure the columns on instead of the index's:
        while the index holds only the first page (`load_project_first_page`), the
        columns already have the widths the whole list will give them."""
        self._id_width = 12
        self._status_width = 10
        self._outlet_width = 10
        self._layout: tuple[int, list[Column]] = (-1, [])

    # ------------------------------------------------------------------ data

    @property
    def index(self) -> ClaimIndex:
        return self._index

    @property
    def positions(self) -> Sequence[int]:
        """Positions (in `index`) of the claims shown, in order."""
        return self._positions

    @property
    def ids(self) -> IdView:
        """The ids of the claims shown, in order."""
        return IdView(self._index, self._positions)

    @property
    def cursor(self) -> int:
        return self._cursor

    @property
    def cursor_id(self) -> str | None:
        if 0 <= self._cursor < len(self._positions):
            return self._index.ids[self._positions[self._cursor]]
        return None

    def show(self, index: ClaimIndex, positions: Sequence[int], *, keep: str | None = None) -> None:
        """Show these positions of `index`; the cursor stays on `keep` (default: the
        claim it is on) if shown, else on the same line."""
        wanted = keep if keep is not None else self.cursor_id
        if index is not self._index:
            self._index = index
            self._measure()
            self.invalidate()
        self._positions = positions
        target = self._cursor
        position = index.position_of(wanted) if wanted is not None else None
        if position is not None:
            with contextlib.suppress(ValueError):  # filtered out: stay on the same line
                target = positions.index(position)
        self._set_extent(len(positions) + 1)
        self.refresh()
        self.move_cursor(target, force=True)

    def _set_extent(self, lines: int) -> None:
        """Set the scrollable height without a layout pass of the whole screen.

        `virtual_size` is a layout reactive: assigning it relayouts the screen
        (tens of milliseconds per keystroke).  The scrollbar is always shown
        (`overflow-y: scroll`), so a new height changes nothing but the
        scrollbar, which is what `_scroll_update` adjusts.
        """
        size = Size(self.scrollable_content_region.width, lines)
        if size == self.virtual_size:
            return
        self.set_reactive(ClaimTable.virtual_size, size)
        self._scroll_update(size)

    def invalidate(self, claim_ids: Iterable[str] | None = None) -> None:
        """Forget drawn lines (all, or those of these claims) and redraw."""
        del claim_ids  # lines are cached by generation: one bump redraws every line
        self._generation += 1
        self._strips.clear()
        self.refresh()

    def _measure(self) -> None:
        """Column widths from the index's values (ids from a sample): stable while typing."""
        index = self._index
        if self.measure_from is not None:
            sample, statuses, outlets = self.measure_from
        else:
            sample = index.ids[:5000]
            statuses = index.fields["status"].values
            outlets = index.fields["source"].values
        self._id_width = min(32, max([cell_len(claim_id) for claim_id in sample] + [8]))
        self._status_width = min(14, max([cell_len(status) for status in statuses] + [6]))
        self._outlet_width = min(16, max([cell_len(outlet) for outlet in outlets] + [6]))
        self._layout = (-1, [])

    def toggle_mark(self, claim_id: str | None = None) -> bool:
        """Mark or unmark a claim (default: the one under the cursor); returns whether marked."""
        claim_id = claim_id or self.cursor_id
        if claim_id is None:
            return False
        if claim_id in self.marked:
            del self.marked[claim_id]
            marked = False
        else:
            self.marked[claim_id] = None
            marked = True
        self.invalidate()
        return marked

    # ------------------------------------------------------------------ cursor

    @property
    def page_rows(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def move_cursor(self, line: int, *, force: bool = False) -> None:
        count = len(self._positions)
        line = max(0, min(line, count - 1)) if count else 0
        moved = line != self._cursor
        old = self._cursor
        self._cursor = line
        self._scroll_to_cursor()
        if moved or force:
            self.refresh_line(old + 1)
            self.refresh_line(line + 1)
            self.post_message(self.CursorMoved(self.cursor_id))

    def _scroll_to_cursor(self) -> None:
        visible = self.page_rows
        top = self.scroll_offset.y
        if self._cursor < top:
            top = self._cursor
        elif self._cursor >= top + visible:
            top = self._cursor - visible + 1
        if top != self.scroll_offset.y:
            self.scroll_to(y=top, animate=False, immediate=True)

    def action_cursor(self, step: int) -> None:
        self.move_cursor(self._cursor + step)

    def action_page(self, direction: int) -> None:
        self.move_cursor(self._cursor + direction * self.page_rows)

    def action_first(self) -> None:
        self.move_cursor(0)

    def action_last(self) -> None:
        self.move_cursor(len(self._positions) - 1)

    def on_click(self, event: events.Click) -> None:
        line = event.y
        if line >= 1:
            self.move_cursor(self.scroll_offset.y + line - 1)

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(event.size.width, len(self._positions) + 1)
        self.invalidate()
        self._scroll_to_cursor()

    def _on_focus(self, event: events.Focus) -> None:
        super()._on_focus(event)
        self.invalidate()

    def _on_blur(self, event: events.Blur) -> None:
        super()._on_blur(event)
        self.invalidate()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()

    # ------------------------------------------------------------------ drawing

    def _columns(self) -> list[Column]:
        width = self.scrollable_content_region.width
        if self._layout[0] != width:
            columns = layout_columns(width, self._status_width, self._id_width, self._outlet_width)
            self._layout = (width, columns)
        return self._layout[1]

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        if y == 0:
            return self._header(width, base)
        line = self.scroll_offset.y + y - 1
        if not self._positions:
            if y == 2:
                style = base + self.get_component_rich_style("claim-table--empty", partial=True)
                return Strip([Segment(fit(f"  {self.empty_text}", width), style)], width)
            return Strip.blank(width, base)
        if line >= len(self._positions):
            return Strip.blank(width, base)
        position = self._positions[line]
        claim_id = self._index.ids[position]
        is_cursor = line == self._cursor
        is_marked = claim_id in self.marked
        key = (self._generation, position, width, is_cursor, is_marked, self.has_focus)
        strip = self._strips.get(key)
        if strip is None:
            strip = self._draw_row(self._index.row(position), width, base, is_cursor, is_marked)
            self._strips[key] = strip
        return strip

    def _header(self, width: int, base: Style) -> Strip:
        style = base + self.get_component_rich_style("claim-table--header")
        segments = [Segment(" " * GUTTER, style)]
        for column in self._columns():
            segments.append(Segment(fit(column.title, column.width) + " ", style))
        return Strip(segments).adjust_cell_length(width, style)

    def _draw_row(
        self, row: ClaimRow, width: int, base: Style, is_cursor: bool, is_marked: bool
    ) -> Strip:
        if is_cursor:
            name = "claim-table--cursor" if self.has_focus else "claim-table--cursor-blurred"
            row_style = base + self.get_component_rich_style(name)
        else:
            row_style = base
        if is_marked:
            row_style += self.get_component_rich_style("claim-table--marked", partial=True)
        dim = row_style + self.get_component_rich_style("claim-table--dim", partial=True)
        segments = [Segment("◆ " if is_marked else "  ", row_style)]
        for column in self._columns():
            text, style = self._cell(row, column.key, row_style, dim)
            segments.append(Segment(fit(printable(text), column.width), style))
            segments.append(Segment(" ", row_style))
        return Strip(segments).adjust_cell_length(width, row_style)

    def _cell(self, row: ClaimRow, key: str, row_style: Style, dim: Style) -> tuple[str, Style]:
        if key == "status":
            kind = self._status_style(row.status)
            status = self.get_component_rich_style(f"claim-table--status-{kind}", partial=True)
            return row.status, row_style + status
        if key == "id":
            return row.id, dim
        if key == "statement":
            return row.statement, row_style
        if key == "outlet":
            return row.outlet, row_style
        if key == "published":
            return (row.published.isoformat() if row.published else "—"), dim
        if key == "stance":
            return row.stance, row_style
        if key == "topic":
            return row.topic, row_style
        raise KeyError(key)
