"""Keys typed before a prompt's input has focus go into the input, not nowhere.

A modal is pushed by a key (`n`, a status key); the reviewer types on at once.
Until the modal's input is mounted and focused, Textual delivers those keys to
the screen, which has no use for them, and the first letters of the note were
lost (issue 14: text typed within 0.1-0.15 s).  A screen that mixes this in
focuses its input when it is composed and, for a printable key that reaches the
screen itself, types it into the input.
"""

from __future__ import annotations

from typing import ClassVar, TypeVar

from textual import events
from textual.screen import ModalScreen
from textual.widgets import Input

ResultType = TypeVar("ResultType")


class TypeAheadModal(ModalScreen[ResultType]):
    """A screen whose `TYPE_AHEAD` input gets every printable key the screen receives."""

    TYPE_AHEAD: ClassVar[str] = "Input"
    """Selector of the input that early keys go into."""

    def _type_ahead_input(self) -> Input | None:
        found = self.query(self.TYPE_AHEAD)
        for node in found:
            if isinstance(node, Input):
                return node
        return None

    def on_mount(self) -> None:
        target = self._type_ahead_input()
        if target is not None:
            target.focus()

    def on_key(self, event: events.Key) -> None:
        if isinstance(self.focused, Input) or not event.is_printable or event.character is None:
            return
        target = self._type_ahead_input()
        if target is None:
            return
        event.stop()
        event.prevent_default()
        target.focus()
        target.insert_text_at_cursor(event.character)
