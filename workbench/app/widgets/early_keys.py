"""Keys typed right after a prompt opens go into the prompt, not nowhere.

A modal is pushed by a key (`n`, a status key) and the reviewer types on at
once.  A terminal delivers the whole burst before the app has run the first
key's action, so the following keys are already queued for the widget that had
focus on the screen below; when they reach it the modal is on top and Textual
checks them against the modal's bindings, where they mean nothing, and the
first letters of the note were lost (issue 14: text typed within 0.1-0.15 s).

`TypeAheadModal` takes such keys (`take_key`): the app hands it the keys that
bubble up to it while the modal is on top (`ReviewApp.on_event`), and the modal
itself takes keys that reach it before its input has focus.  Keys that come
before the input is mounted wait and are replayed, in order, once it is.

The modal also draws the screen below it cheaper: once an opening
(`TypeAheadModal.render_lines`).
"""

from __future__ import annotations

from typing import ClassVar, TypeVar

from textual import events
from textual.geometry import Region, Size
from textual.screen import ModalScreen, Screen
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Input

ResultType = TypeVar("ResultType")


class TypeAheadModal(ModalScreen[ResultType]):
    """A modal whose `TYPE_AHEAD` input gets the keys typed before it had focus."""

    TYPE_AHEAD: ClassVar[str] = "Input"
    """Selector of the input that early keys go into."""

    AUTO_FOCUS = None
    """`on_mount` focuses the `TYPE_AHEAD` input, nothing else first."""

    KEEP_BACKGROUND: ClassVar[bool] = True
    """Draw the dimmed screen below once an opening (`render_lines`); False draws it
    each time Textual asks (the benchmark's baseline)."""

    def __init__(self) -> None:
        super().__init__()
        self._pending: list[tuple[str, str | None]] = []
        self._ready = False
        self._background: tuple[Size, list[Strip]] | None = None

    def render_lines(self, crop: Region) -> list[Strip]:
        """The modal's own lines: the screen below, dimmed, drawn once an opening.

        Textual draws a modal's background by drawing the whole screen below and
        tinting every piece of it, and it does so again at each of the three
        layouts that opening a modal takes (resume, resize, first refresh): a
        third of opening the verdict form.  The screen below cannot change while
        it is covered, but for a change on disk redrawn there, which shows when
        the modal is next opened."""
        if not self.KEEP_BACKGROUND:
            return super().render_lines(crop)
        size = self.size
        if self._background is None or self._background[0] != size:
            self._background = (size, super().render_lines(size.region))
        lines = self._background[1]
        if crop == size.region:
            return lines
        return [line.crop(crop.x, crop.right) for line in lines[crop.y : crop.bottom]]

    def on_screen_resume(self) -> None:
        self._background = None  # the screen below as it is now

    def _type_ahead_input(self) -> Input | None:
        if not self._ready:
            return None
        for node in self.query(self.TYPE_AHEAD):
            if isinstance(node, Input):
                return node
        return None

    def on_mount(self) -> None:
        self._ready = True
        target = self._type_ahead_input()
        if target is None:
            return
        target.focus()
        pending, self._pending = self._pending, []
        for key, character in pending:
            self._apply(target, key, character)

    def take_key(self, key: str, character: str | None) -> bool:
        """Type a key that reached the wrong place into the input; False if it is not
        one a text field takes (it is then left to the bindings)."""
        if not (_is_typing(key, character)):
            return False
        target = self._type_ahead_input()
        if target is None:
            self._pending.append((key, character))
            return True
        self._apply(target, key, character)
        return True

    def _apply(self, target: Input, key: str, character: str | None) -> None:
        if self.focused is not target and not isinstance(self.focused, Input):
            target.focus()
        field = self.focused if isinstance(self.focused, Input) else target
        if key == "enter":
            self.run_worker(field.action_submit(), exclusive=False)
        elif key == "backspace":
            field.action_delete_left()
        elif character is not None:
            field.insert_text_at_cursor(character)

    def wants_key(self, event: events.Key) -> bool:
        """For the app: take a key that bubbled up to it while this modal is on top,
        unless a widget of the modal that is not a text field has focus (a list's
        enter is its own)."""
        if self.focused is not None and not isinstance(self.focused, Input):
            return False
        return self.take_key(event.key, event.character)

    def on_key(self, event: events.Key) -> None:
        """Keys that bubble up from a widget of the modal that is not a text field go
        into the input, but for the keys that widget (or a widget around it) binds
        itself: a list's enter picks an entry, a chooser's space opens its list; they
        reach those bindings only after this handler."""
        focused = self.focused
        if isinstance(focused, Input):
            return
        if focused is not None:
            active = self.active_bindings.get(event.key)
            if (
                active is not None
                and isinstance(active.node, Widget)
                and not isinstance(active.node, Screen)
                and active.node in focused.ancestors_with_self
            ):
                return
        if self.take_key(event.key, event.character):
            event.stop()
            event.prevent_default()


def _is_typing(key: str, character: str | None) -> bool:
    return key in ("enter", "backspace") or (character is not None and character.isprintable())
