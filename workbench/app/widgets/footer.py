"""`KeyFooter`: the keys a screen offers, drawn as one widget.

Textual's `Footer` is a container of one widget per key (and per group of keys),
removed and mounted again each time the screen's bindings are refreshed: when
the screen comes on top, when focus moves, when `refresh_bindings` is called.
Mounting those widgets and applying their styles (twice: their `compact` flag
flips on mount) was over half of what opening a screen cost: 50-60 ms of CPU for
a screen's twenty keys, 300 ms the first time in a session.  This footer draws
the same line itself, with the same theme variables (`$footer-*`), spacing,
groups and the command palette key on the right, and redraws only when the keys
it shows change.  A click on a key presses it; hovering shows its tooltip.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterator
from dataclasses import dataclass
from itertools import groupby
from typing import ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget


def shown_keys(screen: Screen[object]) -> tuple[Hashable, ...]:
    """What a footer on `screen` shows: each binding it lists, enabled or not, its tooltip."""
    return tuple(
        (key, active.binding, active.enabled, active.tooltip)
        for key, active in screen.active_bindings.items()
        if active.binding.show
    )


@dataclass(frozen=True, slots=True)
class Piece:
    """A run of the footer's line: text, the component style it is drawn in, and the
    key it presses when clicked (None for spacing and group labels)."""

    text: str
    component: str | None
    """A component class of `KeyFooter`, or None for the footer's own style."""
    key: str | None = None
    enabled: bool = True
    tooltip: str = ""


class KeyFooter(Widget, can_focus=False):
    """The screen's keys on one line, looking as Textual's `Footer` does (not compact)."""

    ALLOW_SELECT = False

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "footer-key--key",
        "footer-key--description",
        "footer-key--label",
        "footer-key--palette-border",
        "footer-key--hover",
    }

    DEFAULT_CSS = """
    KeyFooter {
        color: $footer-foreground;
        background: $footer-background;
        dock: bottom;
        height: 1;
        width: 1fr;
        text-wrap: nowrap;
        & > .footer-key--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        & > .footer-key--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        & > .footer-key--label {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        & > .footer-key--palette-border {
            color: $foreground 20%;
        }
        & > .footer-key--hover {
            color: $footer-key-foreground;
            background: $block-hover-background;
        }
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self._shown: tuple[Hashable, ...] | None = None
        self.pieces: list[Piece] = []
        """The line left of the palette key, as last laid out (anew only when the keys
        shown change)."""
        self._palette: list[Piece] = []
        self._hover_key: str | None = None

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self.bindings_changed)
        self._read_keys()

    def bindings_changed(self, screen: Screen[object]) -> None:
        """Redraw if the keys shown changed (the same keys: nothing to do)."""
        if screen is self.screen and self._read_keys():
            self.refresh()

    def _read_keys(self) -> bool:
        """Lay out the screen's keys as pieces; False if they are the ones shown."""
        screen = self.screen
        keys = shown_keys(screen)
        if keys == self._shown:
            return False
        self._shown = keys
        self.pieces = list(self._key_pieces(screen))
        self._palette = list(self._palette_pieces(screen))
        return True

    def _key_pieces(self, screen: Screen[object]) -> Iterator[Piece]:
        """As `Footer.compose` lays them out: one entry per action (its first key); a run
        of two or more actions of one group as the group's keys, then its label."""
        by_action: defaultdict[str, list[tuple[Binding, bool, str]]] = defaultdict(list)
        for _node, binding, enabled, tooltip in screen.active_bindings.values():
            if binding.show:
                by_action[binding.action].append((binding, enabled, tooltip))
        for group, runs in groupby(by_action.values(), lambda entries: entries[0][0].group):
            actions = list(runs)
            if group is not None and len(actions) > 1:
                # A group: its keys without padding or descriptions, after one space
                # (a compact group), or each key with a space either side (one
                # between two keys: the margins of neighbours overlap).
                yield Piece(" ", None)
                for position, entries in enumerate(actions):
                    binding, enabled, tooltip = entries[0]
                    if position and not group.compact:
                        yield Piece(" ", None)
                    display = self.app.get_key_display(binding)
                    tip = tooltip or binding.description
                    yield Piece(display, "footer-key--key", binding.key, enabled, tip)
                yield Piece(" ", None)
                yield Piece(group.description, "footer-key--label")
                yield Piece(" ", None)
                continue
            for entries in actions:
                binding, enabled, tooltip = entries[0]
                display = self.app.get_key_display(binding)
                yield Piece(f" {display} ", "footer-key--key", binding.key, enabled, tooltip)
                if binding.description:
                    yield Piece(
                        f"{binding.description} ",
                        "footer-key--description",
                        binding.key,
                        enabled,
                        tooltip,
                    )

    def _palette_pieces(self, screen: Screen[object]) -> Iterator[Piece]:
        """The command palette's key, kept at the right end of the line."""
        app = self.app
        if not app.ENABLE_COMMAND_PALETTE:
            return
        active = screen.active_bindings.get(app.COMMAND_PALETTE_BINDING)
        if active is None:
            return
        binding, enabled = active.binding, active.enabled
        tip = binding.tooltip or binding.description
        yield Piece("▏", "footer-key--palette-border")
        yield Piece(app.get_key_display(binding), "footer-key--key", binding.key, enabled, tip)
        yield Piece(f" {binding.description}", "footer-key--description", binding.key, enabled, tip)
        yield Piece(" ", None)

    def _style_of(self, piece: Piece) -> Style:
        """A key's or label's style; spacing has the footer's background only, as the
        margins and padding between Textual's footer widgets have."""
        if piece.component is None:
            return Style(bgcolor=self.rich_style.bgcolor)
        style = self.get_component_rich_style(piece.component)
        if piece.key is not None and piece.key == self._hover_key:
            style += self.get_component_rich_style("footer-key--hover")
        if not piece.enabled:
            style += Style(dim=True)
        return style

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        palette = [Segment(piece.text, self._style_of(piece)) for piece in self._palette]
        room = max(0, width - Segment.get_line_length(palette))
        keys = [Segment(piece.text, self._style_of(piece)) for piece in self.pieces]
        keys = Segment.adjust_line_length(keys, room, Style(bgcolor=self.rich_style.bgcolor))
        return Strip(Segment.simplify([*keys, *palette]), width)

    # -- the mouse: a click presses the key under it -----------------------------------

    def _piece_at(self, x: int) -> Piece | None:
        palette_width = sum(cell_len(piece.text) for piece in self._palette)
        start = self.size.width - palette_width
        pieces = self._palette if x >= start else self.pieces
        offset = start if x >= start else 0
        for piece in pieces:
            offset += cell_len(piece.text)
            if x < offset:
                return piece if piece.key is not None else None
        return None

    def on_mouse_move(self, event: events.MouseMove) -> None:
        piece = self._piece_at(event.x)
        hover = piece.key if piece is not None else None
        if hover != self._hover_key:
            self._hover_key = hover
            self.tooltip = piece.tooltip if piece is not None and piece.tooltip else None
            self.refresh()

    def on_leave(self) -> None:
        if self._hover_key is not None:
            self._hover_key = None
            self.tooltip = None
            self.refresh()

    def on_mouse_down(self, event: events.MouseDown) -> None:
        piece = self._piece_at(event.x)
        if piece is None or piece.key is None:
            return
        if piece.enabled:
            self.app.simulate_key(piece.key)
        else:
            self.app.bell()
