"""The article view: a claim's whole source article, and capturing new claims from it.

The article is shown sentence by sentence (`workbench.capture.sentence_spans`),
scrolled to the current claim's quote, which is highlighted.  The reviewer
moves a selection of whole sentences (j/k move, J/K extend) and presses `+` to
start a claim from it: the capture form proposes the id, the quantity (with its
period) and the topic and stance of the claim the article was opened from, and
before anything is written it lists the claims that already say the same or
nearly the same: writing a duplicate takes a second, deliberate confirmation.
From an open article a claim takes `j`, `+`, the statement, `enter`: three keys
and typing (or one `J` more per further sentence).
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Input, Static

from workbench.adding import AddError, Duplicate, Proposal, QuoteNotFound, write_claim
from workbench.app.keymap import ARTICLE_BINDINGS, CAPTURE_BINDINGS
from workbench.app.messages import ClaimsChanged
from workbench.app.screens.detail import host
from workbench.app.screens.early_css import read_css_early
from workbench.app.screens.verdict import FormScroll
from workbench.app.widgets.article_text import ArticleText
from workbench.app.widgets.chooser import Chooser
from workbench.app.widgets.claim_card import quantity_line
from workbench.app.widgets.claim_table import printable
from workbench.app.widgets.early_keys import TypeAheadModal
from workbench.app.widgets.footer import KeyFooter
from workbench.capture import (
    Selection,
    capture_preview,
    capture_proposal,
    paragraph_starts,
    select,
    sentence_at,
    sentence_spans,
)
from workbench.files.locks import LockTimeoutError
from workbench.models import Claim
from workbench.project import Project
from workbench.storage import ClaimExistsError
from workbench.tomlio import WriteError

PREVIEW_DELAY = 0.25
"""Seconds of no typing before the proposed id and quantity are worked out again."""


class ArticleScreen(Screen[None]):
    """A source article, one sentence a line, with a keyboard selection."""

    CSS_PATH = "article.tcss"
    BINDINGS: ClassVar[list[BindingType]] = list(ARTICLE_BINDINGS)

    def __init__(self, claim_id: str) -> None:
        super().__init__()
        read_css_early(self)
        self.claim_id = claim_id
        self.source_id = ""
        self.spans: list[tuple[int, int]] = []
        self.anchor_index = 0
        self.cursor_index = 0
        self.quote_span: tuple[int, int] | None = None
        self._text = ""
        self._reopened = False

    def compose(self) -> ComposeResult:
        project = host(self).project
        record = project.claims.get(self.claim_id)
        claim = record.claim if record is not None else None
        title = Static(Content(""), id="article-title")
        body = ArticleText(id="article-body")
        if claim is None:
            title.update(Content(f"{self.claim_id}: no such claim"))
        else:
            self.source_id = claim.source.id
            source = project.sources.get(claim.source.id)
            text = source.text if source is not None else ""
            if source is None or not text.strip():
                title.update(
                    Content.assemble(
                        ("No article text for source ", "bold $text-error"),
                        printable(claim.source.id),
                        (
                            ": its text file is missing or empty in seeds/ "
                            "(add it with `workbench source add`)",
                            "",
                        ),
                    )
                )
            else:
                self._text = text
                self.spans = sentence_spans(text)
                title.update(
                    Content.assemble(
                        (printable(source.source.outlet), "bold"),
                        "  ",
                        printable(source.source.title),
                        ("  " + source.source.published.isoformat(), "dim"),
                    )
                )
                anchor = project.anchor(claim)
                if anchor is not None and anchor.spans:
                    self.quote_span = anchor.spans[0]
                    self.anchor_index = self.cursor_index = sentence_at(
                        self.spans, self.quote_span[0]
                    )
        body.show(
            [self._sentence(start, end) for start, end in self.spans],
            frozenset(paragraph_starts(self._text, self.spans)),
            self.selected,
        )
        yield title
        yield body
        yield Static(Content(""), id="article-selection")
        yield KeyFooter()

    def _sentence(self, start: int, end: int) -> Content:
        """The sentence's text; the part inside the current claim's quote highlighted."""
        text = self._text
        span = self.quote_span
        if span is None or span[1] <= start or span[0] >= end:
            return Content(printable(text[start:end]))
        low, high = max(start, span[0]), min(end, span[1])
        return Content.assemble(
            printable(text[start:low]),
            (printable(text[low:high]), "bold underline $accent"),
            printable(text[high:end]),
        )

    def on_mount(self) -> None:
        self.query_one("#article-body").focus()
        self._show_selection(scroll=True)

    def reopen(self, claim_id: str) -> bool:
        """Show another claim of the same article when pushed again, as a new screen
        would (the app keeps one article screen: building the screen and laying out
        the article is what opening it costs).  False, and nothing changed, for a
        claim of another source or an article without text."""
        project = host(self).project
        record = project.claims.get(claim_id)
        if record is None or not self.spans or record.claim.source.id != self.source_id:
            return False
        before = self.quote_span
        anchor = project.anchor(record.claim)
        self.claim_id = claim_id
        self.quote_span = anchor.spans[0] if anchor is not None and anchor.spans else None
        self.anchor_index = self.cursor_index = (
            sentence_at(self.spans, self.quote_span[0]) if self.quote_span is not None else 0
        )
        body = self.query_one("#article-body", ArticleText)
        for index, (start, end) in enumerate(self.spans):
            if any(
                span is not None and span[0] < end and span[1] > start
                for span in (before, self.quote_span)
            ):
                body.update_sentence(index, self._sentence(start, end))
        self._reopened = True
        return True

    def on_screen_resume(self) -> None:
        if self._reopened:
            self._reopened = False
            self.on_mount()

    # -- selection ---------------------------------------------------------------------

    @property
    def selected(self) -> tuple[int, int]:
        return tuple(sorted((self.anchor_index, self.cursor_index)))  # type: ignore[return-value]

    def selection(self) -> Selection | None:
        """The selected passage (always a run of the article's sentences)."""
        if not self.spans:
            return None
        first, last = self.selected
        return select(host(self).project, self.source_id, self.spans, first, last)

    def _show_selection(self, *, scroll: bool) -> None:
        if not self.spans:
            return
        first, last = self.selected
        body = self.query_one("#article-body", ArticleText)
        body.select(first, last)
        if scroll:
            # once laid out: the sentences' lines depend on the width
            self.call_after_refresh(body.scroll_to_sentence, self.cursor_index)
        count = last - first + 1
        self.query_one("#article-selection", Static).update(
            Content.assemble(
                ("selected ", "dim"),
                (f"{count} sentence{'s' if count != 1 else ''}", "bold"),
                ("  ·  j/k move  ·  J/K extend  ·  + new claim from the selection", "dim"),
            )
        )

    def action_move(self, step: int) -> None:
        if not self.spans:
            return
        self.cursor_index = max(0, min(len(self.spans) - 1, self.cursor_index + step))
        self.anchor_index = self.cursor_index
        self._show_selection(scroll=True)

    def action_extend(self, step: int) -> None:
        if not self.spans:
            return
        self.cursor_index = max(0, min(len(self.spans) - 1, self.cursor_index + step))
        self._show_selection(scroll=True)

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_capture(self) -> None:
        selection = self.selection()
        if selection is None:
            self.notify("No article text to select from", severity="warning", timeout=3)
            return
        project = host(self).project
        record = project.claims.get(self.claim_id)
        template = record.claim if record is not None else None
        host(self).open_capture(self.source_id, selection, template, self._captured)

    def _captured(self, claim_id: str | None) -> None:
        if claim_id is not None:
            self.app.post_message(ClaimsChanged((claim_id,)))


CAPTURE_HINT = Content.assemble(
    ("enter", "bold"),
    ("/", "dim"),
    ("ctrl+s", "bold"),
    (" writes the claim  ·  ", "dim"),
    ("tab", "bold"),
    (" next field  ·  ", "dim"),
    ("escape", "bold"),
    (" cancels", "dim"),
)


class CaptureForm(TypeAheadModal[str | None]):
    """Statement, topic, stance and id of a claim captured from the selected passage;
    returns the new claim's id once written, None when cancelled."""

    CSS_PATH = "article.tcss"
    BINDINGS: ClassVar[list[BindingType]] = list(CAPTURE_BINDINGS)
    TYPE_AHEAD = "#capture-statement"

    def __init__(
        self, project: Project, source_id: str, selection: Selection, template: Claim | None
    ) -> None:
        super().__init__()
        read_css_early(self)
        self.project = project
        self.source_id = source_id
        self.selection = selection
        self.template = template
        self.duplicates: list[Duplicate] = []
        self.confirming: list[str] | None = None
        """The duplicate ids shown when the reviewer was asked to confirm."""
        self.problem = ""
        self.preview = Content("")
        """The proposed id and quantity, as shown."""
        self.problems = Content("")
        """What stops the claim being written (or the duplicates to confirm), as shown."""
        self._preview_timer: object | None = None
        self._reopened = False

    def _topic_and_stance(self) -> tuple[str, str]:
        """What the topic and stance fields start with: the template claim's."""
        settings = self.project.settings
        topic = self.template.topic if self.template else next(iter(settings.topics))
        stance = self.template.stance if self.template else next(iter(settings.stances))
        return topic, stance

    def refill(self, source_id: str, selection: Selection, template: Claim | None) -> None:
        """Start a new claim when pushed again, every field as a new form has it (the
        app keeps one form: building its widgets was most of opening it)."""
        timer = self._preview_timer
        if timer is not None:
            timer.stop()  # type: ignore[attr-defined]
        self._preview_timer = None
        self.source_id, self.selection, self.template = source_id, selection, template
        self.duplicates, self.confirming, self.problem = [], None, ""
        self.query_one("#capture-head", Static).update(self._head())
        for field in ("#capture-statement", "#capture-id"):
            self.query_one(field, Input).value = ""
        topic, stance = self._topic_and_stance()
        settings = self.project.settings
        self.query_one("#capture-topic", Chooser).set_choices(list(settings.topics), topic)
        self.query_one("#capture-stance", Chooser).set_choices(list(settings.stances), stance)
        self.preview = self.problems = Content("")
        self._show_status()
        self.query_one("#capture-dialog", FormScroll).scroll_home(animate=False)
        self._reopened = True

    def on_screen_resume(self) -> None:
        if self._reopened:
            self._reopened = False
            self.on_mount()  # focus, keys typed meanwhile, the proposed id and quantity

    def compose(self) -> ComposeResult:
        settings = self.project.settings
        topic, stance = self._topic_and_stance()
        with FormScroll(id="capture-dialog"):
            yield Static(self._head(), id="capture-head")
            yield Input(
                placeholder="statement: the claim in words that stand on their own",
                id="capture-statement",
            )
            yield Chooser(list(settings.topics), topic, id="capture-topic")
            yield Chooser(list(settings.stances), stance, id="capture-stance")
            yield Input(placeholder="id (empty: the proposed one)", id="capture-id")
            yield Static(self._status(), id="capture-status")

    def _head(self) -> Content:
        """The form's title over the quote: one widget, not two."""
        title = Content.styled("New claim from the article", "bold")
        return Content("\n").join([title, self._quote_content()])

    def _status(self) -> Content:
        """The proposed id and quantity, what stops the claim being written, and the
        keys: one widget, not three (each a few milliseconds of opening the form)."""
        return Content("\n").join([self.preview, self.problems, CAPTURE_HINT])

    def _show_status(self) -> None:
        self.query_one("#capture-status", Static).update(self._status())

    def _quote_content(self) -> Content:
        selection = self.selection
        parts: list[tuple[str, str] | str] = [("quote ", "dim"), printable(selection.quote)]
        if selection.occurrences > 1:
            parts.append(
                (
                    f"\n  occurs {selection.occurrences} times: occurrence "
                    f"{selection.occurrence} is picked out with a prefix or suffix",
                    "$text-warning",
                )
            )
        return Content.assemble(*parts)

    def on_mount(self) -> None:
        super().on_mount()
        self._update_preview()

    @on(Input.Changed, "#capture-statement")
    def _statement_changed(self) -> None:
        self.confirming = None
        timer = self._preview_timer
        if timer is not None:
            timer.stop()  # type: ignore[attr-defined]
        self._preview_timer = self.set_timer(PREVIEW_DELAY, self._update_preview)

    def _update_preview(self) -> None:
        statement = self.query_one("#capture-statement", Input).value
        preview = capture_preview(self.project, self.source_id, self.selection, statement)
        parts: list[Content] = []
        if preview.claim_id:
            parts.append(Content.assemble(("id        ", "dim"), preview.claim_id))
        if preview.quantity is not None:
            parts.append(Content.assemble(("quantity  ", "dim"), quantity_line(preview.quantity)))
        else:
            parts.append(Content.styled("quantity  none proposed", "dim"))
        self.preview = Content("\n").join(parts)
        self._show_status()

    # -- writing -------------------------------------------------------------------------

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    def _select_value(self, selector: str) -> str:
        return self.query_one(selector, Chooser).value

    def proposal(self) -> Proposal:
        return capture_proposal(
            self.project,
            self.source_id,
            self.selection,
            statement=self.query_one("#capture-statement", Input).value,
            topic=self._select_value("#capture-topic"),
            stance=self._select_value("#capture-stance"),
            claim_id=self.query_one("#capture-id", Input).value.strip() or None,
        )

    def _show_problem(self, content: Content) -> None:
        self.problems = content
        self._show_status()

    def action_submit(self) -> None:
        try:
            proposal = self.proposal()
        except (AddError, QuoteNotFound) as error:
            self.problem = str(error)
            self._show_problem(Content.styled("✗ " + printable(str(error)), "$text-error"))
            return
        self.duplicates = proposal.duplicates
        ids = [item.claim_id for item in proposal.duplicates]
        if ids and self.confirming != ids:
            self.confirming = ids
            lines = [
                Content.styled(
                    f"{len(ids)} claim(s) already say this or nearly: press enter again "
                    "to write a duplicate anyway, or escape",
                    "bold $text-warning",
                )
            ]
            for item in proposal.duplicates[:5]:
                lines.append(
                    Content.assemble(
                        (f"  {item.claim_id}", "bold"),
                        (f"  same {item.field} ({item.similarity:.0f}%)  ", "dim"),
                        printable(item.statement),
                    )
                )
            self._show_problem(Content("\n").join(lines))
            return
        try:
            record = write_claim(self.project, proposal)
        except (ClaimExistsError, WriteError, LockTimeoutError, OSError) as error:
            self._show_problem(Content.styled(f"✗ not written: {error}", "$text-error"))
            return
        self.notify(f"{record.id}: claim written", timeout=3, markup=False)
        self.dismiss(record.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
