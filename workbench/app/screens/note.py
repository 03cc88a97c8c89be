"""A modal to type a note on a claim; the list saves it through `ReviewApp.perform`."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, Static

from workbench.app.keymap import NOTE_BINDINGS, REVIEWER_PROMPT_BINDINGS
from workbench.app.screens.early_css import read_css_early
from workbench.app.widgets.claim_table import printable
from workbench.app.widgets.early_keys import TypeAheadModal


class NoteScreen(TypeAheadModal[str | None]):
    """Type a note for `claim_id`; enter returns it, escape returns None.

    Keys typed before the input has focus go into it (`TypeAheadModal`).
    """

    TYPE_AHEAD = "#note-input"

    CSS_PATH = "note.tcss"
    BINDINGS: ClassVar[list[BindingType]] = list(NOTE_BINDINGS)

    def __init__(self, claim_id: str, statement: str) -> None:
        super().__init__()
        read_css_early(self)
        self.claim_id = claim_id
        self.statement = statement

    def compose(self) -> ComposeResult:
        with Vertical(id="note-dialog"):
            yield Static(
                Content.assemble(("Note on ", "bold"), (printable(self.claim_id), "bold $accent")),
                id="note-title",
            )
            yield Static(Content(printable(self.statement)), id="note-statement")
            yield Input(placeholder="a note for the next reviewer", id="note-input")
            yield Static(
                Content.assemble(
                    ("enter", "bold"),
                    (" saves to the claim's history  ·  ", "dim"),
                    ("escape", "bold"),
                    (" cancels", "dim"),
                ),
                id="note-hint",
            )

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        note = event.value.strip()
        if not note:
            self.notify("Type a note, or press escape to cancel", timeout=2)
            return
        self.dismiss(note)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ReviewerPrompt(TypeAheadModal[str | None]):
    """Who is reviewing?  Asked once when no name is configured (never the OS user);
    enter with a name returns it, escape returns None (the app then closes)."""

    CSS_PATH = "note.tcss"
    BINDINGS: ClassVar[list[BindingType]] = list(REVIEWER_PROMPT_BINDINGS)
    TYPE_AHEAD = "#note-input"

    def __init__(self) -> None:
        super().__init__()
        read_css_early(self)

    def compose(self) -> ComposeResult:
        with Vertical(id="note-dialog"):
            yield Static(Content.styled("Who is reviewing?", "bold"), id="note-title")
            yield Static(
                Content(
                    "No name was given (--reviewer, WORKBENCH_REVIEWER or git's user.name). "
                    "Your name goes into every history entry you write."
                ),
                id="note-statement",
            )
            yield Input(placeholder="your name", id="note-input")
            yield Static(
                Content.assemble(
                    ("enter", "bold"),
                    (" starts reviewing  ·  ", "dim"),
                    ("escape", "bold"),
                    (" quits", "dim"),
                ),
                id="note-hint",
            )

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        name = event.value.strip()
        if not name:
            self.notify("Type your name, or press escape to quit", timeout=2)
            return
        self.dismiss(name)

    def action_cancel(self) -> None:
        self.dismiss(None)
