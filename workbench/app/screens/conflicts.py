"""The conflict queue: candidate pairs one at a time, best first, to confirm or dismiss.

The pairs come from `workbench.app.conflict_source` (the matching engine, or
the relations recorded in the files until it is installed), built in a worker
thread.  Each pair is shown with the compare screen's panes and differences,
plus its kind, score and reason.  Confirming records the suggested relation
(in both files for mutual kinds); the relation keys of the compare screen record
another kind instead; dismissing records the dismissal in both files, so the
pair is never proposed again.  Either way the pair leaves the queue.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual._path import CSSPathType
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.widgets import Static

from workbench.app.conflict_source import CandidateQueue, ConflictCandidate, load_candidates
from workbench.app.screens.compare import RELATION_BINDINGS, CompareScreen
from workbench.app.screens.detail import NotePrompt, host
from workbench.models import RelationKind
from workbench.project import Project
from workbench.review import dismiss, relate

ORIGIN_NAMES = {"matching": "matching engine", "recorded": "relations recorded in the files"}


class CandidatesLoaded(Message):
    """The worker built the queue; the screen shows it (on its own thread)."""

    def __init__(self, queue: CandidateQueue) -> None:
        super().__init__()
        self.queue = queue


def candidate_content(candidate: ConflictCandidate, position: int, total: int) -> Content:
    """`3 of 17  ·  numeric  ·  score 0.92  ·  suggests contradicts` and the reason."""
    return Content.assemble(
        ("Conflict queue", "bold"),
        f"  {position} of {total}",
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
    """Candidate pairs one at a time: `y` confirm, `d` dismiss, `]` skip."""

    CSS_PATH: ClassVar[CSSPathType | None] = ["compare.tcss", "conflicts.tcss"]

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "y",
            "confirm",
            "Confirm",
            id="workbench.conflicts.confirm",
            tooltip="Record the suggested relation (both files for mutual kinds)",
        ),
        Binding(
            "enter",
            "confirm",
            "Confirm",
            id="workbench.conflicts.confirm-enter",
            tooltip="Record the suggested relation",
            show=False,
        ),
        Binding(
            "d",
            "dismiss_pair",
            "Dismiss",
            id="workbench.conflicts.dismiss",
            tooltip="Not a conflict: recorded in both files so it is never proposed again",
        ),
        Binding(
            "right_square_bracket",
            "next_pair",
            "Skip",
            key_display="]",
            id="workbench.conflicts.skip",
            tooltip="Leave this pair in the queue and show the next",
        ),
        Binding(
            "left_square_bracket",
            "previous_pair",
            "Previous",
            key_display="[",
            id="workbench.conflicts.previous",
            tooltip="Show the previous pair",
        ),
        Binding(
            "o",
            "open_detail",
            "Detail",
            id="workbench.conflicts.open-detail",
            tooltip="Open the focused claim's detail",
        ),
        Binding(
            "r",
            "rebuild",
            "Rebuild",
            id="workbench.conflicts.rebuild",
            tooltip="Find the candidates again (after edits or an undo)",
        ),
        *RELATION_BINDINGS,
        Binding(
            "escape", "back", "Back", id="workbench.conflicts.back", tooltip="Back to the claims"
        ),
    ]

    def __init__(self, topic: str | None = None) -> None:
        super().__init__([])
        self.topic = topic
        self.candidates: list[ConflictCandidate] = []
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
        self._find(host(self).project, self.topic)

    @work(thread=True, exclusive=True, group="conflict-queue", exit_on_error=False)
    def _find(self, project: Project, topic: str | None) -> None:
        try:
            queue = load_candidates(project, topic=topic)
        except Exception as error:  # say so on screen rather than spin for ever
            note = f"could not build the queue ({type(error).__name__}: {error}); press r"
            queue = CandidateQueue([], "recorded", note)
        self.post_message(CandidatesLoaded(queue))

    @on(CandidatesLoaded)
    async def _loaded(self, message: CandidatesLoaded) -> None:
        queue = message.queue
        self.candidates = list(queue.candidates)
        self.position = 0
        self.origin = ORIGIN_NAMES.get(queue.origin, queue.origin)
        self.loaded = True
        origin = Content.assemble(("candidates from the ", "dim"), (self.origin, "dim"))
        if queue.note:
            origin = Content.assemble(origin, ("  ·  ", "dim"), (queue.note, "$text-warning"))
        status = self.query_one("#compare-status", Static)
        status.update(origin)
        status.display = True
        await self.show_current()
        self.refresh_bindings()

    @property
    def current(self) -> ConflictCandidate | None:
        if not self.candidates:
            return None
        return self.candidates[self.position % len(self.candidates)]

    async def show_current(self) -> None:
        """Show the pair at `position` (or say the queue is empty)."""
        candidate = self.current
        if candidate is None:
            await self.show_claims([])
            return
        await self.show_claims([candidate.first, candidate.second])

    def watched_claim_ids(self) -> list[str]:
        """The claims on screen, for the app's disk watcher."""
        candidate = self.current
        return [candidate.first, candidate.second] if candidate is not None else []

    def title_content(self) -> Content:
        candidate = self.current
        if not self.loaded:
            return Content("Conflict queue: finding candidates…")
        if candidate is None:
            return Content.assemble(
                ("Conflict queue", "bold"), "  empty: no candidate pairs left to review"
            )
        position = self.position % len(self.candidates) + 1
        return candidate_content(candidate, position, len(self.candidates))

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
        self.candidates = [
            c
            for c in self.candidates
            if c != candidate and not (whole_pair and c.pair == candidate.pair)
        ]
        if self.candidates:
            self.position %= len(self.candidates)
        else:
            self.position = 0
        await self.show_current()
        self.refresh_bindings()

    # -- actions -----------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("confirm", "dismiss_pair", "relate", "open_detail"):
            return self.current is not None
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

    async def action_confirm(self) -> None:
        candidate = self.current
        if candidate is None:
            return
        app = host(self)
        kind = candidate.suggested_relation
        done = app.perform(
            f"{candidate.first} {kind} {candidate.second}",
            lambda: relate(
                app.project,
                candidate.first,
                candidate.second,
                kind,
                note=candidate.reason,
                reviewer=app.reviewer,
            ),
        )
        if done:
            await self._leave_queue(candidate, whole_pair=True)
        else:
            self.refresh_view()

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
