"""The claim detail screen: everything known about one claim, on one page.

The statement; the quote inside its paragraph of the source article; the
source's metadata (and how its date was worked out); the quantity; the
evidence; the relations both ways, each openable; and the full review history.
The status keys, `n` (note) and `u` (undo) act on the claim shown here, through
the app's `perform`, so every write takes the same path as in the claims list.

Also here, for the other claim screens: `host` (the app a screen runs in) and
the note prompt.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, cast

from textual import events, on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.css.styles import RulesMap
from textual.dom import DOMNode
from textual.geometry import Size
from textual.screen import Screen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from workbench.app.keymap import DETAIL_BINDINGS, PROMPT_BINDINGS
from workbench.app.screens.early_css import read_css_early
from workbench.app.screens.note import NoteScreen
from workbench.app.widgets.claim_card import add_status_bindings, quantity_line, stance_class
from workbench.app.widgets.early_keys import TypeAheadModal
from workbench.app.widgets.footer import KeyFooter
from workbench.app.widgets.quote_view import (
    QUOTE_COMPONENT_CSS,
    QUOTE_COMPONENTS,
    quote_content,
)
from workbench.models import SYMMETRIC_RELATIONS, Claim, Source
from workbench.project import Project
from workbench.review import add_note

if TYPE_CHECKING:
    from workbench.app.app import ReviewApp


# -- shared by the claim screens -------------------------------------------------------


def host(node: DOMNode) -> ReviewApp:
    """The review app a screen runs in (project, reviewer, perform, open_*)."""
    return cast("ReviewApp", node.app)


class NotePrompt(TypeAheadModal[str | None]):
    """Ask for an optional note (a relation's, a dismissal's): the text, or None on escape.

    Notes on a claim's history use the app's `NoteScreen`, which requires text.
    Keys typed before the input has focus go into it (`TypeAheadModal`).
    """

    TYPE_AHEAD = "#note-input"

    BINDINGS: ClassVar[list[BindingType]] = list(PROMPT_BINDINGS)

    DEFAULT_CSS = """
    NotePrompt {
        align: center middle;
    }
    NotePrompt > Vertical {
        width: 72;
        height: auto;
        border: round $accent;
        background: $surface;
        padding: 0 1;
    }
    NotePrompt Label {
        width: 1fr;
        margin-bottom: 1;
    }
    """

    def __init__(self, title: str, placeholder: str = "a note for the next reviewer") -> None:
        super().__init__()
        self.prompt_title = title
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Content(self.prompt_title))
            yield Input(placeholder=self.placeholder, id="note-input")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)


# -- what the detail screen shows ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RelationRow:
    """One row of the relations list: the other claim and how the two relate."""

    other: str
    kind: str
    direction: str
    """`out` (recorded here), `in` (recorded in the other file) or `both`."""
    note: str


def relation_rows(project: Project, claim: Claim) -> list[RelationRow]:
    """Relations recorded here and in other files; a mirrored pair shows once as `both`."""
    inbound = {
        (source_id, relation.kind): relation
        for source_id, relation in project.relations_to(claim.id)
    }
    rows: list[RelationRow] = []
    for relation in claim.relations:
        mirrored = inbound.pop((relation.claim, relation.kind), None)
        direction = "both" if mirrored is not None else "out"
        note = relation.note or (mirrored.note if mirrored is not None else "")
        rows.append(RelationRow(relation.claim, relation.kind, direction, note))
    for (source_id, kind), relation in inbound.items():
        rows.append(RelationRow(source_id, kind, "in", relation.note))
    return rows


def index_relations(project: Project) -> None:
    """Work out now which claims point at which (`Project.relations_to` does it on its
    first call), so that the first claim detail or verdict form does not.

    At 100,000 claims that is a scan of every summary and 100,000 small lists: 100
    ms or more of the first detail's opening, and the garbage collector then walked
    the new lists during that opening.  The app calls this once every claim is
    listed and drawn (`ReviewApp.check_claims_after_paint`), then freezes what it
    made for the collector."""
    project.relations_to("")


def relation_prompt(project: Project, row: RelationRow) -> Content:
    """`↔ contradicts  other-id` then the other statement and the note."""
    if row.kind == "updates":
        verb = {"out": "updates (older)", "in": "is updated by", "both": "updates"}[row.direction]
    else:
        verb = row.kind
    arrow = {"out": "→", "in": "←", "both": "↔"}[row.direction]
    record = project.claims.get(row.other)
    statement = record.claim.statement if record is not None else "(no such claim)"
    parts: list[str | tuple[str, str] | Content] = [
        (f"{arrow} {verb}", "bold"),
        "  ",
        (row.other, "underline"),
        "\n   ",
        (statement, "dim"),
    ]
    if row.direction == "in" and row.kind in SYMMETRIC_RELATIONS:
        parts.append(("\n   recorded only in the other file", "$text-warning"))
    if row.note:
        parts += ["\n   ", (row.note, "italic")]
    return Content.assemble(*parts)


def source_metadata(source: Source | None, source_id: str) -> Content:
    """Outlet, title, author, date (and how it was inferred), view, relays, url."""
    if source is None:
        return Content.assemble(
            ("unknown source ", "bold $text-error"),
            source_id,
            ": no file in seeds/ has this id",
        )
    lines: list[Content] = [
        _field("outlet", source.outlet),
        _field("title", source.title),
    ]
    if source.author:
        lines.append(_field("author", source.author))
    how = f"inferred: {source.date_inferred}" if source.date_inferred else "stated in the article"
    lines.append(
        Content.assemble(
            _field("published", source.published.isoformat()), ("  ", ""), (f"({how})", "dim")
        )
    )
    lines.append(_field("view", source.view))
    if source.relays:
        lines.append(_field("relays", ", ".join(source.relays)))
    if source.url:
        lines.append(_field("url", source.url))
    lines.append(_field("id", source.id))
    return Content("\n").join(lines)


def _field(name: str, value: str) -> Content:
    return Content.assemble((f"{name:<10}", "dim"), value)


@dataclass(frozen=True, slots=True)
class Entry:
    """One evidence item or history entry: a head line and indented body lines."""

    head: Content
    body: tuple[Content, ...] = ()


def evidence_entries(claim: Claim) -> list[Entry]:
    """`[refutes] citation`, then the url and what it shows."""
    entries: list[Entry] = []
    for item in claim.evidence:
        head = Content.assemble((f"[{item.stance}]", "bold"), " ", item.citation)
        body = [Content.styled(item.url, "underline")] if item.url else []
        body.append(Content(item.shows))
        entries.append(Entry(head, tuple(body)))
    return entries


def history_entries(claim: Claim) -> list[Entry]:
    """`2025-03-01 09:30Z  reviewer  unreviewed → verified`, then the note."""
    entries: list[Entry] = []
    for entry in claim.history:
        when = entry.at.strftime("%Y-%m-%d %H:%MZ")
        change = (
            f"{entry.from_status} → {entry.to_status}"
            if entry.from_status != entry.to_status
            else f"note ({entry.to_status})"
        )
        head = Content.assemble((when, "dim"), "  ", (entry.reviewer, "bold"), "  ", change)
        body = (Content.styled(entry.note, "italic"),) if entry.note else ()
        entries.append(Entry(head, body))
    return entries


def entries_content(entries: list[Entry], empty: str, width: int | None = None) -> Content:
    """A section's entries: head lines flush, body lines indented by four cells, a
    blank line between entries; with `width`, wrapped to it, the body lines' wrapped
    lines indented too (as `ClaimText` draws them).

    One widget a section, not one a line: mounting a widget per line was a good
    part of opening a detail, and of every refill of the kept one."""
    if not entries:
        return Content.styled(empty, "dim italic")
    lines: list[Content] = []
    for position, entry in enumerate(entries):
        if position:
            lines.append(Content(""))
        lines.extend(_wrapped(entry.head, width))
        for body in entry.body:
            lines.extend(line.pad_left(4) for line in _wrapped(body, width and width - 4))
    return Content("\n").join(lines)


def _wrapped(content: Content, width: int | None) -> list[Content]:
    if width is None:
        return [content]
    return content.wrap(max(1, width))


TITLE_STYLE = "bold $text-accent"
RULE_STYLE = "$accent 40%"
"""A part's title and the rule under it, in the look the detail's section titles had
as widgets of their own (`color: $text-accent; text-style: bold; border-bottom:
solid $accent 40%`)."""


MUTED = ".claim-text--muted"
"""Text in `$text-muted` as CSS gives it (a contrasting colour at 60%, blended): a
component class, since `$text-muted` in a `Content` style is drawn white."""


@dataclass(frozen=True, slots=True)
class Entries:
    """A part's body drawn as entries with hanging indents (`entries_content`), wrapped
    at the width the part is drawn at; `empty` when there are none."""

    items: tuple[Entry, ...]
    empty: str


@dataclass(frozen=True, slots=True)
class Part:
    """One part of a `ClaimText`: an optional title over a rule, then its body.

    Parts are drawn one under the other with a blank line between (the margin each
    had as a widget of its own), but for a `joined` part, right under the one above."""

    body: Content | Entries | None
    title: str | None = None
    joined: bool = False

    def content(self, width: int | None = None) -> Content | None:
        """The body; entries wrapped to `width` with their indents (None: unwrapped)."""
        if isinstance(self.body, Entries):
            return entries_content(list(self.body.items), self.body.empty, width)
        return self.body


class ClaimText(Static):
    """Named parts of the detail (statement, attribution, quote in context, source,
    quantity, evidence, a title) drawn one under the other as one widget, at the
    width it is drawn at.

    A widget of its own for each part cost about two milliseconds a part to open a
    detail (styled at mount and again on focus, laid out and drawn at each of the
    layouts an opening takes): a third of the opening, for nine parts.  The quote
    keeps its highlight from `QuoteView`'s component classes
    (`quote_view.QUOTE_COMPONENT_CSS`), the attribution its muted colour (`MUTED`)."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {*QUOTE_COMPONENTS, "claim-text--muted"}

    DEFAULT_CSS = f"""
    ClaimText {{
        height: auto;
        {QUOTE_COMPONENT_CSS}
        & > .claim-text--muted {{
            color: $text-muted;
        }}
    }}
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.parts: dict[str, Part] = {}
        """The parts shown, by name, in their order."""
        self._drawn_at: tuple[int, Content] | None = None

    def show(self, parts: dict[str, Part]) -> None:
        """Show these parts instead of those shown; `content` becomes their text as
        drawn, unwrapped and without the rules (what a reader of the widget wants)."""
        self.parts = parts
        self._drawn_at = None
        self.update(self._joined(None))

    def body(self, name: str) -> Content:
        """The body of the part `name` as shown, unwrapped; a part that has none, its
        title."""
        part = self.parts[name]
        content = part.content()
        if content is not None:
            return content
        return Content(part.title or "")

    def drawn(self, width: int) -> Content:
        """Every part at `width` cells: what the widget draws (kept for the next call
        at the same width: laying out and drawing ask for it three times)."""
        if self._drawn_at is None or self._drawn_at[0] != width:
            self._drawn_at = (width, self._joined(width))
        return self._drawn_at[1]

    def _joined(self, width: int | None) -> Content:
        lines: list[Content] = []
        for position, part in enumerate(self.parts.values()):
            if position and not part.joined:
                lines.append(Content(""))
            if part.title is not None:
                lines.append(Content.styled(part.title, TITLE_STYLE))
                if width is not None:
                    lines.append(Content.styled("─" * width, RULE_STYLE))
            body = part.content(width)
            if body is not None:
                lines.append(body)
        return Content("\n").join(lines)

    def render(self) -> Content:
        return self.drawn(self.content_size.width)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return self.drawn(width).get_height(cast(RulesMap, self.styles), width)


def title_content(claim: Claim) -> Content:
    return Content.assemble(
        (claim.id, "bold"),
        "  ",
        (f" {claim.status} ", "reverse"),
        ("  stance ", "dim"),
        claim.stance,
        ("  topic ", "dim"),
        claim.topic,
    )


# -- the screen ------------------------------------------------------------------------


class DetailScreen(Screen[None]):
    """One claim in full; relations open further details or a comparison."""

    CSS_PATH = "detail.tcss"

    BINDINGS: ClassVar[list[BindingType]] = list(DETAIL_BINDINGS)

    SKIP_SAME_SIZE_RESIZE: ClassVar[bool] = True
    """`on_resize`; False lays the screen out again as Textual does (the benchmark's
    baseline)."""

    AUTO_FOCUS = ""
    """Textual focuses nothing here: `on_mount` focuses the relations when there are
    some, else the body, before the first layout."""

    def __init__(self, claim_id: str) -> None:
        super().__init__()
        read_css_early(self)
        self.claim_id = claim_id
        self._rows: list[RelationRow] = []
        self._relations: OptionList | None = None
        """The relations list, mounted once a claim shown has relations."""
        self._reopened = False
        self._filled_on_mount = False
        """Set by `on_mount`, which has just filled the sections: the resume that
        follows a first push has nothing to show anew."""

    def compose(self) -> ComposeResult:
        yield Static(Content(""), id="detail-title")
        with VerticalScroll(id="detail-body"):
            yield ClaimText(id="claim-text")
            yield ClaimText(id="history")
        yield KeyFooter()

    async def on_mount(self) -> None:
        add_status_bindings(self, host(self).project.settings)
        self.refresh_bindings()
        await self.refresh_view()
        self._filled_on_mount = True
        self._focus_first()

    def on_resize(self, event: events.Resize) -> None:
        """Skip Textual's layout on a `Resize` of the size the screen is laid out at.

        Textual lays a screen out when it comes on top, and that first layout sends
        the screen a `Resize` to the same size, on which Textual laid the whole
        screen out and drew it again (a tenth of opening a detail).  A change of the
        terminal's size differs from the size laid out (`outer_size`; a screen's
        `size` is the app's, already the new one), and is laid out as usual."""
        if self.SKIP_SAME_SIZE_RESIZE and event.size == self.outer_size:
            event.prevent_default()

    def _focus_first(self) -> None:
        """Focus the relations, highlighted from the first (enter opens one), or the
        body when there are none (the arrows scroll it); focused before the screen
        is laid out (on mount), the focused widget is styled once and drawn once.
        The relations are then scrolled to once laid out."""
        relations = self._relations
        if relations is not None and relations.option_count:
            self.set_focus(relations, scroll_visible=False)
            self.call_after_refresh(self._scroll_to_relations)
        else:
            self.set_focus(self.query_one("#detail-body"), scroll_visible=False)

    def _scroll_to_relations(self) -> None:
        """As focusing them would have (`Screen.set_focus`), once they are laid out."""
        relations = self._relations
        if (
            relations is not None
            and self.focused is relations
            and not self.can_view_entire(relations)
        ):
            self.scroll_to_center(relations, origin_visible=True)

    def reopen(self, claim_id: str) -> None:
        """Show `claim_id` when this screen is pushed again, as a new screen would: from
        the top, the first relation highlighted (the app keeps one detail screen)."""
        self.claim_id = claim_id
        self._reopened = True

    async def on_screen_resume(self) -> None:
        if self._filled_on_mount:
            self._filled_on_mount = False
            return
        if not self._reopened:
            await self.refresh_view()
            return
        self._reopened = False
        if self._relations is not None:
            self._relations.clear_options()
        self.query_one("#detail-body", VerticalScroll).scroll_home(animate=False)
        await self.refresh_view()
        self._focus_first()

    async def on_claims_changed(self) -> None:
        """The app posts `ClaimsChanged` after a write; show the fresh copy."""
        await self.refresh_view()

    @property
    def claim(self) -> Claim | None:
        record = host(self).project.claims.get(self.claim_id)
        return record.claim if record is not None else None

    def section(self, name: str) -> Content:
        """What a part of the detail shows, unwrapped: `statement`, `attribution`,
        `quote` (in context), `source`, `quantity`, `evidence`, `relations` (the
        title) or `history`."""
        if name == "history":
            return self.query_one("#history", ClaimText).body(name)
        return self.query_one("#claim-text", ClaimText).body(name)

    async def refresh_view(self) -> None:
        """Fill every part from the app's current project."""
        project = host(self).project
        claim = self.claim
        title = self.query_one("#detail-title", Static)
        if claim is None:
            title.update(Content(f"{self.claim_id}: no such claim (deleted or broken file)"))
            return
        claim = host(self).shown(claim)  # blind review: others' verdicts hidden
        self.sub_title = claim.id
        stance = stance_class(claim.stance, project.settings)
        if not title.has_class(stance):
            stale = [name for name in title.classes if name.startswith("-stance-")]
            title.remove_class(*stale, update=False)
            title.add_class(stance)
        title.update(title_content(claim))
        self._rows = relation_rows(project, claim)
        self.query_one("#claim-text", ClaimText).show(self.claim_parts(project, claim))
        history = Part(Entries(tuple(history_entries(claim)), "no reviews yet"), "History")
        self.query_one("#history", ClaimText).show({"history": history})
        await self._fill_relations(project)

    def claim_parts(self, project: Project, claim: Claim) -> dict[str, Part]:
        """The parts above the relations list, down to its title."""
        parts = {"statement": Part(Content.styled(claim.statement, "bold"))}
        if claim.attributed_to:
            attribution = Content.assemble(("attributed to ", "dim"), claim.attributed_to)
            parts["attribution"] = Part(attribution.stylize(MUTED), joined=True)
        source = project.source_of(claim)
        text = project.sources[claim.source.id].text if source is not None else ""
        quote = quote_content(text, project.anchor(claim), claim.source.quote)
        parts["quote"] = Part(quote, "Quote in context")
        parts["source"] = Part(source_metadata(source, claim.source.id), "Source")
        quantity = (
            quantity_line(claim.quantity)
            if claim.quantity is not None
            else Content.styled("no quantity", "dim italic")
        )
        parts["quantity"] = Part(quantity, "Quantity")
        evidence = Entries(tuple(evidence_entries(claim)), "no evidence recorded yet")
        parts["evidence"] = Part(evidence, "Evidence")
        count = len(self._rows)
        parts["relations"] = Part(
            None, f"Relations ({count})" if count else "Relations: none recorded"
        )
        return parts

    async def _fill_relations(self, project: Project) -> None:
        """The relations list, mounted the first time a claim shown has relations."""
        relations = self._relations
        if relations is None:
            if not self._rows:
                return
            relations = self._relations = OptionList(id="relations")
            await self.query_one("#detail-body").mount(relations, before="#history")
        highlighted = relations.highlighted
        relations.clear_options()
        relations.add_options(
            [
                Option(relation_prompt(project, row), id=str(index))
                for index, row in enumerate(self._rows)
            ]
        )
        relations.display = bool(self._rows)
        if self._rows:
            relations.highlighted = min(highlighted or 0, len(self._rows) - 1)

    # -- actions -----------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("open_relation", "compare_relation"):
            return bool(self._rows)
        return True

    def _highlighted_row(self) -> RelationRow | None:
        if self._relations is None:
            return None
        index = self._relations.highlighted
        if index is None or not (0 <= index < len(self._rows)):
            return None
        return self._rows[index]

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_set_status(self, status: str) -> None:
        host(self).give_verdict(self.claim_id, status, self._advance)

    def _advance(self) -> None:
        """Auto-advance: show the claim after this one in the claims list's order."""
        following = host(self).next_claim_after(self.claim_id)
        if following is not None:
            self.claim_id = following
            self.call_later(self.refresh_view)

    def action_view_article(self) -> None:
        host(self).open_article(self.claim_id)

    def action_note(self) -> None:
        claim_id = self.claim_id

        async def save(note: str | None) -> None:
            if not note:
                return
            app = host(self)
            app.perform(
                f"{claim_id}: note",
                lambda: add_note(app.project, claim_id, note, reviewer=app.reviewer),
            )
            await self.refresh_view()

        claim = self.claim
        if claim is None:
            return
        self.app.push_screen(NoteScreen(claim_id, claim.statement), save)

    @on(OptionList.OptionSelected, "#relations")
    def _relation_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_open_relation()

    def action_open_relation(self) -> None:
        row = self._highlighted_row()
        if row is None:
            return
        if row.other not in host(self).project.claims:
            self.notify(f"{row.other} is not a claim in this project", severity="warning")
            return
        host(self).open_detail(row.other)

    def action_compare_relation(self) -> None:
        row = self._highlighted_row()
        if row is None or row.other not in host(self).project.claims:
            return
        host(self).open_compare([self.claim_id, row.other])
