"""`KeyFooter`: Textual's `Footer`, rebuilt only when the keys it shows change.

Textual's footer removes and mounts one widget per key each time the screen's
bindings are refreshed: when the screen comes back on top, when focus moves,
when `refresh_bindings` is called.  Each new key widget then has its styles
applied twice (its `compact` flag flips on mount), so a footer of twenty keys
cost tens of milliseconds every time, for the same keys.  This footer remembers
what it last showed and skips the rebuild when nothing changed; it looks and
works exactly like Textual's (the same widgets, made by Textual's own code).
"""

from __future__ import annotations

from collections.abc import Hashable

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer


def shown_keys(screen: Screen[object]) -> tuple[Hashable, ...]:
    """What a footer on `screen` shows: each binding it lists, enabled or not, its tooltip."""
    return tuple(
        (key, active.binding, active.enabled, active.tooltip)
        for key, active in screen.active_bindings.items()
        if active.binding.show
    )


class KeyFooter(Footer):
    """A `Footer` that is rebuilt only when the keys it shows change."""

    def __init__(self) -> None:
        super().__init__()
        self._shown: tuple[Hashable, ...] | None = None

    def compose(self) -> ComposeResult:
        keys = shown_keys(self.screen)
        composed = False
        for widget in super().compose():
            composed = True
            yield widget
        self._shown = keys if composed else None

    def bindings_changed(self, screen: Screen[object]) -> None:
        if self._shown is not None and screen is self.screen and shown_keys(screen) == self._shown:
            return
        super().bindings_changed(screen)
