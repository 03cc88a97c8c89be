"""The claims list: every claim, filtered, searched and sorted, with counts by status.

State lives here and in `ClaimTable`; the filtering itself is pure
(`workbench.app.filtering.ClaimIndex`) and runs in a worker thread on every
keystroke.  The worker gets an index that never changes (a change makes a new
one) and posts the positions to show; this screen swaps them into the table.
Writes go through `ReviewApp.perform`.
"""

from __future__ import annotations

import dataclasses
import gc
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, cast

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import BindingsMap, BindingType
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Header, Input, Static
from textual.worker import get_current_worker

from workbench import review
from workbench.app.filtering import (
    FIELDS,
    SORT_LABELS,
    SORT_ORDERS,
    ClaimIndex,
    ClaimRow,
    Field,
    Filters,
    cycle_value,
)
from workbench.app.keymap import (
    LIST_BINDINGS,
    LIST_FOOTER_BINDINGS,
    VIEW_ARTICLE_QUIET,
    status_bindings,
    taken_by,
)
from workbench.app.messages import ClaimsChanged
from workbench.app.screens.early_css import read_css_early
from workbench.app.widgets.claim_table import ClaimTable, printable
from workbench.app.widgets.footer import KeyFooter
from workbench.models import ProjectSettings
from workbench.project import Project
from workbench.storage import ClaimRecord, ClaimSummary

if TYPE_CHECKING:
    from workbench.app.app import ReviewApp

SEARCH_PLACEHOLDER = (
    "/ search id, statement, quote (typos ok) · status:ver topic:chips,cost -stance:neutral "
    "source:chosun"
)


def status_kind(settings: ProjectSettings, status: str) -> str:
    """Which colour a status gets: unreviewed, verified, false or other."""
    info = settings.statuses.get(status)
    if status == "unreviewed":
        return "unreviewed"
    if info is None:
        return "other"
    if info.verified:
        return "verified"
    if status == "false" or (
        info.rating is not None and info.rating <= settings.claimreview.worst_rating
    ):
        return "false"
    return "other"


@dataclass(frozen=True, slots=True)
class _Blinded:
    """A record's stand-in for the index in blind review: only its summary is read."""

    summary: ClaimSummary


@dataclass(frozen=True, slots=True)
class FilterRequest:
    """Everything the filter worker reads; nothing in it changes after it is made.

    `records` is set when the index must be (re)built first: at start, and when
    claims came or went.
    """

    generation: int
    filters: Filters
    to_top: bool
    index: ClaimIndex | None = dataclasses.field(repr=False)
    records: list[ClaimRecord] | None = dataclasses.field(repr=False)
    project: Project = dataclasses.field(repr=False)


REBUILD_ABOVE = 200
"""More changed claims than this (files changed while the app was closed, a `git
pull`) rebuild the list's index from the summaries in the filter worker, instead of
building each changed claim's model on the app's thread."""


CLAIM_ACTIONS = frozenset(
    {"open_detail", "toggle_mark", "note", "set_status", "timeline", "view_article"}
)
"""Actions on the claim under the cursor: hidden while there is none."""


class ClaimsListScreen(Screen[None]):
    """All claims, one a line, with filters, fuzzy search and counts by status."""

    CSS_PATH = "claims_list.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        *LIST_BINDINGS,
        VIEW_ARTICLE_QUIET,
        *LIST_FOOTER_BINDINGS,
    ]

    FREEZE_VOCABULARY: ClassVar[bool] = True
    """`_prepare_vocabulary`; False leaves the vocabulary to the collector (the
    benchmark's baseline)."""

    class Filtered(Message):
        """The filter worker's result: the index it used and the positions to show."""

        def __init__(
            self, request: FilterRequest, index: ClaimIndex, positions: list[int], seconds: float
        ) -> None:
            super().__init__()
            self.request = request
            self.index = index
            self.positions = positions
            self.seconds = seconds

    def __init__(self) -> None:
        super().__init__()
        read_css_early(self)
        self.filters = Filters()
        self._index: ClaimIndex | None = None
        self._rebuild: list[ClaimRecord] | None = None
        """Records to build a new index from, until the worker has built it."""
        self._generation = 0
        self._shown_generation = -1
        self._field_values: dict[Field, list[str]] = {}
        self._counts: dict[str, int] = {}
        self._had_claim = True
        self._table = ClaimTable(
            status_style=self._status_kind, empty_text="Loading claims…", id="claims"
        )
        self.last_filter_seconds = 0.0
        self.hints: list[str] = []
        """Did-you-mean lines for field tokens that match nothing (`status:verfied`)."""
        self.ready = False
        """True once the first filtered list is on screen (the benchmark waits for it)."""

    def _status_kind(self, status: str) -> str:
        return status_kind(self.project.settings, status)

    @property
    def review_app(self) -> ReviewApp:
        return cast("ReviewApp", self.app)

    @property
    def project(self) -> Project:
        return self.review_app.project

    @property
    def table(self) -> ClaimTable:
        return self._table

    @property
    def index(self) -> ClaimIndex:
        return self.table.index

    # ------------------------------------------------------------------ building

    def compose(self) -> ComposeResult:
        settings = self.project.settings
        self._bindings = BindingsMap.merge([self._bindings, BindingsMap(status_bindings(settings))])
        yield Header(icon="✓")
        yield Input(placeholder=SEARCH_PLACEHOLDER, id="search", compact=True)
        yield Static(id="filter-bar", markup=False)
        yield self._table
        yield Static(id="status-bar", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        """Build the first index and show the list here, not in the filter worker.

        Nothing can be shown without it, and in a worker it competed with
        Textual's start-up for the GIL: at 100,000 claims it took 0.2-0.3 s
        instead of 0.1 s, and the list then waited for the worker's message.
        """
        self.table.focus()
        rest = self.review_app.pending_rest
        if rest is not None:  # only the first page is loaded: measure on every claim
            present = [status for status, count in rest.counts.items() if count]
            self.table.measure_from = (rest.sample_ids, present, rest.outlets)
        self._rebuild = self._records()
        self._show_filtered(self._filtered(self._request(to_top=True)))

    def _records(self) -> list[ClaimRecord]:
        """The records the index is built from; in blind review, with the statuses the
        reviewer may not see yet shown as `hidden` (`workbench.blind`)."""
        records = list(self.project.claims.values())
        app = self.review_app
        if not app.blind:
            return records
        from workbench.blind import HIDDEN_STATUS, is_hidden

        return [
            cast(ClaimRecord, _Blinded(record.summary._replace(status=HIDDEN_STATUS)))
            if is_hidden(record.claim, app.reviewer)
            else record
            for record in records
        ]

    # ------------------------------------------------------------------ filtering

    def request_filter(self, *, to_top: bool = False) -> None:
        """Filter again in the worker; the latest request wins."""
        self._run_filter(self._request(to_top=to_top))

    def _request(self, *, to_top: bool) -> FilterRequest:
        self._generation += 1
        return FilterRequest(
            generation=self._generation,
            filters=self.filters,
            to_top=to_top,
            index=self._index,
            records=self._rebuild,
            project=self.project,
        )

    def _filtered(self, request: FilterRequest) -> Filtered:
        """The request done: the index (built first if asked for) and what it shows."""
        started = time.perf_counter()
        index = request.index
        if request.records is not None or index is None:
            index = ClaimIndex.from_project(request.project, request.records or [])
        positions = index.filter(request.filters)
        return self.Filtered(request, index, positions, time.perf_counter() - started)

    @work(
        thread=True,
        exclusive=True,
        group="filter",
        exit_on_error=False,
        description="filter the claims list",
    )
    def _run_filter(self, request: FilterRequest) -> None:
        filtered = self._filtered(request)
        if get_current_worker().is_cancelled:
            return
        self.post_message(filtered)

    @work(
        thread=True,
        exclusive=True,
        group="vocabulary",
        exit_on_error=False,
        description="build the search vocabulary",
    )
    def _prepare_vocabulary(self, index: ClaimIndex) -> None:
        """Build the vocabulary, then freeze it for the garbage collector (as the
        app froze the claims, `ReviewApp.on_mount`): it lives as long as the index,
        and its two lists of 100,000 strings, made here after the app's last freeze,
        cost every full collection 3-5 ms (each string visited, out of cache)."""
        index.vocabulary.words()
        if self.FREEZE_VOCABULARY and not get_current_worker().is_cancelled:
            self.app.call_from_thread(gc.freeze)

    @on(Filtered)
    def _show_filtered(self, message: Filtered) -> None:
        request = message.request
        if request.generation < self._shown_generation:
            return
        if request.records is not None and request.records is self._rebuild:
            self._rebuild = None  # built: later requests use this index
        if self._rebuild is None and (self._index is None or request.records is not None):
            self._adopt(message.index)
        self._shown_generation = request.generation
        self.last_filter_seconds = message.seconds
        table = self.table
        table.empty_text = "No claims match."
        keep = None
        if request.to_top and message.positions:
            keep = message.index.ids[message.positions[0]]
        table.show(message.index, message.positions, keep=keep)
        query = request.filters.query
        self.hints = (
            [hint.message for hint in message.index.hints(request.filters)]
            if (":" in query)
            else []
        )
        self._update_bars()
        if not self.ready:
            self.ready = True
            gc.freeze()  # the index lives as long as the screen (see ReviewApp.on_mount)
            self.call_after_refresh(self._after_first_paint)

    def _after_first_paint(self) -> None:
        """Load the claims after the first page, if only it was loaded, and show them
        here and now, as `on_mount` does (keys typed meanwhile wait, then act on
        every claim); then start the check of the files behind them."""
        app = self.review_app
        if app.load_rest():
            self.table.measure_from = None
            self._rebuild = self._records()
            self._show_filtered(self._filtered(self._request(to_top=False)))
            gc.freeze()  # the whole index, as at a first paint of every claim
            # the workers below compete for the GIL: start them once this is drawn
            self.call_after_refresh(self._after_first_paint)
            return
        if self._index is not None:
            self._prepare_vocabulary(self._index)
        app.check_claims_after_paint()

    def _adopt(self, index: ClaimIndex) -> None:
        """Make `index` the one later filters use; recount (over every claim, from
        the load index, while `index` holds only the first page)."""
        self._index = index
        self._field_values.clear()
        rest = self.review_app.pending_rest
        self._counts = dict(rest.counts) if rest is not None else index.count_by_status()

    # ------------------------------------------------------------------ bars

    def _update_bars(self) -> None:
        # Both bars are one line high whatever they hold: no layout pass needed.
        self.query_one("#filter-bar", Static).update(self._filter_bar(), layout=False)
        self.query_one("#status-bar", Static).update(self._status_bar(), layout=False)

    def _filter_bar(self) -> Content:
        shown = len(self.table.positions)
        total = len(self._index) if self._index is not None else len(self.project.claims)
        rest = self.review_app.pending_rest
        if rest is not None:  # only the first page is loaded yet
            total = rest.total
            if self.filters == Filters():  # its first page, unfiltered: all are shown
                shown = total
        parts: list[tuple[str, str] | str] = [
            (f"{shown:,} of {total:,} claims shown", "bold"),
            ("  ·  ", "dim"),
        ]
        for field in FIELDS:
            value = self.filters.value(field)
            parts.append((f"{field} ", "dim"))
            parts.append((printable(value), "bold $accent") if value else ("any", "dim italic"))
            parts.append("  ")
        sort = self.filters.sort
        parts.append(("sort ", "dim"))
        parts.append((SORT_LABELS[sort], "bold"))
        for hint in self.hints[:2]:
            parts.append(("  ·  ", "dim"))
            parts.append((printable(hint), "bold $text-warning"))
        return Content.assemble(*parts)

    def _status_bar(self) -> Content:
        parts: list[tuple[str, str] | str] = []
        settings = self.project.settings
        styles = {
            "unreviewed": "$text-muted",
            "verified": "$success",
            "false": "$error",
            "other": "$warning",
        }
        for status, count in self._counts.items():
            key = settings.statuses[status].key if status in settings.statuses else None
            if key is not None and taken_by(key) is not None:
                key = None  # left unbound: the key means something else here
            label = f"{key}:{status}" if key else status
            parts.append((printable(label), styles[status_kind(settings, status)]))
            parts.append((f" {count:,}", "bold"))
            parts.append("  ")
        checked = self.review_app.checked_problems
        problems = checked if checked is not None else len(self.project.problems)
        parts.append(("│ ", "dim"))
        parts.append((f"problems {problems}", "bold $error" if problems else "dim"))
        marked = len(self.table.marked)
        if marked:
            parts.append(("  │ ", "dim"))
            parts.append((f"marked {marked}", "bold $accent"))
        parts.append(("  │ ", "dim"))
        parts.append((f"reviewer {printable(self.review_app.reviewer)}", "dim"))
        return Content.assemble(*parts)

    # ------------------------------------------------------------------ changes

    @on(ClaimsChanged)
    def _claims_changed(self, message: ClaimsChanged) -> None:
        if not message.claim_ids:  # only counts or the reviewer's name changed
            self._update_bars()
            return
        for claim_id in message.claim_ids:
            if claim_id not in self.project.claims:
                self.table.marked.pop(claim_id, None)
        if (
            self._index is None
            or self._rebuild is not None
            or len(message.claim_ids) > REBUILD_ABOVE
        ):
            self._rebuild = self._records()
        else:
            sources = self.project.sources
            changed: dict[str, ClaimRow | None] = {}
            for claim_id in message.claim_ids:
                record = self.project.claims.get(claim_id)
                if record is None:
                    changed[claim_id] = None
                    continue
                source = sources.get(record.claim.source.id)
                shown = self.review_app.shown(record.claim)
                changed[claim_id] = ClaimRow.of(shown, source.source if source else None)
            updated = self._index.updated(changed)
            if updated is None:  # claims came or went: build the index again (in the worker)
                self._rebuild = self._records()
            else:
                self._adopt(updated)
        self._update_bars()
        self.request_filter()

    def on_screen_resume(self) -> None:
        """Back from another screen (Problems may have counted anew): redraw the bars."""
        if self.ready:
            self._update_bars()

    def watched_claim_ids(self) -> Iterator[str]:
        """The claims on screen, for the app's check of files changed on disk."""
        if not self.ready:
            return
        table = self.table
        top = table.scroll_offset.y
        yield from table.ids[top : top + table.size.height]

    # ------------------------------------------------------------------ input

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        self.filters = self.filters.with_query(event.value)
        self.request_filter(to_top=True)

    @on(Input.Submitted, "#search")
    def _search_submitted(self) -> None:
        self.table.focus()

    def on_key(self, event: events.Key) -> None:
        if event.key == "down" and isinstance(self.focused, Input):
            event.stop()
            self.table.focus()

    @on(ClaimTable.CursorMoved)
    def _cursor_moved(self, message: ClaimTable.CursorMoved) -> None:
        has_claim = message.claim_id is not None
        if has_claim != self._had_claim:  # claim actions come or go: redraw the footer
            self._had_claim = has_claim
            self.refresh_bindings()

    # ------------------------------------------------------------------ actions

    def _current(self) -> str | None:
        claim_id = self.table.cursor_id
        if claim_id is None:
            self.notify("No claim under the cursor", timeout=2)
        return claim_id

    def action_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_clear(self) -> None:
        search = self.query_one("#search", Input)
        if search.value:
            search.value = ""
            self.table.focus()
        elif self.filters.any_field:
            self.filters = self.filters.cleared_fields()
            self._update_bars()
            self.request_filter()
            self.table.focus()
        else:
            self.table.focus()

    def action_cycle(self, field: Field, step: int) -> None:
        values = self._field_values.get(field)
        if values is None:
            configured = {
                "status": list(self.project.settings.statuses),
                "topic": list(self.project.settings.topics),
                "stance": list(self.project.settings.stances),
                "source": [],
            }[field]
            values = self._index.field_values(field, configured) if self._index else []
            self._field_values[field] = values
        chosen = cycle_value(values, self.filters.value(field), step)
        self.filters = self.filters.with_value(field, chosen)
        self._update_bars()
        self.request_filter()

    def action_cycle_sort(self) -> None:
        position = SORT_ORDERS.index(self.filters.sort)
        sort = SORT_ORDERS[(position + 1) % len(SORT_ORDERS)]
        self.filters = self.filters.with_sort(sort)
        self._update_bars()
        self.request_filter()

    def action_open_detail(self) -> None:
        claim_id = self._current()
        if claim_id is not None:
            self.review_app.open_detail(claim_id)

    def action_toggle_mark(self) -> None:
        if self._current() is None:
            return
        self.table.toggle_mark()
        self._update_bars()

    def action_compare(self) -> None:
        marked = [claim_id for claim_id in self.table.marked if claim_id in self.project.claims]
        if len(marked) < 2:
            self.notify(
                f"Mark two or more claims with space to compare them ({len(marked)} marked).",
                title="Compare",
                severity="warning",
                timeout=4,
            )
            return
        self.review_app.open_compare(marked)

    def action_timeline(self) -> None:
        claim_id = self.table.cursor_id
        record = self.project.claims.get(claim_id) if claim_id else None
        self.review_app.open_timeline(record.claim.topic if record else None)

    def action_set_status(self, status: str) -> None:
        claim_id = self._current()
        if claim_id is None:
            return
        self.review_app.give_verdict(claim_id, status, lambda: self.table.action_cursor(1))

    def action_view_article(self) -> None:
        claim_id = self._current()
        if claim_id is not None:
            self.review_app.open_article(claim_id)

    def action_note(self) -> None:
        claim_id = self._current()
        if claim_id is None:
            return
        from workbench.app.screens.note import NoteScreen

        app = self.review_app
        record = app.project.claims.get(claim_id)
        if record is None:
            return

        def save(note: str | None) -> None:
            if note is None or not note.strip():
                return
            app.perform(
                f"{claim_id}: note added",
                lambda: review.add_note(app.project, claim_id, note, reviewer=app.reviewer),
            )

        app.push_screen(NoteScreen(claim_id, record.claim.statement), save)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in {
            "open_detail",
            "toggle_mark",
            "note",
            "set_status",
            "timeline",
            "view_article",
        }:
            return True if self.is_mounted and self.table.cursor_id is not None else None
        return True
