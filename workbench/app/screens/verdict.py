"""The verdict form: a status key whose status asks for reasons opens this one modal.

Note; evidence citation, URL, what it shows and stance (the stance the status
accepts first preselected); evidence of related claims (relations in either
direction) listed for reuse: selecting one fills the evidence fields.  Enter in
a field or ctrl+s submits; the form checks the draft with
`workbench.verdict_entry.check_verdict_draft` (the checks `workbench mark`
makes) and shows what is wrong inside the form, writing nothing; escape
cancels.  A draft that passes is returned to the screen that opened the form,
which writes it through `ReviewApp.perform`.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from workbench.app.keymap import VERDICT_FORM_BINDINGS
from workbench.app.screens.early_css import read_css_early
from workbench.app.widgets.chooser import Chooser
from workbench.app.widgets.claim_table import printable
from workbench.app.widgets.early_keys import TypeAheadModal
from workbench.models import Claim, ProjectSettings
from workbench.verdict_entry import (
    CheckedVerdict,
    ReusableEvidence,
    VerdictDraft,
    check_verdict_draft,
    fitting_stance,
    stance_choices,
)


class FormScroll(VerticalScroll, can_focus=False):
    """The form's body scrolls (at 80x24) but never takes focus from its fields."""


class VerdictHead(Static):
    """The form's title, the claim's statement (muted) and what the verdict needs:
    one widget, not three (each a few milliseconds of opening the form)."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"verdict-head--muted"}

    DEFAULT_CSS = """
    VerdictHead {
        height: auto;
        & > .verdict-head--muted {
            color: $text-muted;
        }
    }
    """
    MUTED = ".verdict-head--muted"
    """`$text-muted` as CSS gives it (a `Content` style of it is drawn white)."""


class VerdictForm(TypeAheadModal[CheckedVerdict | None]):
    """Ask for the note and evidence a `status` verdict needs; returns the checked verdict."""

    CSS_PATH = "verdict.tcss"
    BINDINGS: ClassVar[list[BindingType]] = list(VERDICT_FORM_BINDINGS)
    TYPE_AHEAD = "#verdict-note"

    def __init__(
        self,
        settings: ProjectSettings,
        claim: Claim,
        status: str,
        reusable: list[ReusableEvidence],
        *,
        shown_status: str | None = None,
        reviewer: str = "",
    ) -> None:
        super().__init__()
        read_css_early(self)
        self.reviewer = reviewer
        self.shown_status = shown_status or claim.status
        """The status the reviewer may see (`hidden` in blind review)."""
        self.settings = settings
        self.claim = claim
        self.status = status
        self.reusable = reusable
        self.problems: list[str] = []
        self._reopened = False

    def compose(self) -> ComposeResult:
        with FormScroll(id="verdict-dialog"):
            yield VerdictHead(self._head(), id="verdict-head")
            yield Static(Content(""), id="verdict-problems")
            yield Input(placeholder="note: why this verdict", id="verdict-note")
            existing = Static(self._existing(), id="verdict-existing")
            existing.display = bool(self.claim.evidence)
            yield existing
            yield Input(placeholder="evidence citation: who, where, when", id="verdict-citation")
            yield Input(placeholder="evidence URL (http or https)", id="verdict-url")
            yield Input(placeholder="what the evidence shows", id="verdict-shows")
            with Horizontal(id="verdict-stance-row"):
                yield Static(Content.styled("stance ", "dim"), id="verdict-stance-label")
                yield Chooser(
                    self._stances(),
                    fitting_stance(self.settings, self.status),
                    id="verdict-stance",
                )
            if self.reusable:
                yield from self._reuse_widgets()
            yield Static(
                Content.assemble(
                    ("enter", "bold"),
                    ("/", "dim"),
                    ("ctrl+s", "bold"),
                    (" saves  ·  ", "dim"),
                    ("tab", "bold"),
                    (" next field  ·  ", "dim"),
                    ("escape", "bold"),
                    (" cancels (nothing written)", "dim"),
                ),
                id="verdict-hint",
            )

    def _head(self) -> Content:
        statement = Content.styled(printable(self.claim.statement), VerdictHead.MUTED)
        return Content("\n").join([self._title(), statement, self._needs()])

    def _title(self) -> Content:
        return Content.assemble(
            ("Verdict ", "bold"),
            (printable(self.status), "bold $accent"),
            (" on ", "bold"),
            (printable(self.claim.id), "bold"),
            (f"   (was {printable(self.shown_status)})", "dim"),
        )

    def _needs(self) -> Content:
        info = self.settings.statuses.get(self.status)
        needs: list[str] = []
        if info is not None and info.requires_note:
            needs.append("a note")
        if info is not None and info.requires_evidence:
            needs.append("evidence that " + " or ".join(info.requires_evidence))
        return Content.styled("needs " + " and ".join(needs) if needs else "", "italic")

    def _existing(self) -> Content:
        count = len(self.claim.evidence)
        return Content.styled(
            f"the claim has {count} evidence entr{'y' if count == 1 else 'ies'} already "
            "(they count; leave the evidence fields empty to add none)",
            "dim",
        )

    def _stances(self) -> list[str]:
        return list(stance_choices(self.settings, self.status))

    def _reuse_widgets(self) -> list[Widget]:
        """The list of related claims' evidence under its title: built only for a claim
        that has some (two widgets fewer to open the form for most claims)."""
        title = Static(
            Content.styled("evidence of related claims (enter: use it)", "dim"),
            id="verdict-reuse-title",
        )
        return [title, OptionList(*self._reuse_options(), id="verdict-reuse")]

    def _reuse_options(self) -> list[Option]:
        return [
            Option(self._reuse_prompt(item), id=str(position))
            for position, item in enumerate(self.reusable)
        ]

    def refill(
        self,
        claim: Claim,
        status: str,
        reusable: list[ReusableEvidence],
        *,
        shown_status: str | None = None,
        reviewer: str = "",
    ) -> None:
        """Ask anew, for another verdict, when pushed again: every field as a new form
        has it (the app keeps one form: building its widgets was most of opening it)."""
        self.reviewer = reviewer
        self.shown_status = shown_status or claim.status
        self.claim, self.status, self.reusable, self.problems = claim, status, reusable, []
        self.query_one("#verdict-head", VerdictHead).update(self._head())
        self.query_one("#verdict-problems", Static).update(Content(""))
        for field in ("#verdict-note", "#verdict-citation", "#verdict-url", "#verdict-shows"):
            self.query_one(field, Input).value = ""
        existing = self.query_one("#verdict-existing", Static)
        existing.update(self._existing())
        existing.display = bool(claim.evidence)
        self.query_one("#verdict-stance", Chooser).set_choices(
            self._stances(), fitting_stance(self.settings, status)
        )
        built = self.query("#verdict-reuse-title, #verdict-reuse")
        if built:
            reuse = self.query_one("#verdict-reuse", OptionList)
            reuse.clear_options()
            reuse.add_options(self._reuse_options())
            built.set(display=bool(reusable))
        elif reusable:
            dialog = self.query_one("#verdict-dialog", FormScroll)
            dialog.mount(*self._reuse_widgets(), before="#verdict-hint")
        self.query_one("#verdict-dialog", FormScroll).scroll_home(animate=False)
        self._reopened = True

    def on_screen_resume(self) -> None:
        if self._reopened:
            self._reopened = False
            self.on_mount()  # the note field takes focus and any keys typed meanwhile

    @staticmethod
    def _reuse_prompt(item: ReusableEvidence) -> Content:
        return Content.assemble(
            (f"[{item.evidence.stance}] ", "bold"),
            printable(item.evidence.citation),
            (f"  from {printable(item.claim_id)} ({item.relation})", "dim"),
        )

    # -- reading the form ----------------------------------------------------------------

    def _value(self, selector: str) -> str:
        return self.query_one(selector, Input).value

    def draft(self) -> VerdictDraft:
        stance = self.query_one("#verdict-stance", Chooser).value
        return VerdictDraft(
            note=self._value("#verdict-note"),
            citation=self._value("#verdict-citation"),
            url=self._value("#verdict-url"),
            shows=self._value("#verdict-shows"),
            stance=stance,
        )

    # -- actions ------------------------------------------------------------------------

    @on(Input.Submitted)
    def _field_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    def action_submit(self) -> None:
        verdict, problems = check_verdict_draft(
            self.settings,
            self.claim,
            self.status,
            self.draft(),
            reviewer=self.reviewer,
            allow_same=self.shown_status != self.claim.status,
        )
        self.problems = problems
        if verdict is None:
            shown = Content("\n").join(
                [Content.styled("✗ " + printable(problem), "$text-error") for problem in problems]
            )
            problems_line = self.query_one("#verdict-problems", Static)
            problems_line.update(shown)
            problems_line.scroll_visible(animate=False)
            return
        self.dismiss(verdict)

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(OptionList.OptionSelected, "#verdict-reuse")
    def _reuse(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.use_evidence(event.option_index)

    def use_evidence(self, position: int) -> None:
        """Fill the evidence fields from the related claim's evidence at `position`."""
        evidence = self.reusable[position].evidence
        self.query_one("#verdict-citation", Input).value = evidence.citation
        self.query_one("#verdict-url", Input).value = evidence.url
        self.query_one("#verdict-shows", Input).value = evidence.shows
        chooser = self.query_one("#verdict-stance", Chooser)
        if evidence.stance in chooser.choices:
            chooser.value = evidence.stance
        self.query_one("#verdict-note", Input).focus()
