"""The timeline: one topic's claims in the order their sources were published.

Claims are grouped by source (oldest first) and each row is coloured by its
stance (the two sides of the lexicon's first opposing pair in the error and
success colours), so a shift in coverage from one side to the other shows at a
glance.  A summary line per
year counts the stances.  `t` / `T` switch the topic (or all topics); `enter`
opens a claim's detail.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from workbench.app.keymap import TIMELINE_BINDINGS
from workbench.app.screens.detail import host
from workbench.app.screens.early_css import read_css_early
from workbench.app.widgets.claim_card import stance_class
from workbench.app.widgets.footer import KeyFooter
from workbench.models import Claim, ProjectSettings, Source
from workbench.project import Project

STANCE_WIDTH = 12
"""Cells given to the stance column (a longer stance pushes its row's statement on)."""


@dataclass(frozen=True, slots=True)
class SourceGroup:
    """One source on the timeline and its claims on the topic."""

    source_id: str
    source: Source | None
    claims: tuple[Claim, ...]

    @property
    def published(self) -> dt.date | None:
        return self.source.published if self.source is not None else None


def timeline_groups(project: Project, topic: str | None) -> list[SourceGroup]:
    """The topic's claims grouped by source, oldest source first (unknown dates last).

    Within a source, claims follow the article (where their quotes occur).
    """
    by_source: dict[str, list[Claim]] = {}
    for record in project.claims.values():
        if topic is None or record.summary.topic == topic:
            claim = record.claim
            by_source.setdefault(claim.source.id, []).append(claim)
    groups = [
        SourceGroup(
            source_id,
            project.sources[source_id].source if source_id in project.sources else None,
            tuple(sorted(claims, key=lambda claim: claim.id)),
        )
        for source_id, claims in by_source.items()
    ]
    return sorted(
        groups, key=lambda g: (g.published is None, g.published or dt.date.min, g.source_id)
    )


def topics_with_claims(project: Project) -> list[str]:
    """The vocabulary's topics that have claims, in `workbench.toml` order, then any others."""
    used = Counter(summary.topic for summary in project.iter_summaries())
    ordered = [topic for topic in project.settings.topics if used[topic]]
    return ordered + sorted(topic for topic in used if topic not in project.settings.topics)


def stance_counts_by_year(groups: list[SourceGroup]) -> dict[str, Counter[str]]:
    """Per publication year (or `unknown`), how many claims take each stance."""
    counts: dict[str, Counter[str]] = {}
    for group in groups:
        year = str(group.published.year) if group.published is not None else "unknown"
        counts.setdefault(year, Counter()).update(claim.stance for claim in group.claims)
    return counts


def _stance_style(stance: str, settings: ProjectSettings) -> str:
    """The component class for a stance's bar, coloured as `stance_class` says."""
    return f".stance-summary--{stance_class(stance, settings).removeprefix('-stance-')}"


def summary_content(groups: list[SourceGroup], settings: ProjectSettings) -> Content:
    """`2024  ■■■■ lagging 4  ■ mixed 1` per year: the shift at a glance."""
    stances = list(settings.stances)
    lines: list[Content] = []
    for year, counts in stance_counts_by_year(groups).items():
        parts: list[str | tuple[str, str]] = [(f"{year:<8}", "bold")]
        ordered = [s for s in stances if counts[s]] + sorted(s for s in counts if s not in stances)
        for stance in ordered:
            parts += [("■" * min(counts[stance], 40), _stance_style(stance, settings)), " "]
            parts += [f"{stance} {counts[stance]}", "   "]
        lines.append(Content.assemble(*parts))
    if not lines:
        return Content.styled("no claims on this topic", "dim italic")
    return Content("\n").join(lines)


def group_content(group: SourceGroup) -> Content:
    """`2024-03-05  Outlet  ·  title  ·  view lagging  ·  3 claims`."""
    source = group.source
    count = f"{len(group.claims)} claim{'s' if len(group.claims) != 1 else ''}"
    if source is None:
        return Content.assemble(
            ("unknown date", "bold"),
            "  ",
            ("unknown source ", "$text-error"),
            group.source_id,
            ("  ·  ", "dim"),
            count,
        )
    return Content.assemble(
        (source.published.isoformat(), "bold"),
        "  ",
        (source.outlet, "bold"),
        ("  ·  ", "dim"),
        (source.title, "italic"),
        ("  ·  view ", "dim"),
        source.view,
        ("  ·  ", "dim"),
        count,
    )


def row_content(claim: Claim) -> Content:
    """`● catching-up  statement  (status)`; the stance column is padded in cells."""
    padding = " " * max(1, STANCE_WIDTH - cell_len(claim.stance))
    return Content.assemble(
        ("● ", ""),
        (claim.stance, "bold"),
        padding,
        claim.statement,
        ("  ", ""),
        (claim.status, "dim"),
    )


class StanceSummary(Static):
    """The per-year stance counts; the colours are component classes in timeline.tcss."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "stance-summary--side-a",
        "stance-summary--side-b",
        "stance-summary--other-1",
        "stance-summary--other-2",
        "stance-summary--none",
    }


class TimelineRow(Static, can_focus=True):
    """One claim on the timeline: focus it and press enter for its detail."""

    def __init__(self, claim: Claim, settings: ProjectSettings) -> None:
        colour = stance_class(claim.stance, settings)
        super().__init__(row_content(claim), classes=f"timeline-row {colour}")
        self.claim_id = claim.id


class TimelineScreen(Screen[None]):
    """The claims of one topic (or all) by source date, coloured by stance."""

    CSS_PATH = "timeline.tcss"

    BINDINGS: ClassVar[list[BindingType]] = list(TIMELINE_BINDINGS)

    def __init__(self, topic: str | None = None) -> None:
        super().__init__()
        read_css_early(self)
        self.topic = topic
        self._stale = False

    def compose(self) -> ComposeResult:
        yield Static(Content(""), id="timeline-title")
        yield StanceSummary(Content(""), id="timeline-summary")
        yield VerticalScroll(id="timeline-rows")
        yield KeyFooter()

    async def on_mount(self) -> None:
        await self.show_topic(self.topic)

    async def on_screen_resume(self) -> None:
        if self._stale:
            await self.show_topic(self.topic, keep_focus=True)

    async def on_claims_changed(self) -> None:
        """Rebuild now if shown, else when the reviewer comes back (`on_screen_resume`)."""
        self._stale = True
        if self.is_current:
            await self.show_topic(self.topic, keep_focus=True)

    def watched_claim_ids(self) -> list[str]:
        return [row.claim_id for row in self.query(TimelineRow)]

    async def show_topic(self, topic: str | None, *, keep_focus: bool = False) -> None:
        """Rebuild the rows for `topic` (None: every topic)."""
        project = host(self).project
        focused = self.focused.claim_id if isinstance(self.focused, TimelineRow) else None
        self.topic = topic
        groups = timeline_groups(project, topic)
        self.query_one("#timeline-title", Static).update(self.title_content(project, groups))
        self.query_one("#timeline-summary", StanceSummary).update(
            summary_content(groups, project.settings)
        )
        rows = self.query_one("#timeline-rows", VerticalScroll)
        self._stale = False
        await rows.remove_children()
        widgets: list[Static] = []
        for group in groups:
            view = group.source.view if group.source is not None else "unknown"
            widgets.append(
                Static(
                    group_content(group),
                    classes=f"timeline-source {stance_class(view, project.settings)}",
                )
            )
            widgets.extend(TimelineRow(claim, project.settings) for claim in group.claims)
        await rows.mount_all(widgets)
        targets = list(self.query(TimelineRow))
        if not targets:
            return
        target = next(
            (row for row in targets if keep_focus and row.claim_id == focused), targets[0]
        )
        target.focus(scroll_visible=False)
        if target is not targets[0]:
            self.call_after_refresh(target.scroll_visible)

    def title_content(self, project: Project, groups: list[SourceGroup]) -> Content:
        claims = sum(len(group.claims) for group in groups)
        name = self.topic if self.topic is not None else "all topics"
        meaning = project.settings.topics.get(self.topic, "") if self.topic is not None else ""
        return Content.assemble(
            ("Timeline", "bold"),
            ("  topic ", "dim"),
            (name, "bold"),
            f"  ·  {claims} claims in {len(groups)} sources, oldest first",
            *((("  ·  ", "dim"), (meaning, "dim italic")) if meaning else ()),
        )

    # -- actions -----------------------------------------------------------------------

    def action_back(self) -> None:
        self.app.pop_screen()

    async def action_cycle_topic(self, step: int) -> None:
        choices: list[str | None] = [*topics_with_claims(host(self).project), None]
        index = choices.index(self.topic) if self.topic in choices else len(choices) - 1
        await self.show_topic(choices[(index + step) % len(choices)])

    def action_move(self, step: int) -> None:
        if step > 0:
            self.focus_next(TimelineRow)
        else:
            self.focus_previous(TimelineRow)

    def action_open_detail(self) -> None:
        focused = self.focused
        if isinstance(focused, TimelineRow):
            host(self).open_detail(focused.claim_id)
