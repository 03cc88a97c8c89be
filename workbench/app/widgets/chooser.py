"""`Chooser`: one of a few words (a stance, a topic), on one line of a form.

Textual's `Select` is six widgets (the select, its current-value row with a
label and two arrows, an overlay with an option list), all built, styled and
laid out when the form opens, and its stylesheets parsed the first time in a
session: a good part of opening the verdict and capture forms (issue 14: every
screen under 100 ms).  A form's choice is shown far more often than it is
changed, so this widget draws the chosen word and its arrow itself, as a compact
`Select` does, and builds its list only when the reviewer opens it.

Keys (`keymap.CHOOSER_BINDINGS`): up and down, or left and right, choose the
previous and next word at once (wrapping round); space (or a click) opens the
list under the line (enter or a click picks, escape or space closes it, a letter
jumps to the next word starting with it).  Enter and the other printable keys
are not taken: in a `TypeAheadModal` enter saves the form and letters go to its
text field, as they did with a `Select`.  The words are data (`workbench.toml`),
shown literally.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual import events, on
from textual.binding import BindingType
from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from workbench.app.keymap import CHOICE_LIST_BINDINGS, CHOOSER_BINDINGS
from workbench.app.widgets.claim_table import fit, printable

ARROW = " ▼"
"""Drawn at the line's right end, as a compact `Select` draws its arrow."""


class ChoiceList(OptionList):
    """The opened list of a `Chooser`: enter picks, escape or leaving it closes it."""

    BINDINGS: ClassVar[list[BindingType]] = list(CHOICE_LIST_BINDINGS)

    class Closed(Message):
        """The list closes; `keep_focus`: give focus back to the chooser."""

        def __init__(self, keep_focus: bool) -> None:
            super().__init__()
            self.keep_focus = keep_focus

    def action_close(self) -> None:
        self.post_message(self.Closed(keep_focus=True))

    def on_blur(self, event: events.Blur) -> None:
        self.post_message(self.Closed(keep_focus=False))

    def on_key(self, event: events.Key) -> None:
        """A letter jumps to the next word that starts with it (wrapping round)."""
        character = event.character
        if character is None or not character.isprintable() or character == " ":
            return
        event.stop()
        event.prevent_default()
        count = self.option_count
        start = self.highlighted if self.highlighted is not None else -1
        for step in range(1, count + 1):
            index = (start + step) % count
            prompt = self.get_option_at_index(index).prompt
            if isinstance(prompt, Content) and prompt.plain.casefold().startswith(
                character.casefold()
            ):
                self.highlighted = index
                return


class Chooser(Widget, can_focus=True):
    """The chosen word of `choices` with an arrow; see the module for its keys."""

    ALLOW_SELECT = False

    BINDINGS: ClassVar[list[BindingType]] = list(CHOOSER_BINDINGS)

    COMPONENT_CLASSES: ClassVar[set[str]] = {"chooser--arrow"}

    DEFAULT_CSS = """
    Chooser {
        height: 1;
        width: 1fr;
        padding: 0 1 0 0;
        color: $foreground;
        background: $surface;
        &:focus {
            background-tint: $foreground 5%;
        }
        & > .chooser--arrow {
            color: $foreground 50%;
        }
        & > ChoiceList {
            width: 1fr;
            height: auto;
            max-height: 12;
            offset: 0 1;
            overlay: screen;
            constrain: none inside;
            color: $foreground;
            border: tall $border-blurred;
            background: $surface;
            &:focus {
                background-tint: $foreground 5%;
            }
            & > .option-list--option {
                padding: 0 1;
            }
        }
    }
    """

    class Changed(Message):
        """The chosen word changed (by a key, from the list or by setting `value`)."""

        def __init__(self, chooser: Chooser, value: str) -> None:
            super().__init__()
            self.chooser = chooser
            self.value = value

        @property
        def control(self) -> Chooser:
            return self.chooser

    def __init__(
        self,
        choices: Sequence[str],
        value: str | None = None,
        *,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self._choices: tuple[str, ...] = ()
        self._index = 0
        self._list: ChoiceList | None = None
        self.set_choices(choices, value)

    @property
    def choices(self) -> tuple[str, ...]:
        return self._choices

    @property
    def value(self) -> str:
        """The chosen word."""
        return self._choices[self._index]

    @value.setter
    def value(self, value: str) -> None:
        if value not in self._choices:
            raise ValueError(f"{value!r} is not one of the choices {list(self._choices)}")
        self._choose(self._choices.index(value))

    def set_choices(self, choices: Sequence[str], value: str | None = None) -> None:
        """Offer `choices` (at least one), `value` chosen (else the first)."""
        if not choices:
            raise ValueError("a chooser needs at least one choice")
        self._choices = tuple(choices)
        self._index = self._choices.index(value) if value in self._choices else 0
        if self._list is not None:
            self._close(keep_focus=False)
            self._list.remove()
            self._list = None
        self.refresh()

    def _choose(self, index: int) -> None:
        changed = index != self._index
        self._index = index
        self.refresh()
        if changed:
            self.post_message(self.Changed(self, self.value))

    def render(self) -> Content:
        """The word on the left, the arrow on the right (the word cut to fit)."""
        room = max(0, self.content_size.width - len(ARROW))
        arrow = Content.styled(ARROW, self.get_visual_style("chooser--arrow"))
        return Content.assemble(fit(printable(self.value), room), arrow)

    # -- keys ----------------------------------------------------------------------------

    def action_cursor(self, step: int) -> None:
        """The next (`step` 1) or previous (-1) word, wrapping round."""
        self._choose((self._index + step) % len(self._choices))

    def action_choose(self, step: int) -> None:
        """Left and right: as up and down (`action_cursor`)."""
        self.action_cursor(step)

    def action_toggle_list(self) -> None:
        """Show the list under the line, the chosen word highlighted (built on first
        use); close it if shown."""
        if self._list is not None and self._list.display:
            self._close(keep_focus=True)
            return
        if self._list is None:
            self._list = ChoiceList(
                *[Option(Content(printable(choice))) for choice in self._choices]
            )
            self.mount(self._list)
        self._list.display = True
        self._list.highlighted = self._index
        self._list.focus(scroll_visible=False)

    def on_click(self, event: events.Click) -> None:
        """A click on the line opens the list (or closes it), as on a `Select`."""
        if event.widget is not self:
            return  # a click in the list: the list's own
        event.stop()
        self.focus()
        self.action_toggle_list()

    def _close(self, *, keep_focus: bool) -> None:
        if self._list is not None and self._list.display:
            self._list.display = False
            if keep_focus:
                self.focus()

    @on(ChoiceList.Closed)
    def _list_closed(self, event: ChoiceList.Closed) -> None:
        event.stop()
        self._close(keep_focus=event.keep_focus)

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._choose(event.option_index)
        self._close(keep_focus=True)

    @on(OptionList.OptionHighlighted)
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
