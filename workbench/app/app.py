"""The review app: one `ReviewApp` holding the project, the reviewer and the undo stack.

Screens never write files.  They call `ReviewApp.perform(description, action)`
with a function that calls `workbench.review` (`mark_status`, `add_note`,
`relate`, `dismiss`); the app runs it, keeps the result on the undo stack and
tells every screen which claims changed (`ClaimsChanged`).  A write that would
go over a file someone else changed is refused by `workbench.storage`; the app
then reloads that claim and tells the reviewer their change was not applied.

Files edited behind the app's back are noticed by a poll in a worker thread
(see `DiskWatch`): the claims on screen are checked every tick, the rest in a
rolling sweep, so a tick costs a few thousand `stat` calls even at 100,000
claims.

`workbench review` starts from the first page of the claims list, read from
the load index alone (`load_project_first_page`), so the list is drawn without
reading every row, let alone a `stat` of every file; right after that first
paint the list loads the rest as the index last saw them (`load_rest`), and
then a worker checks every file against its row (`check_unchecked`) and the
claims that changed are put in place and redrawn.  The poll starts once that
check is in.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, on, work
from textual.app import App
from textual.await_complete import AwaitComplete
from textual.binding import BindingType
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.message import Message
from textual.screen import Screen

from workbench import review
from workbench.app.keymap import APP_BINDINGS, QUEUE_BINDINGS
from workbench.app.messages import ClaimsChanged
from workbench.app.screens.detail import index_relations
from workbench.app.widgets.early_keys import TypeAheadModal
from workbench.files.locks import LockTimeoutError
from workbench.models import Claim
from workbench.problems import Problem
from workbench.project import (
    CheckedClaims,
    PendingCheck,
    PendingRest,
    Project,
    apply_checked,
    check_unchecked,
    load_rest,
)
from workbench.review import Change, ReviewError, StaleFileError
from workbench.storage import ClaimRecord, Fingerprint, load_claim_file
from workbench.tomlio import WriteError

if TYPE_CHECKING:
    from workbench.app.screens.article import ArticleScreen, CaptureForm
    from workbench.app.screens.detail import DetailScreen
    from workbench.app.screens.queues import ClaimQueueScreen
    from workbench.app.screens.verdict import VerdictForm
    from workbench.capture import Selection

POLL_SECONDS = 2.0
"""How often files are checked for changes made outside the app."""

SWEEP_CHUNK = 3000
"""Claim files stat'ed per poll besides the ones on screen (a rolling sweep)."""


@dataclass(frozen=True, slots=True)
class UndoStep:
    """One reviewer action as the undo stack keeps it: a description and its changes."""

    description: str
    changes: tuple[Change, ...]


@dataclass(frozen=True, slots=True)
class FileCheck:
    """What a claim file looked like when loaded, for the watcher thread to compare."""

    claim_id: str
    path: Path
    size: int | None
    mtime_ns: int | None


@dataclass(slots=True)
class DiskReport:
    """What the watcher thread found: changed claim files and the folder listing."""

    changed: list[tuple[FileCheck, ClaimRecord | None]] = field(default_factory=list)
    folder_mtime_ns: int | None = None
    names: frozenset[str] | None = None
    """File names in the claims folder, listed only when the folder itself changed."""
    added: list[ClaimRecord] = field(default_factory=list)
    problems: dict[Path, list[Problem]] = field(default_factory=dict)
    """The load problems of every file read again (empty: it loads cleanly now)."""


class DiskChanged(Message):
    """Posted by the watcher thread; the app applies it on its own thread."""

    def __init__(self, report: DiskReport) -> None:
        super().__init__()
        self.report = report


class StartChecked(Message):
    """Posted by the start check's worker: the claims as the files hold them now."""

    def __init__(self, checked: CheckedClaims) -> None:
        super().__init__()
        self.checked = checked


class ScreenActions(Provider):
    """Command palette: every action the current screen offers, with its key.

    It reads the screen's active bindings, so it lists what the footer and the
    help screen list, status keys included, and nothing that is disabled.
    """

    def _commands(self) -> Iterator[tuple[str, str, Callable[[], Any]]]:
        seen: set[str] = set()
        for key, active in self.screen.active_bindings.items():
            binding = active.binding
            if not active.enabled or not binding.description or binding.action in seen:
                continue
            seen.add(binding.action)
            display = self.app.get_key_display(binding)
            help_text = f"key: {display}"
            if binding.tooltip:
                help_text = f"{binding.tooltip} (key: {display})"
            del key
            yield binding.description, help_text, self._runner(binding.action, active.node)

    def _runner(self, action: str, node: Any) -> Callable[[], Any]:
        async def run() -> None:
            await self.app.run_action(action, node)

        return run

    async def discover(self) -> Hits:
        for text, help_text, command in self._commands():
            yield DiscoveryHit(text, command, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, help_text, command in self._commands():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), command, help=help_text)


class ClaimJump(Provider):
    """Command palette: jump to any claim by its id or its statement.

    The search runs over the claims' summaries (no claim models built); ids that
    start with the query come first, then the fuzzy matches, at most `JUMP_LIMIT`.
    """

    JUMP_LIMIT = 20

    def _matches(self, query: str) -> list[tuple[float, str, str]]:
        app = self.app
        if not isinstance(app, ReviewApp):
            return []
        wanted = query.strip().casefold()
        if not wanted:
            return []
        matcher = self.matcher(query)
        found: list[tuple[float, str, str]] = []
        fuzzy_budget = 5000
        for summary in app.project.iter_summaries():
            claim_id = summary.id
            if claim_id.casefold().startswith(wanted):
                found.append((2.0, claim_id, summary.statement))
            elif wanted in claim_id.casefold() or wanted in summary.statement.casefold():
                found.append((1.5, claim_id, summary.statement))
            elif fuzzy_budget > 0:
                fuzzy_budget -= 1
                score = matcher.match(claim_id)
                if score > 0:
                    found.append((score, claim_id, summary.statement))
            if len(found) >= self.JUMP_LIMIT * 5:
                break
        found.sort(key=lambda item: (-item[0], item[1]))
        return found[: self.JUMP_LIMIT]

    def _opener(self, claim_id: str) -> Callable[[], Any]:
        def run() -> None:
            app = self.app
            if isinstance(app, ReviewApp):
                app.open_detail(claim_id)

        return run

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for score, claim_id, statement in self._matches(query):
            text = f"Claim {claim_id}"
            yield Hit(
                min(score / 2, 1.0),
                matcher.highlight(text),
                self._opener(claim_id),
                help=statement[:120],
            )


COLLECTIONS_PER_OPENING = 5
"""About how many younger garbage collections opening a screen makes (`gc.get_count`'s
third count), at most: `ReviewApp.pop_screen` collects when the next opening would
reach Python's full collection."""


class ReviewApp(App[None]):
    """Review claims: a list, a detail, comparisons, the conflict queue, a timeline."""

    CSS_PATH: ClassVar[list[str | PurePath]] = ["app.tcss", "widgets/claim_table.tcss"]
    TITLE = "workbench"
    BINDINGS: ClassVar[list[BindingType]] = [*APP_BINDINGS, *QUEUE_BINDINGS]
    COMMANDS = App.COMMANDS | {ScreenActions, ClaimJump}

    COLLECT_AFTER_CLOSE: ClassVar[bool] = True
    """`pop_screen`; False leaves the collections to Python's thresholds (the
    benchmark's baseline)."""

    def __init__(
        self,
        project: Project,
        reviewer: str | None,
        *,
        poll_seconds: float | None = POLL_SECONDS,
        blind: bool = False,
        pending_check: PendingCheck | None = None,
        pending_rest: PendingRest | None = None,
        keep_screens: bool = True,
    ) -> None:
        super().__init__()
        self.project = project
        self.pending_rest = pending_rest
        """Set while only the list's first page is loaded (`load_project_first_page`):
        the list loads the rest right after its first paint (`load_rest`)."""
        self.keep_screens = keep_screens
        """Keep the detail, article, queue and form screens and reuse them (see
        `open_detail`); False builds each anew (the benchmark's baseline)."""
        self.pending_check = pending_check
        """Set while the claims are as the load index last saw them, unchecked
        (`load_project_unchecked`); None once `check_unchecked` is applied."""
        self.reviewer = reviewer or ""
        """Empty until the reviewer has said who they are (asked once at start)."""
        self.blind = blind
        self.checked_problems: int | None = None
        """How many problems the Problems screen's last full check found; None once
        anything changed since (the status bar then counts the load problems)."""
        """`workbench review --blind`: others' verdicts hidden until one's own (`shown`)."""
        self.sub_title = project.settings.name
        self._undo_stack: list[UndoStep] = []
        self._poll_seconds = poll_seconds
        self._sweep_ids: list[str] = []
        self._sweep_position = 0
        self._folder_mtime_ns: int | None = None
        self._folder_names: frozenset[str] | None = None
        self._polling = False
        self._kept_detail: DetailScreen | None = None
        """The detail screen `open_detail` reuses (installed, so closing keeps it)."""
        self._kept_queues: dict[type[ClaimQueueScreen], ClaimQueueScreen] = {}
        self._kept_article: ArticleScreen | None = None
        self._kept_verdict_form: VerdictForm | None = None
        self._kept_capture: CaptureForm | None = None
        self._collect_pending = False

    # ------------------------------------------------------------------ lifecycle

    def on_mount(self) -> None:
        from workbench.app.screens.claims_list import ClaimsListScreen

        # The loaded project lives as long as the app: keep the garbage collector
        # from walking its (at 100,000 claims, millions of) objects again and again,
        # which otherwise shows as a pause of a second now and then.
        gc.freeze()
        self.push_screen(ClaimsListScreen())
        if not self.reviewer:
            self.ask_reviewer()
        if self._poll_seconds:
            self.set_interval(self._poll_seconds, self.check_disk)

    def on_unmount(self) -> None:
        gc.unfreeze()

    def pop_screen(self) -> AwaitComplete:
        """Close the top screen; once the screen below is drawn, run the full garbage
        collection that Python would otherwise soon run on its own.

        A screen closed for good (any but the kept ones) leaves its widgets in
        reference cycles, which only a full collection frees.  Python runs one after
        ten younger collections (`gc.get_threshold`), and an opening makes about
        four: so it came every two or three openings, in the middle of one, and at
        100,000 claims took 20-40 ms of it.  Run here, when it is due within the
        next opening or two, it takes that time while the reviewer looks at the
        screen below instead (and frees the screens closed before: Textual lets go
        of the one just closed a little later)."""
        popped = super().pop_screen()
        due = gc.get_count()[2] + COLLECTIONS_PER_OPENING > gc.get_threshold()[2]
        if self.COLLECT_AFTER_CLOSE and due and not self._collect_pending:
            self._collect_pending = True
            self.call_after_refresh(self._collect_garbage)
        return popped

    def _collect_garbage(self) -> None:
        self._collect_pending = False
        gc.collect()

    async def on_event(self, event: events.Event) -> None:
        """Keys typed right after a prompt opened, still queued for the screen below,
        go into the prompt (see `workbench.app.widgets.early_keys`)."""
        if isinstance(event, events.Key) and event.is_forwarded and self.screen_stack:
            top = self.screen
            if isinstance(top, TypeAheadModal) and top.wants_key(event):
                return
        await super().on_event(event)

    def ask_reviewer(self) -> None:
        """No --reviewer, WORKBENCH_REVIEWER or git user.name: ask once, never guess."""
        from workbench.app.screens.note import ReviewerPrompt

        def chosen(name: str | None) -> None:
            if name is None:
                self.exit()
                return
            self.reviewer = name
            self.post_message(ClaimsChanged(()))

        self.push_screen(ReviewerPrompt(), chosen)

    def shown(self, claim: Claim) -> Claim:
        """The claim as this reviewer may see it: blind review hides others' verdicts."""
        if not self.blind:
            return claim
        from workbench.blind import blind_view

        return blind_view(claim, self.reviewer)

    def load_rest(self) -> bool:
        """Load every claim in place of the first page (the list calls this once it is
        drawn); whether there was anything to load.  In the app's own thread: keys
        typed meanwhile wait and then act on every claim."""
        rest = self.pending_rest
        if rest is None:
            return False
        self.pending_check = load_rest(self.project, rest)
        self.pending_rest = None
        gc.freeze()  # as in `on_mount`: the claims live as long as the app
        return True

    def check_claims_after_paint(self) -> None:
        """Once every claim is listed and drawn (the list calls this): work out which
        claims point at which (`index_relations`, not in the first detail's opening),
        freeze it for the collector, and start the check of an unchecked load."""
        index_relations(self.project)
        gc.freeze()
        if self.pending_check is not None:
            self._check_unchecked(self.pending_check)

    @work(
        thread=True,
        exclusive=True,
        group="start-check",
        exit_on_error=False,
        description="check every claim file against the load index",
    )
    def _check_unchecked(self, pending: PendingCheck) -> None:
        self.post_message(StartChecked(check_unchecked(self.project, pending)))

    @on(StartChecked)
    def _apply_start_check(self, message: StartChecked) -> None:
        pending = self.pending_check
        if pending is None:
            return
        changed = apply_checked(self.project, pending, message.checked)
        self.pending_check = None
        self.checked_problems = None
        self.post_message(ClaimsChanged(tuple(changed)))

    # ------------------------------------------------------------------ writes

    def perform(self, description: str, action: Callable[[], Change | list[Change]]) -> bool:
        """Run a write through `workbench.review` and keep it on the undo stack.

        On `StaleFileError` the affected claim is reloaded from disk, the reviewer
        is told their change was not applied, and False is returned.
        """
        return self._write(description, action, undoable=True)

    def _write(
        self,
        description: str,
        action: Callable[[], Change | list[Change]],
        *,
        undoable: bool,
    ) -> bool:
        try:
            result = action()
        except StaleFileError as error:
            self._refuse_stale(description, error)
            return False
        except ReviewError as error:
            self.notify(str(error), title="Not done", severity="error", markup=False)
            return False
        except (WriteError, LockTimeoutError) as error:
            self.notify(
                f"{error} ({description})", title="Not written", severity="error", markup=False
            )
            return False
        changes = (result,) if isinstance(result, Change) else tuple(result)
        if not changes:
            self.notify(f"{description}: nothing to change", timeout=3, markup=False)
            return True
        if undoable:
            self._undo_stack.append(UndoStep(description, changes))
        self.post_message(ClaimsChanged(_unique(change.claim_id for change in changes)))
        self.notify(description, timeout=2, markup=False)
        return True

    def _refuse_stale(self, description: str, error: StaleFileError) -> None:
        claim_id = self._claim_id_at(error.path)
        if claim_id is None:
            self.notify(
                f"{error.path.name} changed on disk; your change was NOT applied ({description}).",
                title="File changed on disk",
                severity="warning",
                timeout=10,
                markup=False,
            )
            return
        fresh = None
        if error.path.exists():
            fresh = review.reload_claim(self.project, claim_id)
        if fresh is not None:
            message = (
                f"{claim_id} changed on disk and was reloaded: {error.reason}. Your change was "
                f"NOT applied ({description}): look at the claim again and redo it if it "
                "still holds."
            )
        elif not error.path.exists():
            self.project.claims.pop(claim_id, None)
            message = (
                f"{claim_id} was deleted on disk and is no longer listed. "
                f"Your change was NOT applied ({description})."
            )
        else:
            message = (
                f"{claim_id} changed on disk and now has problems (run `workbench check`). "
                f"Your change was NOT applied ({description})."
            )
        self.notify(
            message, title="File changed on disk", severity="warning", timeout=10, markup=False
        )
        self.post_message(ClaimsChanged((claim_id,)))

    def _claim_id_at(self, path: Path) -> str | None:
        candidate = self.project.claims.get(path.stem)
        if candidate is not None and candidate.path == path:
            return path.stem
        for claim_id, record in self.project.claims.items():
            if record.path == path:
                return claim_id
        return None

    @property
    def can_undo(self) -> bool:
        return bool(self._undo_stack)

    @property
    def undo_description(self) -> str | None:
        return self._undo_stack[-1].description if self._undo_stack else None

    def action_undo(self) -> None:
        """Undo the last step with a further history entry (history is never rewritten)."""
        if not self._undo_stack:
            self.notify("Nothing to undo", timeout=2)
            return
        step = self._undo_stack.pop()
        for change in step.changes:
            record = self.project.claims.get(change.claim_id)
            if record is None or not _same_but_history(record.claim, change.after):
                self.notify(
                    f"Cannot undo “{step.description}”: {change.claim_id} changed since "
                    "(on disk or in another step). Nothing was changed.",
                    title="Not undone",
                    severity="warning",
                    timeout=8,
                    markup=False,
                )
                return

        def undo_all() -> list[Change]:
            return [
                review.undo(self.project, change, reviewer=self.reviewer)
                for change in reversed(step.changes)
            ]

        self._write(f"Undone: {step.description}", undo_all, undoable=False)

    def give_verdict(
        self, claim_id: str, status: str, done: Callable[[], None] | None = None
    ) -> None:
        """A status key: set `status` at once when it asks for nothing, else open the
        verdict form (note, evidence) and write what it returns; `done` runs after a
        verdict was written (the screens auto-advance there when the project asks).

        The status the claim already has is refused, as `workbench mark` refuses it.
        """
        from workbench.app.screens.verdict import VerdictForm
        from workbench.verdict_entry import (
            CheckedVerdict,
            needs_form,
            record_verdict,
            related_evidence,
            status_change_problem,
        )

        record = self.project.claims.get(claim_id)
        if record is None:
            return
        claim = record.claim
        refused = status_change_problem(claim, status, self.reviewer)
        if self.blind and self.shown(claim) is not claim:
            refused = None  # the blind reviewer's own verdict may agree with the hidden one
        if refused is not None:
            self.notify(refused, timeout=2, markup=False)
            return
        description = f"{claim_id}: {claim.status} → {status}"

        def write(verdict: CheckedVerdict | None) -> None:
            if verdict is None:
                return
            written = self.perform(
                description,
                lambda: record_verdict(
                    self.project, claim_id, status, verdict, reviewer=self.reviewer
                ),
            )
            if written and done is not None and self.project.settings.app.auto_advance:
                done()

        if not needs_form(self.project.settings, status):
            written = self.perform(
                description,
                lambda: review.mark_status(self.project, claim_id, status, reviewer=self.reviewer),
            )
            if written and done is not None and self.project.settings.app.auto_advance:
                done()
            return
        shown_status = self.shown(claim).status
        reusable = related_evidence(self.project, claim)
        kept = self._kept_verdict_form
        if kept is not None and kept not in self.screen_stack:
            kept.refill(claim, status, reusable, shown_status=shown_status, reviewer=self.reviewer)
            form = kept
        else:
            form = VerdictForm(
                self.project.settings,
                claim,
                status,
                reusable,
                shown_status=shown_status,
                reviewer=self.reviewer,
            )
            if kept is None and self.keep_screens:  # reused (`VerdictForm.refill`)
                self._kept_verdict_form = form
                self.install_screen(form, "workbench-verdict")
        self.push_screen(form, write)

    def next_claim_after(self, claim_id: str) -> str | None:
        """The claim after `claim_id` in the claims list's current order (its filters
        and sort), moving the list's cursor there too; None at the end or when the
        claim is not listed."""
        from workbench.app.screens.claims_list import ClaimsListScreen

        for screen in self.screen_stack:
            if isinstance(screen, ClaimsListScreen):
                table = screen.table
                if table.cursor_id != claim_id:
                    ids = table.ids
                    position = next(
                        (index for index in range(len(ids)) if ids[index] == claim_id), None
                    )
                    if position is None:
                        return None
                    table.move_cursor(position)
                table.action_cursor(1)
                following = table.cursor_id
                return following if following != claim_id else None
        return None

    # ------------------------------------------------------------------ messages

    @on(ClaimsChanged)
    def _forward_claims_changed(self, message: ClaimsChanged) -> None:
        if message.claim_ids:
            self.checked_problems = None
        self._sweep_ids = []  # ids may have come or gone: rebuild the sweep list lazily
        for screen in self.screen_stack:
            screen.post_message(ClaimsChanged(message.claim_ids))

    # ------------------------------------------------------------------ navigation

    def show_screen(self, screen: Screen[Any]) -> None:
        """Push `screen`, unless the same screen (same class, same claims) is on the
        stack already: then go back to that one (the screens above it close), so a
        burst of keys never stacks a screen twice."""
        if not self._back_to(_stack_key(screen)):
            self.push_screen(screen)

    def _back_to(self, wanted: tuple[object, ...]) -> bool:
        """Close the screens above the one on the stack that `wanted` names (see
        `_stack_key`); False if there is none."""
        for existing in self.screen_stack:
            if _stack_key(existing) == wanted:
                while self.screen is not existing and len(self.screen_stack) > 1:
                    self.pop_screen()
                return True
        return False

    def open_detail(self, claim_id: str) -> None:
        """Show a claim's detail; one detail screen is kept and reused.

        Building a detail screen (its widgets, their styles, its footer) is most
        of what opening one costs, the same at 100 claims or 100,000; the kept
        screen only fills its sections with the claim (`DetailScreen.reopen`).
        A detail opened from a detail (a related claim) is a screen of its own.
        """
        from workbench.app.screens.detail import DetailScreen

        if self._back_to((DetailScreen, claim_id, None)):
            return
        kept = self._kept_detail
        if kept is None:
            screen = DetailScreen(claim_id)
            if self.keep_screens:
                self._kept_detail = screen
                self.install_screen(screen, "workbench-detail")
            self.push_screen(screen)
        elif kept in self.screen_stack or claim_id not in self.project.claims:
            self.push_screen(DetailScreen(claim_id))
        else:
            kept.reopen(claim_id)
            self.push_screen(kept)

    def open_compare(self, claim_ids: list[str]) -> None:
        from workbench.app.screens.compare import CompareScreen

        self.show_screen(CompareScreen(list(claim_ids)))

    def open_conflicts(self) -> None:
        from workbench.app.screens.conflicts import ConflictQueueScreen

        self.show_screen(ConflictQueueScreen())

    def open_timeline(self, topic: str | None = None) -> None:
        from workbench.app.screens.timeline import TimelineScreen

        self.show_screen(TimelineScreen(topic))

    def open_problems(self) -> None:
        from workbench.app.screens.problems import ProblemsScreen

        self.show_screen(ProblemsScreen())

    def open_article(self, claim_id: str) -> None:
        """Show a claim's article; the last article screen is kept and reused for the
        claims of the same article (`ArticleScreen.reopen`), as the detail is."""
        from workbench.app.screens.article import ArticleScreen

        if self._back_to((ArticleScreen, claim_id, None)):
            return
        kept = self._kept_article
        if kept is not None and kept not in self.screen_stack:
            if kept.reopen(claim_id):
                self.push_screen(kept)
                return
            self.uninstall_screen(kept)
            kept.remove()
            kept = self._kept_article = None
        screen = ArticleScreen(claim_id)
        if kept is None and self.keep_screens:
            self._kept_article = screen
            self.install_screen(screen, "workbench-article")
        self.push_screen(screen)

    def open_capture(
        self,
        source_id: str,
        selection: Selection,
        template: Claim | None,
        done: Callable[[str | None], None],
    ) -> None:
        """The capture form for a passage of an article; one form is kept and refilled
        (`CaptureForm.refill`), as the verdict form is.  `done` gets the new claim's id."""
        from workbench.app.screens.article import CaptureForm

        kept = self._kept_capture
        if kept is not None and kept not in self.screen_stack:
            kept.refill(source_id, selection, template)
            form = kept
        else:
            form = CaptureForm(self.project, source_id, selection, template)
            if kept is None and self.keep_screens:
                self._kept_capture = form
                self.install_screen(form, "workbench-capture")
        self.push_screen(form, done)

    def action_recheck_queue(self) -> None:
        from workbench.app.screens.queues import RecheckQueueScreen

        self._show_queue(RecheckQueueScreen)

    def action_disagreement_queue(self) -> None:
        from workbench.app.screens.queues import DisagreementQueueScreen

        self._show_queue(DisagreementQueueScreen)

    def _show_queue(self, kind: type[ClaimQueueScreen]) -> None:
        """Show a queue; one screen of each queue is kept and reused, as the detail is
        (`open_detail`): it works its content out again each time it opens."""
        if self._back_to((kind, None, None)):
            return
        kept = self._kept_queues.get(kind)
        if kept is None:
            kept = kind()
            if self.keep_screens:
                self._kept_queues[kind] = kept
                self.install_screen(kept, f"workbench-{kind.__name__}")
        else:
            kept.reopen()
        self.push_screen(kept)

    def action_help(self) -> None:
        from workbench.app.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.pop_screen()
            return
        self.push_screen(HelpScreen(self.screen))

    def action_conflicts(self) -> None:
        self.open_conflicts()

    def action_problems(self) -> None:
        self.open_problems()

    # ------------------------------------------------------------------ files changed outside

    def check_disk(self) -> None:
        """Start one poll of the claim files (skipped while the previous one runs, and
        until the start check of an unchecked load is in)."""
        if self._polling or self.pending_check is not None or self.pending_rest is not None:
            return
        self._polling = True
        if self._folder_names is None:
            self._folder_names = self._known_names()
        self._watch_files(
            self._files_to_check(),
            self.project.claims_dir,
            self._folder_mtime_ns,
            self._folder_names,
        )

    def _known_names(self) -> frozenset[str]:
        """Names of the files in the claims folder the project knows, good or bad."""
        folder = os.fspath(self.project.claims_dir)
        # `record.file`, not `record.path`: no `Path` per claim (100,000 of them)
        files = [record.file for record in self.project.claims.values()]
        files.extend(os.fspath(problem.path) for problem in self.project.problems)
        return frozenset(
            os.path.basename(file) for file in files if os.path.dirname(file) == folder
        )

    def _files_to_check(self) -> list[FileCheck]:
        claims = self.project.claims
        wanted = list(self._watched_ids())
        if not self._sweep_ids:
            self._sweep_ids = list(claims)
            self._sweep_position = min(self._sweep_position, len(self._sweep_ids))
        if self._sweep_position >= len(self._sweep_ids):
            self._sweep_position = 0
        end = self._sweep_position + SWEEP_CHUNK
        wanted.extend(self._sweep_ids[self._sweep_position : end])
        self._sweep_position = end
        checks: list[FileCheck] = []
        for claim_id in _unique(wanted):
            record = claims.get(claim_id)
            if record is None:
                continue
            fingerprint = record.fingerprint
            checks.append(
                FileCheck(
                    claim_id,
                    record.path,
                    fingerprint.size if fingerprint else None,
                    fingerprint.mtime_ns if fingerprint else None,
                )
            )
        return checks

    def _watched_ids(self) -> Iterator[str]:
        """Claims some screen shows: `watched_claim_ids()`, `claim_id` or `claim_ids`."""
        for screen in self.screen_stack:
            watched = getattr(screen, "watched_claim_ids", None)
            if callable(watched):
                yield from watched()
            single = getattr(screen, "claim_id", None)
            if isinstance(single, str):
                yield single
            several = getattr(screen, "claim_ids", None)
            if isinstance(several, list | tuple):
                yield from (item for item in several if isinstance(item, str))

    @work(
        thread=True,
        exclusive=True,
        group="disk-watch",
        exit_on_error=False,
        description="check claim files for changes on disk",
    )
    def _watch_files(
        self,
        checks: list[FileCheck],
        folder: Path,
        folder_mtime_ns: int | None,
        known_names: frozenset[str],
    ) -> None:
        try:
            report = scan_files(checks, folder, folder_mtime_ns, known_names)
        finally:
            self._polling = False
        if report.changed or report.names is not None:
            self.post_message(DiskChanged(report))

    @on(DiskChanged)
    def _apply_disk_changes(self, message: DiskChanged) -> None:
        report = message.report
        changed_ids: list[str] = []
        broken: list[str] = []
        for check, fresh in report.changed:
            current = self.project.claims.get(check.claim_id)
            if current is None or current.path != check.path:
                continue
            if _fingerprint_differs(current.fingerprint, check):
                continue  # the app wrote this file after the check started
            if fresh is None:
                if check.path.exists():
                    broken.append(check.claim_id)
                else:
                    self.project.claims.pop(check.claim_id, None)
                    changed_ids.append(check.claim_id)
                continue
            if (
                current.fingerprint is not None
                and fresh.fingerprint is not None
                and fresh.fingerprint.digest == current.fingerprint.digest
            ):
                current.fingerprint = fresh.fingerprint  # touched, not changed
                continue
            self.project.replace_record(fresh)
            changed_ids.append(check.claim_id)
        if report.names is not None:
            changed_ids.extend(self._apply_listing(report))
        problems_changed = self._apply_problems(report)
        if changed_ids:
            shown = ", ".join(changed_ids[:5]) + (" …" if len(changed_ids) > 5 else "")
            self.notify(
                f"Reloaded {len(changed_ids)} claim(s) changed on disk: {shown}",
                title="Files changed on disk",
                timeout=6,
                markup=False,
            )
            self.post_message(ClaimsChanged(_unique(changed_ids)))
        if problems_changed and not changed_ids:
            self.post_message(ClaimsChanged(()))  # the problem counts on screen
        if broken:
            self.notify(
                f"{', '.join(broken[:5])}: changed on disk and now has problems; the last good "
                "version stays on screen and cannot be changed until it is fixed "
                "(run `workbench check`).",
                title="Files changed on disk",
                severity="warning",
                timeout=10,
                markup=False,
            )

    def _apply_problems(self, report: DiskReport) -> bool:
        """Keep `project.problems` true for the files read again: a file broken while the
        app runs is listed (Problems, the status bar), a fixed or deleted one is not."""
        paths = set(report.problems)
        if report.names is not None and self._folder_names is not None:
            folder = self.project.claims_dir
            paths |= {
                problem.path
                for problem in self.project.problems
                if problem.path.parent == folder and problem.path.name not in report.names
            }
        if not paths:
            return False
        before = list(self.project.problems)
        kept = [problem for problem in before if problem.path not in paths]
        for problems in report.problems.values():
            kept.extend(problems)
        self.project.problems[:] = kept
        self.checked_problems = None
        return kept != before

    def _apply_listing(self, report: DiskReport) -> list[str]:
        """New and deleted files in the claims folder."""
        previous = self._folder_names
        self._folder_mtime_ns = report.folder_mtime_ns
        self._folder_names = report.names
        changed: list[str] = []
        for record in report.added:
            if record.claim.id not in self.project.claims:
                self.project.replace_record(record)
                changed.append(record.claim.id)
        if previous is None or report.names is None:
            return changed
        gone = previous - report.names
        if gone:
            folder = self.project.claims_dir
            for claim_id, record in list(self.project.claims.items()):
                if record.path.parent == folder and record.path.name in gone:
                    del self.project.claims[claim_id]
                    changed.append(claim_id)
        return changed


def scan_files(
    checks: list[FileCheck],
    folder: Path,
    folder_mtime_ns: int | None,
    known_names: frozenset[str],
) -> DiskReport:
    """Stat the given claim files and the folder; read what changed or is new (in a thread)."""
    report = DiskReport()
    for check in checks:
        try:
            stat = check.path.stat()
        except FileNotFoundError:
            report.changed.append((check, None))
            continue
        except OSError:
            continue
        if stat.st_size != check.size or stat.st_mtime_ns != check.mtime_ns:
            fresh, problems = load_claim_file(check.path)
            report.changed.append((check, fresh))
            report.problems[check.path] = problems
    try:
        mtime_ns = folder.stat().st_mtime_ns
    except OSError:
        return report
    if mtime_ns != folder_mtime_ns:
        report.folder_mtime_ns = mtime_ns
        report.names = frozenset(
            entry.name
            for entry in os.scandir(folder)
            if entry.name.endswith(".toml") and not entry.name.startswith(".")
        )
        for name in sorted(report.names - known_names):
            fresh, problems = load_claim_file(folder / name)
            report.problems[folder / name] = problems
            if fresh is not None:
                report.added.append(fresh)
    return report


def _fingerprint_differs(fingerprint: Fingerprint | None, check: FileCheck) -> bool:
    if fingerprint is None:
        return check.size is not None
    return fingerprint.size != check.size or fingerprint.mtime_ns != check.mtime_ns


def _stack_key(screen: Screen[Any]) -> tuple[object, ...]:
    """What makes two screens the same screen: their class and the claims they show."""
    claim_id = getattr(screen, "claim_id", None)
    claim_ids = getattr(screen, "claim_ids", None)
    return (
        type(screen),
        claim_id if isinstance(claim_id, str) else None,
        tuple(claim_ids) if isinstance(claim_ids, list) else None,
    )


def _unique(ids: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(ids))


__all__ = ["ClaimsChanged", "ReviewApp", "UndoStep"]


def _same_but_history(current: Claim, expected: Claim) -> bool:
    """Whether a claim is as a change left it, apart from history appended since.

    Undoing a later step appends an entry to the history; that must not block
    undoing the step before it, but any other change (on disk or by another
    step) must.
    """
    return current.model_copy(update={"history": []}) == expected.model_copy(update={"history": []})
