"""The conflict queue: candidate pairs one at a time, best first, to confirm or dismiss.

The pairs come from `workbench.app.conflict_source` (the matching engine, with
the semantic proposer when its extra is installed, or the relations recorded in
the files), built in a worker thread.  Each pair is shown with the compare
screen's panes and differences, plus its kind, score and reason.

A candidate is a suggestion until a reviewer confirms it: `y` opens the confirm
form, which asks for the relation kind (the engine's guess
preselected) and the reviewer's own note, and records the relation with the
reviewer and the time; escape there writes nothing.  The relation keys of the
compare screen record another kind directly, with a note; dismissing records the
dismissal in both files, so the pair is never proposed again.  Either way the
pair leaves the queue.

Filters (`f` kind, `t` topic, `o` sources: across two sources, then each source
pair) narrow the queue in memory: the candidates are found once, and moving to
the next pair only redraws the two panes.  Escape clears them, then leaves.
The keys are the keymap's (`workbench.app.keymap`): as on every screen, enter
opens the focused claim and `v` its article.
"""

from __future__ import annotations

import datetime as dt
import weakref
from pathlib import PurePath
from typing import ClassVar, Literal, TypeVar

from textual import on, work
from textual.app import App
from textual.binding import BindingType
from textual.content import Content
from textual.message import Message
from textual.widgets import Static

from workbench.app.conflict_source import (
    CandidateQueue,
    ConflictCandidate,
    filter_candidates,
    load_candidates,
    source_pairs,
)
from workbench.app.keymap import CONFLICT_QUEUE_BINDINGS
from workbench.app.screens.compare import CompareScreen
from workbench.app.screens.confirm import (
    ConfirmedRelation,
    ConfirmRelationScreen,
    RelationProposal,
)
from workbench.app.screens.detail import NotePrompt, host
from workbench.matching.filters import KINDS, PairFilter
from workbench.models import RelationKind
from workbench.project import Project
from workbench.review import dismiss, relate

FilterName = Literal["kind", "topic", "sources"]
_Choice = TypeVar("_Choice")

_told: weakref.WeakKeyDictionary[App[object], set[str]] = weakref.WeakKeyDictionary()
"""The notices each running app has shown: each is said once, not on every rebuild."""

ACROSS: tuple[str, ...] = ()
"""The source filter's first step: pairs from two different sources (no one pair)."""

ORIGIN_NAMES = {"matching": "matching engine", "recorded": "relations recorded in the files"}


class CandidatesLoaded(Message):
    """The worker built the queue; the screen shows it (on its own thread)."""

    def __init__(self, queue: CandidateQueue) -> None:
        super().__init__()
        self.queue = queue


def candidate_content(
    candidate: ConflictCandidate, position: int, total: int, filtered: str = ""
) -> Content:
    """`3 of 17  ·  numeric  ·  score 0.92  ·  suggests contradicts` and the reason."""
    return Content.assemble(
        ("Conflict queue", "bold"),
        f"  {position} of {total}",
        (f"  (filter: {filtered})" if filtered else "", "$text-accent"),
        ("  ·  ", "dim"),
        (candidate.kind, "bold"),
        ("  ·  score ", "dim"),
        f"{candidate.score:.2f}",
        ("  ·  suggests ", "dim"),
        (candidate.suggested_relation, "bold"),
        "\n",
        (candidate.reason, "italic"),
    )


class ConflictQueueScreen(CompareScreen, inherit_bindings=False):
    """Candidate pairs one at a time: `y` confirm, `d` dismiss, `]` skip, enter detail."""

    CSS_PATH: ClassVar[str | PurePath | list[str | PurePath] | None] = [
        "compare.tcss",
        "conflicts.tcss",
    ]

    BINDINGS: ClassVar[list[BindingType]] = list(CONFLICT_QUEUE_BINDINGS)

    reuse_panes: ClassVar[bool] = True
    """Refill the two panes for the next pair (False: mount new ones, the bench's baseline)."""

    semantic: ClassVar[bool] = True
    """Whether the queue asks for the semantic proposer's pairs (when its extra is installed)."""

    def __init__(self, topic: str | None = None) -> None:
        super().__init__([])
        self.topic = topic
        self.all_candidates: list[ConflictCandidate] = []
        """Every candidate found; `candidates` is the filtered view the reviewer walks."""
        self.candidates: list[ConflictCandidate] = []
        self.pair_filter = PairFilter()
        self.position = 0
        self.origin = ""
        self.loaded = False

    async def on_mount(self) -> None:
        await super().on_mount()
        self.rebuild()

    # -- the queue ---------------------------------------------------------------------

    def rebuild(self) -> None:
        """Build the queue again in a worker thread (it reads, never writes)."""
        self.loaded = False
        self.refresh_view()
        self._find(host(self).project, self.topic, self.semantic)

    @work(thread=True, exclusive=True, group="conflict-queue", exit_on_error=False)
    def _find(self, project: Project, topic: str | None, semantic: bool) -> None:
        try:
            queue = load_candidates(project, topic=topic, semantic=semantic)
        except Exception as error:  # say so on screen rather than spin for ever
            note = f"could not build the queue ({type(error).__name__}: {error}); press r"
            queue = CandidateQueue([], "recorded", note)
        self.post_message(CandidatesLoaded(queue))

    @on(CandidatesLoaded)
    async def _loaded(self, message: CandidatesLoaded) -> None:
        queue = message.queue
        self.all_candidates = list(queue.candidates)
        self.candidates = filter_candidates(self.all_candidates, self.pair_filter)
        self.position = 0
        self.origin = ORIGIN_NAMES.get(queue.origin, queue.origin)
        if queue.origin == "matching":
            self.origin += " (lexical + semantic)" if queue.semantic else " (lexical)"
        self.loaded = True
        origin = Content.assemble(("candidates from the ", "dim"), (self.origin, "dim"))
        if queue.note:
            origin = Content.assemble(origin, ("  ·  ", "dim"), (queue.note, "$text-warning"))
        status = self.query_one("#compare-status", Static)
        status.update(origin)
        status.display = True
        told = _told.setdefault(self.app, set())
        for notice in queue.notices:
            if notice not in told:
                told.add(notice)
                self.app.notify(notice, title="Conflict queue", severity="warning", markup=False)
        await self.show_current()
        self.refresh_bindings()

    @property
    def current(self) -> ConflictCandidate | None:
        if not self.candidates:
            return None
        return self.candidates[self.position % len(self.candidates)]

    async def show_current(self) -> None:
        """Show the pair at `position` (or say the queue is empty).

        The two panes are refilled in place rather than mounted anew: mounting
        moves the focus, which rebuilds the footer and restyles the screen, and
        that made the next pair cost several times the 100 ms a reviewer should
        wait (`bench/bench_queue.py` times both ways).
        """
        candidate = self.current
        if candidate is None:
            await self.show_claims([])
            return
        claim_ids = [candidate.first, candidate.second]
        cards = self.cards
        if not (self.reuse_panes and len(cards) == len(claim_ids)):
            await self.show_claims(claim_ids)
            return
        self.claim_ids = claim_ids
        self.pair_index = 0
        for card, claim_id in zip(cards, claim_ids, strict=True):
            card.claim_id = claim_id
            card.scroll_home(animate=False)
        self.refresh_view()

    def watched_claim_ids(self) -> list[str]:
        """The claims on screen, for the app's disk watcher."""
        candidate = self.current
        return [candidate.first, candidate.second] if candidate is not None else []

    def title_content(self) -> Content:
        candidate = self.current
        if not self.loaded:
            return Content("Conflict queue: finding candidates…")
        filtered = self.pair_filter.describe()
        if candidate is None and filtered:
            return Content.assemble(
                ("Conflict queue", "bold"),
                f"  no candidate matches the filter ({filtered}) of {len(self.all_candidates)}",
                ("  ·  escape clears it", "dim"),
            )
        if candidate is None:
            return Content.assemble(
                ("Conflict queue", "bold"), "  empty: no candidate pairs left to review"
            )
        position = self.position % len(self.candidates) + 1
        return candidate_content(candidate, position, len(self.candidates), filtered)

    def differences_for(self, project: Project, pair: tuple[str, str] | None) -> Content:
        if pair is None and self.loaded:
            return Content.styled(
                "Press r to look for candidates again, escape to go back.", "dim italic"
            )
        if pair is None:
            return Content("")
        return super().differences_for(project, pair)

    def current_pair(self) -> tuple[str, str] | None:
        candidate = self.current
        return (candidate.first, candidate.second) if candidate is not None else None

    async def _leave_queue(self, candidate: ConflictCandidate, *, whole_pair: bool) -> None:
        """Drop a decided candidate; the next one takes its place.

        A relation decides the pair (every kind of candidate for it goes); a
        dismissal is recorded for one kind, so only that candidate goes.
        """

        def stays(c: ConflictCandidate) -> bool:
            return c != candidate and not (whole_pair and c.pair == candidate.pair)

        self.all_candidates = [c for c in self.all_candidates if stays(c)]
        self.candidates = [c for c in self.candidates if stays(c)]
        if self.candidates:
            self.position %= len(self.candidates)
        else:
            self.position = 0
        await self.show_current()
        self.refresh_bindings()

    # -- actions -----------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("confirm", "dismiss_pair", "relate", "open_detail", "view_article"):
            return self.current is not None
        if action == "cycle_filter":
            return self.loaded and bool(self.all_candidates)
        if action in ("next_pair", "previous_pair"):
            return len(self.candidates) > 1
        return super().check_action(action, parameters)

    async def action_next_pair(self) -> None:
        if self.candidates:
            self.position = (self.position + 1) % len(self.candidates)
            await self.show_current()

    async def action_previous_pair(self) -> None:
        if self.candidates:
            self.position = (self.position - 1) % len(self.candidates)
            await self.show_current()

    def action_rebuild(self) -> None:
        self.rebuild()

    async def action_back(self) -> None:
        """Escape is one step back out: the filters first (as in the claims list)."""
        if self.pair_filter.active:
            await self._apply_filter(PairFilter())
        else:
            self.app.pop_screen()

    # -- filters -----------------------------------------------------------------------

    async def _apply_filter(self, wanted: PairFilter) -> None:
        """Show only the candidates that pass `wanted`, from the first."""
        before = self._binding_state()
        self.pair_filter = wanted
        self.candidates = filter_candidates(self.all_candidates, wanted)
        self.position = 0
        await self.show_current()
        if self._binding_state() != before:  # the footer is rebuilt on every refresh
            self.refresh_bindings()

    def _binding_state(self) -> tuple[bool, bool, bool]:
        """What `check_action` reads: a pair shown, more than one, a filter on."""
        return (self.current is not None, len(self.candidates) > 1, self.pair_filter.active)

    async def action_cycle_filter(self, name: FilterName) -> None:
        """The next kind, topic or sources among the candidates, then all again.

        Sources go: pairs across two sources, then each source pair (most
        candidates first, pairs within one source included), then all.
        """
        wanted = self.pair_filter
        if name == "kind":
            kinds = [kind for kind in KINDS if any(c.kind == kind for c in self.all_candidates)]
            now = next(iter(wanted.kinds)) if wanted.kinds and len(wanted.kinds) == 1 else None
            chosen = _next_of(kinds, now)
            wanted = PairFilter(
                frozenset({chosen}) if chosen else None, wanted.topic, wanted.sources, wanted.across
            )
        elif name == "topic":
            topics = sorted({topic for c in self.all_candidates for topic in c.topics})
            wanted = PairFilter(
                wanted.kinds, _next_of(topics, wanted.topic), wanted.sources, wanted.across
            )
        else:
            steps: list[tuple[str, ...]] = [ACROSS, *source_pairs(self.all_candidates)]
            now_step: tuple[str, ...] | None = None
            if len(wanted.sources) == 2:
                now_step = wanted.sources
            elif wanted.across:
                now_step = ACROSS
            chosen_step = _next_of(steps, now_step)
            across = chosen_step == ACROSS
            pair = chosen_step if chosen_step is not None and not across else ()
            wanted = PairFilter(wanted.kinds, wanted.topic, pair, across)
        await self._apply_filter(wanted)

    # -- confirm -----------------------------------------------------------------------

    def proposal_for(self, candidate: ConflictCandidate) -> RelationProposal:
        """The confirm form's offer: the pair, the engine's guess and the `updates` order."""
        project = host(self).project
        first_date = _published(project, candidate.first)
        second_date = _published(project, candidate.second)
        newer, older = candidate.first, candidate.second
        if candidate.suggested_relation != "updates" and (
            first_date is not None and second_date is not None and first_date < second_date
        ):
            newer, older = older, newer
        dates = {candidate.first: first_date, candidate.second: second_date}
        return RelationProposal(
            candidate.first,
            candidate.second,
            candidate.suggested_relation,
            candidate.reason,
            newer,
            older,
            dates[newer],
            dates[older],
        )

    def action_confirm(self) -> None:
        candidate = self.current
        if candidate is None:
            return

        async def record(chosen: ConfirmedRelation | None) -> None:
            if chosen is None:
                return  # cancelled: nothing is written, the pair stays
            app = host(self)
            done = app.perform(
                f"{chosen.first} {chosen.kind} {chosen.second}",
                lambda: relate(
                    app.project,
                    chosen.first,
                    chosen.second,
                    chosen.kind,
                    note=chosen.note,
                    reviewer=app.reviewer,
                ),
            )
            if done:
                await self._leave_queue(candidate, whole_pair=True)
            else:
                self.refresh_view()

        self.app.push_screen(ConfirmRelationScreen(self.proposal_for(candidate)), record)

    def action_dismiss_pair(self) -> None:
        candidate = self.current
        if candidate is None:
            return

        async def record(note: str | None) -> None:
            if note is None:
                return
            app = host(self)
            done = app.perform(
                f"dismissed {candidate.first} / {candidate.second} ({candidate.kind})",
                lambda: dismiss(
                    app.project,
                    candidate.first,
                    candidate.second,
                    candidate.kind,
                    note=note,
                    reviewer=app.reviewer,
                ),
            )
            if done:
                await self._leave_queue(candidate, whole_pair=False)
            else:
                self.refresh_view()

        self.app.push_screen(
            NotePrompt(
                f"Dismiss {candidate.first} / {candidate.second}: why is this not a "
                f"{candidate.kind} conflict? (enter saves, escape cancels)",
                placeholder="optional: why the pair does not conflict",
            ),
            record,
        )

    def after_relation(
        self, first: str, second: str, kind: RelationKind, *, recorded: bool
    ) -> None:
        """A relation of any kind decides the pair: it leaves the queue."""
        candidate = self.current
        if recorded and candidate is not None and candidate.pair == {first, second}:
            self.run_worker(
                self._leave_queue(candidate, whole_pair=True), group="conflict-queue-ui"
            )
        else:
            self.refresh_view()


def _next_of(choices: list[_Choice], now: _Choice | None) -> _Choice | None:
    """The choice after `now`; after the last (or with no choices), None: all again."""
    if not choices:
        return None
    if now is None or now not in choices:
        return choices[0]
    index = choices.index(now) + 1
    return choices[index] if index < len(choices) else None


def _published(project: Project, claim_id: str) -> dt.date | None:
    record = project.claims.get(claim_id)
    if record is None:
        return None
    source = project.sources.get(record.summary.source_id)
    return source.source.published if source is not None else None
