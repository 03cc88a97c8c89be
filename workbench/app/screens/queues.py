"""Work queues: claims due for a re-check, and claims whose reviewers disagree.

Both are lists of claims with the reason each is there; enter opens the claim's
detail, where the verdict is given.  What belongs in a queue is worked out by the
core (`workbench.recheck.due_claims`, `workbench.agreement.agreement_of`) in
a worker thread, so the screen opens at once even at 100,000 claims, and again
whenever claims change (a verdict given from the queue takes the claim out of it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from workbench.agreement import agreement_of
from workbench.app.keymap import QUEUE_SCREEN_BINDINGS
from workbench.app.screens.detail import host
from workbench.app.screens.early_css import read_css_early
from workbench.app.widgets.claim_table import printable
from workbench.app.widgets.footer import KeyFooter
from workbench.project import Project
from workbench.recheck import due_claims, today_utc


@dataclass(frozen=True, slots=True)
class QueueItem:
    """One claim in a queue and why it is there."""

    claim_id: str
    reason: str
    statement: str


def recheck_items(project: Project, as_of: dt.date | None = None) -> list[QueueItem]:
    """Claims whose `recheck` date has come, most overdue first.

    The dates are read from the claims' summaries, so only the due claims' models
    are built (building all of them took seconds at 100,000 claims).
    """
    day = as_of or today_utc()
    candidates = [
        record.claim
        for record in project.claims.values()
        if record.summary.recheck and dt.date.fromisoformat(record.summary.recheck) <= day
    ]
    return [
        QueueItem(claim.id, f"re-check since {claim.recheck} ({claim.status})", claim.statement)
        for claim in due_claims(candidates, day)
    ]


def disagreement_items(project: Project) -> list[QueueItem]:
    """Claims whose reviewers' latest verdicts differ.

    The verdicts are read from the claims' summaries (`ClaimSummary.verdicts`), so no
    model is built (building all of them took over a second at 100,000 claims).
    """
    agreement = agreement_of(project.iter_summaries(), list(project.settings.statuses))
    items: list[QueueItem] = []
    for disagreement in agreement.disagreements:
        verdicts = ", ".join(f"{who}: {status}" for who, status in disagreement.verdicts.items())
        statement = project.claims[disagreement.claim_id].summary.statement
        items.append(QueueItem(disagreement.claim_id, verdicts, statement))
    return items


class ClaimQueueScreen(Screen[None]):
    """A queue of claims; `enter` opens one."""

    CSS_PATH = "queues.tcss"
    BINDINGS: ClassVar[list[BindingType]] = list(QUEUE_SCREEN_BINDINGS)
    TITLE_TEXT: ClassVar[str] = ""
    EMPTY_TEXT: ClassVar[str] = ""

    class Loaded(Message):
        def __init__(self, items: list[QueueItem]) -> None:
            super().__init__()
            self.items = items

    def __init__(self) -> None:
        super().__init__()
        read_css_early(self)
        self.items: list[QueueItem] = []
        self.loaded = False
        self._reopened = False

    def compute(self, project: Project) -> list[QueueItem]:
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        yield Static(
            Content.styled(self.TITLE_TEXT + ": working it out…", "bold"), id="queue-title"
        )
        yield OptionList(id="queue")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#queue", OptionList).focus()
        # The worker starts once the screen is drawn: at 100,000 claims its work
        # would otherwise hold the interpreter while the screen is being built.
        self.call_after_refresh(self._load, self.compute)

    def on_claims_changed(self) -> None:
        self._load(self.compute)

    def reopen(self) -> None:
        """Start afresh when pushed again, as a new screen would (the app keeps one)."""
        self._reopened = True

    def on_screen_resume(self) -> None:
        if self._reopened:
            self._reopened = False
            self.items, self.loaded = [], False
            self.query_one("#queue-title", Static).update(
                Content.styled(self.TITLE_TEXT + ": working it out…", "bold")
            )
            queue = self.query_one("#queue", OptionList)
            queue.clear_options()
            queue.focus()
            self.call_after_refresh(self._load, self.compute)
        elif self.loaded:
            self._load(self.compute)

    @work(thread=True, exclusive=True, group="queue", exit_on_error=False)
    def _load(self, compute: Callable[[Project], list[QueueItem]]) -> None:
        self.post_message(self.Loaded(compute(host(self).project)))

    @on(Loaded)
    def _show(self, message: Loaded) -> None:
        self.items = message.items
        self.loaded = True
        queue = self.query_one("#queue", OptionList)
        highlighted = queue.highlighted
        queue.clear_options()
        queue.add_options(
            [
                Option(
                    Content.assemble(
                        (printable(item.claim_id), "bold"),
                        ("  " + printable(item.reason), "$text-warning"),
                        "\n   ",
                        (printable(item.statement), "dim"),
                    ),
                    id=item.claim_id,
                )
                for item in self.items
            ]
        )
        if self.items:
            queue.highlighted = min(highlighted or 0, len(self.items) - 1)
        count = len(self.items)
        title = f"{self.TITLE_TEXT}: {count} claim{'s' if count != 1 else ''}"
        if not count:
            title += f" ({self.EMPTY_TEXT})"
        self.query_one("#queue-title", Static).update(Content.styled(title, "bold"))

    @on(OptionList.OptionSelected, "#queue")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_open_claim()

    def action_open_claim(self) -> None:
        queue = self.query_one("#queue", OptionList)
        index = queue.highlighted
        if index is None or not (0 <= index < len(self.items)):
            return
        claim_id = self.items[index].claim_id
        if claim_id in host(self).project.claims:
            host(self).open_detail(claim_id)

    def action_back(self) -> None:
        self.app.pop_screen()

    def watched_claim_ids(self) -> list[str]:
        return [item.claim_id for item in self.items[:50]]


class RecheckQueueScreen(ClaimQueueScreen):
    """Claims whose `recheck` date has come (`workbench.recheck`)."""

    TITLE_TEXT = "Re-check queue"
    EMPTY_TEXT = "no claim's re-check date has come"

    def compute(self, project: Project) -> list[QueueItem]:
        return recheck_items(project)


class DisagreementQueueScreen(ClaimQueueScreen):
    """Claims whose reviewers' latest verdicts differ (`workbench.agreement`)."""

    TITLE_TEXT = "Disagreement queue"
    EMPTY_TEXT = "no claim has verdicts that differ"

    def compute(self, project: Project) -> list[QueueItem]:
        return disagreement_items(project)
