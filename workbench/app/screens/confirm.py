"""The confirm form: a reviewer turns a suggested pair into a relation, or does not.

A candidate from the engine is a suggestion.  Confirming it asks two things:
the kind of relation (the engine's guess preselected) and the reviewer's own
note.  The engine's reason is shown, but it becomes the note only when the
reviewer keeps it deliberately (`ctrl+r` copies it into the note, to keep or
edit): a note is what a person checked, not what a program guessed.  For
`updates` the form says which way the relation points (the newer claim updates
the older).  Escape closes the form and nothing is written.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import ClassVar, get_args

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, RadioButton, RadioSet, Static

from workbench.app.keymap import CONFIRM_BINDINGS
from workbench.app.screens.early_css import read_css_early
from workbench.models import RelationKind

RELATION_KINDS: tuple[RelationKind, ...] = get_args(RelationKind)
"""contradicts, supports, same-fact, updates: the form's choices, in this order."""


@dataclass(frozen=True, slots=True)
class ConfirmedRelation:
    """What the reviewer chose: the relation to write, in `relate`'s order."""

    kind: RelationKind
    first: str
    second: str
    note: str


@dataclass(frozen=True, slots=True)
class RelationProposal:
    """What the form offers: the pair, the engine's guess and reason, the `updates` order."""

    first: str
    second: str
    suggested: RelationKind
    reason: str
    newer: str
    """For `updates`: the claim whose source is newer (the one that updates)."""
    older: str
    newer_date: dt.date | None = None
    older_date: dt.date | None = None


def _dated(claim_id: str, date: dt.date | None) -> str:
    return f"{claim_id} ({date.isoformat()})" if date is not None else claim_id


def kind_label(kind: RelationKind, proposal: RelationProposal) -> Content:
    """`contradicts   both files`, or for updates which claim updates which."""
    if kind == "updates":
        where = (
            f"{_dated(proposal.newer, proposal.newer_date)} updates "
            f"{_dated(proposal.older, proposal.older_date)} (newest to oldest; its file)"
        )
    else:
        where = "both files"
    suffix = "  the engine's guess" if kind == proposal.suggested else ""
    return Content.assemble(
        (f"{kind:<12}", "bold"), (where, "dim"), (suffix, "italic $text-accent")
    )


class ConfirmRelationScreen(ModalScreen[ConfirmedRelation | None]):
    """Choose the kind and write a note; the result is None when cancelled."""

    CSS_PATH = "confirm.tcss"

    BINDINGS: ClassVar[list[BindingType]] = list(CONFIRM_BINDINGS)

    def __init__(self, proposal: RelationProposal) -> None:
        super().__init__()
        read_css_early(self)
        self.proposal = proposal

    def compose(self) -> ComposeResult:
        proposal = self.proposal
        with Vertical(id="confirm-dialog"):
            yield Label(
                Content.assemble(
                    ("Confirm a relation  ", "bold"),
                    (proposal.first, "bold"),
                    ("  ↔  ", "dim"),
                    (proposal.second, "bold"),
                ),
                id="confirm-title",
            )
            yield Label(Content.styled("Kind of relation", "bold"), classes="confirm-heading")
            with RadioSet(id="confirm-kind"):
                for kind in RELATION_KINDS:
                    yield RadioButton(
                        kind_label(kind, proposal),
                        value=kind == proposal.suggested,
                        id=f"confirm-kind-{kind}",
                    )
            yield Label(
                Content.assemble(
                    ("The engine's reason", "bold"),
                    ("  (not saved unless you keep it: ctrl+r)", "dim"),
                ),
                classes="confirm-heading",
            )
            yield Static(Content.styled(proposal.reason, "italic"), id="confirm-reason")
            yield Label(Content.styled("Your note", "bold"), classes="confirm-heading")
            yield Input(placeholder="what you checked (optional)", id="confirm-note")
            yield Static(
                Content.styled(
                    "enter or ctrl+s saves  ·  tab: kind / note  ·  escape cancels", "dim"
                ),
                id="confirm-hint",
            )

    def on_mount(self) -> None:
        # The kinds' cursor starts on the first; move it to the preselected guess, so
        # tab then up or down moves from the engine's guess.
        kinds = self.query_one("#confirm-kind", RadioSet)
        for _ in range(RELATION_KINDS.index(self.proposal.suggested)):
            kinds.action_next_button()
        self.query_one("#confirm-note", Input).focus()

    @property
    def chosen_kind(self) -> RelationKind:
        index = self.query_one("#confirm-kind", RadioSet).pressed_index
        return (
            RELATION_KINDS[index] if 0 <= index < len(RELATION_KINDS) else self.proposal.suggested
        )

    def result(self) -> ConfirmedRelation:
        """The relation as chosen now (kind, order for `updates`, note)."""
        kind = self.chosen_kind
        proposal = self.proposal
        first, second = (
            (proposal.newer, proposal.older)
            if kind == "updates"
            else (proposal.first, proposal.second)
        )
        note = self.query_one("#confirm-note", Input).value.strip()
        return ConfirmedRelation(kind, first, second, note)

    @on(Input.Submitted, "#confirm-note")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        self.dismiss(self.result())

    def action_keep_reason(self) -> None:
        note = self.query_one("#confirm-note", Input)
        note.value = self.proposal.reason
        note.focus()

    def action_cancel(self) -> None:
        self.dismiss(None)
