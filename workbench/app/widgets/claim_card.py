"""One claim as a pane: what the compare screen and the conflict queue put side by side.

A card shows the claim's statement, its source (outlet, date, view), status and
stance, the quote in its paragraph and the quantity.  It reads the project but
never writes: the screen that holds it runs reviews through the app.  A card is
focusable, so the reviewer picks which claim a status key acts on.

Also here: the status keys every claim screen binds (from the project's
`workbench.toml`), and the CSS class that colours a stance.
"""

from __future__ import annotations

import dataclasses

from textual.app import ComposeResult
from textual.binding import Binding, BindingsMap
from textual.containers import VerticalScroll
from textual.content import Content
from textual.dom import DOMNode
from textual.widgets import Static

from workbench.app.keymap import status_bindings
from workbench.app.widgets.quote_view import QuoteView, quote_content
from workbench.differences import format_quantity
from workbench.models import Claim, ProjectSettings, Quantity, Source
from workbench.project import Project

QUOTE_CONTEXT = 120
"""Cells of context shown on each side of the quote in a card (the detail shows all)."""

STATUS_GROUP = Binding.Group("Status", compact=True)


def add_status_bindings(node: DOMNode, settings: ProjectSettings) -> None:
    """Bind the project's status keys (`workbench.toml`) on a screen: `set_status(name)`.

    The bindings are the app's (`keymap.status_bindings`, same ids and tooltips),
    shown in the footer as one group; the screen implements `action_set_status`.
    """
    shown = [
        dataclasses.replace(binding, show=True, group=STATUS_GROUP)
        for binding in status_bindings(settings)
    ]
    node._bindings = BindingsMap.merge([node._bindings, BindingsMap(shown)])


def stance_class(stance: str, settings: ProjectSettings) -> str:
    """The CSS class that colours a stance, from the project's data, not its name.

    The two stances of the first opposing pair in the lexicon that holds this one
    are `-stance-side-a` and `-stance-side-b` (the error and success colours),
    so the two sides of the debate stand apart in any project; the other stances
    that `[stances]` lists are `-stance-other-1` and `-stance-other-2` in their
    order, and any further or unknown stance is `-stance-none` (muted).
    """
    for first, second in settings.lexicon.opposing_stances:
        if first != second and stance in (first, second):
            return "-stance-side-a" if stance == first else "-stance-side-b"
    opposed = {stance for pair in settings.lexicon.opposing_stances for stance in pair}
    others = [name for name in settings.stances if name not in opposed]
    if stance in others[:2]:
        return f"-stance-other-{others.index(stance) + 1}"
    return "-stance-none"


def quantity_line(quantity: Quantity) -> Content:
    """`33 billion USD · period 2023 · scope ...` (subject first)."""
    parts: list[str | tuple[str, str]] = [
        ("quantity ", "dim"),
        (format_quantity(quantity), "bold"),
        ("  ", ""),
        ("of ", "dim"),
        quantity.subject,
    ]
    if quantity.period:
        parts += [("  period ", "dim"), quantity.period]
    if quantity.scope:
        parts += [("  scope ", "dim"), quantity.scope]
    return Content.assemble(*parts)


def source_line(source: Source | None, source_id: str) -> Content:
    """`Outlet · 2024-03-05 (inferred) · view lagging` for a card header."""
    if source is None:
        return Content.assemble(("unknown source ", "bold $text-error"), source_id)
    parts: list[str | tuple[str, str]] = [
        (source.outlet, "bold"),
        ("  ", ""),
        source.published.isoformat(),
    ]
    if source.date_inferred:
        parts.append(("  (date inferred)", "dim"))
    parts += [("  view ", "dim"), source.view]
    return Content.assemble(*parts)


def card_header(claim: Claim, source: Source | None) -> Content:
    """The text of a card above its quote: status, stance, statement, source."""
    return Content.assemble(
        (f" {claim.status} ", "reverse"),
        ("  stance ", "dim"),
        (claim.stance, "bold"),
        ("  topic ", "dim"),
        claim.topic,
        "\n",
        (claim.statement, "bold"),
        "\n",
        source_line(source, claim.source.id),
        "\n",
        (source.title if source is not None else "", "italic"),
    )


class ClaimCard(VerticalScroll, can_focus=True):
    """A focusable pane for one claim; call `show(project)` after the claim changes."""

    DEFAULT_CSS = """
    ClaimCard {
        width: 1fr;
        min-width: 36;
        height: 1fr;
        border: round $panel;
        padding: 0 1;
        scrollbar-size-vertical: 1;
    }
    ClaimCard:focus {
        border: round $accent;
    }
    ClaimCard > .claim-card--header {
        height: auto;
        margin-bottom: 1;
    }
    ClaimCard > .claim-card--quantity {
        height: auto;
        margin-top: 1;
    }
    ClaimCard > QuoteView {
        padding: 0;
    }
    """

    def __init__(self, claim_id: str, *, id: str | None = None, classes: str | None = None):
        super().__init__(id=id, classes=classes)
        self.claim_id = claim_id

    def compose(self) -> ComposeResult:
        yield Static(Content(""), classes="claim-card--header")
        yield QuoteView(context=QUOTE_CONTEXT)
        yield Static(Content(""), classes="claim-card--quantity")

    def show(self, project: Project) -> None:
        """Fill the card from the project's current copy of the claim."""
        record = project.claims.get(self.claim_id)
        header = self.query_one(".claim-card--header", Static)
        quantity = self.query_one(".claim-card--quantity", Static)
        quote = self.query_one(QuoteView)
        if record is None:
            header.update(Content(f"{self.claim_id}: no such claim (deleted or broken file)"))
            quote.update(Content(""))
            quantity.update(Content(""))
            return
        claim = record.claim
        shown = getattr(self.app, "shown", None)
        if callable(shown):
            claim = shown(claim)  # blind review: others' verdicts hidden
        source = project.source_of(claim)
        stance = stance_class(claim.stance, project.settings)
        if not self.has_class(stance):  # restyling the card costs more than filling it
            stale = [name for name in self.classes if name.startswith("-stance-")]
            self.remove_class(*stale, update=False)
            self.add_class(stance)
        self.border_title = Content(claim.id)
        self.border_subtitle = Content(claim.status)
        header.update(card_header(claim, source))
        text = project.sources[claim.source.id].text if source is not None else ""
        quote.update(
            quote_content(text, project.anchor(claim), claim.source.quote, context=QUOTE_CONTEXT)
        )
        quantity.update(quantity_line(claim.quantity) if claim.quantity else Content(""))
        quantity.display = claim.quantity is not None
