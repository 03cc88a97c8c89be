"""The compare screen: two or more claims side by side, and what differs between them.

Each pane shows a claim's source, date, outlet, view, status, stance, quote in
context and quantity; the Differences panel says what to look at (values and how
far apart, units that cannot be compared, periods, scopes, dates, stances,
sources), from `workbench.differences`.

From here the reviewer marks the status of the focused pane's claim and records
a relation between the current pair, with a note.  With more than two claims,
`]` and `[` move through the pairs.  The conflict queue is this screen with a
queue of candidate pairs behind it.
"""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import PurePath
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import HorizontalScroll, VerticalScroll
from textual.content import Content
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widgets import Static

from workbench.app.keymap import COMPARE_BINDINGS
from workbench.app.screens.detail import NotePrompt, host
from workbench.app.screens.early_css import read_css_early
from workbench.app.widgets.claim_card import ClaimCard, add_status_bindings
from workbench.app.widgets.footer import KeyFooter
from workbench.differences import Difference, differences_of
from workbench.models import RelationKind
from workbench.project import Project
from workbench.review import relate

MIN_CARD_WIDTH = 44
"""Cells a pane needs to be readable; with more claims than fit, the panes scroll."""


def differences_content(found: list[Difference], names: tuple[str, ...]) -> Content:
    """The Differences panel: one line per aspect, incomparable ones flagged."""
    heading = Content.assemble(("Differences", "bold"), ("  " + " ↔ ".join(names), "dim"))
    if not found:
        return Content.assemble(
            heading,
            "\n",
            ("no differences in value, unit, period, scope, date, stance or source", "dim italic"),
        )
    lines = [heading]
    for difference in found:
        style = "$text-warning" if not difference.comparable else ""
        marker = "✗ " if not difference.comparable else "• "
        lines.append(Content.assemble((marker, style or "dim"), (difference.summary, style)))
    return Content("\n").join(lines)


def pairs_of(count: int) -> list[tuple[int, int]]:
    """Every pair of pane indexes, in reading order: (0, 1), (0, 2), ..., (1, 2)..."""
    return list(itertools.combinations(range(count), 2))


class CompareScreen(Screen[None]):
    """Claims side by side with their differences; status and relation keys."""

    CSS_PATH: ClassVar[str | PurePath | list[str | PurePath] | None] = "compare.tcss"

    BINDINGS: ClassVar[list[BindingType]] = list(COMPARE_BINDINGS)

    def __init__(self, claim_ids: list[str]) -> None:
        super().__init__()
        read_css_early(self)
        self.claim_ids = list(claim_ids)
        self.pair_index = 0

    # -- layout ------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(Content(""), id="compare-title")
        yield HorizontalScroll(id="panes")
        with VerticalScroll(id="differences-panel"):
            yield Static(Content(""), id="differences")
        status = Static(Content(""), id="compare-status")
        status.display = False  # a line for the conflict queue (where candidates come from)
        yield status
        yield KeyFooter()

    async def on_mount(self) -> None:
        add_status_bindings(self, host(self).project.settings)
        self.refresh_bindings()
        await self.show_claims(self.claim_ids)

    def on_screen_resume(self) -> None:
        self.refresh_view()

    def on_claims_changed(self) -> None:
        self.refresh_view()

    async def show_claims(self, claim_ids: list[str]) -> None:
        """Replace the panes with cards for `claim_ids` (first pair selected)."""
        self.claim_ids = list(claim_ids)
        self.pair_index = 0
        panes = self.query_one("#panes", HorizontalScroll)
        await panes.remove_children()
        cards = [
            ClaimCard(claim_id, id=f"card-{index}") for index, claim_id in enumerate(self.claim_ids)
        ]
        await panes.mount_all(cards)
        self._size_cards()
        self.refresh_view()
        if cards:
            cards[0].focus()

    def on_resize(self) -> None:
        self._size_cards()

    def _size_cards(self) -> None:
        """Share the width between the panes; past `MIN_CARD_WIDTH` cells, scroll.  Two
        panes (a pair) always share the screen, so neither is cut at 80x24."""
        cards = self.cards
        if not cards:
            return
        width = self.size.width // len(cards)
        if len(cards) > 2:
            width = max(MIN_CARD_WIDTH, width)
        for card in cards:
            card.styles.width = width

    @property
    def cards(self) -> list[ClaimCard]:
        return list(self.query_one("#panes", HorizontalScroll).query_children(ClaimCard))

    @property
    def pairs(self) -> list[tuple[int, int]]:
        return pairs_of(len(self.claim_ids))

    def current_pair(self) -> tuple[str, str] | None:
        """The two claims a relation key acts on."""
        pairs = self.pairs
        if not pairs:
            return None
        first, second = pairs[self.pair_index % len(pairs)]
        return self.claim_ids[first], self.claim_ids[second]

    def refresh_view(self) -> None:
        """Fill the panes, the title and the differences from the app's current project."""
        project = host(self).project
        pair = self.current_pair()
        for card in self.cards:
            card.show(project)
            card.set_class(
                pair is not None and card.claim_id in pair and len(self.claim_ids) > 2, "-in-pair"
            )
        self.query_one("#compare-title", Static).update(self.title_content())
        self.query_one("#differences", Static).update(self.differences_for(project, pair))

    def title_content(self) -> Content:
        pair = self.current_pair()
        parts: list[str | tuple[str, str]] = [
            ("Compare", "bold"),
            f"  {len(self.claim_ids)} claims",
        ]
        if pair is not None and len(self.pairs) > 1:
            parts += [
                f"  ·  pair {self.pair_index + 1} of {len(self.pairs)}: ",
                (f"{pair[0]} ↔ {pair[1]}", "bold"),
            ]
        return Content.assemble(*parts)

    def differences_for(self, project: Project, pair: tuple[str, str] | None) -> Content:
        if pair is None:
            return Content.styled("Pick at least two claims to compare.", "dim italic")
        present = [claim_id for claim_id in pair if claim_id in project.claims]
        claims = [
            (project.claim(claim_id), project.source_of(project.claim(claim_id)))
            for claim_id in present
        ]
        opposing = project.settings.lexicon.opposing_stances
        return differences_content(differences_of(claims, opposing), tuple(present))

    def _show_pair(self) -> None:
        self.refresh_view()
        pair = self.current_pair()
        if pair is None:
            return
        for card in self.cards:
            if card.claim_id == pair[0]:
                card.focus()
                self.query_one("#panes", HorizontalScroll).scroll_to_widget(card)
                break

    # -- actions -----------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("next_pair", "previous_pair"):
            return len(self.pairs) > 1
        if action == "relate":
            return self.current_pair() is not None
        return True

    def focused_claim(self) -> str | None:
        """The claim of the focused pane, else the first of the current pair."""
        node: DOMNode | None = self.focused
        while node is not None and node is not self:
            if isinstance(node, ClaimCard):
                return node.claim_id
            node = node.parent
        pair = self.current_pair()
        return pair[0] if pair else None

    async def action_back(self) -> None:
        self.app.pop_screen()

    async def action_next_pair(self) -> None:
        if self.pairs:
            self.pair_index = (self.pair_index + 1) % len(self.pairs)
            self._show_pair()

    async def action_previous_pair(self) -> None:
        if self.pairs:
            self.pair_index = (self.pair_index - 1) % len(self.pairs)
            self._show_pair()

    def action_open_detail(self) -> None:
        claim_id = self.focused_claim()
        if claim_id is not None and claim_id in host(self).project.claims:
            host(self).open_detail(claim_id)

    def action_view_article(self) -> None:
        claim_id = self.focused_claim()
        if claim_id is not None and claim_id in host(self).project.claims:
            host(self).open_article(claim_id)

    def action_set_status(self, status: str) -> None:
        claim_id = self.focused_claim()
        if claim_id is None:
            return
        host(self).give_verdict(claim_id, status)

    def ordered_pair(self, kind: RelationKind) -> tuple[str, str] | None:
        """The pair in the order `relate` wants: for `updates`, the newer claim first.

        Other kinds start from the focused claim.  When both sources have the same
        date, `updates` also starts from the focused claim.
        """
        pair = self.current_pair()
        if pair is None:
            return None
        focused = self.focused_claim()
        first, second = pair if focused != pair[1] else (pair[1], pair[0])
        if kind != "updates":
            return first, second
        project = host(self).project
        first_date = _published(project, first)
        second_date = _published(project, second)
        if first_date is not None and second_date is not None and first_date < second_date:
            return second, first
        return first, second

    def action_relate(self, kind: RelationKind) -> None:
        ordered = self.ordered_pair(kind)
        if ordered is None:
            return
        first, second = ordered
        verb = "updates" if kind == "updates" else f"{kind} (both files)"
        self.app.push_screen(
            NotePrompt(
                f"{first} {verb} {second}: note (enter saves, escape cancels)",
                placeholder="why: what the reviewer checked",
            ),
            lambda note: self._record_relation(first, second, kind, note),
        )

    def _record_relation(
        self, first: str, second: str, kind: RelationKind, note: str | None
    ) -> None:
        """Write the relation through the app (nothing when the prompt was cancelled)."""
        if note is None:
            return
        app = host(self)
        done = app.perform(
            f"{first} {kind} {second}",
            lambda: relate(app.project, first, second, kind, note=note, reviewer=app.reviewer),
        )
        self.after_relation(first, second, kind, recorded=done)

    def after_relation(
        self, first: str, second: str, kind: RelationKind, *, recorded: bool
    ) -> None:
        """What happens once a relation is written (the conflict queue moves on)."""
        del first, second, kind, recorded
        self.refresh_view()


def _published(project: Project, claim_id: str) -> dt.date | None:
    record = project.claims.get(claim_id)
    if record is None:
        return None
    source = project.source_of(record.claim)
    return source.published if source is not None else None
